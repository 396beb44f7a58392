"""The emulation council's side of the cycle: the year's proposals by organization, a verdict
on each row, a proposal sent back, the meeting with its votes and its biên bản, and the
decision made from a proposal's accepted rows.

Only the registry's secretaries without --org and admins act here (`proposals.is_council`).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bulletin import audit
from bulletin.awards import batches, bp, proposals, queries, records
from bulletin.awards.forms import NewDecisionForm
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.parsing import ValueProblem, parse_date
from bulletin.awards.proposal_forms import (
    STATE_LABELS,
    VERDICT_LABELS,
    ReasonForm,
    VerdictForm,
    VotesForm,
)
from bulletin.awards.scope import catalog_for
from bulletin.extensions import db
from bulletin.models import CouncilMeeting, Proposal, ProposalRow
from bulletin.permissions import can_use_registry, requires
from bulletin.site import identity


def council_only() -> None:
    """403 for an account that is not the council's (a secretary made with --org)."""
    if not proposals.is_council():
        abort(403)


def detail_again(proposal: Proposal, status: int = 422, **forms):
    """The proposal's page again with a refused form, every value kept."""
    return render_template("awards/proposals/detail.html",
                           **proposals.page_context(proposal, **forms)), status


@bp.get("/awards/council/")
@requires(can_use_registry)
def council_year():
    """The year's proposals by organization (drafts left out) and the council's meetings."""
    council_only()
    year = proposals.year_or_none(request.args.get("year")) or _latest_year()
    rows = [p for p in db.session.scalars(proposals.visible_statement(year))
            if p.status != "draft"]
    by_org: dict = {}
    for proposal in rows:
        by_org.setdefault(proposal.organization, []).append(proposal)
    groups = sorted(by_org.items(), key=lambda item: queries.display_order(item[0]))
    meetings = list(db.session.scalars(db.select(CouncilMeeting).where(
        CouncilMeeting.year == year).order_by(CouncilMeeting.held_on, CouncilMeeting.id)))
    return render_template("awards/proposals/council.html", year=year, groups=groups,
                           meetings=meetings, states=STATE_LABELS)


def _latest_year() -> int:
    """The newest year a proposal was sent for (the council's work at hand), else this year."""
    sent = db.session.scalar(db.select(db.func.max(Proposal.year)).where(
        Proposal.status != "draft"))
    return sent or records.today().year


@bp.post("/awards/proposals/<int:proposal_id>/verdicts")
@requires(can_use_registry)
def judge_rows(proposal_id: int):
    """Accept or refuse each row of a submitted proposal (a refusal needs its reason)."""
    proposal = proposals.load_proposal(proposal_id, judge=True)
    form = VerdictForm()
    if proposal.status != "submitted":
        flash(_("Chỉ xét các đề nghị đã gửi và chưa có quyết định."), "error")
        return redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)
    rows = {str(row.id): row for row in proposal.rows}
    ok = form.validate()
    for entry in form.rows:
        ok = check_verdict(entry.form, rows) and ok
    if not ok:
        return detail_again(proposal, verdict_form=form)
    changed = sum(proposals.judge(rows[entry.form.row_id.data], entry.form.verdict.data,
                                  entry.form.reason.data or "") for entry in form.rows)
    audit.record("proposal.judge", "proposal", proposal.id, f"{changed}")
    db.session.commit()
    flash(_("Đã ghi ý kiến của Hội đồng cho %(n)s dòng.", n=changed), "success")
    return redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)


def check_verdict(row_form, rows: dict) -> bool:
    """One verdict: a row of this proposal, a known verdict, a reason for a refusal."""
    if row_form.row_id.data not in rows:
        row_form.verdict.errors = [*row_form.verdict.errors, _("Dòng này không thuộc đề nghị.")]
        return False
    if row_form.verdict.data not in VERDICT_LABELS:
        row_form.verdict.errors = [*row_form.verdict.errors, _("Chọn ý kiến của Hội đồng.")]
        return False
    if row_form.verdict.data == "refused" and not row_form.reason.data:
        row_form.reason.errors = [*row_form.reason.errors,
                                  _("Ghi lý do không đề nghị để tổ chức được biết.")]
        return False
    return not row_form.errors


@bp.post("/awards/proposals/<int:proposal_id>/return")
@requires(can_use_registry)
def return_proposal(proposal_id: int):
    """Send a submitted proposal back to its organization, with the reason."""
    proposal = proposals.load_proposal(proposal_id, judge=True)
    form = ReasonForm()
    if proposal.status != "submitted":
        flash(_("Chỉ trả lại được đề nghị đã gửi và chưa có quyết định."), "error")
        return redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)
    if not form.validate():
        return detail_again(proposal, return_form=form)
    proposals.send_back(proposal, form.reason.data)
    db.session.commit()
    flash(_("Đã trả lại đề nghị cho %(org)s.", org=proposal.organization.name), "success")
    return redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)


@bp.post("/awards/proposals/<int:proposal_id>/decide")
@requires(can_use_registry)
def decide_proposal(proposal_id: int):
    """The decision form filled with the proposal's accepted rows; saving it links them."""
    proposal = proposals.load_proposal(proposal_id, judge=True)
    if not proposals.may_decide(proposal):
        flash(_("Đề nghị này chưa có dòng nào được Hội đồng đồng ý, hoặc đã có quyết định."),
              "error")
        return redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)
    form = NewDecisionForm(formdata=None, data=proposals.decision_form_data(proposal))
    batches.fill_decision_form(form, catalog_for())
    flash(_("Các dòng được Hội đồng đồng ý đã điền sẵn. Chọn số, ngày, cơ quan và người ký "
            "rồi lưu quyết định."), "info")
    return render_template("awards/decision_form.html", form=form, decision=None, batch=None)


def meeting_rows(year: int) -> list[ProposalRow]:
    """The rows the council considers for a year: those of its submitted proposals."""
    stmt = db.select(ProposalRow).join(Proposal).where(
        Proposal.year == year, Proposal.status == "submitted")
    rows = list(db.session.scalars(stmt))
    return sorted(rows, key=lambda r: (queries.display_order(r.proposal.organization),
                                       r.proposal_id, r.line_no))


@bp.route("/awards/council/meetings/new", methods=["GET", "POST"])
@requires(can_use_registry)
def new_meeting():
    """Record the council's meeting for a year: who came, and the votes on each row."""
    council_only()
    year = proposals.year_or_none(request.args.get("year")) or _latest_year()
    rows = meeting_rows(year)
    if request.method == "GET":
        form = VotesForm(formdata=None, data={"votes": [
            {"row_id": str(row.id), "votes_for": row.votes_for,
             "votes_against": row.votes_against} for row in rows]})
        return render_meeting_form(form, year, rows)
    form = VotesForm()
    by_id = {str(row.id): row for row in rows}
    ok = form.validate()
    held_on = meeting_day(form.held_on)
    ok = held_on is not None and ok
    ceiling = form.members_total.data or len(present(form.members_present.data))
    for entry in form.votes:
        ok = check_votes(entry.form, by_id, ceiling) and ok
    if not ok:
        return render_meeting_form(form, year, rows, 422)
    meeting = CouncilMeeting(
        year=year, held_on=held_on, place=form.place.data or "", chair=form.chair.data,
        clerk=form.clerk.data or "", notes=form.notes.data or "",
        members_present="\n".join(present(form.members_present.data)),
        members_total=form.members_total.data, created_by_id=current_user.id)
    db.session.add(meeting)
    for entry in form.votes:
        if entry.form.votes_for.data is not None or entry.form.votes_against.data is not None:
            row = by_id[entry.form.row_id.data]
            row.meeting = meeting
            row.votes_for, row.votes_against = (entry.form.votes_for.data,
                                                entry.form.votes_against.data)
    db.session.flush()
    audit.record("council.meeting", "council_meeting", meeting.id, f"{year}: {meeting.held_on}")
    db.session.commit()
    flash(_("Đã ghi cuộc họp của Hội đồng. In biên bản từ trang này."), "success")
    return redirect(url_for(".meeting_minutes", meeting_id=meeting.id), code=303)


def render_meeting_form(form: VotesForm, year: int, rows: list[ProposalRow], status=200):
    """Show the meeting form: its fields, then one line of votes per row considered."""
    entries = {entry.form.row_id.data: entry.form for entry in form.votes}
    return render_template("awards/proposals/meeting_form.html", form=form, year=year,
                           rows=rows, entries=entries, labels=RECIPIENT_LABELS), status


def present(text: str | None) -> list[str]:
    """The members present, one a line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def meeting_day(field_):
    """The meeting's date (required, not after today); its error on the field."""
    try:
        day = parse_date(field_.data)
    except ValueProblem as problem:
        field_.errors = [*field_.errors, str(problem)]
        return None
    if day is None or day > records.today():
        field_.errors = [*field_.errors, _("Nhập ngày họp (dd/mm/yyyy), không sau hôm nay.")]
        return None
    return day


def check_votes(row_form, rows: dict, ceiling: int) -> bool:
    """One row's votes: a row considered this year, and no more votes than members."""
    if row_form.row_id.data not in rows:
        row_form.votes_for.errors = [*row_form.votes_for.errors,
                                     _("Dòng này không được xét trong năm.")]
        return False
    cast = (row_form.votes_for.data or 0) + (row_form.votes_against.data or 0)
    if ceiling and cast > ceiling:
        row_form.votes_against.errors = [*row_form.votes_against.errors, _(
            "Tổng số phiếu (%(n)s) nhiều hơn số thành viên (%(m)s).", n=cast, m=ceiling)]
        return False
    return not row_form.errors


@bp.get("/awards/council/meetings/<int:meeting_id>")
@requires(can_use_registry)
def meeting_minutes(meeting_id: int):
    """The biên bản of a council meeting on A4: who, where, the votes per row, the verdicts."""
    council_only()
    meeting = db.get_or_404(CouncilMeeting, meeting_id)
    rows = sorted(meeting.rows, key=lambda r: (queries.display_order(r.proposal.organization),
                                               r.proposal_id, r.line_no))
    site = identity()
    return render_template("awards/proposals/minutes.html", meeting=meeting, rows=rows,
                           members=present(meeting.members_present),
                           body_parent=site.full_name,
                           body_name=_("Hội đồng Thi đua – Khen thưởng"),
                           place=proposals.place_name(site.locality_name), verdicts=VERDICT_LABELS,
                           labels=RECIPIENT_LABELS)

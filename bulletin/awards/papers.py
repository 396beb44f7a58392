"""The papers the secretary prints: a decision, its annex, its payout list and the yearly book.

A4 pages in administrative-document style (Nghị định 30/2020/NĐ-CP, Phụ lục I): the issuing
body in two lines and the national motto at the top, the number, place and date, the total in
figures and in words, the signature block. Nothing of the staff interface is printed. What the
papers say is `paperwork`'s; the heading and the signature are `letterhead`'s.
"""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from bulletin.awards import bp, paperwork, queries
from bulletin.awards.certificates import (
    FIELDS,
    CertificateLayoutForm,
    can_adjust_certificates,
    certificate,
    layout_of,
    save_layout,
)
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.letterhead import (  # noqa: F401 (MODE_HEADS … upper: kept importable here)
    MODE_HEADS,
    Heading,
    Signature,
    authority,
    decision_heading,
    issuing_body,
    place_and_date,
    place_name,
    signature,
    site_heading,
    spelled_out,
    split_name,
    upper,
)
from bulletin.awards.money import in_words
from bulletin.awards.queries import AwardFilters
from bulletin.awards.records import today
from bulletin.awards.scope import allowed_ids, load_decision
from bulletin.awards.summaries import family_subtotals, report_org, report_year
from bulletin.extensions import db
from bulletin.models import Award, Decision, SiteSettings
from bulletin.permissions import can_use_registry, requires
from bulletin.security import parse_int
from bulletin.site import identity, settings_row, site_changed


@bp.app_template_global("paper_heading")
def paper_heading(body_name: str, parent_name: str = "") -> Heading:
    """The heading of a paper that names its body on one line (proposals, minutes)."""
    return Heading(split_name(body_name), spelled_out(parent_name or ""))


def _decision_context(decision: Decision) -> dict:
    """What every paper of a decision shows: heading, place and date, signature, awards."""
    heading = decision_heading(decision)
    awards = paperwork.live_awards(decision)
    amount, words = paperwork.total(awards)
    return {"decision": decision, "heading": heading, "awards": awards, "total": amount,
            "total_words": words, "signature": signature(decision),
            "place_date": place_and_date(place_name(heading, identity()), decision.signed_on),
            "attached": paperwork.attached_line(decision), "labels": RECIPIENT_LABELS}


@bp.get("/awards/decisions/<int:decision_id>/paper")
@requires(can_use_registry)
def decision_paper(decision_id: int):
    """The decision itself as signed: heading, grounds, articles, signature, recipients."""
    decision = load_decision(decision_id)
    context = _decision_context(decision)
    sections = paperwork.kind_sections(context["awards"])
    return render_template(
        "awards/papers/decision.html", **context, subject=paperwork.subject(decision),
        authority=authority(decision), grounds=paperwork.grounds(decision),
        article_one=paperwork.article_one(decision, sections),
        article_two=paperwork.article_two(decision, context["awards"]),
        article_three=paperwork.article_three(decision, context["awards"]))


@bp.get("/awards/decisions/<int:decision_id>/annex")
@requires(can_use_registry)
def decision_annex(decision_id: int):
    """The list annexed to a decision: one section per kind, collectives first, no signatures."""
    decision = load_decision(decision_id)
    context = _decision_context(decision)
    return render_template("awards/papers/annex.html", **context,
                           sections=paperwork.kind_sections(context["awards"]),
                           roman=paperwork.ROMAN)


@bp.get("/awards/decisions/<int:decision_id>/payout")
@requires(can_use_registry)
def decision_payout(decision_id: int):
    """The list to pay the decision's money against signatures (awards in force only)."""
    decision = load_decision(decision_id)
    context = _decision_context(decision)
    place = place_name(context["heading"], identity())
    blank_date = _("ngày ..... tháng ..... năm ........")
    return render_template("awards/papers/payout.html", **context,
                           pay_date=f"{place}, {blank_date}" if place else blank_date)


@bp.get("/awards/decisions/<int:decision_id>/certificates")
@requires(can_use_registry)
def decision_certificates(decision_id: int):
    """One A4 landscape certificate per recipient in force; `?blank=1` for pre-printed forms."""
    decision = load_decision(decision_id)
    context = _decision_context(decision)
    blank = request.args.get("blank") == "1"
    return render_template("awards/papers/certificates.html", **context, blank=blank,
                           certificates=[certificate(a) for a in context["awards"]],
                           layout=layout_of(db.session.get(SiteSettings, 1)), fields=FIELDS,
                           may_adjust=can_adjust_certificates(current_user))


@bp.get("/awards/certificates/layout.css")
@requires(can_use_registry)
def certificate_layout_css():
    """The remembered positions as a stylesheet (the pages' policy allows no inline style)."""
    css = render_template("awards/papers/certificates.css",
                          layout=layout_of(db.session.get(SiteSettings, 1)))
    response = make_response(css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/awards/certificates/layout", methods=["GET", "POST"])
@requires(can_adjust_certificates)
def certificate_layout():
    """Adjust where the texts land on pre-printed certificates (mm), remembered for all."""
    row = db.session.get(SiteSettings, 1)
    form = CertificateLayoutForm(data=layout_of(row))
    back = parse_int(request.args.get("decision"), low=1)
    if form.validate_on_submit():
        row = settings_row()
        save_layout(row, form.layout())
        db.session.commit()
        site_changed()
        flash(_("Đã lưu vị trí in trên phôi giấy khen."), "success")
        if back and db.session.get(Decision, back) is not None:
            return redirect(url_for("awards.decision_certificates", decision_id=back, blank=1))
        return redirect(url_for("awards.certificate_layout"))
    status = 422 if form.errors else 200
    return render_template("awards/papers/certificate_layout.html", form=form, back=back,
                           fields=FIELDS), status


@bp.get("/awards/reports/book")
@requires(can_use_registry)
def yearly_book():
    """The yearly registry book: every live award of a year, by organization, with totals."""
    year, org = report_year(), report_org()
    stmt = queries.filtered(AwardFilters(year=year, org=org, include_voided=False),
                            allowed_ids())
    awards = list(db.session.scalars(
        stmt.options(selectinload(Award.decision), selectinload(Award.kind),
                     selectinload(Award.organization))
        .order_by(Award.organization_id, Award.recipient_type == "individual",
                  Award.name_sort_key, Award.id)))
    sections: dict = {}
    for award in awards:
        sections.setdefault(award.organization, []).append(award)
    ordered = sorted(sections.items(), key=lambda item: queries.display_order(item[0]))
    total = sum(a.amount or 0 for a in awards)
    site = identity()
    heading = site_heading(site, org)
    return render_template("awards/papers/book.html", year=year, org=org, sections=ordered,
                           count=len(awards), total=total, total_words=in_words(total),
                           labels=RECIPIENT_LABELS, heading=heading,
                           families=family_subtotals(ordered),
                           place_date=place_and_date(place_name(heading, site), today()),
                           maker=current_user.full_name or current_user.username)

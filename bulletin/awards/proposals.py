"""An organization's proposal (tờ trình with its danh sách đề nghị): who may see and change
it, reading its typed rows, saving them, its states, and the decision it becomes.

States: draft → submitted → (returned → submitted …) → decided. Its organization's
secretaries write and submit it; the registry's secretaries without --org and admins (the
council, `is_council`) judge its rows, send it back, and decide it. The rows are read by the
decision form's own readers (`batches.read_row`, `rules.warnings_for`), with no decision yet.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from bulletin import audit
from bulletin.awards import batches, reading, records, rules
from bulletin.awards.catalog import Catalog
from bulletin.awards.forms import ScanForm
from bulletin.awards.labels import RECIPIENT_LABELS, SEX_LABELS
from bulletin.awards.parsing import ValueProblem, parse_date, parse_year
from bulletin.awards.proposal_forms import STATE_LABELS, VERDICT_LABELS, ReasonForm, VerdictForm
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.i18n import format_number
from bulletin.models import Award, Decision, Proposal, ProposalRow, utcnow
from bulletin.permissions import can_manage_award_org, can_use_registry, registry_org_ids
from bulletin.security import MAX_ID, parse_int
from bulletin.text import fold

EDITABLE = ("draft", "returned")
# What a row reads as its "decision" while none exists: the rules of the proposal's day.
NO_DECISION = "—"


def is_council(user=None) -> bool:
    """The registry's secretaries without --org and admins: they judge, return and decide."""
    user = user or current_user
    return can_use_registry(user) and registry_org_ids(user) is None


def visible_statement(year: int | None = None):
    """The proposals the account may see (its organizations', or all), newest first."""
    allowed = registry_org_ids(current_user)
    stmt = db.select(Proposal)
    if allowed is not None:
        stmt = stmt.where(Proposal.organization_id.in_(sorted(allowed)))
    if year is not None:
        stmt = stmt.where(Proposal.year == year)
    return stmt.order_by(Proposal.year.desc(), Proposal.id.desc())


def may_see(proposal: Proposal) -> bool:
    """Whether the account may see this proposal (its organization is the account's)."""
    allowed = registry_org_ids(current_user)
    return can_use_registry(current_user) and (
        allowed is None or proposal.organization_id in allowed)


def may_edit(proposal: Proposal) -> bool:
    """A draft or returned proposal is changed (and submitted) by its organization's staff."""
    return proposal.status in EDITABLE and can_manage_award_org(current_user,
                                                                proposal.organization)


def load_proposal(proposal_id: int, edit: bool = False, judge: bool = False) -> Proposal:
    """A proposal the account may see (404 otherwise); 403 to edit or judge it without right."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see(proposal):
        abort(404)
    if (edit and not may_edit(proposal)) or (judge and not is_council()):
        abort(403)
    return proposal


@dataclass
class Reading:
    """A typed proposal read: its own fields and its rows (a batch without a decision)."""

    batch: batches.Batch
    defaults: dict = field(default_factory=dict)
    dated: date | None = None


def read_proposal(form, catalog: Catalog) -> Reading:
    """Check the proposal's fields and every typed row; blank rows are ignored."""
    form_ok = form.validate()
    dated = _read_date(form.dated)
    readers = reading.form_readers(catalog)
    typed = reading.form_values(form)
    base = records.AwardValues(
        recipient_type="", recipient_name="", organization=None, kind=None, year=None,
        decision_number=NO_DECISION, decision_date=dated or records.today())
    defaults = reading.read_defaults(typed, readers, base)
    if defaults["organization"] is None and "organization" not in base.errors:
        base.error("organization", _("Chọn tổ chức đề nghị."))
    if defaults["year"] is None and "year" not in base.errors:
        base.error("year", _("Nhập năm thành tích, ví dụ %(y)s.", y=records.today().year))
    reading.show_errors(form, base.errors)
    batch = batches.Batch(base=base)
    for entry in form.recipients:
        if not entry.form.is_blank():
            batch.rows.append(batches.read_row(entry.form, base, readers, defaults))
    if not form_ok or base.errors or form.dated.errors:
        batch.problems.append(_("Đề nghị chưa được lưu: xem các lỗi được đánh dấu."))
    if not batch.rows:
        batch.problems.append(_("Nhập ít nhất một người hoặc tập thể được đề nghị."))
    elif any(values.errors for values in batch.rows):
        batch.problems.append(_("Có dòng bị lỗi (đánh dấu bên dưới): chưa dòng nào được lưu."))
    else:
        batch.warnings = [rules.warnings_for(values, batch.rows) for values in batch.rows]
    return Reading(batch, defaults, dated)


def _read_date(field_) -> date | None:
    """The tờ trình's date (dd/mm/yyyy, not after today); its error on the field."""
    try:
        day = parse_date(field_.data)
    except ValueProblem as problem:
        field_.errors = [*field_.errors, str(problem)]
        return None
    if day is not None and day > records.today():
        field_.errors = [*field_.errors, _("Ngày tờ trình không thể sau hôm nay.")]
        return None
    return day


def save_proposal(proposal: Proposal, form, read: Reading) -> Proposal:
    """Write the proposal's fields and replace its rows (their verdicts start again)."""
    proposal.organization = read.defaults["organization"]
    proposal.year = read.defaults["year"]
    proposal.kind = read.defaults["kind"]
    proposal.achievement = read.defaults.get("achievement") or ""
    proposal.campaign = form.campaign.data or ""
    proposal.number = form.number.data or ""
    proposal.dated = read.dated
    proposal.signer = form.signer.data or ""
    proposal.signer_title = form.signer_title.data or ""
    if proposal.id is None:
        proposal.created_by_id = current_user.id
        db.session.add(proposal)
    proposal.rows.clear()
    for line_no, values in enumerate(read.batch.rows, start=1):
        proposal.rows.append(new_row(line_no, values))
    db.session.flush()
    audit.record("proposal.save", "proposal", proposal.id,
                 f"{proposal.organization.name} {proposal.year}: {len(proposal.rows)}")
    return proposal


def new_row(line_no: int, values: records.AwardValues) -> ProposalRow:
    """One proposed person, collective or household, from its checked values."""
    return ProposalRow(
        line_no=line_no, recipient_type=values.recipient_type,
        recipient_name=values.recipient_name, recipient_title=values.recipient_title,
        birth_year=values.birth_year, sex=values.sex, ethnicity=values.ethnicity,
        organization_id=values.organization.id, kind_id=values.kind.id, year=values.year,
        achievement=values.achievement, initiative=values.initiative, amount=values.amount)


def row_data(row: ProposalRow) -> dict:
    """A stored row as the decision form's row fields show it."""
    return {"recipient_type": row.recipient_type, "recipient_name": row.recipient_name,
            "recipient_title": row.recipient_title,
            "birth_year": str(row.birth_year) if row.birth_year else "",
            "organization": row.organization.slug if row.organization else "",
            "kind": row.kind.slug if row.kind else "", "year": str(row.year or ""),
            "achievement": row.achievement,
            "amount": format_number(row.amount) if row.amount is not None else "",
            "initiative": row.initiative, "sex": row.sex, "ethnicity": row.ethnicity}


def form_data(proposal: Proposal) -> dict:
    """A stored proposal as its form shows it (to edit it)."""
    return {"organization": proposal.organization.slug, "year": str(proposal.year),
            "kind": proposal.kind.slug if proposal.kind else "",
            "achievement": proposal.achievement, "campaign": proposal.campaign,
            "number": proposal.number, "signer": proposal.signer,
            "signer_title": proposal.signer_title,
            "dated": proposal.dated.strftime("%d/%m/%Y") if proposal.dated else "",
            "recipients": [row_data(row) for row in proposal.rows]}


def submit(proposal: Proposal) -> None:
    """Send the proposal to the council: its rows wait for a verdict again."""
    proposal.status = "submitted"
    proposal.submitted_at = utcnow()
    for row in proposal.rows:
        row.verdict, row.verdict_reason = "pending", ""
    audit.record("proposal.submit", "proposal", proposal.id,
                 f"{proposal.organization.name} {proposal.year}")


def send_back(proposal: Proposal, reason: str) -> None:
    """Return a submitted proposal to its organization, with the reason."""
    proposal.status = "returned"
    proposal.return_reason = reason
    audit.record("proposal.return", "proposal", proposal.id, reason)


def judge(row: ProposalRow, verdict: str, reason: str) -> bool:
    """Set a row's verdict and reason; True when it changed."""
    reason = reason if verdict == "refused" else ""
    if (row.verdict, row.verdict_reason) == (verdict, reason):
        return False
    row.verdict, row.verdict_reason = verdict, reason
    return True


def accepted_rows(proposal: Proposal) -> list[ProposalRow]:
    """The rows the council accepted, in their order."""
    return [row for row in proposal.rows if row.verdict == "accepted"]


def may_decide(proposal: Proposal) -> bool:
    """A submitted proposal with accepted rows is ready for its decision."""
    return proposal.status == "submitted" and bool(accepted_rows(proposal))


def decision_form_data(proposal: Proposal) -> dict:
    """The decision form filled with the proposal's accepted rows (number, date, issuer and
    signer are left for the secretary to choose once)."""
    return {"organization": proposal.organization.slug, "year": str(proposal.year),
            "kind": proposal.kind.slug if proposal.kind else "",
            "achievement": proposal.achievement, "campaign": proposal.campaign,
            "decision_type": "regular" if not proposal.campaign else "thematic",
            "subject": _("V/v khen thưởng tập thể, cá nhân của %(org)s có thành tích năm "
                         "%(year)s", org=proposal.organization.name, year=proposal.year),
            "proposal": str(proposal.id),
            "recipients": [row_data(row) for row in accepted_rows(proposal)]}


def link_decision(value, decision: Decision, batch=None) -> Proposal | None:
    """After a decision made from a proposal is saved: link each accepted row to the award it
    became (by order and name) and mark the proposal decided. A proposal the account may not
    decide, or one not waiting for its decision, is ignored."""
    proposal_id = parse_int(str(value or ""), high=MAX_ID)
    proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
    if proposal is None or not may_see(proposal) or not is_council() \
            or proposal.status != "submitted":
        return None
    awards = sorted(decision.awards, key=lambda a: (a.line_no or 0, a.id))
    pairs = pair_in_order(accepted_rows(proposal), awards)
    for row, award in pairs:
        row.award_id = award.id
    proposal.status, proposal.decision_id, proposal.decided_at = "decided", decision.id, utcnow()
    audit.record("proposal.decide", "proposal", proposal.id,
                 f"{decision.number}: {len(pairs)}/{len(awards)}")
    db.session.commit()
    return proposal


def pair_in_order(rows: list[ProposalRow], awards: list[Award]) -> list[tuple]:
    """Rows and awards matched in order: each award takes the next row naming the same
    recipient (rows the decision left out are skipped; an award added there matches none)."""
    pairs, start = [], 0
    for award in awards:
        for index in range(start, len(rows)):
            row = rows[index]
            if row.recipient_type == award.recipient_type \
                    and fold(row.recipient_name) == fold(award.recipient_name):
                pairs.append((row, award))
                start = index + 1
                break
    return pairs


def page_context(proposal: Proposal, verdict_form: VerdictForm | None = None,
                 return_form: ReasonForm | None = None) -> dict:
    """What the proposal's page shows, for its own view and the council's refused POSTs."""
    if verdict_form is None:
        verdict_form = VerdictForm(formdata=None, data={"rows": [
            {"row_id": str(row.id), "verdict": row.verdict, "reason": row.verdict_reason}
            for row in proposal.rows]})
    entries = {entry.form.row_id.data: entry.form for entry in verdict_form.rows}
    amount = sum(row.amount or 0 for row in proposal.rows)
    return {"proposal": proposal, "labels": RECIPIENT_LABELS, "states": STATE_LABELS,
            "verdicts": VERDICT_LABELS, "sexes": SEX_LABELS, "amount": amount,
            "can_edit": may_edit(proposal), "council": is_council(),
            "may_decide": may_decide(proposal), "verdict_form": verdict_form,
            "verdict_rows": entries, "return_form": return_form or ReasonForm(),
            "scan_form": ScanForm(), "confirm": ConfirmForm()}


def place_name(locality: str) -> str:
    """The place of a paper's date line: the commune's name without its level ("xã Hòa Sơn"
    → "Hòa Sơn")."""
    text = (locality or "").strip()
    for level in ("xã ", "phường ", "thị trấn ", "đặc khu "):
        if text.lower().startswith(level):
            return text[len(level):]
    return text


def year_or_none(raw: str | None) -> int | None:
    """A year from a query string (None when missing or unreadable)."""
    try:
        return parse_year((raw or "").strip())
    except ValueProblem:
        return None

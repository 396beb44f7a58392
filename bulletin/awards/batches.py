"""A decision typed with its recipients: reading, checking and saving it, all or nothing.

The decision form (`decisions.py`) shows the form; this module reads it: the decision's own
fields once, each typed row through `reading.read_values` (the reader of the single form and
the import), the rules' warnings, the probable duplicates; then `save_batch` writes the
decision and every award through `records` in one transaction.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_login import current_user

from bulletin import audit
from bulletin.awards import reading, records, rules
from bulletin.awards.catalog import Catalog
from bulletin.awards.forms import MAX_ROWS, DecisionForm, NewDecisionForm, offer_levels
from bulletin.awards.labels import DECISION_TYPE_LABELS, SIGNING_LABELS
from bulletin.awards.pasting import named, parse_pasted
from bulletin.extensions import db
from bulletin.i18n import format_date, format_number
from bulletin.models import Decision, Post
from bulletin.text import fold

DECISION_KEYS = ("decision_number", "decision_date", "issuer", "issuer_level", "signer")


@dataclass
class Batch:
    """A decision typed with its recipients: what to save, or why not."""

    base: records.AwardValues
    rows: list[records.AwardValues] = field(default_factory=list)
    post: Post | None = None
    problems: list[str] = field(default_factory=list)
    existing: Decision | None = None
    duplicates: bool = False
    warnings: list[list[rules.RuleWarning]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of saving."""
        return not self.problems


def fill_decision_form(form: NewDecisionForm, catalog: Catalog) -> None:
    """Give the decision's defaults and every row their organization and kind options."""
    catalog.fill(form, _("— Chọn tổ chức —"), _("— Chọn hình thức —"))
    for entry in form.recipients:
        catalog.fill(entry.form, _("— như trên —"), _("— như trên —"))


@dataclass
class Pasted:
    """What the paste box filled: how many rows, and the names no offered choice matched."""

    count: int = 0
    unknown: list[str] = field(default_factory=list)


def fill_pasted_rows(form: NewDecisionForm, catalog: Catalog) -> Pasted:
    """Put rows pasted from Excel into the empty rows (adding rows), keeping typed ones.

    A pasted organization or kind is chosen among those the form offers, by name, short
    name or slug; one the form does not offer is left "— như trên —" and reported.
    """
    rows = parse_pasted(form.paste.data or "")
    pasted = Pasted(count=len(rows))
    empty = [entry.form for entry in form.recipients if entry.form.is_blank()]
    for fields in rows:
        if not empty:
            if len(form.recipients.entries) >= MAX_ROWS:
                break
            form.recipients.append_entry()
            row = form.recipients.entries[-1].form
            catalog.fill(row, _("— như trên —"), _("— như trên —"))
        else:
            row = empty.pop(0)
        for name, choices in (("organization", catalog.organizations),
                              ("kind", catalog.kinds)):
            if name in fields:
                fields[name] = choose(fields[name], choices, pasted)
        for name, value in fields.items():
            row[name].data = value
    form.paste.data = ""
    return pasted


def choose(text: str, choices: list, pasted: Pasted) -> str:
    """The slug of the offered choice a pasted name names ("" and noted when none)."""
    found = named(choices, text)
    if found is None and text not in pasted.unknown:
        pasted.unknown.append(text)
    return found.slug if found is not None else ""


def fill_suggested_amounts(form: NewDecisionForm, batch: Batch) -> None:
    """Give every row without an amount the reward the rules suggest on the decision date."""
    rows = [entry.form for entry in form.recipients if not entry.form.is_blank()]
    for row, values in zip(rows, batch.rows, strict=True):
        suggestion = rules.suggested_amount(values.kind, values.recipient_type,
                                            batch.base.decision_date)
        if not row.amount.data and suggestion is not None:
            row.amount.data = format_number(suggestion.amount)


def read_batch(form: NewDecisionForm, catalog: Catalog) -> Batch:
    """Check the decision and every typed row; blank rows are ignored."""
    form_ok = form.validate()
    readers = reading.form_readers(catalog)
    typed = reading.form_values(form)
    base = records.check_decision(reading.read_decision(typed, readers))
    defaults = reading.read_defaults(typed, readers, base)
    batch = Batch(base=base, post=form.linked_post(current_user))
    if base.decision_number and base.decision_date:
        batch.existing = records.matching_decision(base)
    if batch.existing is not None:
        base.error("decision_number", _("Quyết định này đã có trong sổ. Hãy thêm người vào "
                                        "quyết định đã có thay vì ghi lại."))
    reading.show_errors(form, base.errors)
    show_level(form, base)
    for entry in form.recipients:
        if not entry.form.is_blank():
            batch.rows.append(read_row(entry.form, base, readers, defaults))
    if not form_ok or base.errors or form.post.errors:
        batch.problems.append(_("Quyết định chưa được lưu: xem các lỗi được đánh dấu."))
    if not batch.rows:
        batch.problems.append(_("Nhập ít nhất một người hoặc tập thể được khen."))
    elif any(values.errors for values in batch.rows):
        batch.problems.append(_("Có dòng bị lỗi (đánh dấu bên dưới): chưa dòng nào được lưu."))
    elif not batch.problems:
        warn_duplicates(form, batch)
    if batch.rows and not any(values.errors for values in batch.rows):
        batch.warnings = [rules.warnings_for(values, batch.rows) for values in batch.rows]
    return batch


def read_row(row, base: records.AwardValues, readers: reading.Readers,
             defaults: dict) -> records.AwardValues:
    """One recipient row: the decision's fields, the row's own, checked; errors on the row."""
    values = reading.read_values(reading.form_values(row), readers, defaults, decision=base)
    for key in DECISION_KEYS:
        # The decision's own problems are shown once, at the top; what is left is this
        # row's (a year the decision cannot commend).
        row_only = [m for m in values.errors.pop(key, []) if m not in base.errors.get(key, [])]
        if row_only:
            values.errors.setdefault("year", []).extend(row_only)
    for key in ("organization", "kind", "year", "amount"):
        if base.errors.get(key) and not row[key].data:
            values.errors.pop(key, None)
    reading.show_errors(row, values.errors)
    return values


def warn_duplicates(form: NewDecisionForm, batch: Batch) -> None:
    """Mark rows that repeat an award already recorded (or another row); ask to confirm."""
    seen: set[tuple] = set()
    rows = [entry.form for entry in form.recipients if not entry.form.is_blank()]
    for row, values in zip(rows, batch.rows, strict=True):
        key = (values.recipient_type, fold(values.recipient_name), values.kind.id, values.year)
        if records.probable_duplicates(values) or key in seen:
            batch.duplicates = True
            row.recipient_name.errors = [*row.recipient_name.errors, _(
                "Có thể trùng: người này đã có “%(kind)s” năm %(year)s.",
                kind=values.kind.name, year=values.year)]
        seen.add(key)
    if batch.duplicates and not form.confirm_duplicate.data:
        form.confirm_duplicate.errors = [
            _("Có dòng có thể đã ghi rồi: đánh dấu “Vẫn ghi” nếu đúng là các lần khen khác.")]
        batch.problems.append(_("Chưa lưu: có dòng có thể trùng với khen thưởng đã ghi."))


def save_batch(form: NewDecisionForm, batch: Batch) -> Decision:
    """Write the decision and all its awards in one transaction."""
    base = batch.base
    decision = Decision(
        number=base.decision_number, signed_on=base.decision_date, issuer=base.issuer,
        issuer_level=base.issuer_level, signer=base.signer, created_by_id=current_user.id,
        **decision_extras(form, batch.post))
    db.session.add(decision)
    note = form.note.data or ""
    for values, warnings in zip(batch.rows, batch.warnings or [[]] * len(batch.rows),
                                strict=True):
        records.create_award(values, decision=decision, warnings=warnings, note=note)
    db.session.flush()
    audit.record("decision.create", "decision", decision.id,
                 f"{decision.number} ({format_date(decision.signed_on)}): "
                 f"{len(batch.rows)} người")
    db.session.commit()
    return decision


def known(value: str | None, labels: dict) -> str:
    """A select's value when it is one of its codes, else empty."""
    return value if value in labels else ""


def decision_extras(form: DecisionForm, post: Post | None) -> dict:
    """The decision's columns beyond number, date, issuer and signer, from its form."""
    return {"signer_title": form.signer_title.data or "", "subject": form.subject.data or "",
            "signing_mode": known(form.signing_mode.data, SIGNING_LABELS),
            "decision_type": known(form.decision_type.data, DECISION_TYPE_LABELS),
            "campaign": form.campaign.data or "", "legal_grounds": form.legal_grounds.data or "",
            "is_public": bool(form.is_public.data), "post_id": post.id if post else None}


def check_decision_edit(form: DecisionForm, decision: Decision) -> records.AwardValues:
    """The corrected fields, checked against the decision's awards and the registry."""
    values = records.check_decision(reading.read_decision(reading.form_values(form)))
    latest = max((a.year for a in decision.awards), default=None)
    if values.decision_date and latest and values.decision_date.year < latest:
        values.error("decision_date",
                     records.year_after_decision_message(values.decision_date, latest))
    if values.decision_number and values.decision_date \
            and records.matching_decision(values, exclude_id=decision.id) is not None:
        values.error("decision_number", _("Đã có quyết định khác cùng số, ngày và cơ quan."))
    reading.show_errors(form, values.errors)
    show_level(form, values)
    return values


def show_level(form: DecisionForm, values: records.AwardValues) -> None:
    """Offer the levels of the typed date; a level left empty shows what the issuer reads as."""
    offer_levels(form)
    if not form.issuer_level.data and "issuer_level" not in values.errors:
        form.issuer_level.data = values.issuer_level

"""Decisions of the registry: a whole decision typed with its recipients, its page, its
corrections (number, date, signer, public flag, the post it belongs to).
"""

from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_

from bulletin import audit
from bulletin.awards import bp, queries, records, rules
from bulletin.awards.catalog import Catalog
from bulletin.awards.forms import (
    MAX_ROWS,
    DecisionForm,
    NewDecisionForm,
    ScanForm,
    VoidForm,
    chosen,
    parsed,
    read_recipient,
    show_errors,
)
from bulletin.awards.forms import decision_values as read_decision_fields
from bulletin.awards.labels import DECISION_TYPE_LABELS, RECIPIENT_LABELS, SIGNING_LABELS
from bulletin.awards.parsing import parse_amount, parse_year
from bulletin.awards.pasting import parse_pasted
from bulletin.awards.queries import PAGE_SIZE, annex_order
from bulletin.awards.scope import allowed_ids, can_edit, catalog_for, load_decision, visible_awards
from bulletin.extensions import db
from bulletin.i18n import format_date, format_number
from bulletin.models import Award, Decision, Post
from bulletin.pagination import page_number
from bulletin.permissions import can_use_registry, can_view_post, requires
from bulletin.text import fold


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


DECISION_KEYS = ("decision_number", "decision_date", "issuer", "signer")


def fill_decision_form(form: NewDecisionForm, catalog: Catalog) -> None:
    """Give the decision's defaults and every row their organization and kind options."""
    catalog.fill(form, _("— Chọn tổ chức —"), _("— Chọn hình thức —"))
    for entry in form.recipients:
        catalog.fill(entry.form, _("— như trên —"), _("— như trên —"))


def render_decision_form(form, decision: Decision | None, batch: Batch | None = None,
                         status: int = 200):
    """Show the decision form (new: with its recipient rows)."""
    return render_template("awards/decision_form.html", form=form, decision=decision,
                           batch=batch), status


@bp.route("/awards/decisions/new", methods=["GET", "POST"])
@requires(can_use_registry)
def new_decision():
    """Record a whole decision and its recipients at once, all or nothing."""
    catalog = catalog_for()
    form = NewDecisionForm()
    if request.method == "POST" and form.add_rows.data:
        form.add_empty_rows()
        fill_decision_form(form, catalog)
        return render_decision_form(form, None)
    fill_decision_form(form, catalog)
    if request.method == "GET":
        form.year.data = str(records.today().year)
        if len(catalog.organizations) == 1:
            form.organization.data = catalog.organizations[0].slug
        return render_decision_form(form, None)
    if form.fill_rows.data:
        fill_pasted_rows(form, catalog)
        return render_decision_form(form, None)
    batch = read_batch(form, catalog)
    if form.fill_amounts.data:
        fill_suggested_amounts(form, batch)
        return render_decision_form(form, None, batch)
    if not batch.ok or form.check_rules.data:
        return render_decision_form(form, None, batch, 422 if not batch.ok else 200)
    decision = save_batch(form, batch)
    flash(_("Đã ghi quyết định %(number)s với %(n)s người được khen.",
            number=decision.number, n=len(batch.rows)), "success")
    warned = sum(1 for found in batch.warnings if found)
    if warned:
        flash(_("%(n)s dòng được ghi dù có cảnh báo; cảnh báo và ghi chú được giữ trong lịch "
                "sử từng khen thưởng.", n=warned), "warning")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)


def fill_pasted_rows(form: NewDecisionForm, catalog: Catalog) -> None:
    """Put rows pasted from Excel into the empty rows (adding rows), keeping typed ones."""
    pasted = parse_pasted(form.paste.data or "")
    empty = [entry.form for entry in form.recipients if entry.form.is_blank()]
    for fields in pasted:
        if not empty:
            if len(form.recipients.entries) >= MAX_ROWS:
                break
            form.recipients.append_entry()
            row = form.recipients.entries[-1].form
            catalog.fill(row, _("— như trên —"), _("— như trên —"))
        else:
            row = empty.pop(0)
        for name, value in fields.items():
            row[name].data = value
    form.paste.data = ""
    flash(_("Đã điền %(n)s dòng từ danh sách dán vào. Kiểm tra lại rồi bấm lưu.",
            n=len(pasted)), "info")


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
    base = records.check_decision(read_decision_fields(form))
    defaults = {
        "organization": chosen(base, "organization", form.organization.data,
                               catalog.organization, None),
        "kind": chosen(base, "kind", form.kind.data, catalog.kind, None),
        "year": parsed(base, "year", parse_year, form.year.data),
        "achievement": form.achievement.data or "",
        "amount": parsed(base, "amount", parse_amount, form.amount.data),
    }
    batch = Batch(base=base, post=form.linked_post(current_user))
    if base.decision_number and base.decision_date:
        batch.existing = records.matching_decision(base)
    if batch.existing is not None:
        base.error("decision_number", _("Quyết định này đã có trong sổ. Hãy thêm người vào "
                                        "quyết định đã có thay vì ghi lại."))
    show_errors(form, base.errors)
    for entry in form.recipients:
        if not entry.form.is_blank():
            batch.rows.append(read_row(entry.form, base, catalog, defaults))
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


def read_row(row, base: records.AwardValues, catalog: Catalog,
             defaults: dict) -> records.AwardValues:
    """One recipient row: the decision's fields, the row's own, checked; errors on the row."""
    values = replace(base, errors={}, warnings=[])
    read_recipient(row, values, catalog, defaults)
    records.check(values)
    for key in DECISION_KEYS:
        # The decision's own problems are shown once, at the top; what is left is this
        # row's (a year the decision cannot commend).
        row_only = [m for m in values.errors.pop(key, []) if m not in base.errors.get(key, [])]
        if row_only:
            values.errors.setdefault("year", []).extend(row_only)
    for key in ("organization", "kind", "year", "amount"):
        if base.errors.get(key) and not row[key].data:
            values.errors.pop(key, None)
    show_errors(row, values.errors)
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
        signer=base.signer, created_by_id=current_user.id, **decision_extras(form, batch.post))
    db.session.add(decision)
    for values, warnings in zip(batch.rows, batch.warnings or [[]] * len(batch.rows),
                                strict=True):
        award = records.create_award(values, decision=decision)
        rules.record_warnings(award, warnings, form.note.data or "")
    db.session.flush()
    audit.record("decision.create", "decision", decision.id,
                 f"{decision.number} ({format_date(decision.signed_on)}): "
                 f"{len(batch.rows)} người")
    db.session.commit()
    return decision


@bp.get("/awards/decisions/")
@requires(can_use_registry)
def decision_list():
    """The decisions in the registry, newest first, with how many they commend."""
    allowed = allowed_ids()
    stmt = db.select(Decision)
    if allowed is not None:
        stmt = stmt.where(or_(Decision.awards.any(Award.organization_id.in_(sorted(allowed))),
                              Decision.created_by_id == current_user.id))
    number = page_number()
    rows = list(db.session.scalars(
        stmt.order_by(Decision.signed_on.desc(), Decision.id.desc())
        .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    if not rows and number > 1:
        abort(404)
    page = rows[:PAGE_SIZE]
    return render_template("awards/decisions.html", decisions=page, number=number,
                           has_next=len(rows) > PAGE_SIZE,
                           counts=queries.decision_counts([d.id for d in page], allowed))


@bp.get("/awards/decisions/<int:decision_id>")
@requires(can_use_registry)
def decision_detail(decision_id: int):
    """A decision: its fields, its recipients (collectives first) with totals, its post."""
    return render_decision_page(load_decision(decision_id), VoidForm())


def render_decision_page(decision: Decision, void_form: VoidForm, status: int = 200):
    """Show a decision's page."""
    awards = annex_order(visible_awards(decision))
    live = [a for a in awards if not a.is_voided]
    return render_template(
        "awards/decision.html", decision=decision, awards=awards,
        hidden=len(decision.awards) - len(awards), count=len(live),
        amount=sum(a.amount or 0 for a in live), labels=RECIPIENT_LABELS,
        post=readable_post(decision), can_edit=can_edit(decision), scan_form=ScanForm(),
        void_form=void_form,
        signing=SIGNING_LABELS, decision_types=DECISION_TYPE_LABELS), status


def readable_post(decision: Decision) -> Post | None:
    """The decision's post, when the account may read it (a draft's title stays hidden)."""
    post = db.session.get(Post, decision.post_id) if decision.post_id else None
    return post if post is not None and can_view_post(current_user, post) else None


@bp.post("/awards/decisions/<int:decision_id>/void")
@requires(can_use_registry)
def void_decision(decision_id: int):
    """Void every live award of a decision with one reason (all of them must be yours)."""
    decision = load_decision(decision_id, for_edit=True)
    form = VoidForm()
    if not form.validate():
        return render_decision_page(decision, form, 422)
    live = [a for a in decision.awards if not a.is_voided]
    for award in live:
        records.void_award(award, form.reason.data)
    audit.record("decision.void", "decision", decision.id,
                 f"{decision.number}: {len(live)} – {form.reason.data}")
    db.session.commit()
    flash(_("Đã hủy %(n)s khen thưởng của quyết định. Các dòng vẫn được giữ trong sổ.",
            n=len(live)), "success")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)


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


def decision_data(decision: Decision) -> SimpleNamespace:
    """A decision as its form shows it."""
    return SimpleNamespace(
        decision_number=decision.number, decision_date=decision.signed_on.strftime("%d/%m/%Y"),
        issuer=decision.issuer, signer=decision.signer, signer_title=decision.signer_title,
        subject=decision.subject, is_public=decision.is_public,
        signing_mode=decision.signing_mode, decision_type=decision.decision_type,
        campaign=decision.campaign, legal_grounds=decision.legal_grounds,
        post=str(decision.post_id) if decision.post_id else "")


@bp.route("/awards/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@requires(can_use_registry)
def edit_decision(decision_id: int):
    """Correct a decision's own fields and its public flag; its awards' history notes it."""
    decision = load_decision(decision_id, for_edit=True)
    form = DecisionForm(obj=None if request.method == "POST" else decision_data(decision))
    if request.method == "GET":
        return render_decision_form(form, decision)
    form_ok = form.validate()
    values = check_decision_edit(form, decision)
    post = form.linked_post(current_user)
    if not form_ok or values.errors or form.post.errors:
        return render_decision_form(form, decision, status=422)
    changed = records.update_decision(decision, values, **decision_extras(form, post))
    if changed:
        audit.record("decision.update", "decision", decision.id,
                     f"{decision.number}: {', '.join(changed)}")
        db.session.commit()
        flash(_("Đã lưu thay đổi của quyết định."), "success")
    else:
        flash(_("Không có gì thay đổi."), "info")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)


def check_decision_edit(form: DecisionForm, decision: Decision) -> records.AwardValues:
    """The corrected fields, checked against the decision's awards and the registry."""
    values = records.check_decision(read_decision_fields(form))
    latest = max((a.year for a in decision.awards), default=None)
    if values.decision_date and latest and values.decision_date.year < latest:
        values.error("decision_date",
                     records.year_after_decision_message(values.decision_date, latest))
    if values.decision_number and values.decision_date \
            and records.matching_decision(values, exclude_id=decision.id) is not None:
        values.error("decision_number", _("Đã có quyết định khác cùng số, ngày và cơ quan."))
    show_errors(form, values.errors)
    return values

"""The registry (sổ theo dõi thi đua, khen thưởng): list, record, correct and void awards.

Every view needs a secretary or an admin (`can_use_registry`); a secretary made with --org
sees and manages only the awards of those organizations and their branches.
"""

from math import ceil
from types import SimpleNamespace
from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from bulletin import audit
from bulletin.awards import bp, issuers, listcache, queries, records, rules
from bulletin.awards.catalog import Catalog
from bulletin.awards.forms import AwardForm, FilterForm, VoidBatchForm, VoidForm, offer_levels
from bulletin.awards.history import history_rows
from bulletin.awards.labels import RECIPIENT_LABELS, SEX_LABELS
from bulletin.awards.listing import list_rows
from bulletin.awards.queries import PAGE_SIZE
from bulletin.awards.reading import form_readers, form_values, read_values, show_errors
from bulletin.awards.scope import (
    allowed_ids,
    catalog_for,
    load_award,
    manageable_organizations,
    may_void_batch,
    visible_awards,
)
from bulletin.extensions import db
from bulletin.models import Award, AwardKind, Decision, ImportBatch
from bulletin.pagination import page_number
from bulletin.permissions import (
    can_use_registry,
    requires,
)
from bulletin.security import MAX_ID, parse_int

# --- The list ---------------------------------------------------------------------------

def filter_form(allowed: set[int] | None, formdata: MultiDict) -> FilterForm:
    """The filter form, filled from the address (or `formdata`), with its choices."""
    form = FilterForm(formdata=formdata)
    form.year.choices = year_choices(allowed)
    form.org.set_options(manageable_organizations(), _("— Tất cả —"))
    kinds = db.session.scalars(db.select(AwardKind).order_by(AwardKind.position, AwardKind.id))
    form.kind.set_options(list(kinds), _("— Tất cả —"))
    return form


def year_choices(allowed: set[int] | None) -> list:
    """The years select: every year that has awards, newest first."""
    return [SelectChoice("", _("— Tất cả —")),
            *(SelectChoice(str(y), str(y)) for y in queries.years(allowed))]


@bp.get("/awards/")
@requires(can_use_registry)
def index():
    """The registry: filtered, newest year first then Vietnamese name order, with totals."""
    allowed = allowed_ids()
    key, version = listcache.key(allowed), listcache.version()
    body = listcache.get(key, version)
    if body is None:
        body = render_registry(allowed, queries.read_filters(request), request.args)
        listcache.put(key, version, body)
    batch = parse_int(request.args.get("batch"), high=MAX_ID)
    # The undo form (and its CSRF token) only where an import's rows are shown.
    return render_list(body, batch, VoidBatchForm() if batch is not None else None)


def render_list(body: str, batch_id: int | None, batch_form: VoidBatchForm | None,
                status=200):
    """The list page around its (kept) body, with the undo form of the import it shows.

    The form carries the account's CSRF token, so it stays outside the shared body.
    """
    batch = db.session.get(ImportBatch, batch_id) if batch_id is not None else None
    live = queries.batch_live_count(batch.id) if batch and may_void_batch(batch.id) else 0
    # Our own template's output, escaped as it was rendered.
    return render_template("awards/list.html", body=Markup(body),  # noqa: S704
                           batch=batch, batch_live=live, batch_form=batch_form), status


def render_registry(allowed: set[int] | None, filters: queries.AwardFilters,
                    formdata: MultiDict) -> str:
    """The list's body: filters, totals, a page of rows and the pager (404 past the end)."""
    stmt = queries.filtered(filters, allowed)
    summary = queries.summarize(stmt)
    pages = max(1, ceil(summary.rows / PAGE_SIZE))
    number = page_number()
    if number > pages:
        abort(404)
    first_row = (number - 1) * PAGE_SIZE
    rows = list_rows(queries.registry_rows(stmt, number, PAGE_SIZE, filters.q), first_row,
                     current_app.jinja_env)
    args = filters.args()
    return render_template(
        "awards/_registry.html", awards=rows, summary=summary,
        form=filter_form(allowed, formdata), filters=filters, args=args, number=number,
        pages=pages, export_query=urlencode(args), first_row=first_row,
        labels={key: str(label) for key, label in RECIPIENT_LABELS.items()})


@bp.post("/awards/batches/<int:batch_id>/void")
@requires(can_use_registry)
def void_batch(batch_id: int):
    """Void every live award an import wrote, with one reason: a mistaken file undone.

    Refused whole when the import holds an award of an organization the account does not
    manage; nothing is deleted, each award keeps its history.
    """
    batch = db.get_or_404(ImportBatch, batch_id)
    listed = url_for(".index", batch=batch.id)
    if not may_void_batch(batch.id):
        flash(_("Lần nhập này có khen thưởng của tổ chức mà bạn không quản lý, nên không hủy "
                "được cả lần nhập. Hãy hủy từng khen thưởng của tổ chức mình."), "error")
        return redirect(listed, code=303)
    form = VoidBatchForm()
    if not form.validate():
        filters = queries.AwardFilters(batch=batch.id)
        body = render_registry(allowed_ids(), filters, MultiDict(filters.args()))
        return render_list(body, batch.id, form, 422)
    live = queries.batch_live_ids(batch.id)
    voided = records.void_many(live, form.reason.data)
    audit.record("award.void_batch", "import_batch", batch.id,
                 f"{batch.file_name} ({voided}): {form.reason.data}")
    db.session.commit()
    flash(_("Đã hủy %(n)s khen thưởng của lần nhập số %(b)s. Các dòng vẫn được giữ trong sổ.",
            n=voided, b=batch.id), "success")
    return redirect(listed, code=303)


# --- One award --------------------------------------------------------------------------

def read_award(form: AwardForm, catalog: Catalog) -> records.AwardValues:
    """The award the form describes, checked by the registry's rules."""
    return read_values(form_values(form), form_readers(catalog))


def award_data(award: Award) -> SimpleNamespace:
    """An award as the form shows it (dates dd/mm/yyyy, money 300.000)."""
    decision = award.decision
    return SimpleNamespace(
        recipient_type=award.recipient_type, recipient_name=award.recipient_name,
        recipient_title=award.recipient_title, organization=award.organization.slug,
        kind=award.kind.slug, year=str(award.year), achievement=award.achievement,
        amount="" if award.amount is None else format_money(award.amount),
        decision_number=decision.number, decision_date=decision.signed_on.strftime("%d/%m/%Y"),
        issuer=decision.issuer, issuer_level=issuers.level_of(decision), signer=decision.signer,
        confirm_duplicate=False, initiative=award.initiative, note="",
        birth_year="" if award.birth_year is None else str(award.birth_year),
        sex=award.sex or "", ethnicity=award.ethnicity or "")


def format_money(amount: int) -> str:
    """300000 → "300.000" (the way the registry's users write money)."""
    return f"{amount:,}".replace(",", ".")


def prefill(form: AwardForm, catalog: Catalog) -> None:
    """A new award's starting values: this year, the only organization, a chosen decision."""
    form.year.data = str(records.today().year)
    if len(catalog.organizations) == 1:
        form.organization.data = catalog.organizations[0].slug
    raw = request.args.get("decision", "")
    decision_id = parse_int(raw, high=MAX_ID)
    decision = db.session.get(Decision, decision_id) if decision_id is not None else None
    if decision is not None and (allowed_ids() is None or visible_awards(decision)):
        form.decision_number.data = decision.number
        form.decision_date.data = decision.signed_on.strftime("%d/%m/%Y")
        form.issuer.data = decision.issuer
        form.issuer_level.data = issuers.level_of(decision)
        form.signer.data = decision.signer
    offer_levels(form)


def render_award_form(form: AwardForm, award: Award | None, duplicates=(), status=200,
                      checked: records.AwardValues | None = None):
    """Show the award form (with the probable duplicates, and the rules' verdict if checked)."""
    warnings = rules.warnings_for(checked) if checked is not None else None
    suggestion = rules.suggested_amount(checked.kind, checked.recipient_type,
                                        checked.decision_date) if checked else None
    return render_template("awards/form.html", form=form, award=award,
                           duplicates=duplicates, labels=RECIPIENT_LABELS,
                           warnings=warnings, suggestion=suggestion), status


def flash_warnings(warnings: list[rules.RuleWarning]) -> None:
    """Tell that the award was saved although it breaks these rules."""
    for warning in warnings:
        flash(_("Đã lưu dù có cảnh báo – %(w)s", w=str(warning)), "warning")


def checked_values(form: AwardForm, catalog: Catalog, award: Award | None):
    """Return (values, duplicates) when the form may be saved, else (None, duplicates)."""
    form_ok = form.validate()
    values = read_award(form, catalog)
    show_errors(form, values.errors)
    offer_levels(form)
    if not form.issuer_level.data and "issuer_level" not in values.errors:
        form.issuer_level.data = values.issuer_level  # what the typed issuer reads as
    if not form_ok or values.errors:
        return None, []
    duplicates = records.probable_duplicates(values, exclude_id=award.id if award else None)
    if duplicates and not form.confirm_duplicate.data:
        form.confirm_duplicate.errors = [
            _("Có thể đã ghi rồi: đánh dấu “Vẫn ghi” nếu đây đúng là một lần khen khác.")]
        return None, duplicates
    return values, duplicates


@bp.route("/awards/new", methods=["GET", "POST"])
@requires(can_use_registry)
def new():
    """Record one award (its decision is found by number, date and issuer, or made)."""
    catalog = catalog_for()
    form = AwardForm()
    catalog.fill(form, _("— Chọn tổ chức —"), _("— Chọn hình thức —"))
    if request.method == "GET":
        prefill(form, catalog)
        return render_award_form(form, None)
    values, duplicates = checked_values(form, catalog, None)
    if values is None:
        return render_award_form(form, None, duplicates, 422)
    if form.check_rules.data:
        return render_award_form(form, None, duplicates, checked=values)
    warnings = rules.warnings_for(values)
    award = records.create_award(values, warnings=warnings, note=form.note.data or "")
    flash_warnings(warnings)
    db.session.flush()
    audit.record("award.create", "award", award.id, _describe(award))
    db.session.commit()
    flash(_("Đã ghi vào sổ: %(name)s.", name=award.recipient_name), "success")
    return redirect(url_for(".detail", award_id=award.id), code=303)


def _describe(award: Award) -> str:
    """One line naming an award, for the audit log."""
    return f"{award.recipient_name} – {award.kind.name} {award.year} ({award.decision.number})"


@bp.get("/awards/<int:award_id>")
@requires(can_use_registry)
def detail(award_id: int):
    """An award with its decision and its full history."""
    award = load_award(award_id)
    return render_detail(award, VoidForm())


def render_detail(award: Award, void_form: VoidForm, status: int = 200):
    """Show an award's page."""
    return render_template("awards/detail.html", award=award, void_form=void_form,
                           history=history_rows(award), labels=RECIPIENT_LABELS,
                           sexes=SEX_LABELS, issuer_level=issuers.level_label(award.decision)
                           ), status


@bp.route("/awards/<int:award_id>/edit", methods=["GET", "POST"])
@requires(can_use_registry)
def edit(award_id: int):
    """Correct an award; what changed is kept in its history."""
    award = load_award(award_id)
    if award.is_voided:
        flash(_("Khen thưởng này đã hủy nên không sửa được."), "warning")
        return redirect(url_for(".detail", award_id=award.id), code=303)
    catalog = catalog_for(award)
    form = AwardForm(obj=None if request.method == "POST" else award_data(award))
    catalog.fill(form, _("— Chọn tổ chức —"), _("— Chọn hình thức —"))
    if request.method == "GET":
        offer_levels(form)
        return render_award_form(form, award)
    values, duplicates = checked_values(form, catalog, award)
    if values is None:
        return render_award_form(form, award, duplicates, 422)
    if form.check_rules.data:
        return render_award_form(form, award, duplicates, checked=values)
    entries_before = len(award.history)
    changes = records.update_award(award, values)
    if changes or form.note.data:
        # Checked on the corrected award: a changed kind or year is what the rules judge.
        warnings = rules.warnings_for(values)
        records.record_verdict(award, warnings, form.note.data or "", entries_before)
        flash_warnings(warnings)
        audit.record("award.update", "award", award.id,
                     f"{_describe(award)}: {', '.join(changes)}")
        db.session.commit()
        flash(_("Đã lưu thay đổi."), "success")
    else:
        flash(_("Không có gì thay đổi."), "info")
    return redirect(url_for(".detail", award_id=award.id), code=303)


@bp.post("/awards/<int:award_id>/void")
@requires(can_use_registry)
def void(award_id: int):
    """Void an award with a reason: it stays in the registry, struck through."""
    award = load_award(award_id)
    if award.is_voided:
        flash(_("Khen thưởng này đã hủy trước đó."), "info")
        return redirect(url_for(".detail", award_id=award.id), code=303)
    form = VoidForm()
    if not form.validate():
        return render_detail(award, form, 422)
    records.void_award(award, form.reason.data)
    audit.record("award.void", "award", award.id, f"{_describe(award)}: {award.void_reason}")
    db.session.commit()
    flash(_("Đã hủy khen thưởng. Bản ghi vẫn được giữ trong sổ."), "success")
    return redirect(url_for(".detail", award_id=award.id), code=303)


@bp.get("/awards/recipient")
@requires(can_use_registry)
def recipient():
    """Everything one person, collective or household ever received, year by year."""
    kind = request.args.get("type", "")
    name = request.args.get("name", "")[:200].replace("\x00", "")
    born = parse_int(request.args.get("born"), 1000, 9999)
    awards = queries.recipient_awards(kind, name, allowed_ids(), born)
    # Namesakes born in different years are different people: offer each year on its own.
    births = [] if born is not None else sorted({a.birth_year for a in awards if a.birth_year})
    years: dict[int, list[Award]] = {}
    for award in awards:
        years.setdefault(award.year, []).append(award)
    spellings = sorted({a.recipient_name for a in awards})
    live = [a for a in awards if not a.is_voided]
    return render_template("awards/recipient.html", name=name, recipient_type=kind,
                           born=born, births=births if len(births) > 1 else [],
                           years=years, spellings=spellings, labels=RECIPIENT_LABELS,
                           count=len(live), amount=sum(a.amount or 0 for a in live))

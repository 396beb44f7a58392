"""The registry's spreadsheets: export to .xlsx and .csv, import from .xlsx with a dry run."""

import time

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from bulletin import audit
from bulletin.awards import aliases, bp, spreadsheets
from bulletin.awards.importing import dryrun, keeping, legacy, progress, writing
from bulletin.awards.importing.rows import DUPLICATE
from bulletin.awards.importing.workbook import (
    LABELS,
    LEGACY_FIELDS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
)
from bulletin.awards.queries import filtered, in_registry_order, read_filters
from bulletin.awards.scope import manageable_organizations, offered_kinds
from bulletin.extensions import db
from bulletin.forms import BaseForm, clean_text
from bulletin.models import ImportBatch
from bulletin.permissions import can_use_registry, registry_org_ids, requires
from bulletin.security import MAX_ID, parse_int
from bulletin.uploads import content_disposition, safe_filename

NOTE_LENGTH = 2000


class ImportForm(BaseForm):
    """Upload a workbook for a dry run."""

    file = FileField(_l("Tệp Excel (.xlsx, .xls) hoặc .ods"),
                     validators=[FileRequired(_l("Hãy chọn tệp Excel (.xlsx) cần nhập."))])


class ConfirmImportForm(BaseForm):
    """Confirm the import of the workbook a dry run showed."""

    token = HiddenField(validators=[DataRequired()])
    # Cut to NOTE_LENGTH rather than refused: a refused confirm would read as a lost session.
    note = TextAreaField(_l("Ghi chú cho các dòng có cảnh báo"),
                         filters=[clean_text, lambda text: (text or "")[:NOTE_LENGTH]])


def _export_query():
    """The registry as the list shows it (same filters), within the user's organizations."""
    filters = read_filters(request)
    stmt = in_registry_order(filtered(filters, registry_org_ids(current_user)))
    return filters, stmt


def _download(response: Response, filters, extension: str) -> Response:
    """Name the download (Vietnamese name, ASCII fallback) and keep it out of caches."""
    name, ascii_name = spreadsheets.file_names(filters, extension)
    response.headers["Content-Disposition"] = content_disposition(name, ascii_name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _record_export(filters, extension: str) -> None:
    """Note who took a copy of the registry (names and amounts leave the server)."""
    audit.record("award.export", "award", None,
                 f"{extension}: {spreadsheets.describe_filters(filters)}")
    db.session.commit()


@bp.get("/awards/export.xlsx")
@requires(can_use_registry)
def export_xlsx():
    """Download the filtered registry as an Excel workbook, streamed while it is written."""
    filters, stmt = _export_query()
    _record_export(filters, "xlsx")
    body = stream_with_context(spreadsheets.stream_xlsx(stmt, filters, current_user.username))
    return _download(Response(body, mimetype=spreadsheets.XLSX_MIMETYPE), filters, "xlsx")


@bp.get("/awards/export.csv")
@requires(can_use_registry)
def export_csv():
    """Download the filtered registry as CSV (UTF-8 with BOM), streamed."""
    filters, stmt = _export_query()
    separator = spreadsheets.CSV_SEPARATORS.get(request.args.get("sep", ""), ",")
    _record_export(filters, "csv")
    body = stream_with_context(spreadsheets.stream_csv(stmt, separator))
    return _download(Response(body, mimetype=spreadsheets.CSV_MIMETYPE), filters, "csv")


@bp.get("/awards/import/template.xlsx")
@requires(can_use_registry)
def import_template():
    """Download the import template: the export's columns, drop-down lists, instructions."""
    orgs = [org.name for org in manageable_organizations() if not org.is_archived]
    kinds = [kind.name for kind in offered_kinds()]
    response = send_file(spreadsheets.write_template(orgs, kinds),
                         mimetype=spreadsheets.XLSX_MIMETYPE, as_attachment=True,
                         download_name="mau-nhap-so-khen-thuong.xlsx", conditional=False,
                         etag=False, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        "Mẫu nhập sổ khen thưởng.xlsx", "mau-nhap-so-khen-thuong.xlsx")
    return response


def _upload_page(form: ImportForm, status: int = 200, message: str | None = None):
    """The upload form, with a message about the last attempt if any, and the last import."""
    raw = request.args.get("batch", "")
    batch_id = parse_int(raw, high=MAX_ID)
    batch = db.session.get(ImportBatch, batch_id) if batch_id is not None else None
    if batch is not None and batch.user_id != current_user.id:
        batch = None
    return render_template("awards/import.html", form=form, message=message, batch=batch,
                           columns=spreadsheets.COLUMNS), status


def _preview(result: dryrun.DryRun, file_name: str, token: str | None, status: int,
             message: str | None = None):
    """The dry run: every row and its fate; the confirm button only for a clean file."""
    confirm = ConfirmImportForm(token=token) if token else None
    return render_template("awards/import_preview.html", result=result, file_name=file_name,
                           confirm=confirm, form=ImportForm(formdata=None), labels=LABELS,
                           encodings=legacy.NAMES, keep=_keep_choices(), message=message,
                           mapping=_mapping_offer(result) if token else None), status


def _mapping_offer(result: dryrun.DryRun) -> list[dict]:
    """The unknown words of a dry run, each with what it may be mapped to (once for all rows)."""
    if not result.unknown:
        return []
    choices = {"organization": [(o.slug, o.name) for o in manageable_organizations()
                                if not o.is_archived],
               "kind": [(k.slug, k.name) for k in offered_kinds()]}
    return [{"field": field, "key": key, "text": text, "rows": rows,
             "name": f"map:{field}:{key}", "choices": choices[field]}
            for (field, key), (text, rows) in sorted(result.unknown.items())
            if field in choices]


def _save_mappings() -> int:
    """Remember the words the secretary mapped ("map:<field>:<word>" = slug); return how many.

    Only what the account may choose is kept: a kind offered, an organization it manages.
    """
    offered = {"organization": {o.slug for o in manageable_organizations()},
               "kind": {k.slug for k in offered_kinds()}}
    saved = 0
    for name, slug in request.form.items():
        field, _sep, key = name.removeprefix("map:").partition(":")
        if not name.startswith("map:") or field not in aliases.MAPPED_FIELDS or not key \
                or len(key) > 200 or slug not in offered[field]:
            continue
        aliases.remember(field, key, slug, current_user)
        audit.record("import.mapping", "import_mapping", None, f"{field}: {key} → {slug}")
        saved += 1
    if saved:
        db.session.commit()
    return saved


def _as_typed_choices() -> frozenset[str]:
    """The columns whose legacy-font cells the secretary chose to leave as typed."""
    if request.method != "POST":
        return frozenset()
    return frozenset(request.form.getlist("as_typed")) & set(LEGACY_FIELDS)


def _keep_choices() -> dict[int, str]:
    """The duplicates the secretary chose to import anyway ("Vẫn nhập"), with their reason."""
    if request.method != "POST":
        return {}
    chosen = {}
    for raw in request.form.getlist("keep")[:MAX_ROWS]:
        row = parse_int(raw, high=MAX_ID)
        if row is not None:
            chosen[row] = request.form.get(f"reason-{raw}", "")[:500].strip()
    return chosen


@bp.route("/awards/import", methods=["GET", "POST"])
@requires(can_use_registry)
def import_upload():
    """Upload a workbook and show its dry run; nothing is written here."""
    form = ImportForm()
    if request.method == "GET":
        return _upload_page(form)
    if not form.validate_on_submit():
        return _upload_page(form, 422)
    progress.begin(request.form.get("progress"), current_user.id)
    try:
        return _dry_run_page(form)
    finally:
        progress.end()


def _dry_run_page(form: ImportForm):
    """Read and check the uploaded workbook; keep it when there is something to confirm."""
    upload = form.file.data
    data = upload.read(MAX_FILE_BYTES + 1)
    upload.close()  # a large upload is spooled to a temporary file: free it now
    file_name = safe_filename(upload.filename, "tệp.xlsx")
    try:
        result = dryrun.dry_run(data, current_user)
    except ImportFileError as error:
        return _upload_page(form, 422, str(error))
    if result.blocked:
        # Words to map once for every row: the file is kept for the check after mapping.
        token = keeping.keep_file(data, current_user, file_name, result.sheet) \
            if result.unknown else None
        return _preview(result, file_name, token, 422)
    waiting = result.to_write or result.counts[DUPLICATE]
    token = keeping.keep_file(data, current_user, file_name, result.sheet) if waiting else None
    return _preview(result, file_name, token, 200)


@bp.post("/awards/import/confirm")
@requires(can_use_registry)
def import_confirm():
    """Check the kept workbook again and write it, all or nothing; then show the summary."""
    started = time.perf_counter()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _upload_page(ImportForm(formdata=None), 400,
                            _("Phiên nhập không hợp lệ. Hãy tải tệp lên lại."))
    progress.begin(request.form.get("progress"), current_user.id)
    try:
        return _confirmed(form, started)
    finally:
        progress.end()


def _confirmed(form: ConfirmImportForm, started: float):
    """The confirm once its form is valid: check again, then write or show why not."""
    keep, as_typed = _keep_choices(), _as_typed_choices()
    try:
        kept = keeping.load_token(form.token.data, current_user)
        if request.form.get("recheck"):
            return _check_again(kept, form.token.data)
        if not all(keep.values()):
            return _ask_reasons(kept, form.token.data)
        claimed, data = keeping.claim(kept)
    except ImportFileError as error:
        return _upload_page(ImportForm(formdata=None), 409, str(error))
    try:
        # The rows as the dry run read them (the file is read again without them); every
        # rule and duplicate check runs again against the registry as it is now.
        result = dryrun.dry_run(data, current_user, keep, as_typed,
                                sheet=keeping.kept_sheet(kept, as_typed))
        if result.blocked:
            return _preview(result, kept.original_name, None, 422)
        summary = writing.commit(result, current_user, kept.original_name, started,
                                 note=form.note.data or "")
    except ImportFileError as error:
        return _upload_page(ImportForm(formdata=None), 422, str(error))
    except Exception:
        # Not the file's fault (the database, say): let the secretary confirm again.
        keeping.release(kept, claimed)
        raise
    finally:
        claimed.unlink(missing_ok=True)
        if not kept.path.exists():  # imported, or refused for good: not put back
            keeping.forget_sheet(kept)
    flash(summary.describe(), "success")
    return redirect(url_for("awards.import_upload", batch=summary.batch_id), code=303)


@bp.get("/awards/import/progress/<progress_id>")
@requires(can_use_registry)
def import_progress(progress_id: str):
    """How far the account's dry run or confirm under this id has got (JSON), for its page."""
    found = progress.read(progress_id, current_user.id)
    if found is None:
        abort(404)
    response = jsonify(found)
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_again(kept: keeping.KeptFile, token: str):
    """The dry run again with the secretary's choice of columns left as typed and the words
    she mapped (remembered for later imports); no award written."""
    _save_mappings()
    as_typed = _as_typed_choices()
    result = dryrun.dry_run(keeping.read_kept(kept), current_user, as_typed=as_typed,
                            sheet=keeping.kept_sheet(kept, as_typed))
    if result.blocked:
        return _preview(result, kept.original_name, token if result.unknown else None, 422)
    return _preview(result, kept.original_name, token, 200)


def _ask_reasons(kept: keeping.KeptFile, token: str):
    """A duplicate ticked "Vẫn nhập" without a reason: show the dry run again, nothing written."""
    as_typed = _as_typed_choices()
    result = dryrun.dry_run(keeping.read_kept(kept), current_user, as_typed=as_typed,
                            sheet=keeping.kept_sheet(kept, as_typed))
    return _preview(result, kept.original_name, token, 422,
                    _("Hãy ghi lý do cho mỗi dòng trùng được đánh dấu “Vẫn nhập”. Chưa có gì "
                      "được ghi."))

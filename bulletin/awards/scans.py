"""The scanned paper decision: upload it to a decision, download it again."""

from flask import abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _

from bulletin import audit
from bulletin.awards import bp
from bulletin.awards.forms import ScanForm
from bulletin.awards.scope import load_decision
from bulletin.extensions import db
from bulletin.permissions import can_use_registry, requires
from bulletin.uploads import (
    JPEG,
    PDF,
    PNG,
    StoredFile,
    UploadError,
    UploadRefused,
    accept_upload,
    attachment_path,
    content_disposition,
    store_attachment,
)

SCAN_TYPES = {PDF[0], JPEG[0], PNG[0]}


def store_scan(data: bytes) -> StoredFile:
    """Keep a scan: a PDF, JPG or PNG by its content (pictures re-encoded without metadata)."""
    stored = store_attachment(data)
    if stored.mime_type not in SCAN_TYPES:
        attachment_path(stored.stored_name).unlink(missing_ok=True)
        raise UploadError("not a scan")
    return stored


@bp.post("/awards/decisions/<int:decision_id>/scan")
@requires(can_use_registry)
def upload_scan(decision_id: int):
    """Keep the scan of a decision (replacing an earlier one, which stays on disk)."""
    decision = load_decision(decision_id, for_edit=True)
    form = ScanForm()
    back = redirect(url_for(".decision_detail", decision_id=decision.id), code=303)
    upload_file = form.scan.data if form.validate_on_submit() else None
    if not getattr(upload_file, "filename", ""):
        flash(_("Hãy chọn tệp bản chụp quyết định."), "error")
        return back
    try:
        name, stored = accept_upload(upload_file, "quyet-dinh.pdf",
                                     current_app.config["MAX_ATTACHMENT_BYTES"], store_scan)
    except UploadRefused as refused:
        flash(_("Tệp “%(name)s” không được nhận: bản chụp phải là PDF, JPG hoặc PNG, tối đa "
                "30 MB.", name=refused.name), "error")
        return back
    decision.scan_name, decision.scan_stored_name = name, stored.stored_name
    audit.record("decision.update", "decision", decision.id, f"{decision.number}: scan {name}")
    db.session.commit()
    flash(_("Đã lưu bản chụp quyết định."), "success")
    return back


@bp.get("/awards/decisions/<int:decision_id>/scan")
@requires(can_use_registry)
def download_scan(decision_id: int):
    """Send the scan of a decision to the staff who may see it."""
    decision = load_decision(decision_id)
    path = attachment_path(decision.scan_stored_name) if decision.scan_stored_name else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, max_age=0, conditional=True)
    response.headers["Content-Disposition"] = content_disposition(decision.scan_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response

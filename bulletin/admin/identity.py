"""Admin page for the site's identity (names, logo, footer) and the logo it serves."""

import re

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from bulletin import audit, site
from bulletin.admin import bp
from bulletin.admin.forms import SiteForm
from bulletin.extensions import db
from bulletin.permissions import can_manage_structure, requires
from bulletin.uploads import UploadError

LOGO_KEY_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_LOGO_BYTES = 2 * 1024 * 1024
YEAR = 365 * 24 * 3600


@bp.route("/admin/site", methods=["GET", "POST"])
@requires(can_manage_structure)
def site_settings():
    """Edit the commune's and the committee's names, the logo and the footer lines."""
    row = site.settings_row()
    form = SiteForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        new_logo = accept_logo(form)
        if not form.logo.errors:
            apply_settings(form, row, new_logo)
            flash(_("Đã lưu thông tin của trang."), "success")
            return redirect(url_for(".site_settings"), code=303)
    db.session.rollback()
    status = 422 if request.method == "POST" else 200
    return render_template("admin/site.html", form=form, identity=site.load()), status


def accept_logo(form: SiteForm) -> str | None:
    """Store an uploaded logo (checked by content, re-encoded); None when none was sent."""
    upload = form.logo.data
    if not getattr(upload, "filename", ""):
        return None
    data = upload.stream.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        form.logo.errors.append(_("Biểu trưng quá lớn (tối đa 2 MB)."))
        return None
    try:
        return site.store_logo(data)
    except UploadError:
        form.logo.errors.append(_("Tệp này không phải ảnh đọc được (hãy dùng PNG hoặc JPG)."))
    except OSError:
        current_app.logger.exception("cannot store the logo")
        form.logo.errors.append(_("Không ghi được tệp vào thư mục tải lên (đầy đĩa hoặc "
                                  "không có quyền ghi). Chưa có gì thay đổi."))
    return None


def apply_settings(form: SiteForm, row, new_logo: str | None) -> None:
    """Save the form; the old logo file goes only after the new row is committed."""
    old_logo = row.logo_key
    row.locality_name = form.locality_name.data or ""
    row.committee_name = form.committee_name.data or ""
    row.footer_text = form.footer_text.data or ""
    if new_logo:
        row.logo_key = new_logo
    elif form.remove_logo.data:
        row.logo_key = ""
    audit.record("site.update", "site", 1, f"{row.committee_name} {row.locality_name}".strip())
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        site.remove_logo(new_logo or "")
        raise
    if old_logo and old_logo != row.logo_key:
        site.remove_logo(old_logo)
    site.site_changed()


@bp.get("/site/logo/<key>.png")
def site_logo(key: str):
    """Send the site's logo; a new logo gets a new key, so a copy caches for a year."""
    if not LOGO_KEY_RE.match(key) or key != site.identity().logo_key:
        abort(404)
    path = site.logo_path(key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=YEAR)

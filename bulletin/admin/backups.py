"""Admin page for backups: the ones kept in BACKUP_DIR (time, size, verified), the free space
where they go, and a fresh one to take home.

A backup holds every account's password hash, two-factor secret and session, so making and
downloading one asks for the admin's password again (and a two-factor code when it is on).
A fresh backup is refused when it would not fit; it is written into BACKUP_DIR, read back and
checked, the folder is pruned with the nightly backups' retention, and the file is streamed.
"""

from pathlib import Path

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from bulletin import audit, disk
from bulletin.admin import bp
from bulletin.auth import throttle, two_factor
from bulletin.auth.passwords import MAX_PASSWORD_LENGTH, check_password
from bulletin.backup import store
from bulletin.backup.format import BackupError
from bulletin.backup.report import human_size
from bulletin.backup.writing import dated_name, write_backup
from bulletin.extensions import db
from bulletin.forms import BaseForm, strip_line
from bulletin.models import utcnow
from bulletin.permissions import can_manage_structure, requires

SHOWN = 20
# Room kept free beyond the backup's estimated size: the spooled tables, the sidecar.
MARGIN = 64 * 1024 * 1024


class BackupForm(BaseForm):
    """The admin's password (and two-factor code) asked again before a backup is made."""

    password = PasswordField(_l("Mật khẩu của bạn"), validators=[
        DataRequired(_l("Nhập mật khẩu.")),
        Length(max=MAX_PASSWORD_LENGTH,
               message=_l("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_PASSWORD_LENGTH)),
    ])
    code = StringField(_l("Mã xác thực hai bước"), filters=[strip_line],
                       validators=[Length(max=32, message=_l("Mã quá dài."))])


def backup_dir() -> Path:
    """Return the folder the admin page keeps backups in."""
    return Path(current_app.config["BACKUP_DIR"])


def render_page(form: BackupForm, status: int = 200):
    """Render the list of backups with the form (and its errors)."""
    backups = store.list_backups(backup_dir())[:SHOWN]
    return render_template(
        "admin/backups.html", backups=backups, folder=backup_dir(), form=form,
        places=disk.places(), keep_daily=current_app.config["BACKUP_KEEP_DAILY"],
        keep_monthly=current_app.config["BACKUP_KEEP_MONTHLY"],
        encrypted=bool(store.passphrase()), asks_code=current_user.has_two_factor), status


@bp.get("/admin/backups")
@requires(can_manage_structure)
def backups_list():
    """List the newest backups in BACKUP_DIR with their size, last check and free space."""
    return render_page(BackupForm())


@bp.post("/admin/backups/new")
@requires(can_manage_structure)
def new_backup():
    """Make a backup now (after the password and code), verify, prune, send it."""
    form = BackupForm()
    status = identity_confirmed(form)
    if status is not None:
        db.session.commit()  # the attempt counts towards the login lock
        return render_page(form, status)
    db.session.commit()
    folder = backup_dir()
    problem = room_problem(folder)
    if problem:
        flash(problem, "error")
        return redirect(url_for(".backups_list"), code=303)
    dest = folder / dated_name()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # backups hold every password
        write_backup(dest)
        check = store.verify_file(dest)
    except (BackupError, OSError, SQLAlchemyError) as error:
        current_app.logger.exception("backup from the admin page failed")
        db.session.rollback()
        flash(failure_message(error, folder), "error")
        return redirect(url_for(".backups_list"), code=303)
    if check["problem"]:
        flash(_("Bản sao lưu vừa tạo không đọc lại được: %(problem)s", problem=check["problem"]),
              "error")
        return redirect(url_for(".backups_list"), code=303)
    store.prune(folder, current_app.config["BACKUP_KEEP_DAILY"],
                current_app.config["BACKUP_KEEP_MONTHLY"])
    audit.record("backup.download", "backup", None, dest.name)
    db.session.commit()
    return send_file(dest, mimetype="application/x-tar", as_attachment=True,
                     download_name=dest.name, max_age=0)


def identity_confirmed(form: BackupForm) -> int | None:
    """Check the re-typed password (throttled like logins) and the code; an error status."""
    if not form.validate_on_submit():
        return 422
    user, now = current_user, utcnow()
    attempt, until = throttle.claim_or_refuse(user.username, throttle.client_address(), now)
    if attempt is None:
        form.password.errors.append(_("Nhập sai quá nhiều lần. Vui lòng thử lại sau "
                                      "%(minutes)d phút.",
                                      minutes=throttle.minutes_left(until, now)))
        return 429
    if not check_password(user.password_hash, form.password.data):
        form.password.errors.append(_("Mật khẩu không đúng."))
        return 422
    if user.has_two_factor and not (two_factor.use_totp_code(user, form.code.data or "")
                                    or two_factor.use_recovery_code(user, form.code.data or "")):
        form.code.errors.append(_("Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực, "
                                  "hoặc một mã khôi phục."))
        return 422
    attempt.succeeded = True
    return None


def room_problem(folder: Path) -> str | None:
    """Say why a backup would not fit in `folder`, or None when it fits."""
    free = disk.free_bytes(folder)
    if free is None:
        return None  # the write itself will tell what is wrong with the folder
    needed = disk.database_bytes() + disk.folder_bytes(Path(current_app.config["UPLOAD_DIR"]))
    if needed + MARGIN <= free:
        return None
    return _("Không đủ chỗ trống để sao lưu: cần khoảng %(needed)s, thư mục %(folder)s chỉ còn "
             "%(free)s. Hãy xóa bớt bản sao lưu cũ hoặc đặt BACKUP_DIR sang ổ đĩa khác.",
             needed=human_size(needed + MARGIN), folder=folder, free=human_size(free))


def failure_message(error: Exception, folder: Path) -> str:
    """Tell the admin why the backup failed, a full disk in plain words."""
    if disk.is_disk_full(error):
        return _("Không sao lưu được: ổ đĩa chứa thư mục %(folder)s đã đầy. Hãy xóa bớt bản sao "
                 "lưu cũ hoặc đặt BACKUP_DIR sang ổ đĩa khác.", folder=folder)
    return _("Không sao lưu được: %(reason)s. Hãy xem chỗ trống trên đĩa và quyền ghi "
             "thư mục %(folder)s.", reason=type(error).__name__, folder=folder)

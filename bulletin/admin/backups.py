"""Admin page for backups: the last ones made (time, size, verified), and a fresh one to take
home. A fresh backup is written into BACKUP_DIR, read back and checked, then streamed."""

from pathlib import Path

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from bulletin import audit
from bulletin.admin import bp
from bulletin.backup import store
from bulletin.backup.format import BackupError
from bulletin.backup.writing import dated_name, write_backup
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.permissions import can_manage_structure, requires

SHOWN = 20


def backup_dir() -> Path:
    """Return the folder the admin page keeps backups in."""
    return Path(current_app.config["BACKUP_DIR"])


@bp.get("/admin/backups")
@requires(can_manage_structure)
def backups_list():
    """List the newest backups in BACKUP_DIR with their size and last check."""
    backups = store.list_backups(backup_dir())[:SHOWN]
    return render_template("admin/backups.html", backups=backups, folder=backup_dir(),
                           confirm=ConfirmForm())


@bp.post("/admin/backups/new")
@requires(can_manage_structure)
def new_backup():
    """Make a backup now, verify it, and send it as a download."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".backups_list"), code=303)
    folder = backup_dir()
    dest = folder / dated_name()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_backup(dest)
        check = store.verify_file(dest)
    except (BackupError, OSError, SQLAlchemyError) as error:
        current_app.logger.exception("backup from the admin page failed")
        db.session.rollback()
        flash(_("Không sao lưu được: %(reason)s. Hãy xem chỗ trống trên đĩa và quyền ghi "
                "thư mục %(folder)s.", reason=type(error).__name__, folder=folder), "error")
        return redirect(url_for(".backups_list"), code=303)
    if check["problem"]:
        flash(_("Bản sao lưu vừa tạo không đọc lại được: %(problem)s", problem=check["problem"]),
              "error")
        return redirect(url_for(".backups_list"), code=303)
    audit.record("backup.download", "backup", None, dest.name)
    db.session.commit()
    return send_file(dest, mimetype="application/x-tar", as_attachment=True,
                     download_name=dest.name, max_age=0)

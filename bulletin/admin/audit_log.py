"""The audit log's page: every entry newest first, filtered by action, person and dates."""

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import func
from wtforms import SelectChoice

from bulletin import audit
from bulletin.admin import bp
from bulletin.admin.forms import AuditFilterForm, parse_date
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import AuditEntry
from bulletin.permissions import can_read_audit_log, requires
from bulletin.security import MAX_ID, parse_int

AUDIT_PAGE_SIZE = 50


@bp.get("/admin/audit")
@requires(can_read_audit_log)
def audit_log():
    """List audit entries newest first, filtered by action, person and dates, 50 a page."""
    form = AuditFilterForm(formdata=request.args)
    actions = db.session.scalars(
        db.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    form.action.choices = [SelectChoice("", _("Tất cả")),
                           *(SelectChoice(a, audit.action_label(a)) for a in actions)]
    stmt = filtered_entries(form) if form.validate() else db.select(AuditEntry)
    before = parse_int(request.args.get("before"), high=MAX_ID)
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    rows = db.session.scalars(
        stmt.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE_SIZE + 1)
    ).all()
    entries, more = rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE
    filters = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template("admin/audit.html", form=form, entries=entries, more=more,
                           filters=filters, paged=bool(before))


def filtered_entries(form: AuditFilterForm):
    """Select the entries matching the filter form."""
    stmt = db.select(AuditEntry)
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == audit.escape_text(form.action.data, 40))
    if form.username.data:
        name = audit.escape_text(form.username.data, 80).lower()
        stmt = stmt.where(func.lower(AuditEntry.username).contains(name, autoescape=True))
    if form.date_from.data:
        stmt = stmt.where(AuditEntry.created_at >= local_midnight(form.date_from.data))
    if form.date_to.data:
        end = local_midnight(form.date_to.data) + timedelta(days=1)
        stmt = stmt.where(AuditEntry.created_at < end)
    return stmt


def local_midnight(text: str) -> datetime:
    """Return the start of a dd/mm/yyyy day in Vietnam, as an aware datetime."""
    return datetime.combine(parse_date(text), time(0), tzinfo=TIMEZONE)

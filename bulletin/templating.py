"""Every template filter and global of the app, registered in one place."""

from flask import Flask, g
from flask_babel import get_locale
from flask_login import current_user

from bulletin import audit, i18n
from bulletin.auth.forms import PASSWORD_HELP, ROLE_LABELS
from bulletin.models import Organization, utcnow
from bulletin.organizations import top_level
from bulletin.permissions import can_manage_award_kinds
from bulletin.posts.pending import Pending
from bulletin.uploads import type_label


def nav_organizations() -> list[Organization]:
    """The organizations every page links to, loaded once per request."""
    if "nav_organizations" not in g:
        g.nav_organizations = top_level()
    return g.nav_organizations


def role_label(role: str) -> str:
    """Return the Vietnamese name of a role."""
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def registry_nav() -> dict:
    """What the registry's sub-navigation offers the current account."""
    return {"kinds": can_manage_award_kinds(current_user)}


FILTERS = {
    "date": i18n.format_date,
    "datetime": i18n.format_datetime,
    "number": i18n.format_number,
    "filesize": i18n.format_filesize,
    "relative": i18n.format_relative,
}

GLOBALS = {
    "current_locale": get_locale,
    "local_time": i18n.local,
    "nav_organizations": nav_organizations,
    "now_utc": utcnow,
    "file_type": type_label,
    "role_label": role_label,
    "action_label": audit.action_label,
    "audit_target": audit.target_label,
    "password_help": PASSWORD_HELP,
    "pending_uploads": Pending.load,
    "registry_nav": registry_nav,
}


def init_app(app: Flask) -> None:
    """Register the filters and globals every template may use."""
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    for name, value in GLOBALS.items():
        app.add_template_global(value, name)

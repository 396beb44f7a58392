"""Every template filter and global of the app, registered in one place."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user

from bulletin import audit, i18n
from bulletin.auth.forms import PASSWORD_HELP, ROLE_LABELS
from bulletin.caching.header import site_header
from bulletin.caching.orgs import nav_organizations
from bulletin.links import row_url
from bulletin.models import utcnow
from bulletin.permissions import can_manage_award_kinds
from bulletin.posts.pending import Pending
from bulletin.security import external_url
from bulletin.site import identity
from bulletin.uploads import type_label


def role_label(role: str) -> str:
    """Return the Vietnamese name of a role."""
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def registry_nav() -> dict:
    """What the registry's sub-navigation offers the current account."""
    return {"kinds": can_manage_award_kinds(current_user)}


STATIC_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _file_fingerprint(path: str, mtime_ns: int) -> str:
    """Return a short hash of a static file's content (recomputed when the file changes)."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=5).hexdigest()


def static_fingerprint(endpoint: str, values: dict) -> None:
    """Add `?v=<content hash>` to static URLs, so they can be cached for a year."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    path = Path(current_app.static_folder, values["filename"])
    try:
        values["v"] = _file_fingerprint(str(path), path.stat().st_mtime_ns)
    except OSError:
        return  # no such file: the URL stays plain and answers 404


def cache_static_for_a_year(response):
    """A fingerprinted static file never changes under its URL: let browsers keep it."""
    if request.endpoint == "static" and "v" in request.args and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    return response


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
    "external_url": external_url,
    "site_identity": identity,
    "site_header": site_header,
    "row_url": row_url,
}


def init_app(app: Flask) -> None:
    """Register the filters and globals every template may use."""
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    for name, value in GLOBALS.items():
        app.add_template_global(value, name)
    app.url_defaults(static_fingerprint)
    app.after_request(cache_static_for_a_year)

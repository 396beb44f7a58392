"""The site header, rendered once per account, language and page kind, kept per process.

Every staff page starts with the same header: the site's name, the search box, the account's
menu and the organizations. Rendering it (a dozen URLs and translations) cost a staff page
about as much as the health check's whole answer. It is kept under the shared version
(`caching.versions`), so a renamed organization or changed site settings show at once, and
keyed by what it shows: the account (id, name, role), the language, which organization or the
home page is current, and the search words on the search page. The logout form's CSRF token
differs per session: the kept copy holds a placeholder, filled in for each request.
"""

import secrets
import sys

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from bulletin.caching import store
from bulletin.i18n import select_locale

TEMPLATE = "_site_header.html"
MAX_ENTRIES = 500
MAX_BYTES = 4 * 1024 * 1024
# Unguessable, so no text an account writes (its own name) can be taken for it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(12)}"


def key(organization) -> tuple:
    """What the header shows besides the kept data."""
    user = current_user
    account = ((user.id, user.username, user.full_name, user.role)
               if user.is_authenticated else None)
    words = request.args.get("q", "") if request.path == "/search" else ""
    return (account, select_locale(), request.script_root, request.endpoint,
            getattr(organization, "id", None), words)


def site_header(organization=None) -> Markup:
    """The page's header, from this process's copy while the shared version holds."""
    cache = store.named("site_headers", MAX_ENTRIES, MAX_BYTES)
    found_key, version = key(organization), cache.version()
    html = cache.get(found_key, version)
    if html is None:
        html = render_template(TEMPLATE, organization=organization,
                               csrf_placeholder=CSRF_PLACEHOLDER)
        cache.put(found_key, version, html, sys.getsizeof(html))
    if found_key[0] is not None:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 -- our own template's output, escaped as rendered

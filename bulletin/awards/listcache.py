"""The registry list's rendered body, kept in each process per scope, address and language.

The list's filters, totals, fifty rows and pager are most of its cost, and secretaries ask
for the same list again and again between changes. The body is a `bulletin.caching` cache of
its own under the shared version: every commit that writes a table readers might see (awards,
decisions, kinds and organizations among them) bumps it in Redis or the database, so the next
request on any worker renders afresh. The version is read before the rows, so a body is never
older than the version it is kept under. The key holds the account's organization scope:
secretaries of different organizations never share a body. The page around the body (the
account's name, its CSRF token, messages) is rendered for every request.
With the page cache off (PAGE_CACHE_SECONDS = 0) nothing is kept, as nothing bumps.
"""

import sys

from flask import request
from flask_login import current_user

from bulletin.caching import store
from bulletin.i18n import select_locale
from bulletin.permissions import can_manage_award_kinds

MAX_ENTRIES = 100
MAX_BYTES = 4 * 1024 * 1024


def bodies() -> store.Cache:
    """This process's bodies (made on first use)."""
    return store.named("registry_lists", MAX_ENTRIES, MAX_BYTES)


def key(allowed: set[int] | None) -> tuple:
    """What a body depends on besides the data: the scope, whether the navigation offers the
    kinds (admins), the language and the address."""
    scope = None if allowed is None else tuple(sorted(allowed))
    return (scope, can_manage_award_kinds(current_user), select_locale(), request.script_root,
            request.full_path)


def version() -> int | None:
    """The shared version to read and keep bodies under; None when nothing may be kept."""
    return bodies().version()


def get(found_key: tuple, current: int | None) -> str | None:
    """The body kept for `found_key` under the `current` version, if any."""
    return bodies().get(found_key, current)


def put(found_key: tuple, current: int | None, html: str) -> None:
    """Keep a freshly rendered body for the next requests of the same scope and address."""
    bodies().put(found_key, current, html, sys.getsizeof(html))

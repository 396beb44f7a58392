"""The organizations every page's header lists and every scope check walks, kept per process.

The organizations table is small and changes rarely, yet the header of every page listed the
top-level ones with a query, and a secretary's scope walked branches one lazy load at a time.
One snapshot of the whole table, plain values and no ORM objects, is kept under the shared
version (`caching.versions`): a commit that changes an organization bumps it and the next
request reads the table again. With the page cache off it is read once per request.
"""

from dataclasses import dataclass, field

from flask import has_request_context, request

from bulletin.caching import store
from bulletin.extensions import db
from bulletin.models import Organization

MAX_BYTES = 1024 * 1024
ENVIRON_KEY = "bulletin.organizations"  # this request's snapshot


@dataclass(frozen=True, slots=True)
class NavOrganization:
    """What a menu shows of an organization (and compares it by: its id)."""

    id: int
    slug: str
    name: str
    short_name: str
    parent_id: int | None
    position: int


@dataclass
class Snapshot:
    """The top-level organizations in use, in display order, and each one's branches' ids."""

    top: list[NavOrganization] = field(default_factory=list)
    children: dict[int, list[int]] = field(default_factory=dict)


def load() -> Snapshot:
    """Read the organizations table into a snapshot (one query)."""
    snapshot = Snapshot()
    rows = db.session.execute(db.select(
        Organization.id, Organization.slug, Organization.name, Organization.short_name,
        Organization.parent_id, Organization.position, Organization.is_archived,
    ).order_by(Organization.position, Organization.id)).all()
    for row in rows:
        if row.parent_id is None and not row.is_archived:
            snapshot.top.append(NavOrganization(*row[:6]))
        if row.parent_id is not None:
            snapshot.children.setdefault(row.parent_id, []).append(row.id)
    return snapshot


def snapshot() -> Snapshot:
    """This process's snapshot while the shared version holds (once per request otherwise)."""
    kept = request.environ if has_request_context() else {}
    if ENVIRON_KEY in kept:
        return kept[ENVIRON_KEY]
    cache = store.named("organizations", 1, MAX_BYTES)
    version = cache.version()
    found = cache.get(("all",), version)
    if found is None:
        found = load()
        cache.put(("all",), version, found, 1)
    kept[ENVIRON_KEY] = found
    return found


def nav_organizations() -> list[NavOrganization]:
    """The top-level organizations in use, in their display order."""
    return snapshot().top


def family_ids(org_ids) -> set[int]:
    """The ids of the given organizations and of all their branches, at any depth."""
    children = snapshot().children
    found, pending = set(), list(org_ids)
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, ()))
    return found

"""Organizations as every feature sees them: the top-level list, one with its branches."""

from bulletin.extensions import db
from bulletin.models import Organization


def top_level() -> list[Organization]:
    """Return the top-level organizations in their display order."""
    return list(db.session.scalars(
        db.select(Organization).where(Organization.parent_id.is_(None))
        .order_by(Organization.position, Organization.id)))


def family_ids(org: Organization) -> list[int]:
    """Return the ids of an organization and of all its branches, at any depth."""
    ids, pending = [], [org]
    while pending:
        current = pending.pop(0)
        if current.id not in ids:
            ids.append(current.id)
            pending.extend(current.branches)
    return ids

"""Organizations as every feature sees them: the top-level list, one with its branches, slugs.

Archived organizations and categories drop out of menus and selects; their pages stay
readable. A slug changed on the admin page is kept in `old_slugs`, and its URLs redirect.
"""

from flask import abort, request, url_for
from werkzeug.routing import RequestRedirect

from bulletin.extensions import db
from bulletin.models import Category, OldSlug, Organization

SLUG_KINDS = {Organization: "organization", Category: "category"}


class MovedPermanently(RequestRedirect):
    """A redirect to an organization's or category's new slug (301: links should update)."""

    code = 301


def top_level() -> list[Organization]:
    """Return the top-level organizations in use, in their display order."""
    return list(db.session.scalars(
        db.select(Organization)
        .where(Organization.parent_id.is_(None), Organization.is_archived.is_(False))
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


def by_slug_or_404(model, slug: str):
    """Return the organization or category with this slug; redirect from an old slug; or 404."""
    row = db.session.scalar(db.select(model).where(model.slug == slug))
    if row is not None:
        return row
    target = db.session.scalar(
        db.select(model).join(OldSlug, OldSlug.target_id == model.id)
        .where(OldSlug.kind == SLUG_KINDS[model], OldSlug.slug == slug))
    if target is None:
        abort(404)
    args = {**request.view_args, "slug": target.slug, **request.args}
    raise MovedPermanently(url_for(request.endpoint, **args))



def slug_owner(model, slug: str):
    """Return the row that uses `slug`, now or as an old slug, or None."""
    row = db.session.scalar(db.select(model).where(model.slug == slug))
    if row is not None:
        return row
    return db.session.scalar(
        db.select(model).join(OldSlug, OldSlug.target_id == model.id)
        .where(OldSlug.kind == SLUG_KINDS[model], OldSlug.slug == slug))


def change_slug(row, new_slug: str) -> None:
    """Give `row` a new slug, keeping the old one so its links redirect."""
    kind = SLUG_KINDS[type(row)]
    if row.slug == new_slug:
        return
    db.session.execute(db.delete(OldSlug).where(OldSlug.kind == kind, OldSlug.slug == new_slug))
    db.session.add(OldSlug(kind=kind, slug=row.slug, target_id=row.id))
    row.slug = new_slug


def descendants(org: Organization) -> set[int]:
    """Return the ids of every branch below `org` (not `org` itself)."""
    return set(family_ids(org)) - {org.id}


def all_organizations() -> list[Organization]:
    """Return every organization, each top-level one followed by its branches."""
    orgs = db.session.scalars(
        db.select(Organization).order_by(Organization.position, Organization.id)
    ).all()
    children: dict[int | None, list[Organization]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    ordered: list[Organization] = []

    def walk(parent_id: int | None) -> None:
        """Append the children of `parent_id`, depth first."""
        for org in children.get(parent_id, []):
            ordered.append(org)
            walk(org.id)

    walk(None)
    return ordered

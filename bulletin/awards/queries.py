"""The registry's list: the contract's filters, Vietnamese order, totals, visible scope."""

from dataclasses import dataclass

from flask import Request
from sqlalchemy import Select, func

from bulletin.extensions import db
from bulletin.models import RECIPIENT_TYPES, Award, AwardKind, Organization
from bulletin.text import words


@dataclass
class AwardFilters:
    """What the registry list is narrowed to (the contract's query parameters)."""

    year: int | None = None
    org: Organization | None = None
    kind: AwardKind | None = None
    recipient_type: str | None = None
    q: str = ""
    include_voided: bool = True

    def args(self) -> dict:
        """The filters as query parameters, for links and exports."""
        found = {"year": self.year, "org": self.org.slug if self.org else None,
                 "kind": self.kind.slug if self.kind else None,
                 "recipient_type": self.recipient_type, "q": self.q or None}
        return {k: v for k, v in found.items() if v is not None}


def read_filters(request: Request) -> AwardFilters:
    """Parse `year`, `org` (slug), `kind` (slug or id), `recipient_type` and `q`."""
    args = request.args
    year = args.get("year", "")
    org_slug, kind_value = args.get("org", ""), args.get("kind", "")
    org = db.session.scalar(db.select(Organization).where(Organization.slug == org_slug)) \
        if org_slug else None
    kind = None
    if kind_value:
        column = AwardKind.id if kind_value.isdigit() else AwardKind.slug
        value = int(kind_value) if kind_value.isdigit() and len(kind_value) < 9 else kind_value
        kind = db.session.scalar(db.select(AwardKind).where(column == value))
    recipient_type = args.get("recipient_type", "")
    return AwardFilters(
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        org=org, kind=kind,
        recipient_type=recipient_type if recipient_type in RECIPIENT_TYPES else None,
        q=args.get("q", "")[:200].strip())


def organization_ids(org: Organization) -> list[int]:
    """An organization and its branches."""
    return [org.id, *(branch.id for branch in org.branches)]


def filtered(filters: AwardFilters, allowed_org_ids: set[int] | None) -> Select:
    """Select awards matching the filters, within the organizations the user may see."""
    stmt = db.select(Award)
    if allowed_org_ids is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed_org_ids)))
    if filters.year is not None:
        stmt = stmt.where(Award.year == filters.year)
    if filters.org is not None:
        stmt = stmt.where(Award.organization_id.in_(organization_ids(filters.org)))
    if filters.kind is not None:
        stmt = stmt.where(Award.kind_id == filters.kind.id)
    if filters.recipient_type:
        stmt = stmt.where(Award.recipient_type == filters.recipient_type)
    if not filters.include_voided:
        stmt = stmt.where(Award.is_voided.is_(False))
    for word in words(filters.q)[:8]:
        # Folded text on both sides: "nguyen thi hoa" finds "Nguyễn Thị Hòa".
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Award.search_text.like(f"%{escaped}%", escape="\\"))
    return stmt


def in_registry_order(stmt: Select) -> Select:
    """Newest year first; within a year, the Vietnamese name order."""
    return stmt.order_by(Award.year.desc(), Award.name_sort_key, Award.id)


def totals(stmt: Select) -> tuple[int, int]:
    """Return (number of live awards, total amount) for the filtered list."""
    live = stmt.where(Award.is_voided.is_(False)).subquery()
    row = db.session.execute(
        db.select(func.count(), func.coalesce(func.sum(live.c.amount), 0))).one()
    return int(row[0]), int(row[1])

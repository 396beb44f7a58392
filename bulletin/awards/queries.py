"""The registry's list: the contract's filters, Vietnamese order, totals, visible scope."""

from dataclasses import dataclass, fields

from flask import Request
from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    Row,
    Select,
    String,
    and_,
    case,
    column,
    func,
    literal,
    table,
)
from sqlalchemy.orm import selectinload

from bulletin.extensions import db
from bulletin.models import RECIPIENT_TYPES, Award, AwardKind, Decision, Organization, Post
from bulletin.organizations import family_ids
from bulletin.security import MAX_ID, parse_int
from bulletin.text import clean_line, fold, words

PAGE_SIZE = 50  # rows of a registry list page

# Kept by triggers on `awards` (migration 20261201_10_page_cache_and_award_counts): one row
# per organization, kind, year, recipient type and voided state, with its awards and money.
award_counts = table(
    "award_counts", column("organization_id", Integer), column("kind_id", Integer),
    column("year", Integer), column("recipient_type", String), column("is_voided", Boolean),
    column("awards", Integer), column("amount", BigInteger),
)


@dataclass
class AwardFilters:
    """What the registry list is narrowed to (the contract's query parameters)."""

    year: int | None = None
    org: Organization | None = None
    kind: AwardKind | None = None
    recipient_type: str | None = None
    q: str = ""
    include_voided: bool = True
    batch: int | None = None
    # `q` looks through every column (the achievement too), not only the names and numbers.
    everywhere: bool = False

    def args(self) -> dict:
        """The filters as query parameters, for links and exports."""
        found = {"year": self.year, "org": self.org.slug if self.org else None,
                 "kind": self.kind.slug if self.kind else None,
                 "recipient_type": self.recipient_type, "q": self.q or None,
                 "all": 1 if self.everywhere and self.q else None, "batch": self.batch}
        return {k: v for k, v in found.items() if v is not None}

    def precounted(self) -> bool:
        """Whether `award_counts` can answer these filters: it knows organizations, kinds,
        years, recipient types and the voided state, nothing else (no text, no batch)."""
        plain = AwardFilters()
        return all(getattr(self, f.name) == getattr(plain, f.name) for f in fields(self)
                   if f.name not in COUNTED_FILTERS)


# The filters `award_counts` has columns for; any other filter set means counting rows.
COUNTED_FILTERS = frozenset({"year", "org", "kind", "recipient_type", "include_voided"})


def read_filters(request: Request) -> AwardFilters:
    """Parse `year`, `org` (slug), `kind` (slug or id), `recipient_type` and `q`."""
    args = request.args
    year = args.get("year", "")
    org_slug, kind_value = args.get("org", ""), args.get("kind", "")
    org = db.session.scalar(db.select(Organization).where(Organization.slug == org_slug)) \
        if org_slug else None
    kind = None
    if kind_value:
        kind_id = parse_int(kind_value, high=MAX_ID)
        kind = db.session.scalar(db.select(AwardKind).where(
            AwardKind.id == kind_id if kind_id is not None else AwardKind.slug == kind_value))
    recipient_type = args.get("recipient_type", "")
    return AwardFilters(
        year=parse_int(year, low=1000, high=9999),
        org=org, kind=kind,
        recipient_type=recipient_type if recipient_type in RECIPIENT_TYPES else None,
        q=args.get("q", "")[:200].strip(),
        batch=parse_int(args.get("batch"), high=MAX_ID),
        everywhere=args.get("all", "") not in ("", "0"))


def filtered(filters: AwardFilters, allowed_org_ids: set[int] | None) -> Select:
    """Select awards matching the filters, within the organizations the user may see."""
    # The filters ride along, so `summarize` can add up the precomputed counts instead.
    stmt = db.select(Award).execution_options(award_filters=(filters, allowed_org_ids))
    if allowed_org_ids is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed_org_ids)))
    if filters.year is not None:
        stmt = stmt.where(Award.year == filters.year)
    if filters.org is not None:
        stmt = stmt.where(Award.organization_id.in_(family_ids(filters.org)))
    if filters.kind is not None:
        stmt = stmt.where(Award.kind_id == filters.kind.id)
    if filters.recipient_type:
        stmt = stmt.where(Award.recipient_type == filters.recipient_type)
    if filters.batch is not None:
        stmt = stmt.where(Award.import_batch_id == filters.batch)
    if not filters.include_voided:
        stmt = stmt.where(Award.is_voided.is_(False))
    # Folded text on both sides: "nguyen thi hoa" finds "Nguyễn Thị Hòa". By default only
    # who was commended and by which decision; the achievement too when asked.
    searched = Award.search_text if filters.everywhere else Award.name_search
    for word in query_words(filters.q):
        stmt = stmt.where(contains(searched, word))
    return stmt


def query_words(q: str) -> list[str]:
    """The folded words a search looks for (at most eight)."""
    return words(q)[:8]


def contains(text, word: str):
    """`text` holds the folded `word` (LIKE with the wildcards in `word` escaped)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return text.like(f"%{escaped}%", escape="\\")


def in_registry_order(stmt: Select) -> Select:
    """Newest year first; within a year, the Vietnamese name order."""
    return stmt.order_by(Award.year.desc(), Award.name_sort_key, Award.id)


def in_search_order(stmt: Select, q: str) -> Select:
    """A search's order: awards whose recipient's name holds every word first, then the
    rest (a position, a decision number, an achievement), each in the registry's order."""
    found = query_words(q)
    if not found:
        return in_registry_order(stmt)
    # The folded name leads `name_search`, one letter for one letter of the stored name: a
    # rare letter that folds to two ("ß") only moves a row within the order, never out.
    name = func.substr(Award.name_search, 1, func.length(Award.recipient_name))
    in_name = and_(*(contains(name, word) for word in found))
    return in_registry_order(stmt.order_by(case((in_name, 0), else_=1)))


def totals(stmt: Select) -> tuple[int, int]:
    """Return (number of live awards, total amount) for the filtered list."""
    summary = summarize(stmt)
    return summary.count, summary.amount


@dataclass
class Summary:
    """The figures of a filtered list: live awards, their money, and the voided rows."""

    count: int
    amount: int
    voided: int

    @property
    def rows(self) -> int:
        """Every row the list shows, voided ones included."""
        return self.count + self.voided


def summarize(stmt: Select) -> Summary:
    """Count live and voided awards and add up the live amounts.

    A list narrowed only by filters the precomputed counts know (`precounted`) reads them, a
    few hundred rows whatever the registry's size; any other select (a text search, an
    import batch) is counted row by row.
    """
    carried = stmt.get_execution_options().get("award_filters")
    if carried is not None and carried[0].precounted():
        return summarize_counts(*carried)
    rows = stmt.with_only_columns(Award.is_voided, Award.amount).order_by(None).subquery()
    live = rows.c.is_voided.is_(False)
    row = db.session.execute(db.select(
        func.count(case((live, 1))),
        func.coalesce(func.sum(case((live, rows.c.amount))), 0),
        func.count(case((rows.c.is_voided.is_(True), 1))),
    )).one()
    return Summary(count=int(row[0]), amount=int(row[1]), voided=int(row[2]))


def counts_where(stmt: Select, filters: AwardFilters | None,
                 allowed_org_ids: set[int] | None) -> Select:
    """Narrow a select over `award_counts` the way `filtered` narrows awards."""
    counts = award_counts.c
    stmt = stmt.where(counts.awards > 0)
    if allowed_org_ids is not None:
        stmt = stmt.where(counts.organization_id.in_(sorted(allowed_org_ids)))
    if filters is None:
        return stmt
    if filters.year is not None:
        stmt = stmt.where(counts.year == filters.year)
    if filters.org is not None:
        stmt = stmt.where(counts.organization_id.in_(family_ids(filters.org)))
    if filters.kind is not None:
        stmt = stmt.where(counts.kind_id == filters.kind.id)
    if filters.recipient_type:
        stmt = stmt.where(counts.recipient_type == filters.recipient_type)
    if not filters.include_voided:
        stmt = stmt.where(counts.is_voided.is_(False))
    return stmt


def summarize_counts(filters: AwardFilters, allowed_org_ids: set[int] | None) -> Summary:
    """The figures of a filtered list, added up from the precomputed counts."""
    counts = award_counts.c
    live = counts.is_voided.is_(False)
    row = db.session.execute(counts_where(db.select(
        func.coalesce(func.sum(case((live, counts.awards), else_=0)), 0),
        func.coalesce(func.sum(case((live, counts.amount), else_=0)), 0),
        func.coalesce(func.sum(case((live, 0), else_=counts.awards)), 0),
    ), filters, allowed_org_ids)).one()
    return Summary(count=int(row[0]), amount=int(row[1]), voided=int(row[2]))


def years(allowed_org_ids: set[int] | None) -> list[int]:
    """The years from the newest award the user may see back to the oldest, newest first."""
    stmt = counts_where(db.select(func.min(award_counts.c.year), func.max(award_counts.c.year)),
                        None, allowed_org_ids)
    oldest, newest = db.session.execute(stmt).one()
    return [] if newest is None else list(range(newest, oldest - 1, -1))


def with_details(stmt: Select) -> Select:
    """Load what a registry row shows (kind, organization, decision) without N+1."""
    return stmt.options(selectinload(Award.kind), selectinload(Award.organization),
                        selectinload(Award.decision))


def recipient_awards(recipient_type: str, name: str, allowed_org_ids: set[int] | None,
                     born: int | None = None) -> list[Award]:
    """Everything one person, collective or household received: same type, same folded name
    and, when `born` is given, that year of birth (an award that gives none may be theirs).

    The folded name leads `search_text`, so a prefix match finds the candidates and the
    exact comparison drops longer names that merely start the same way.
    """
    folded = fold(clean_line(name))
    if not folded or recipient_type not in RECIPIENT_TYPES:
        return []
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = db.select(Award).where(Award.recipient_type == recipient_type,
                                  Award.search_text.like(f"{escaped}%", escape="\\"))
    if allowed_org_ids is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed_org_ids)))
    found = db.session.scalars(with_details(in_registry_order(stmt)))
    return [award for award in found if fold(award.recipient_name) == folded
            and (born is None or award.birth_year in (None, born))]


def public_awards(year: int | None = None, org: Organization | None = None) -> Select:
    """Live awards of decisions marked public: what the honour roll may show."""
    stmt = (db.select(Award).join(Award.decision)
            .where(Decision.is_public.is_(True), Award.is_voided.is_(False)))
    if year is not None:
        stmt = stmt.where(Award.year == year)
    if org is not None:
        stmt = stmt.where(Award.organization_id.in_(family_ids(org)))
    return stmt


def in_honour_order(stmt: Select) -> Select:
    """Newest year first, then organization, then the order of honour of kinds, then names.

    Organizations and kinds are few: their display ranks are written into the query as
    CASE expressions, so the database sorts awards alone instead of joining two small
    tables into a large sort (which SQLite plans badly).
    """
    orgs = sorted(db.session.scalars(db.select(Organization)), key=display_order)
    kinds = db.session.scalars(db.select(AwardKind).order_by(AwardKind.position, AwardKind.id))
    return stmt.order_by(Award.year.desc(), _rank(Award.organization_id, [o.id for o in orgs]),
                         _rank(Award.kind_id, [k.id for k in kinds]), Award.name_sort_key,
                         Award.id)


def _rank(column, ids: list[int]):
    """An expression giving each id its place in `ids` (unknown ids last)."""
    if not ids:
        return literal(0)
    return case({value: rank for rank, value in enumerate(ids)}, value=column,
                else_=len(ids))


def display_order(org: Organization) -> tuple:
    """Sort key of organizations: each top-level one followed by its branches."""
    top = org.parent or org
    return (top.position, top.id, org.parent_id is not None, org.position, org.id)


def rows_by_id(ordered: Select, offset: int, limit: int) -> list[Award]:
    """A slice of an ordered select: the ids first (a narrow sort or index scan), then
    only those rows, with what they show.

    Skipping by OFFSET over ids is cheap, and sorting ids instead of whole rows keeps deep
    pages of a 100,000-award registry fast.
    """
    ids = list(db.session.scalars(ordered.with_only_columns(Award.id)
                                  .offset(offset).limit(limit)))
    if not ids:
        return []
    found = {a.id: a for a in db.session.scalars(with_details(
        db.select(Award).where(Award.id.in_(ids))))}
    return [found[i] for i in ids]


def registry_page(stmt: Select, number: int, per_page: int) -> list[Award]:
    """Page `number` of the registry list in its order."""
    return rows_by_id(in_registry_order(stmt), (number - 1) * per_page, per_page)


def registry_rows(stmt: Select, number: int, per_page: int, q: str = "") -> list[Row]:
    """Page `number` of the registry list in its order (a search's, given `q`), as plain
    rows of the columns it shows.

    The ids come first, as in `rows_by_id`; then one query joins those awards to their
    organization, kind and decision. No ORM objects: building them (and loading their
    relationships) cost more than the rest of the page.
    """
    ids = list(db.session.scalars(in_search_order(stmt, q).with_only_columns(Award.id)
                                  .offset((number - 1) * per_page).limit(per_page)))
    if not ids:
        return []
    shown = (db.select(Award.id, Award.year, Award.recipient_type, Award.recipient_name,
                       Award.recipient_title, Award.achievement, Award.amount, Award.is_voided,
                       Organization.name.label("organization"), AwardKind.name.label("kind"),
                       Decision.number.label("decision_number"), Decision.signed_on)
             .join(Organization, Organization.id == Award.organization_id)
             .join(AwardKind, AwardKind.id == Award.kind_id)
             .join(Decision, Decision.id == Award.decision_id)
             .where(Award.id.in_(ids)))
    found = {row.id: row for row in db.session.execute(shown)}
    return [found[i] for i in ids]


def batch_live_count(batch_id: int) -> int:
    """How many awards an import wrote are still in force."""
    return db.session.scalar(db.select(func.count()).where(
        Award.import_batch_id == batch_id, Award.is_voided.is_(False)))


def batch_live_ids(batch_id: int) -> list[int]:
    """The ids of the awards an import wrote that are still in force."""
    return list(db.session.scalars(db.select(Award.id).where(
        Award.import_batch_id == batch_id, Award.is_voided.is_(False)).order_by(Award.id)))


def batch_foreign_count(batch_id: int, allowed_org_ids: set[int] | None) -> int:
    """How many awards an import wrote lie outside these organizations (None: all of them)."""
    if allowed_org_ids is None:
        return 0
    return db.session.scalar(db.select(func.count()).where(
        Award.import_batch_id == batch_id,
        Award.organization_id.not_in(sorted(allowed_org_ids))))


def public_years() -> list[int]:
    """The years the honour roll has names for, newest first."""
    stmt = public_awards().with_only_columns(Award.year).distinct().order_by(Award.year.desc())
    return list(db.session.scalars(stmt))


def decision_counts(decision_ids: list[int],
                    allowed_org_ids: set[int] | None) -> dict[int, tuple[int, int]]:
    """For each decision: (live awards the user may see, their total amount)."""
    if not decision_ids:
        return {}
    stmt = (db.select(Award.decision_id, func.count(), func.coalesce(func.sum(Award.amount), 0))
            .where(Award.decision_id.in_(decision_ids), Award.is_voided.is_(False))
            .group_by(Award.decision_id))
    if allowed_org_ids is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed_org_ids)))
    return {row[0]: (int(row[1]), int(row[2])) for row in db.session.execute(stmt)}


def public_decisions_for(post: Post) -> list[Decision]:
    """The public decisions linked to a post, for its page's "commended" links."""
    return list(db.session.scalars(
        db.select(Decision).where(Decision.post_id == post.id, Decision.is_public.is_(True))
        .order_by(Decision.signed_on, Decision.id)))


def annex_order(awards: list[Award]) -> list[Award]:
    """Collectives and households first, then individuals, each in the decision's order."""
    return sorted(awards, key=lambda a: (a.recipient_type == "individual", a.line_no, a.id))

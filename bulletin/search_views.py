"""The search page: /search?q=…, filterable by organization and year."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func

from bulletin import search
from bulletin.awards import queries as award_queries
from bulletin.extensions import db
from bulletin.models import Award, Organization, Post
from bulletin.organizations import family_ids
from bulletin.permissions import can_use_registry, registry_org_ids
from bulletin.posts.queries import published_posts
from bulletin.security import parse_int

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 50
AWARD_HITS = 20


def _int_arg(name: str, default: int | None = None, low: int = 1, high: int = 10_000):
    """Read a small positive integer argument; anything else gives `default`."""
    number = parse_int(request.args.get(name), low=low, high=high)
    return default if number is None else number


def _years() -> list[int]:
    """Return the years that have published posts, newest first."""
    first = db.session.scalar(db.select(func.min(Post.published_at))
                              .where(Post.status == "published"))
    if first is None:
        return []
    newest = published_newest_year()
    return list(range(newest, first.astimezone(search.TIMEZONE).year - 1, -1))


def published_newest_year() -> int:
    """Return the year of the newest published post (or this year)."""
    last = db.session.scalar(db.select(func.max(Post.published_at))
                             .where(Post.status == "published"))
    return last.astimezone(search.TIMEZONE).year if last else 2000


def filtered_posts(org: Organization | None, year: int | None):
    """Select the visible posts within the chosen organization and year."""
    stmt = published_posts()
    if org is not None:
        stmt = stmt.where(Post.organization_id.in_(family_ids(org)))
    if year is not None:
        start, end = search.year_bounds(year)
        stmt = stmt.where(Post.published_at >= start, Post.published_at < end)
    return stmt


@bp.get("/search")
def results():
    """Search published posts; suggest a spelling when nothing is found."""
    query = request.args.get("q", "")[:200]
    slug = request.args.get("org", "")
    org = db.session.scalar(db.select(Organization).where(Organization.slug == slug)) \
        if slug else None
    year = _int_arg("year", None, 1990, 2100)
    page = _int_arg("page", 1, 1, MAX_PAGE)
    stmt = filtered_posts(org, year)
    found = search.search_posts(stmt, query, page=page, per_page=PER_PAGE)
    if found.tokens and not found.hits and page == 1:
        found.suggestion = search.suggest(stmt, found.tokens)
    awards = matching_awards(query, org, year) if page == 1 else []
    organizations = db.session.scalars(
        db.select(Organization).order_by(Organization.parent_id.is_not(None),
                                         Organization.position, Organization.id)).all()
    return render_template("search/results.html", query=query, found=found, org=org,
                           year=year, years=_years(), organizations=organizations,
                           awards=awards)


def matching_awards(query: str, org: Organization | None, year: int | None) -> list[Award]:
    """For secretaries and admins: commendations whose recipient, achievement or decision
    number match, within the organizations they manage (the registry is not public)."""
    if not can_use_registry(current_user) or not search.query_tokens(query):
        return []
    # The site search looks through every column (the contract), recipients' names first.
    filters = award_queries.AwardFilters(year=year, org=org, q=query, everywhere=True)
    stmt = award_queries.filtered(filters, registry_org_ids(current_user))
    stmt = award_queries.with_details(award_queries.in_search_order(stmt, query))
    return list(db.session.scalars(stmt.limit(AWARD_HITS)))

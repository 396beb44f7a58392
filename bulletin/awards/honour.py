"""The public honour roll (bảng vinh danh): who was commended, by year and organization.

Only live awards of decisions marked public appear, and only names, kinds and achievements:
never amounts, positions or anything else the registry keeps.
"""

from flask import abort, render_template, request
from flask_login import current_user

from bulletin.awards import bp, queries
from bulletin.extensions import db
from bulletin.models import Award, Decision, Organization, Post
from bulletin.pagination import page_number
from bulletin.permissions import can_use_registry, can_view_post
from bulletin.security import parse_int

PAGE_SIZE = 200
# A decision's public page lists at most this many names.
MAX_DECISION_ROWS = 2000


def grouped(awards: list[Award]) -> list[tuple[int, list[tuple[Organization, list[Award]]]]]:
    """[(year, [(organization, awards)])] keeping the order the query gave."""
    years: list[tuple[int, list]] = []
    for award in awards:
        if not years or years[-1][0] != award.year:
            years.append((award.year, []))
        groups = years[-1][1]
        if not groups or groups[-1][0].id != award.organization_id:
            groups.append((award.organization, []))
        groups[-1][1].append(award)
    return years


@bp.get("/honour-roll")
def honour_roll():
    """The honour roll, newest year first; `?year=` and `?org=slug` narrow it."""
    raw_year = request.args.get("year", "")
    year = parse_int(raw_year, low=1000, high=9999)
    slug = request.args.get("org", "")
    org = db.session.scalar(db.select(Organization).where(Organization.slug == slug)) \
        if slug else None
    number = page_number()
    stmt = queries.in_honour_order(queries.public_awards(year, org))
    rows = queries.rows_by_id(stmt, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    if not rows and number > 1:
        abort(404)
    return render_template(
        "awards/honour_roll.html", groups=grouped(rows[:PAGE_SIZE]), year=year, org=org,
        years=queries.public_years(), number=number, has_next=len(rows) > PAGE_SIZE,
        staff=can_use_registry(current_user))


@bp.get("/honour-roll/decisions/<int:decision_id>")
def honour_decision(decision_id: int):
    """A public decision: who it commends, and the news post it belongs to."""
    decision = db.get_or_404(Decision, decision_id)
    if not decision.is_public:
        abort(404)
    stmt = queries.in_honour_order(queries.public_awards().where(Award.decision_id == decision.id))
    awards = queries.rows_by_id(stmt, 0, MAX_DECISION_ROWS)
    return render_template("awards/honour_decision.html", decision=decision,
                           groups=grouped(awards), post=visible_post(decision),
                           staff=can_use_registry(current_user))


def visible_post(decision: Decision) -> Post | None:
    """The decision's post, if the reader may see it."""
    post = db.session.get(Post, decision.post_id) if decision.post_id else None
    return post if post is not None and can_view_post(current_user, post) else None

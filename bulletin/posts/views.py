"""Public reading: home, a post, organization and category lists, print view, feeds."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from bulletin.awards.queries import public_decisions_for
from bulletin.extensions import db
from bulletin.models import Category, Organization, Post
from bulletin.organizations import by_slug_or_404, family_ids, top_level
from bulletin.pagination import page_number
from bulletin.permissions import can_edit_post, can_view_post
from bulletin.posts import bp, feeds
from bulletin.posts import weekly as weekly_paper
from bulletin.posts.queries import (
    BY_DATE,
    PINNED_FIRST,
    neighbours,
    paginate,
    published_posts,
    with_cards,
)
from bulletin.security import external_url
from bulletin.visits import note_view

ORG_BLOCK_SIZE = 4
MORE_FROM_ORG = 5


def page_args() -> tuple[int, str | None]:
    """Read `?page=N` (a bad value means page 1) and the optional cursor `c`."""
    return page_number(), request.args.get("c")


def list_page(stmt, ordering):
    """Return the requested page of `stmt`; pages past the end are 404."""
    number, cursor = page_args()
    page = paginate(with_cards(stmt), ordering, number, cursor, per_page=per_page())
    if not page.items and number > 1:
        abort(404)
    return page


def per_page() -> int:
    """Return how many posts a list page shows."""
    return current_app.config["POSTS_PER_PAGE"]


def latest_by_organization(orgs: list[Organization]) -> dict[int, list[Post]]:
    """Return a few latest posts of each organization (one indexed query each)."""
    return {
        org.id: list(
            db.session.scalars(
                published_posts().where(Post.organization_id == org.id)
                .order_by(Post.published_at.desc(), Post.id.desc()).limit(ORG_BLOCK_SIZE)
            )
        )
        for org in orgs
    }


@bp.get("/")
def home():
    """The latest published posts, pinned first, each organization's news, visit figures."""
    page = list_page(published_posts(), PINNED_FIRST)
    orgs = top_level()
    return render_template(
        "posts/home.html",
        page=page,
        org_blocks=latest_by_organization(orgs) if page.number == 1 else {},
    )


def get_visible_post(post_id: int) -> Post:
    """Load a post the current user may see, or 404."""
    post = db.get_or_404(Post, post_id)
    if not can_view_post(current_user, post):
        abort(404)
    return post


@bp.get("/posts/<int:post_id>")
@bp.get("/posts/<int:post_id>/<slug>")
def detail(post_id: int, slug: str | None = None):
    """Show a post: lead, body, gallery, attachments, byline, more news, previous/next."""
    post = get_visible_post(post_id)
    if slug != post.slug:
        return redirect(url_for("posts.detail", post_id=post.id, slug=post.slug), code=301)
    more = db.session.scalars(
        published_posts()
        .where(Post.organization_id == post.organization_id, Post.id != post.id)
        .order_by(Post.published_at.desc(), Post.id.desc()).limit(MORE_FROM_ORG)
    )
    older, newer = neighbours(post) if post.published_at else (None, None)
    return render_template(
        "posts/detail.html",
        post=post,
        more=list(more),
        older=older,
        newer=newer,
        can_edit=can_edit_post(current_user, post),
        commended=public_decisions_for(post),
        views=note_view(post),
    )


@bp.get("/posts/<int:post_id>/print")
def print_view(post_id: int):
    """A clean A4 print layout of a post."""
    post = get_visible_post(post_id)
    return render_template("posts/print.html", post=post)


@bp.get("/org/<slug>")
def organization(slug: str):
    """The posts of one organization (and its branches), newest first."""
    org = by_slug_or_404(Organization, slug)
    ids = family_ids(org)
    page = list_page(published_posts().where(Post.organization_id.in_(ids)), BY_DATE)
    return render_template("posts/list.html", page=page, organization=org,
                           heading=org.name, feed_url=url_for("posts.org_feed", slug=slug))


@bp.get("/category/<slug>")
def category(slug: str):
    """The posts of one category, newest first."""
    cat = by_slug_or_404(Category, slug)
    page = list_page(published_posts().where(Post.category_id == cat.id), BY_DATE)
    return render_template("posts/list.html", page=page, category=cat,
                           heading=cat.name, feed_url=url_for("posts.category_feed", slug=slug))


@bp.get("/bulletin/weekly")
def weekly():
    """The weekly paper bulletin (A4, at most two pages), for printing."""
    week = weekly_paper.parse_week(request.args.get("week")) or weekly_paper.this_week()
    posts = weekly_paper.week_posts(week)
    full, rest = posts[:weekly_paper.FULL_ITEMS], posts[weekly_paper.FULL_ITEMS:]
    return render_template("posts/weekly.html", week=week, full=full,
                           listed=rest[:weekly_paper.LISTED_ITEMS],
                           more=len(rest) > weekly_paper.LISTED_ITEMS,
                           lead_chars=weekly_paper.LEAD_CHARS,
                           this_week=weekly_paper.this_week())


@bp.get("/follow")
def follow():
    """How to follow the board: the feed's address to copy, and how to add it on a phone."""
    org = category = None
    if request.args.get("org"):
        org = db.session.scalar(db.select(Organization).where(
            Organization.slug == request.args["org"]))
    elif request.args.get("category"):
        category = db.session.scalar(db.select(Category).where(
            Category.slug == request.args["category"]))
    if org is not None:
        chosen = (org.name, external_url("posts.org_feed", slug=org.slug))
    elif category is not None:
        chosen = (category.name, external_url("posts.category_feed", slug=category.slug))
    else:
        chosen = None
    return render_template("posts/follow.html", chosen=chosen,
                           feed_address=external_url("posts.feed"),
                           org_feeds=[(o.name, external_url("posts.org_feed", slug=o.slug))
                                      for o in top_level()])


@bp.get("/feed.atom")
def feed():
    """Atom feed of the latest published posts."""
    return feeds.atom_response(published_posts(), title=None)


@bp.get("/org/<slug>/feed.atom")
def org_feed(slug: str):
    """Atom feed of one organization."""
    org = by_slug_or_404(Organization, slug)
    ids = family_ids(org)
    stmt = published_posts().where(Post.organization_id.in_(ids))
    return feeds.atom_response(stmt, title=org.name)


@bp.get("/category/<slug>/feed.atom")
def category_feed(slug: str):
    """Atom feed of one category."""
    cat = by_slug_or_404(Category, slug)
    stmt = published_posts().where(Post.category_id == cat.id)
    return feeds.atom_response(stmt, title=cat.name)

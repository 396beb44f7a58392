"""The visit counter in the app: counting each page view, the widget's figures, /stats/visits.

Each counted page view gives a new browser its cookie and goes to the counter's buffer. The
widget's figures and a post's views are late fills (`bulletin.caching.fills`): every page,
rendered or kept in the page cache, is filled with the figures of the moment it is served,
and they are the figures /stats/visits answers. A reader's own visit and view show on the
very page that counts them.
"""

from flask import Blueprint, Flask, g, jsonify, request
from markupsafe import Markup

from bulletin.caching import fills, pages
from bulletin.i18n import format_number
from bulletin.models import Post
from bulletin.models import base as models_base
from bulletin.visits import buffer, rules
from bulletin.visits.stores import post_views

bp = Blueprint("visits", __name__)

WIDGET_FIGURES = ("online", "today", "week", "total")


def count_visit(response):
    """Count a browser's page view, giving a new browser its cookie on this very response."""
    if not rules.is_counted_page(response):
        return response
    token, moment = rules.read_token(), rules.now()
    if token is None:
        token, cookie = rules.new_cookie()
        response.set_cookie(rules.COOKIE_NAME, cookie, max_age=rules.COOKIE_MAX_AGE,
                            httponly=True, samesite="Lax", secure=request.is_secure)
        visitor = buffer.counter().newcomer(rules.visitor_hash(token), rules.address_key(),
                                            moment)
    else:
        visitor = rules.visitor_hash(token)
    buffer.counter().record(visitor, moment, g.pop("viewed_post_id", None))
    return response


def current_stats() -> dict:
    """Return the widget figures: online, today, week and total, this new reader included.

    A new browser's visit is written after its page, so without this the very first reader
    of a day (or of the site) would read 0 on the page that counts them.
    """
    figures = buffer.counter().stats()
    if rules.is_new_browser():
        figures = {name: value + 1 for name, value in figures.items()}
    return figures


def note_view(post: Post) -> Markup:
    """Count this reading of a published post (not by bots); return where its views go."""
    # Visibility is the posts' rule, on the posts' clock (this module's may be another).
    if post.is_visible_at(models_base.utcnow()) and not rules.is_bot(request.user_agent.string):
        g.viewed_post_id = post.id
    return fills.late_fill("post.views")


def count_cached_view() -> None:
    """A post page answered from the cache is still a reading of that post."""
    if request.endpoint == "posts.detail" and not rules.is_bot(request.user_agent.string):
        # Only pages anonymous readers could see were cached: the post is published.
        g.viewed_post_id = request.view_args["post_id"]


def post_figures() -> dict:
    """The views of the post this page shows, this reading included (written just after)."""
    post_id = (request.view_args or {}).get("post_id")
    if post_id is None:
        return {"views": 0}
    own = 1 if g.get("viewed_post_id") == post_id and not _read_today(post_id) else 0
    return {"views": post_views(post_id) + own}


def _read_today(post_id: int) -> bool:
    """True when this reader's view of the post today is counted already."""
    token = rules.read_token()
    if token is None:
        return False
    return buffer.counter().has_viewed(rules.local_day(rules.now()),
                                       f"{post_id}:{rules.visitor_hash(token)}")


@bp.get("/stats/visits")
def stats():
    """The widget's figures as JSON."""
    response = jsonify(buffer.counter().stats())  # this request is no visit: nothing to add
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Install the visit counter, count pages, and fill the figures pages show."""
    buffer.install(app)
    app.after_request(count_visit)
    # Looked up by name at each fill, so one place (and a test) can change where they come from.
    fills.register(app, "visits", lambda: current_stats(), format_number)
    fills.register(app, "post", lambda: post_figures(), format_number)
    pages.on_cached_page(app, count_cached_view)

"""What counts as a visit: crawlers, pages, the visitor's hash, the days and weeks in Vietnam."""

import hashlib
import re
from datetime import date, datetime, timedelta

from flask import request

from bulletin.i18n import TIMEZONE
from bulletin.models import utcnow

COOKIE_NAME = "visitor"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
ONLINE_WINDOW = timedelta(minutes=5)

# "bot" unless it is the Cubot phone brand; empty user agents are handled separately.
BOT_PATTERN = re.compile(
    r"bot(?<!cubot)|crawl|spider|slurp|preview|archiver|facebookexternalhit|mediapartners"
    r"|feedfetcher|lighthouse|pingdom|uptime|monitor|scanner|validator",
    re.IGNORECASE,
)
NOT_PAGES = {"static", "health", "visits.stats", "posts.feed", "posts.org_feed",
             "posts.category_feed"}
NOT_PAGE_BLUEPRINTS = {"media"}


def now() -> datetime:
    """The counter's clock: the time now, in UTC (tests freeze `utcnow` here)."""
    return utcnow()


def is_bot(user_agent: str) -> bool:
    """Return True for crawlers, link previewers, monitors and requests without a user agent."""
    return not user_agent.strip() or BOT_PATTERN.search(user_agent) is not None


def is_counted_page(response) -> bool:
    """Return True when this request is a person's browser reading an HTML page."""
    # 304: a reader's browser revalidating its copy of a page is a page view too.
    if request.method != "GET" or response.status_code not in (200, 304):
        return False
    if response.mimetype != "text/html":
        return False
    if request.endpoint in NOT_PAGES or request.blueprint in NOT_PAGE_BLUEPRINTS:
        return False
    return not is_bot(request.user_agent.string)


def is_new_browser() -> bool:
    """Return True when this request comes from a browser (not a bot) without our cookie yet."""
    return (request.method == "GET" and not is_bot(request.user_agent.string)
            and not TOKEN_PATTERN.fullmatch(request.cookies.get(COOKIE_NAME, "")))


def visitor_hash(token: str) -> str:
    """Return what the database keeps of a cookie: a truncated hash, never the cookie itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def local_day(moment: datetime) -> date:
    """Return the calendar day of `moment` in Vietnam."""
    return moment.astimezone(TIMEZONE).date()


def week_start(day: date) -> date:
    """Return the Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())

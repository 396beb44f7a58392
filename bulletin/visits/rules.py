"""What counts as a visit: crawlers, pages, the visitor's hash, the days and weeks in Vietnam."""

import hashlib
import ipaddress
import re
import secrets
from datetime import date, datetime, timedelta

from flask import current_app, request
from itsdangerous import BadSignature, Signer

from bulletin.i18n import TIMEZONE
from bulletin.models import utcnow

COOKIE_NAME = "visitor"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# A client that never keeps the cookie (a script, a counter inflater) is a new browser on
# every page: each address gets this many of those a day, then counts as one visitor.
NEWCOMERS_PER_ADDRESS = 5
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
            and read_token() is None)


def _signer() -> Signer:
    """Signs the visitor cookie with the app's secret key: a made-up cookie is no visitor."""
    return Signer(current_app.config["SECRET_KEY"], salt="visitor-cookie")


def read_token() -> str | None:
    """The visitor token of this request's cookie when we signed it, else None."""
    try:
        token = _signer().unsign(request.cookies.get(COOKIE_NAME, "")).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None
    return token if TOKEN_PATTERN.fullmatch(token) else None


def new_cookie() -> tuple[str, str]:
    """A new visitor's token and the signed cookie value that carries it."""
    token = secrets.token_urlsafe(32)
    return token, _signer().sign(token).decode("ascii")


def address_key() -> str:
    """The client's address, an IPv6 one by its /64 (one home or office network)."""
    address = request.remote_addr or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def address_visitor(address: str) -> str:
    """The one visitor an address counts as once its newcomers of the day are used up."""
    return visitor_hash(f"address:{address}")


def visitor_hash(token: str) -> str:
    """Return what the database keeps of a cookie: a truncated hash, never the cookie itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def local_day(moment: datetime) -> date:
    """Return the calendar day of `moment` in Vietnam."""
    return moment.astimezone(TIMEZONE).date()


def week_start(day: date) -> date:
    """Return the Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())

"""Rendered pages for anonymous readers, kept in each process and dropped everywhere at once.

A reader without a login (no session login, no remember cookie, no flashed message waiting)
asking for a public page gets the HTML this process rendered for the same URL and language,
as long as three things still hold: the shared version number is the one the page was made
under, the visit figures the page shows are the current ones, and the page is younger than
PAGE_CACHE_SECONDS (scheduled posts and "2 hours ago" move on by themselves). The version lives
in Redis when REDIS_URL is set, else in the database; any commit that changes public content
bumps it, and so does `bump()` for changes made outside the ORM session. The visit is still
counted: the cached answer goes through the same response hooks as a rendered one.
Private mode (READ_REQUIRES_LOGIN) caches nothing.
"""

import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from time import monotonic

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import event, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bulletin import redis_support
from bulletin.extensions import db
from bulletin.i18n import select_locale
from bulletin.models import CacheVersion
from bulletin.security import is_logged_in_request
from bulletin.visits import current_stats, is_bot, post_views

log = logging.getLogger(__name__)

VERSION_NAME = "pages"
READ_VERSION = f"SELECT version FROM cache_versions WHERE name = '{VERSION_NAME}'"  # noqa: S608
CACHED_ENDPOINTS = {
    "posts.home", "posts.detail", "posts.organization", "posts.category", "posts.feed",
    "posts.org_feed", "posts.category_feed", "search.results", "awards.honour_roll",
    "awards.honour_decision",
}
# Writes to these tables never change what anonymous readers see.
PRIVATE_TABLES = {"users", "user_organizations", "login_attempts", "audit_log",
                  "visit_days", "visit_totals", "visitors_seen", "cache_versions",
                  "post_revisions", "award_history"}
REDIS_TIMEOUT = 0.5
REDIS_RETRY_SECONDS = 30
GZIP_LEVEL = 6
MIN_GZIP_BYTES = 500
COMPRESSIBLE = ("text/", "application/atom+xml", "application/json", "application/xml",
                "image/svg+xml", "application/javascript")


@dataclass
class Entry:
    """One cached answer: the body, plain and gzipped, and what it was made under."""

    version: int
    stats: tuple
    made_at: float
    status: int
    mimetype: str
    headers: list
    body: bytes
    gzipped: bytes
    etag: str

    @property
    def size(self) -> int:
        """The bytes the entry holds, for the store's bound."""
        return len(self.body) + len(self.gzipped)


class Store:
    """A small LRU of entries in this process, bounded by count and bytes (`entry.size`)."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        """Return the entry for `key`, marking it recently used."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        """Keep `entry`, evicting the least recently used beyond the bounds."""
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old.size
            self.entries[key] = entry
            self.size += entry.size
            while self.entries and (len(self.entries) > self.max_entries
                                    or self.size > self.max_bytes):
                _key, dropped = self.entries.popitem(last=False)
                self.size -= dropped.size


# --- The shared version -----------------------------------------------------------------

class Versions:
    """Reads and bumps the shared version: in Redis when configured, else in the database."""

    def __init__(self, app: Flask):
        url = app.config.get("REDIS_URL")
        self.redis = redis_support.connect(url, REDIS_TIMEOUT) if url else None
        self.key = app.config["PAGE_CACHE_REDIS_KEY"]
        self.redis_retry_at = 0.0

    def current(self) -> int | None:
        """Return the current version, or None when it cannot be read (then nothing caches)."""
        if self.redis is not None:
            if monotonic() < self.redis_retry_at:
                return None
            try:
                return int(self.redis.get(self.key) or 0)
            except redis_support.RedisError as error:
                self._redis_failed(error)
                return None
        try:
            # Plain SQL, no parameters: this runs on every anonymous page view, and building
            # an ORM select costs more than the query itself.
            return db.session.connection().exec_driver_sql(READ_VERSION).scalar() or 0
        except SQLAlchemyError as error:
            db.session.rollback()
            log.warning("cannot read the page cache version: %s", error)
            return None

    def bump(self) -> None:
        """Make every process drop its cached pages."""
        if self.redis is not None:
            try:
                self.redis.incr(self.key)
            except redis_support.RedisError as error:
                # Pages cached by others stay until PAGE_CACHE_SECONDS; say so loudly.
                log.error("cannot bump the page cache version in Redis: %s", error)
                self._redis_failed(error)
            return
        with db.engine.begin() as connection:
            bumped = connection.execute(
                update(CacheVersion).where(CacheVersion.name == VERSION_NAME)
                .values(version=CacheVersion.version + 1))
            if not bumped.rowcount:
                connection.execute(db.insert(CacheVersion).values(name=VERSION_NAME, version=1))

    def _redis_failed(self, error: Exception) -> None:
        """Serve uncached pages for a while rather than risk stale ones."""
        self.redis_retry_at = monotonic() + REDIS_RETRY_SECONDS
        log.warning("Redis is unreachable (%s): no page cache for %d s", error,
                    REDIS_RETRY_SECONDS)


class PageCache:
    """The app's page cache: the shared version and this process's entries."""

    def __init__(self, app: Flask):
        self.seconds = float(app.config["PAGE_CACHE_SECONDS"])
        self.versions = Versions(app)
        self.store = Store(int(app.config["PAGE_CACHE_ENTRIES"]),
                           int(app.config["PAGE_CACHE_MAX_BYTES"]))

    def fresh(self, key: tuple, version: int, stats: tuple) -> Entry | None:
        """Return the entry for `key` if it is still good to serve."""
        entry = self.store.get(key)
        if entry is None or entry.version != version or entry.stats != stats:
            return None
        if monotonic() - entry.made_at > self.seconds:
            return None
        return entry


def cache(app: Flask | None = None) -> PageCache:
    """Return the app's page cache."""
    return (app or current_app).extensions["pagecache"]


def bump(app: Flask | None = None) -> None:
    """Drop every cached page in every process: call after changing what readers see.

    Commits through the ORM session bump by themselves; call this after bulk SQL, a
    command-line change or a change of site settings kept outside the database.
    """
    app = app or current_app
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        cache(app).versions.bump()


# --- Which requests and responses --------------------------------------------------------

def is_anonymous_reader() -> bool:
    """Return True for a GET of a cacheable page by a reader without login or messages."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in CACHED_ENDPOINTS:
        return False
    if current_app.config["READ_REQUIRES_LOGIN"] or is_logged_in_request():
        return False
    return "_flashes" not in session


def cache_key() -> tuple:
    """The URL and language a page was rendered for."""
    return (select_locale(), request.full_path)


def stats_key() -> tuple:
    """The figures a page shows (visits; a post's views), so it is re-rendered when they change."""
    figures = tuple(sorted(current_stats().items()))
    if request.endpoint == "posts.detail":
        figures += (("views", post_views(request.view_args["post_id"])),)
    return figures


def count_cached_view() -> None:
    """A post page answered from the cache is still a reading of that post."""
    if request.endpoint == "posts.detail" and not is_bot(request.user_agent.string):
        # Only pages anonymous readers could see were cached: the post is published.
        g.viewed_post_id = request.view_args["post_id"]


def accepts_gzip() -> bool:
    """Return True when the client takes gzip-compressed bodies."""
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


# --- Request hooks ------------------------------------------------------------------------

def serve_from_cache():
    """Answer an anonymous reader from the cache when the page is there and current."""
    if not is_anonymous_reader():
        return None
    version = cache().versions.current()
    if version is None:
        return None
    g.pagecache = (cache_key(), version, stats_key())
    entry = cache().fresh(*g.pagecache)
    if entry is None:
        return None
    g.pagecache_hit = True
    count_cached_view()
    return entry_response(entry)


def entry_response(entry: Entry) -> Response:
    """Build a response from a cached entry (gzipped when the client accepts it)."""
    compressed = accepts_gzip()
    response = Response(entry.gzipped if compressed else entry.body, status=entry.status,
                        mimetype=entry.mimetype, headers=entry.headers)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.cache_control.no_cache = True  # browsers ask again (and the visit counts)
    response.set_etag(entry.etag)
    return response.make_conditional(request)


def remember_page(response: Response) -> Response:
    """Keep a freshly rendered anonymous page for the next readers."""
    if "pagecache" not in g or g.get("pagecache_hit"):
        return response
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or session.modified):
        return response
    key, version, stats = g.pagecache
    body = response.get_data()
    headers = [(name, value) for name, value in response.headers
               if name.lower() not in ("content-length", "content-type", "set-cookie")]
    entry = Entry(version=version, stats=stats, made_at=monotonic(),
                  status=response.status_code, mimetype=response.mimetype, headers=headers,
                  body=body, gzipped=gzip.compress(body, GZIP_LEVEL, mtime=0),
                  etag=hashlib.blake2b(body, digest_size=12).hexdigest())
    cache().store.put(key, entry)
    fresh = entry_response(entry)
    fresh.headers.extend((name, value) for name, value in response.headers
                         if name.lower() == "set-cookie")
    return fresh


def compress(response: Response) -> Response:
    """Gzip a text answer for clients that accept it (cached pages come compressed)."""
    if (response.status_code < 200 or response.status_code in (204, 206, 304)
            or response.direct_passthrough or response.is_streamed
            # Staff pages carry a CSRF token beside text a URL can echo (search): no
            # compression for them, so their length never leaks the token (BREACH).
            or is_logged_in_request()
            or "Content-Encoding" in response.headers or not accepts_gzip()
            or not response.mimetype.startswith(COMPRESSIBLE)):
        return response
    body = response.get_data()
    if len(body) < MIN_GZIP_BYTES:
        return response
    response.set_data(gzip.compress(body, GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


# --- Bumping on commits -------------------------------------------------------------------

def _touches_public_content(session_: Session) -> bool:
    """Return True when the flush writes rows readers might see."""
    for instance in (*session_.new, *session_.dirty, *session_.deleted):
        if getattr(instance, "__tablename__", None) not in PRIVATE_TABLES:
            return True
    return False


def _note_flush(session_: Session, _context) -> None:
    """Remember that this transaction changed public content."""
    if _touches_public_content(session_):
        session_.info["pagecache_dirty"] = True


def _note_bulk(state) -> None:
    """Bulk INSERT/UPDATE/DELETE through the session count as changes too."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in PRIVATE_TABLES:
        state.session.info["pagecache_dirty"] = True


def _after_commit(session_: Session) -> None:
    """Bump the version once the change is visible to other processes."""
    if (session_.info.pop("pagecache_dirty", False) and current_app
            and "pagecache" in current_app.extensions):
        try:
            bump()
        except SQLAlchemyError as error:
            log.error("cannot bump the page cache version: %s", error)


def _after_rollback(session_: Session) -> None:
    """A rolled-back change changed nothing."""
    session_.info.pop("pagecache_dirty", None)


def listen(session_class) -> None:
    """Watch the app's sessions for commits that change public content."""
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_flush", _note_flush)
        event.listen(session_class, "do_orm_execute", _note_bulk)
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_rollback_soft)


def _after_rollback_soft(session_: Session, previous_transaction) -> None:
    """Forget the mark when the outermost transaction rolls back."""
    if previous_transaction.parent is None:
        _after_rollback(session_)


def init_app(app: Flask) -> None:
    """Install the cache; registered after the visit counter so it stores pages first."""
    app.extensions["pagecache"] = PageCache(app)
    listen(Session)
    # After-request hooks run last-registered first: remember, then compress.
    app.after_request(compress)
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        app.before_request(serve_from_cache)
        app.after_request(remember_page)

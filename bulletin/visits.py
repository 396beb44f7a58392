"""Visit statistics: which requests count, buffering and flushing visits, the widget's figures.

A visitor is a browser holding a random long-lived cookie; only a hash of it is stored. A visit
is one visitor on one day in Asia/Ho_Chi_Minh. A page view never writes to the database: it
goes to this process's buffer (or to Redis when REDIS_URL is set), and a background thread per
process flushes the buffer in one transaction every VISITS_FLUSH_SECONDS. The database
de-duplicates across processes, so any number of workers count a browser once a day.

Views of a post ("Lượt xem") ride the same buffer: each process (or Redis, shared) adds up
views per post, and the flush adds them to `post_views` with `views = views + n`, which any
number of workers may do at once. A reader's own visit and view show on the very page that
counts them.
"""

import atexit
import hashlib
import logging
import os
import re
import secrets
import threading
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from time import monotonic

from flask import Blueprint, Flask, current_app, g, jsonify, request
from sqlalchemy import case, delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from bulletin import redis_support
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Post, PostViews, VisitDay, VisitorSeen, VisitTotal, utcnow
from bulletin.models import base as models_base

log = logging.getLogger(__name__)

bp = Blueprint("visits", __name__)

COOKIE_NAME = "visitor"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
ONLINE_WINDOW = timedelta(minutes=5)
KEEP_SEEN = timedelta(days=1)
KEEP_VISIT_DAYS = 8  # a week back from any day, plus a margin; totals stay in VisitTotal
CLEANUP_SECONDS = 600
BATCH_ROWS = 500  # well under SQLite's limit on bound parameters per statement
REDIS_TIMEOUT = 0.5  # seconds: a page must not hang on a dead Redis
REDIS_RETRY_SECONDS = 30
REDIS_DAY_TTL = 2 * 24 * 3600
REDIS_ONLINE_TTL = 3600

# "bot" unless it is the Cubot phone brand; empty user agents are handled separately.
BOT_PATTERN = re.compile(
    r"bot(?<!cubot)|crawl|spider|slurp|preview|archiver|facebookexternalhit|mediapartners"
    r"|feedfetcher|lighthouse|pingdom|uptime|monitor|scanner|validator",
    re.IGNORECASE,
)
NOT_PAGES = {"static", "health", "visits.stats", "posts.feed", "posts.org_feed",
             "posts.category_feed"}
NOT_PAGE_BLUEPRINTS = {"media"}

UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


# --- Who and what counts ----------------------------------------------------------------

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


def visitor_hash(token: str) -> str:
    """Return what the database keeps of a cookie: a truncated hash, never the cookie itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def local_day(moment: datetime) -> date:
    """Return the calendar day of `moment` in Vietnam."""
    return moment.astimezone(TIMEZONE).date()


def week_start(day: date) -> date:
    """Return the Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


# --- The database side ------------------------------------------------------------------

def chunks(rows: list, size: int = BATCH_ROWS):
    """Yield `rows` in slices of at most `size`."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert_visits(connection, visits: set[tuple[date, str]]) -> dict[date, int]:
    """Insert the visits the database lacks; return how many each day really gained."""
    insert = UPSERTS[connection.dialect.name]
    by_day: dict[date, list[str]] = {}
    # Sorted, so concurrent flushes lock rows in one order and cannot deadlock.
    for day, visitor in sorted(visits):
        by_day.setdefault(day, []).append(visitor)
    gained = dict.fromkeys(by_day, 0)
    for day, visitors in by_day.items():
        for chunk in chunks(visitors):
            rows = [{"day_on": day, "visitor": visitor} for visitor in chunk]
            # RETURNING names only the rows really inserted (rowcount is not portable here).
            stmt = (insert(VisitDay).values(rows).on_conflict_do_nothing()
                    .returning(VisitDay.visitor))
            gained[day] += len(connection.execute(stmt).all())
    return gained


def add_to_totals(connection, gained: dict[date, int]) -> None:
    """Add each day's new visits to its total, atomically (`visits = visits + n`)."""
    insert = UPSERTS[connection.dialect.name]
    for day, count in sorted(gained.items()):
        if count:
            stmt = insert(VisitTotal).values(day_on=day, visits=count)
            connection.execute(stmt.on_conflict_do_update(
                index_elements=[VisitTotal.day_on],
                set_={"visits": VisitTotal.visits + stmt.excluded.visits},
            ))


def note_seen(connection, seen: dict[str, datetime]) -> None:
    """Record when each visitor was last seen (a later time never goes backwards)."""
    insert = UPSERTS[connection.dialect.name]
    rows = [{"visitor": visitor, "seen_at": at} for visitor, at in sorted(seen.items())]
    for chunk in chunks(rows):
        stmt = insert(VisitorSeen).values(chunk)
        connection.execute(stmt.on_conflict_do_update(
            index_elements=[VisitorSeen.visitor],
            set_={"seen_at": stmt.excluded.seen_at},
            where=VisitorSeen.seen_at < stmt.excluded.seen_at,
        ))


def add_views(connection, views: dict[int, int]) -> None:
    """Add each post's new views to its count, atomically (`views = views + n`)."""
    insert = UPSERTS[connection.dialect.name]
    existing = set(connection.execute(
        db.select(Post.id).where(Post.id.in_(list(views)))).scalars()) if views else set()
    for post_id, count in sorted(views.items()):
        if post_id in existing:  # a post may have gone since it was read
            stmt = insert(PostViews).values(post_id=post_id, views=count)
            connection.execute(stmt.on_conflict_do_update(
                index_elements=[PostViews.post_id],
                set_={"views": PostViews.views + stmt.excluded.views},
            ))


def post_views(post_id: int) -> int:
    """Return how many views of a post the database holds."""
    return db.session.scalar(db.select(PostViews.views).where(PostViews.post_id == post_id)) or 0


def delete_old_rows(connection, now: datetime) -> None:
    """Forget who was seen over a day ago and visits older than a week; totals stay."""
    connection.execute(delete(VisitorSeen).where(VisitorSeen.seen_at < now - KEEP_SEEN))
    oldest = local_day(now) - timedelta(days=KEEP_VISIT_DAYS)
    connection.execute(delete(VisitDay).where(VisitDay.day_on < oldest))


def visit_figures(now: datetime) -> dict[str, int]:
    """Return today's, this week's and all visits, from the daily totals only."""
    today = local_day(now)
    visits = VisitTotal.visits
    row = db.session.execute(db.select(
        func.coalesce(func.sum(case((VisitTotal.day_on == today, visits), else_=0)), 0),
        func.coalesce(func.sum(case((VisitTotal.day_on >= week_start(today), visits),
                                    else_=0)), 0),
        func.coalesce(func.sum(visits), 0),
    )).one()
    return {"today": int(row[0]), "week": int(row[1]), "total": int(row[2])}


def online_in_database(now: datetime) -> int:
    """Count the browsers the database saw in the last five minutes."""
    return db.session.scalar(
        db.select(func.count()).select_from(VisitorSeen)
        .where(VisitorSeen.seen_at >= now - ONLINE_WINDOW)
    )


# --- The Redis side ---------------------------------------------------------------------

class RedisStore:
    """A set of visitors per day and a sorted set of last-seen times, shared by all workers."""

    def __init__(self, url: str, prefix: str):
        self.client = redis_support.connect(url, REDIS_TIMEOUT)
        self.prefix = prefix

    def day_key(self, day: date) -> str:
        """Return the key of `day`'s visitor set."""
        return f"{self.prefix}day:{day.isoformat()}"

    @property
    def online_key(self) -> str:
        """Return the key of the last-seen sorted set."""
        return f"{self.prefix}online"

    def record(self, day: date, visitor: str, moment: datetime) -> bool:
        """Note a page view; return True when it is the visitor's first one of `day`."""
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(self.day_key(day), visitor)
        pipe.expire(self.day_key(day), REDIS_DAY_TTL)
        pipe.zadd(self.online_key, {visitor: moment.timestamp()})
        pipe.expire(self.online_key, REDIS_ONLINE_TTL)
        return bool(pipe.execute()[0])

    @property
    def views_key(self) -> str:
        """Return the key of the hash of unflushed views per post."""
        return f"{self.prefix}views"

    def add_view(self, post_id: int) -> None:
        """Count one view of a post, shared by every worker until a flush takes it."""
        self.client.hincrby(self.views_key, str(post_id), 1)

    def take_views(self) -> dict[int, int]:
        """Read and empty the views hash in one step (MULTI), so no view is taken twice."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hgetall(self.views_key)
        pipe.delete(self.views_key)
        taken = pipe.execute()[0]
        return {int(key): int(value) for key, value in taken.items()}

    def online(self, now: datetime) -> int:
        """Drop visitors gone for five minutes and count the rest."""
        since = (now - ONLINE_WINDOW).timestamp()
        pipe = self.client.pipeline(transaction=False)
        pipe.zremrangebyscore(self.online_key, "-inf", f"({since}")
        pipe.zcard(self.online_key)
        return int(pipe.execute()[1])


# --- One process's state and the counter ------------------------------------------------

@dataclass
class ProcessState:
    """What one process holds: unflushed visits, its flusher thread, its cached figures."""

    pid: int = field(default_factory=os.getpid)
    lock: threading.Lock = field(default_factory=threading.Lock)
    visits: set[tuple[date, str]] = field(default_factory=set)
    seen: dict[str, datetime] = field(default_factory=dict)
    views: dict[int, int] = field(default_factory=dict)
    flusher: threading.Thread | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    cached: tuple[float, dict] | None = None
    next_cleanup: float = 0.0
    redis_retry_at: float = 0.0

    def add(self, day: date, visitor: str, seen_at: datetime | None) -> None:
        """Buffer a visit (and, without Redis, when its visitor was seen)."""
        with self.lock:
            self.visits.add((day, visitor))
            if seen_at is not None:
                self.seen[visitor] = max(seen_at, self.seen.get(visitor, seen_at))

    def add_views(self, views: dict[int, int]) -> None:
        """Buffer views of posts."""
        with self.lock:
            for post_id, count in views.items():
                self.views[post_id] = self.views.get(post_id, 0) + count

    def take(self) -> tuple[set, dict, dict]:
        """Empty the buffer and return what it held."""
        with self.lock:
            taken = self.visits, self.seen, self.views
            self.visits, self.seen, self.views = set(), {}, {}
        return taken

    def put_back(self, visits: set, seen: dict, views: dict) -> None:
        """Return a batch the database refused, for the next flush."""
        self.add_views(views)
        with self.lock:
            self.visits |= visits
            for visitor, at in seen.items():
                self.seen[visitor] = max(at, self.seen.get(visitor, at))


_counters: "weakref.WeakSet[VisitCounter]" = weakref.WeakSet()
_fork_guard = threading.Lock()


def _renew_fork_guard() -> None:
    """Give a forked child a fresh guard: the parent's might have been held at the fork."""
    global _fork_guard
    _fork_guard = threading.Lock()


os.register_at_fork(after_in_child=_renew_fork_guard)


class VisitCounter:
    """Counts the visits of one app: records page views, flushes them, reads the figures."""

    def __init__(self, app: Flask):
        self.app = app
        self.flush_seconds = float(app.config["VISITS_FLUSH_SECONDS"])
        self.cache_seconds = float(app.config["STATS_CACHE_SECONDS"])
        url = app.config.get("REDIS_URL")
        prefix = app.config["VISITS_REDIS_PREFIX"]
        self.redis = RedisStore(url, prefix) if url else None
        self._state = ProcessState()

    @property
    def state(self) -> ProcessState:
        """Return this process's state; a forked child starts empty (its parent flushes)."""
        if self._state.pid != os.getpid():
            with _fork_guard:
                if self._state.pid != os.getpid():
                    self._state = ProcessState()
        return self._state

    def record(self, visitor: str, moment: datetime, post_id: int | None = None) -> None:
        """Note a page view of `visitor` (of a post); it reaches the database at the next flush."""
        self._buffer(visitor, moment)
        if post_id is not None:
            self._buffer_view(post_id)
        if self.flush_seconds <= 0:
            self.flush()  # tests: synchronous, so figures are exact after each request
        else:
            self._start_flusher()

    def _buffer(self, visitor: str, moment: datetime) -> None:
        """Put the page view in Redis (only new visits go on to the buffer) or the buffer."""
        day = local_day(moment)
        store = self._live_redis()
        if store is not None:
            try:
                if store.record(day, visitor, moment):
                    self.state.add(day, visitor, None)
                return
            except redis_support.RedisError as error:
                self._redis_failed(error)
        self.state.add(day, visitor, moment)

    def _buffer_view(self, post_id: int) -> None:
        """Count a view of a post in Redis, or in this process's buffer."""
        store = self._live_redis()
        if store is not None:
            try:
                store.add_view(post_id)
                return
            except redis_support.RedisError as error:
                self._redis_failed(error)
        self.state.add_views({post_id: 1})

    def _start_flusher(self) -> None:
        """Start this process's flusher thread on first use (after a fork, the child's own)."""
        state = self.state
        if state.flusher is not None:
            return
        with state.lock:
            if state.flusher is None:
                state.flusher = threading.Thread(
                    target=self._flush_forever, args=(state,), name="visits-flush", daemon=True
                )
                state.flusher.start()

    def _flush_forever(self, state: ProcessState) -> None:
        """Flush every VISITS_FLUSH_SECONDS until stopped."""
        while not state.stopping.wait(self.flush_seconds):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the thread must outlive any one bad batch
                log.exception("flushing visits failed")

    def flush(self) -> None:
        """Write the buffered visits in one transaction; on failure keep them for next time."""
        state = self.state
        self._take_redis_views(state)
        visits, seen, views = state.take()
        if not visits and not seen and not views:
            return
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                add_to_totals(connection, insert_visits(connection, visits))
                note_seen(connection, seen)
                add_views(connection, views)
        except SQLAlchemyError as error:
            state.put_back(visits, seen, views)
            log.warning("could not write %d visits, will retry: %s", len(visits), error)
            return
        self._clean_up_now_and_then(state)

    def _take_redis_views(self, state: ProcessState) -> None:
        """Move the views every worker put in Redis into this process's batch."""
        store = self._live_redis()
        if store is None:
            return
        try:
            state.add_views(store.take_views())
        except redis_support.RedisError as error:
            self._redis_failed(error)

    def _clean_up_now_and_then(self, state: ProcessState) -> None:
        """Delete old rows every few minutes, in a short transaction of its own."""
        if monotonic() < state.next_cleanup:
            return
        state.next_cleanup = monotonic() + CLEANUP_SECONDS
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                delete_old_rows(connection, utcnow())
        except SQLAlchemyError as error:
            log.warning("could not delete old visit rows: %s", error)

    def stats(self) -> dict[str, int]:
        """Return the figures, cached in this process for STATS_CACHE_SECONDS."""
        state = self.state
        cached = state.cached
        if cached is not None and monotonic() - cached[0] < self.cache_seconds:
            return dict(cached[1])
        now = utcnow()
        figures = {"online": self._online(now), **visit_figures(now)}
        state.cached = (monotonic(), figures)
        return dict(figures)

    def _online(self, now: datetime) -> int:
        """Count the browsers seen in the last five minutes (Redis, else the database)."""
        store = self._live_redis()
        if store is not None:
            try:
                return store.online(now)
            except redis_support.RedisError as error:
                self._redis_failed(error)
        return online_in_database(now)

    def _live_redis(self) -> RedisStore | None:
        """Return the Redis store, unless there is none or it failed a moment ago."""
        if self.redis is None or monotonic() < self.state.redis_retry_at:
            return None
        return self.redis

    def _redis_failed(self, error: Exception) -> None:
        """Use the database for a while rather than fail pages or wait on a dead Redis."""
        self.state.redis_retry_at = monotonic() + REDIS_RETRY_SECONDS
        log.warning("Redis is unreachable (%s): visits go through the database for %d s",
                    error, REDIS_RETRY_SECONDS)

    def close(self) -> None:
        """Stop the flusher thread and write what is left (tests; interpreter exit flushes)."""
        state = self.state
        state.stopping.set()
        if state.flusher is not None:
            state.flusher.join(timeout=10)
        self.flush()


@atexit.register
def _flush_at_exit() -> None:
    """Write what every counter still buffers when a worker stops gracefully."""
    for visit_counter in list(_counters):
        try:
            visit_counter.flush()
        except Exception:  # noqa: BLE001 - exiting anyway; say why the last visits were lost
            log.exception("could not flush visits at exit")


def counter(app: Flask | None = None) -> VisitCounter:
    """Return the app's visit counter."""
    return (app or current_app).extensions["visits"]


# --- Flask glue -------------------------------------------------------------------------

def count_visit(response):
    """Count a browser's page view, giving a new browser its cookie on this very response."""
    if not is_counted_page(response):
        return response
    token = request.cookies.get(COOKIE_NAME, "")
    if not TOKEN_PATTERN.fullmatch(token):
        token = secrets.token_urlsafe(32)
        response.set_cookie(COOKIE_NAME, token, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    counter().record(visitor_hash(token), utcnow(), g.pop("viewed_post_id", None))
    return response


def is_new_browser() -> bool:
    """Return True when this request comes from a browser (not a bot) without our cookie yet."""
    return (request.method == "GET" and not is_bot(request.user_agent.string)
            and not TOKEN_PATTERN.fullmatch(request.cookies.get(COOKIE_NAME, "")))


def current_stats() -> dict:
    """Return the widget figures: online, today, week and total, this new reader included.

    A new browser's visit is written after its page, so without this the very first reader
    of a day (or of the site) would read 0 on the page that counts them.
    """
    figures = counter().stats()
    if is_new_browser():
        figures = {name: value + 1 for name, value in figures.items()}
    return figures


def note_view(post: Post) -> int:
    """Count this reading of a published post (not by bots); return the views to show."""
    views = post_views(post.id)
    # Visibility is the posts' rule, on the posts' clock (this module's may be another).
    if post.is_visible_at(models_base.utcnow()) and not is_bot(request.user_agent.string):
        g.viewed_post_id = post.id
        views += 1  # the reader's own view, written a moment after the page
    return views


@bp.get("/stats/visits")
def stats():
    """The widget's figures as JSON."""
    response = jsonify(counter().stats())  # this request is no visit: nothing to add
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Install the visit counter."""
    visit_counter = VisitCounter(app)
    app.extensions["visits"] = visit_counter
    _counters.add(visit_counter)
    app.after_request(count_visit)

"""One process's buffer of page views and the thread that flushes it, and the figures read back.

A page view never writes to the database: it goes to this process's buffer (or to Redis when
REDIS_URL is set), and a background thread per process flushes the buffer in one transaction
every VISITS_FLUSH_SECONDS. The database de-duplicates across processes, so any number of
workers count a browser once a day. Views of a post ride the same buffer: each process (or
Redis, shared) adds up views per post, and the flush adds them to `post_views` with
`views = views + n`, which any number of workers may do at once. A forked worker starts with
an empty buffer of its own; what is left is flushed at exit.
"""

import atexit
import logging
import os
import threading
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from time import monotonic

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from bulletin import redis_support
from bulletin.extensions import db
from bulletin.visits import rules
from bulletin.visits.rules import NEWCOMERS_PER_ADDRESS, address_visitor, local_day
from bulletin.visits.stores import (
    RedisStore,
    add_to_totals,
    add_views,
    delete_old_rows,
    insert_visits,
    note_seen,
    online_in_database,
    visit_figures,
)

log = logging.getLogger(__name__)

CLEANUP_SECONDS = 600
REDIS_RETRY_SECONDS = 30
# Without Redis each process remembers, for today, the addresses that brought newcomers and
# the (post, visitor) pairs it counted a view of, up to these many: memory stays bounded.
MAX_ADDRESSES = 20_000
MAX_VIEWED = 200_000


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
    today: date | None = None  # the day `newcomers` and `viewed` are about
    newcomers: dict[str, int] = field(default_factory=dict)
    viewed: set[str] = field(default_factory=set)

    def _turn_day(self, day: date) -> None:
        """Forget yesterday's newcomers and views (called with the lock held)."""
        if self.today != day:
            self.today, self.newcomers, self.viewed = day, {}, set()

    def newcomer(self, day: date, address: str) -> int:
        """Count a newcomer from `address` today; return how many it has brought (a full
        table counts every further address as over its budget)."""
        with self.lock:
            self._turn_day(day)
            if address not in self.newcomers and len(self.newcomers) >= MAX_ADDRESSES:
                return NEWCOMERS_PER_ADDRESS + 1
            self.newcomers[address] = self.newcomers.get(address, 0) + 1
            return self.newcomers[address]

    def first_view(self, day: date, key: str) -> bool:
        """True the first time today this process sees `key` (a post and a visitor); when
        the table is full, no further view is counted today."""
        with self.lock:
            self._turn_day(day)
            if key in self.viewed or len(self.viewed) >= MAX_VIEWED:
                return False
            self.viewed.add(key)
            return True

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

    def newcomer(self, visitor: str, address: str, moment: datetime) -> str:
        """The visitor a request without our cookie counts as: itself for the first few of
        its address today, then the address's one visitor (a client that never keeps the
        cookie is not a new visitor on every page)."""
        day, brought = local_day(moment), None
        store = self._live_redis()
        if store is not None:
            try:
                brought = store.newcomer(day, address)
            except redis_support.RedisError as error:
                self._redis_failed(error)
        if brought is None:
            brought = self.state.newcomer(day, address)
        return visitor if brought <= NEWCOMERS_PER_ADDRESS else address_visitor(address)

    def record(self, visitor: str, moment: datetime, post_id: int | None = None) -> None:
        """Note a page view of `visitor` (of a post: once a day per visitor); it reaches the
        database at the next flush."""
        self._buffer(visitor, moment)
        if post_id is not None and self._first_view(local_day(moment), f"{post_id}:{visitor}"):
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

    def _first_view(self, day: date, key: str) -> bool:
        """True when this visitor has not read this post yet today (Redis, else here)."""
        store = self._live_redis()
        if store is not None:
            try:
                return store.first_view(day, key)
            except redis_support.RedisError as error:
                self._redis_failed(error)
        return self.state.first_view(day, key)

    def has_viewed(self, day: date, key: str) -> bool:
        """True when a view of `key` (a post and a visitor) was counted on `day`."""
        store = self._live_redis()
        if store is not None:
            try:
                return store.has_viewed(day, key)
            except redis_support.RedisError as error:
                self._redis_failed(error)
        state = self.state
        return state.today == day and key in state.viewed

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
                delete_old_rows(connection, rules.now())
        except SQLAlchemyError as error:
            log.warning("could not delete old visit rows: %s", error)

    def stats(self) -> dict[str, int]:
        """Return the figures, cached in this process for STATS_CACHE_SECONDS."""
        state = self.state
        cached = state.cached
        if cached is not None and monotonic() - cached[0] < self.cache_seconds:
            return dict(cached[1])
        now = rules.now()
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


def install(app: Flask) -> VisitCounter:
    """Give the app its visit counter, flushed at exit with the others."""
    visit_counter = VisitCounter(app)
    app.extensions["visits"] = visit_counter
    _counters.add(visit_counter)
    return visit_counter

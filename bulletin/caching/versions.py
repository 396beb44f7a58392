"""The shared version every kept page and body is made under, and what bumps it.

The version lives in Redis when REDIS_URL is set, else in the `cache_versions` table. Any
commit through the ORM session that writes a table readers might see bumps it once the change
is visible to other processes; `bump()` does it for changes made outside the session (bulk
SQL, a command, settings kept outside the database). A process that cannot read the version
keeps nothing and serves nothing kept.
"""

import logging
from time import monotonic

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bulletin import redis_support
from bulletin.extensions import db
from bulletin.models import CacheVersion

log = logging.getLogger(__name__)

VERSION_NAME = "pages"
READ_VERSION = f"SELECT version FROM cache_versions WHERE name = '{VERSION_NAME}'"  # noqa: S608
# Writes to these tables never change what anonymous readers see.
PRIVATE_TABLES = {"users", "user_organizations", "login_attempts", "audit_log",
                  "visit_days", "visit_totals", "visitors_seen", "cache_versions",
                  "post_revisions", "award_history", "pending_steps"}
ENVIRON_KEY = "bulletin.cache_version"  # the version this request read
REDIS_TIMEOUT = 0.5
REDIS_RETRY_SECONDS = 30


def column():
    """The version as a column of another query (see `Versions.wanted`)."""
    return (select(CacheVersion.version).where(CacheVersion.name == VERSION_NAME)
            .scalar_subquery().label("pages_version"))


class Versions:
    """Reads and bumps the shared version: in Redis when configured, else in the database."""

    def __init__(self, app: Flask):
        url = app.config.get("REDIS_URL")
        self.redis = redis_support.connect(url, REDIS_TIMEOUT) if url else None
        self.key = app.config["PAGE_CACHE_REDIS_KEY"]
        self.redis_retry_at = 0.0

    def current(self) -> int | None:
        """Return the current version, read once per request (then nothing caches on None).

        The header, the site's settings and a kept body all ask for it: one read serves
        them, and a bump in the request (its own commit) forgets it.
        """
        if not has_request_context():
            return self.read()
        if ENVIRON_KEY not in request.environ:
            request.environ[ENVIRON_KEY] = self.read()
        return request.environ[ENVIRON_KEY]

    def wanted(self) -> bool:
        """Whether another query should carry the version (`column()`) for this request: it is
        kept in the database and not read yet. A logged-in request reads it with the
        account's row (`remember`), one round trip fewer on every staff page."""
        return (self.redis is None and has_request_context()
                and ENVIRON_KEY not in request.environ)

    def remember(self, value: int | None) -> None:
        """Keep a version read by another query (see `column`) as this request's."""
        request.environ.setdefault(ENVIRON_KEY, value or 0)

    def read(self) -> int | None:
        """Read the current version, or None when it cannot be read."""
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
        """Make every process drop what it keeps."""
        if has_request_context():
            request.environ.pop(ENVIRON_KEY, None)
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


def of(app: Flask | None = None) -> Versions:
    """Return the app's shared version."""
    return (app or current_app).extensions["cache_versions"]


def current(app: Flask | None = None) -> int | None:
    """Return the shared version now (None when it cannot be read)."""
    return of(app).current()


def bump(app: Flask | None = None) -> None:
    """Drop every kept page and body in every process: call after changing what readers see.

    Commits through the ORM session bump by themselves; call this after bulk SQL, a
    command-line change or a change of site settings kept outside the database.
    """
    app = app or current_app
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        of(app).bump()


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
    note_written(state.session, getattr(table, "name", None))


def note_written(session_: Session, table_name: str | None) -> None:
    """Count rows written to `table_name` outside the ORM (a COPY) as a change at commit."""
    if table_name not in PRIVATE_TABLES:
        session_.info["pagecache_dirty"] = True


def _after_commit(session_: Session) -> None:
    """Bump the version once the change is visible to other processes."""
    if (session_.info.pop("pagecache_dirty", False) and current_app
            and "cache_versions" in current_app.extensions):
        try:
            bump()
        except SQLAlchemyError as error:
            log.error("cannot bump the page cache version: %s", error)


def _after_rollback_soft(session_: Session, previous_transaction) -> None:
    """Forget the mark when the outermost transaction rolls back: it changed nothing."""
    if previous_transaction.parent is None:
        session_.info.pop("pagecache_dirty", None)


def listen(session_class) -> None:
    """Watch the app's sessions for commits that change public content."""
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_flush", _note_flush)
        event.listen(session_class, "do_orm_execute", _note_bulk)
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_rollback_soft)


def init_app(app: Flask) -> None:
    """Make the app's shared version and bump it on public commits."""
    app.extensions["cache_versions"] = Versions(app)
    listen(Session)

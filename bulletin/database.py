"""Database set-up: SQLite pragmas, migrating the embedded database on first start, health."""

import contextlib
import fcntl
import logging
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bulletin import disk, search, standard, sweep
from bulletin.auth.passwords import hash_password, password_problem
from bulletin.extensions import db
from bulletin.models import CacheVersion, User

log = logging.getLogger(__name__)

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")
# `revision = "…"` and `down_revision = "…"` (or None) as our migration files write them.
REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:["']([\w-]+)["']|None)\s*$""", re.M)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def include_in_autogenerate(name, type_, _parent_names) -> bool:
    """Keep tables managed by hand-written migrations (search indexes, trigger-kept counts)
    out of autogenerate."""
    return not (type_ == "table" and name and name.startswith(("search_", "award_counts")))


def is_sqlite(app: Flask | None = None) -> bool:
    """Return True when the app runs on the embedded SQLite database."""
    app = app or current_app
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def prepare(app: Flask) -> None:
    """Make the folders and check the schema; migrate and fill a new install once.

    A worker's start costs one query when the database is current and its first-start data
    is in place: seeding, ANALYZE and the upload sweep run only when they are due (guarded
    by a version row, the migration that just ran, or the sweep's marker file), never on
    every start.
    """
    # Owner only: the database holds password hashes, the uploads drafts' files.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        Path(app.config["UPLOAD_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        # The board still starts; /healthz reports the upload folder as not writable.
        log.exception("cannot make the upload folder")
    create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    auto = app.config["AUTO_MIGRATE"]
    if auto is None:
        auto = is_sqlite(app)
    if not Path(MIGRATIONS_DIR, "env.py").exists():
        return
    with app.app_context():
        try:
            at_head = schema_is_current()
            if not at_head:
                refuse_newer_database()
                if auto:
                    migrate_to_head(app)
                at_head = not needs_upgrade()
            if at_head:
                if first_start_due():
                    first_start(app)
                ensure_admin(app)
                sweep.sweep_if_due()
        except OperationalError:
            # The board still starts; /healthz reports the database as unavailable.
            log.exception("the database is not reachable at start")
        finally:
            db.session.remove()
            # Workers forked after this (gunicorn --preload) must not share its connections.
            db.engine.dispose()


def create_private_sqlite_file(uri: str) -> None:
    """Create a new SQLite database file readable by its owner only (0600).

    SQLite gives its -wal and -shm files the database file's permissions, so they follow."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    if not path.parent.is_dir():
        return  # a folder that does not exist is reported by /healthz, not made up here
    # An existing database keeps the permissions its owner gave it.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def refresh_statistics() -> None:
    """Let SQLite's planner know the tables' sizes (it picks list indexes by them).

    Without statistics SQLite can sort every published post for the home page; with
    analysis_limit the sampling stays quick even at 100,000 posts.
    """
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


def first_start_due() -> bool:
    """Return True when this database has not had this code's first-start data yet."""
    done = db.session.scalar(db.select(CacheVersion.version).where(
        CacheVersion.name == standard.STANDARD_DATA_NAME))
    return done is None or done < standard.STANDARD_DATA_VERSION


def first_start(app: Flask) -> None:
    """Once per database (and per change of the standard data): the standard organizations,
    categories and kinds, the search index, the planner's statistics; then the guard row."""
    try:
        standard.ensure_standard_data()
        search.rebuild_if_missing()
        row = db.session.get(CacheVersion, standard.STANDARD_DATA_NAME)
        if row is None:
            db.session.add(CacheVersion(name=standard.STANDARD_DATA_NAME,
                                        version=standard.STANDARD_DATA_VERSION))
        else:
            row.version = standard.STANDARD_DATA_VERSION
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker starting at the same moment did it
    if is_sqlite(app):
        refresh_statistics()


def ensure_admin(app: Flask) -> None:
    """Create the account `admin` from BULLETIN_ADMIN_PASSWORD when there is no account yet."""
    password = app.config.get("BULLETIN_ADMIN_PASSWORD")
    if not password:
        return
    problem = password_problem(password, "admin")
    if problem:
        log.error("BULLETIN_ADMIN_PASSWORD refused, no admin created: %s", problem)
        return
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        return
    try:
        db.session.add(User(username="admin", full_name="Quản trị viên", role="admin",
                            password_hash=hash_password(password)))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker starting at the same moment did it


def code_heads() -> set[str] | None:
    """The newest migrations of this code, read from the files without Alembic.

    None when a file is not in the plain form Alembic writes (one revision, one
    down_revision or None): Alembic itself then decides.
    """
    revisions, parents = set(), set()
    for path in Path(MIGRATIONS_DIR, "versions").glob("*.py"):
        lines = REVISION_LINE.findall(path.read_text(encoding="utf-8"))
        found = dict(lines)
        if len(lines) != 2 or not found.get("revision") or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    return (revisions - parents) or None


def schema_is_current() -> bool:
    """Return True when the database is at this code's newest migration, asked in plain SQL.

    Every worker checks at start; Alembic (about 11 MB with Mako and Pygments) is loaded
    only when the answer is no, to upgrade or to refuse a newer database.
    """
    heads = code_heads()
    if heads is None:
        return False
    try:
        with db.engine.connect() as connection:
            current = set(connection.exec_driver_sql(
                "SELECT version_num FROM alembic_version").scalars())
    except DBAPIError:
        return False  # no version table yet, or no database: Alembic's checks say which
    return current == heads


def migrate_to_head(app: Flask) -> None:
    """Upgrade the database to the newest migration, once even with several workers starting."""
    from flask_migrate import upgrade

    if not needs_upgrade():
        return
    lock_path = Path(app.instance_path) / "migrate.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if needs_upgrade():
                log.info("migrating the database to the newest schema")
                upgrade(directory=MIGRATIONS_DIR)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class DatabaseTooNew(RuntimeError):
    """The database was upgraded by a newer version of Bảng tin than this one."""


def refuse_newer_database() -> None:
    """Stop at start when the database is at a migration this code does not know."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(MIGRATIONS_DIR)
    known = {revision.revision for revision in script.walk_revisions()}
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    unknown = sorted(current - known)
    if unknown:
        raise DatabaseTooNew(
            f"The database is at schema revision {', '.join(unknown)}, which this version of "
            f"Bảng tin does not know: a newer version upgraded it. Start that newer version "
            f"again, or restore a backup made with this version (flask --app app restore). "
            f"Nothing was changed.")


def needs_upgrade() -> bool:
    """Return True when the database is not at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(MIGRATIONS_DIR)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())


def database_answers() -> bool:
    """Return True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        log.exception("health check: the database does not answer")
        db.session.rollback()
        return False
    return True


def upload_folder_problem() -> str | None:
    """Say what keeps a file from being created, written and removed in UPLOAD_DIR."""
    folder = current_app.config["UPLOAD_DIR"]
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-", suffix=".tmp") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        log.exception("health check: the upload folder is not writable")
        return "upload folder: disk full" if disk.is_disk_full(error) else \
            "upload folder not writable"
    # root may still write into the blocks a disk keeps for it: the service user may not.
    if disk.free_bytes(Path(folder)) == 0:
        return "upload folder: disk full"
    return None


def upload_folder_writable() -> bool:
    """Return True when a file can be created, written and removed in UPLOAD_DIR."""
    return upload_folder_problem() is None


def disk_warnings() -> list[str]:
    """Name the places (never their paths) with less free space than LOW_DISK_MB."""
    return [f"warning: low disk space for the {place.name} "
            f"({place.free // disk.MB} MB free, below {disk.low_limit() // disk.MB} MB)"
            for place in disk.places() if place.is_low]


def healthz():
    """Answer `ok` when the database answers and the upload folder is writable; else 503
    naming what failed (never a path, address or password). Low free space adds warning
    lines after `ok` (and the X-Health-Warning header) without failing the check."""
    problems = []
    if not database_answers():
        problems.append("database unavailable")
    elif (database_file := disk.sqlite_file()) and disk.free_bytes(database_file.parent) == 0:
        problems.append("database: disk full")
    upload_problem = upload_folder_problem()
    if upload_problem:
        problems.append(upload_problem)
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    if problems:
        return "\n".join(problems), 503, headers
    warnings = disk_warnings()
    if warnings:
        headers["X-Health-Warning"] = "low disk space"
    return "\n".join(["ok", *warnings]), 200, headers

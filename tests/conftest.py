"""Fixtures: the app on a fresh database per test, on SQLite and on PostgreSQL.

Every test that uses `app` runs once per database. The PostgreSQL leg uses
TEST_POSTGRES_URL (default: the local server's `postgres` user); when that server cannot be
reached it is skipped with a message, except under CI=true, where it fails.
"""

import contextvars
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
import pytest
import redis
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select, text
from sqlalchemy.pool import NullPool
from werkzeug.routing.rules import Rule

from bulletin import create_app
from bulletin.database import MIGRATIONS_DIR, first_start
from bulletin.extensions import db
from tests import factories

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASES = [d for d in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",") if d]

BASE_CONFIG = {
    "TESTING": True,
    "AUTO_MIGRATE": False,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "ARGON2_COST": (1, 1024, 1),
    "SERVER_NAME": "localhost",
    "VISITS_FLUSH_SECONDS": 0,
    "STATS_CACHE_SECONDS": 0,
}


_BUILDERS: dict = {}
_compile_builder = Rule._compile_builder


def _cached_builder(self, append_unknown=True):
    """Werkzeug's URL builder of a rule, compiled once per test session.

    Every test builds an app, and compiling its ~130 rules' builders (Python code generated
    and compiled per rule) was 80 % of `create_app`. The generated function takes the rule as
    its first argument, so one compiled for an identical rule serves every app's copy.
    """
    key = (self.rule, self.subdomain, self.host, self.merge_slashes, append_unknown,
           tuple(self._trace), repr(sorted((self.defaults or {}).items())),
           tuple(sorted((name, type(converter).__name__)
                        for name, converter in self._converters.items())))
    if key not in _BUILDERS:
        _BUILDERS[key] = _compile_builder(self, append_unknown)
    return _BUILDERS[key]


Rule._compile_builder = _cached_builder


class IsolatedClient(FlaskClient):
    """A test client whose requests run like a real server's: their own app context.

    Tests keep an app context open to make rows; without this, a request would share the
    test's `g` and database session (Flask reuses an active app context), hiding bugs.
    """

    def open(self, *args, **kwargs):
        """Run the request in an empty context, so it pushes its own app context."""
        return contextvars.Context().run(super().open, *args, **kwargs)


def _postgres_database(name: str) -> str:
    """Create an empty PostgreSQL database and return its URL (skip if unreachable)."""
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message + " (the PostgreSQL leg is skipped outside CI)")
    return re.sub(r"/[^/]*$", f"/{name}", POSTGRES_URL)


def _drop_postgres_database(name: str) -> None:
    """Drop a test database, closing what still uses it."""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Kept by triggers from the awards: never written back from a snapshot; inserting the awards
# fills it again.
TRIGGER_KEPT = {"award_counts"}


class Snapshot:
    """A database's rows (a new install's, or a state a module seeds once), put back in
    milliseconds.

    Emptying every table (TRUNCATE on PostgreSQL took 0.7 s a test) and seeding again cost
    more than most tests; instead the tables a test wrote to are found with one query, those
    and the seeded ones are emptied children first and the seeded rows written back, and the
    id sequences are reset, so every test starts from the same database a new install has.
    """

    def __init__(self, url: str):
        self.engine = create_engine(url, poolclass=NullPool)
        self.postgres = self.engine.dialect.name == "postgresql"
        with self.engine.connect() as conn:
            reflected = MetaData()
            reflected.reflect(conn, only=lambda name, _meta: self._is_data(name))
            # Parents before children, as the database's own foreign keys say; the counts
            # kept by triggers first, so that they are emptied after the rows feeding them.
            names = [table.name for table in reflected.sorted_tables]
            self.order = sorted(names, key=lambda name: name not in TRIGGER_KEPT)
            self.seeded = {name: self._rows(conn, name) for name in self.order
                           if name not in TRIGGER_KEPT}
            self.seeded = {name: rows for name, rows in self.seeded.items() if rows[1]}
            self.sequences = self._sequences(conn)
        self.any_rows = text(" UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in self.order))

    @staticmethod
    def _is_data(name: str) -> bool:
        """A table of ours (not Alembic's, not SQLite's own or an FTS5 shadow table)."""
        return name not in ("alembic_version", "sqlite_sequence") and not name.startswith(
            "search_posts_")

    def _rows(self, conn, name: str) -> tuple[Table, list[dict]]:
        """A table (reflected) and its rows, in primary-key order."""
        table = Table(name, MetaData(), autoload_with=conn)
        if not table.primary_key.columns and not self.postgres:
            # The SQLite search index (FTS5) keys its rows by rowid: the post's id.
            table.append_column(Column("rowid", Integer))
        order = list(table.primary_key.columns) or list(table.columns)[-1:]
        return table, [dict(row) for row in conn.execute(select(table).order_by(*order))
                       .mappings()]

    def _sequences(self, conn) -> list[tuple]:
        """Every id sequence's position (PostgreSQL) or SQLite's AUTOINCREMENT counters."""
        if self.postgres:
            return list(conn.execute(text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                "FROM pg_sequences WHERE schemaname = current_schema()")))
        has_counters = conn.execute(text(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first()
        return list(conn.execute(text("SELECT name, seq FROM sqlite_sequence"))) \
            if has_counters else []

    def restore(self) -> None:
        """Put the database back as it was when the snapshot was taken."""
        with self.engine.begin() as conn:
            written = set(conn.execute(self.any_rows).scalars())
            touched = [name for name in self.order if name in written or name in self.seeded]
            if not self.postgres:
                conn.execute(text("PRAGMA defer_foreign_keys=ON"))
            if "organizations" in written:
                # Branches let go of their parents first (ON DELETE RESTRICT, row by row).
                conn.execute(text("UPDATE organizations SET parent_id = NULL"))
            for name in reversed(touched):
                conn.execute(text(f'DELETE FROM "{name}"'))
            for name in touched:
                if name in self.seeded:
                    table, rows = self.seeded[name]
                    conn.execute(table.insert(), rows)
            self._reset_sequences(conn)

    def _reset_sequences(self, conn) -> None:
        """Ids start where they started in the snapshot."""
        if self.postgres and self.sequences:
            calls = ", ".join(
                f"setval('{name}', {value}, true)" if value is not None
                else f"setval('{name}', 1, false)" for name, value in self.sequences)
            conn.execute(text(f"SELECT {calls}"))
        elif not self.postgres:
            has_counters = conn.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first()
            if has_counters:
                conn.execute(text("DELETE FROM sqlite_sequence"))
                for name, seq in self.sequences:
                    conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:n, :s)"),
                                 {"n": name, "s": seq})


@dataclass
class TestDatabase:
    """This worker's database of one kind: its URL, a new install's snapshot, saved states."""

    url: str
    base: Snapshot
    saved: dict = field(default_factory=dict)


@pytest.fixture(scope="session", params=DATABASES)
def database(request, tmp_path_factory) -> TestDatabase:
    """A database of this worker's own, migrated and with a new install's data, once per
    session and database kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        name = None
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"bulletin_test_{worker}_{uuid.uuid4().hex[:8]}"
        url = _postgres_database(name)
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url, "UPLOAD_DIR": str(uploads),
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        first_start(app)
        db.session.remove()
        db.engine.dispose()
    found = TestDatabase(url, Snapshot(url))
    yield found
    for snapshot in [found.base, *(saved[0] for saved in found.saved.values())]:
        snapshot.engine.dispose()
    if name:
        _drop_postgres_database(name)


@pytest.fixture
def database_url(database) -> str:
    """The URL of this worker's test database (put back as a new install's after the test)."""
    yield database.url
    database.base.restore()


@pytest.fixture
def seed_once(database, database_url, tmp_path, tmp_path_factory):
    """`seed_once(name, build)`: the state `build()` makes (rows and uploads), made once per
    worker and database and put back for every later test that asks for it; returns what
    `build()` returned. The test's database is put back as a new install's afterwards."""

    def use(name: str, build):
        uploads = tmp_path / "uploads"
        if name not in database.saved:
            result = build()
            folder = tmp_path_factory.mktemp(f"saved-{name}")
            if uploads.exists():
                shutil.copytree(uploads, folder / "uploads")
            database.saved[name] = (Snapshot(database.url), folder, result)
            return result
        snapshot, folder, result = database.saved[name]
        snapshot.restore()
        if (folder / "uploads").exists():
            shutil.copytree(folder / "uploads", uploads, dirs_exist_ok=True)
        return result

    return use


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on the test database with extra settings; the database is put back after."""
    apps = []

    def build(**overrides):
        config = {**BASE_CONFIG, "DATABASE_URL": database_url,
                  "INSTANCE_PATH": str(tmp_path / "instance"),
                  "UPLOAD_DIR": str(tmp_path / "uploads"),
                  "BACKUP_DIR": str(tmp_path / "backups"), **overrides}
        new_app = create_app(config)
        new_app.test_client_class = IsolatedClient
        apps.append(new_app)
        return new_app

    yield build
    for built in apps:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app with the standard organizations, inside an app context."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path="/login") -> str:
        """Return a CSRF token from a page's form."""
        html = self.client.get(path).get_data(as_text=True)
        tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
        return re.search(r'value="([^"]+)"', tag).group(1)

    def login(self, username="admin", password="correct-horse-battery", **extra):
        """Post the login form."""
        data = {"username": username, "password": password,
                "csrf_token": self.csrf_token(), **extra}
        return self.client.post("/login", data=data)

    def logout(self):
        """Post the logout form."""
        return self.client.post("/logout", data={"csrf_token": self.csrf_token("/")})


@pytest.fixture
def auth(client):
    """Login helper bound to `client`."""
    return AuthActions(client)


@pytest.fixture
def make():
    """The row factories (`make.post(...)`, `make.user(...)`, …)."""
    return factories


@contextmanager
def redis_key_prefix(label: str, skipped_what: str):
    """A key prefix of its own in the test Redis, its keys deleted afterwards.

    Without Redis the test fails in CI, and is skipped elsewhere (`skipped_what` says which).
    """
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis at {REDIS_URL} is not reachable: {error}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(f"{message} ({skipped_what} skipped outside CI)")
    prefix = f"{label}:{uuid.uuid4().hex}:"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()

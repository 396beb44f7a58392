"""Fixtures: the app on a fresh database per test, on SQLite and on PostgreSQL.

Every test that uses `app` runs once per database. The PostgreSQL leg uses
TEST_POSTGRES_URL (default: the local server's `postgres` user); when that server cannot be
reached it is skipped with a message, except under CI=true, where it fails.
"""

import contextvars
import os
import re
import uuid
from contextlib import contextmanager

import psycopg
import pytest
import redis
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from bulletin import create_app
from bulletin.database import MIGRATIONS_DIR
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


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the whole session: SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        name = None
    else:
        name = f"bulletin_test_{uuid.uuid4().hex[:8]}"
        url = _postgres_database(name)
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url,
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads"))})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    yield url
    if name:
        _drop_postgres_database(name)


def _empty_all_tables() -> None:
    """Delete every row, so the next test starts from a fresh database."""
    # The search index tables are made by migrations, not models: empty them too.
    tables = [t.name for t in db.metadata.sorted_tables] + ["search_posts", "search_terms",
                                                            "award_counts"]
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{t}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        # Checked at commit, when every table is empty; branches first let go of their
        # parents, since SQLite applies ON DELETE RESTRICT row by row.
        db.session.execute(text("PRAGMA defer_foreign_keys=ON"))
        db.session.execute(text("UPDATE organizations SET parent_id = NULL"))
        for table in reversed(tables):
            db.session.execute(text(f'DELETE FROM "{table}"'))
    db.session.commit()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on the test database with extra settings; tables are emptied afterwards."""
    apps = []

    def build(**overrides):
        config = {**BASE_CONFIG, "DATABASE_URL": database_url,
                  "UPLOAD_DIR": str(tmp_path / "uploads"),
                  "BACKUP_DIR": str(tmp_path / "backups"), **overrides}
        new_app = create_app(config)
        new_app.test_client_class = IsolatedClient
        apps.append(new_app)
        return new_app

    yield build
    if apps:
        with apps[0].app_context():
            db.session.remove()
            _empty_all_tables()
            db.session.remove()
        for built in apps:
            with built.app_context():
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

"""Configuration: defaults, then the environment, then the mapping given to `create_app`."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "UPLOAD_DIR",
    "READ_REQUIRES_LOGIN",
    "REDIS_URL",
    "BULLETIN_ADMIN_PASSWORD",
    "TRUSTED_PROXIES",
)

TRUE_WORDS = {"1", "true", "yes", "on"}


def defaults(instance_path: str) -> dict:
    """Return the settings used when neither the environment nor the caller says otherwise."""
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'bulletin.db'}",
        "UPLOAD_DIR": str(Path(instance_path) / "uploads"),
        "READ_REQUIRES_LOGIN": False,
        "REDIS_URL": None,
        "BULLETIN_ADMIN_PASSWORD": None,
        "TRUSTED_PROXIES": 0,  # reverse proxies in front of the app (X-Forwarded-For)
        "AUTO_MIGRATE": None,  # None: migrate on start for SQLite, not for a shared server
        "POSTS_PER_PAGE": 20,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "MAX_IMAGE_PIXELS": 40_000_000,
        "MAX_IMAGE_BYTES": 20 * 1024 * 1024,
        "MAX_ATTACHMENT_BYTES": 30 * 1024 * 1024,
        "IMAGE_LARGE_SIZE": 2000,
        "IMAGE_THUMB_SIZE": (480, 360),
        "VISITS_FLUSH_SECONDS": 3.0,
        "VISITS_REDIS_PREFIX": "bulletin:visits:",
        "STATS_CACHE_SECONDS": 3.0,
        "SITE_CACHE_SECONDS": 30.0,  # how long a process reuses the site settings it read
        "PENDING_UPLOAD_HOURS": 24,  # uploads of an abandoned form are swept after this
        "BACKUP_DIR": str(Path(instance_path) / "backups"),  # made and listed by /admin/backups
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_NAME": "remember_token",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "SESSION_IDLE_MINUTES": 120,
        "SESSION_MAX_HOURS": 12,
        "ARGON2_COST": (3, 65536, 4),  # time cost, memory (KiB), parallelism
        "SEND_FILE_MAX_AGE_DEFAULT": 7 * 24 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


def from_environment(environ=os.environ) -> dict:
    """Read the contract's settings from environment variables."""
    found = {name: environ[name] for name in ENV_SETTINGS if environ.get(name)}
    if "READ_REQUIRES_LOGIN" in found:
        found["READ_REQUIRES_LOGIN"] = found["READ_REQUIRES_LOGIN"].lower() in TRUE_WORDS
    return found


def database_uri(url: str) -> str:
    """Turn a DATABASE_URL into an SQLAlchemy URI, using psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Return a secret key kept in the instance folder, made on first use.

    A fresh install works without configuration and its sessions survive restarts; several
    workers on one machine share the file. Production sets SECRET_KEY instead.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()

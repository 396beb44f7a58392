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
    "SECURE_COOKIES",
    "BASE_URL",
    "TRUSTED_HOSTS",
    "REQUIRE_2FA_ROLES",
    "BACKUP_DIR",
    "BACKUP_KEEP_DAILY",
    "BACKUP_KEEP_MONTHLY",
    "BACKUP_PASSPHRASE",
    "PAGE_CACHE_SECONDS",
    "LOW_DISK_MB",
    "TRUST_FORWARDED_HOST",
    "IMPORT_MEMORY_MB",
    "IMPORT_TIMEOUT_SECONDS",
    "TOTP_KEYS",
)
# How a setting's text becomes its value; a setting not named here stays text.
BOOLEANS = ("READ_REQUIRES_LOGIN", "SECURE_COOKIES", "TRUST_FORWARDED_HOST")
INTEGERS = ("TRUSTED_PROXIES", "BACKUP_KEEP_DAILY", "BACKUP_KEEP_MONTHLY", "LOW_DISK_MB",
            "IMPORT_MEMORY_MB", "IMPORT_TIMEOUT_SECONDS")
NUMBERS = ("PAGE_CACHE_SECONDS",)
LISTS = ("REQUIRE_2FA_ROLES", "TRUSTED_HOSTS")

TRUE_WORDS = {"1", "true", "yes", "on"}


def defaults(instance_path: str) -> dict:
    """Return the settings used when neither the environment nor the caller says otherwise."""
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'bulletin.db'}",
        "UPLOAD_DIR": str(Path(instance_path) / "uploads"),
        "READ_REQUIRES_LOGIN": False,
        "REDIS_URL": None,
        "BULLETIN_ADMIN_PASSWORD": None,
        "TRUSTED_PROXIES": 0,  # reverse proxies in front of the app (X-Forwarded-*)
        "SECURE_COOKIES": False,  # True: cookies are Secure even when the app sees plain HTTP
        "BASE_URL": None,  # e.g. https://bangtin.xa.vn: absolute links (feeds) use it, not Host
        "TRUSTED_HOSTS": None,  # host names the app answers to (others get 400)
        # Roles that must enrol in two-factor login before doing anything (e.g. "admin,
        # secretary"). Empty: an enrolled account always needs its code, admins and
        # secretaries are reminded to enrol at each login, nobody is blocked.
        "REQUIRE_2FA_ROLES": (),
        "TWO_FACTOR_ISSUER": "Bảng tin",
        "AUTO_MIGRATE": None,  # None: migrate on start for SQLite, not for a shared server
        "POSTS_PER_PAGE": 20,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "MAX_IMAGE_PIXELS": 40_000_000,  # one photo, read from its header before decoding
        "MAX_REQUEST_PIXELS": 120_000_000,  # all photos of one request together
        # Text fields: one multipart part, or a whole urlencoded body (also capped here). A
        # post body of 500,000 Vietnamese characters, percent-encoded, stays under it.
        "MAX_FORM_MEMORY_SIZE": 5 * 1024 * 1024,
        "MAX_FORM_PARTS": 1000,  # fields of one form, multipart or urlencoded
        "MAX_IMAGE_BYTES": 20 * 1024 * 1024,
        "MAX_ATTACHMENT_BYTES": 30 * 1024 * 1024,
        "IMAGE_LARGE_SIZE": 2000,
        "IMAGE_THUMB_SIZE": (480, 360),
        "VISITS_FLUSH_SECONDS": 3.0,
        "VISITS_REDIS_PREFIX": "bulletin:visits:",
        "STATS_CACHE_SECONDS": 3.0,
        "PAGE_CACHE_SECONDS": 60.0,  # 0 turns the anonymous readers' page cache off
        "PAGE_CACHE_ENTRIES": 400,
        "PAGE_CACHE_MAX_BYTES": 16 * 1024 * 1024,
        "PAGE_CACHE_REDIS_KEY": "bulletin:pages:version",
        "SITE_CACHE_SECONDS": 30.0,  # how long a process reuses the site settings it read
        "PENDING_UPLOAD_HOURS": 24,  # uploads of an abandoned form are swept after this
        "BACKUP_DIR": str(Path(instance_path) / "backups"),  # made and listed by /admin/backups
        # Retention of the folder /admin/backups writes into ("Sao lưu ngay"), as the nightly
        # timer's --keep-daily/--keep-monthly: the newest of each of the last N days, M months.
        "BACKUP_KEEP_DAILY": 14,
        "BACKUP_KEEP_MONTHLY": 12,
        "BACKUP_PASSPHRASE": None,  # set: backups are encrypted with it (and need it back)
        "LOW_DISK_MB": 256,  # /healthz warns, and admin pages show it, below this free space
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
        # Security, second round (issue 20).
        # True: the proxy (TRUSTED_PROXIES) sets X-Forwarded-Host itself, so it is believed.
        "TRUST_FORWARDED_HOST": False,
        "IMPORT_MEMORY_MB": 1024,  # an import's file is read in a child process this big
        "IMPORT_TIMEOUT_SECONDS": 120,  # … and stopped after this long
        # Fernet keys (comma-separated, the first encrypts) for two-factor secrets; unset:
        # instance/totp.key, made on first use. See bulletin/auth/secret_box.py.
        "TOTP_KEYS": None,
    }


def from_environment(environ=os.environ) -> dict:
    """Read the settings the README lists from environment variables."""
    found = {name: environ[name] for name in ENV_SETTINGS if environ.get(name)}
    for name, value in found.items():
        found[name] = convert(name, value)
    return found


def convert(name: str, value: str):
    """Turn a setting's text into its value: a flag, a number or a comma-separated list."""
    if name in BOOLEANS:
        return value.strip().lower() in TRUE_WORDS
    if name in INTEGERS or name in NUMBERS:
        try:
            return int(value) if name in INTEGERS else float(value)
        except ValueError:
            raise ValueError(f"the setting {name} must be a number, not {value!r}") from None
    if name in LISTS:
        items = [item.strip() for item in value.split(",") if item.strip()]
        return tuple(items) if name == "REQUIRE_2FA_ROLES" else items
    return value


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

"""Two-factor secrets encrypted at rest, with a key kept outside the database.

A TOTP secret is stored (users.totp_sealed) as `enc1:` + a Fernet token (AES-128-CBC with
an HMAC-SHA256). The keys come from the TOTP_KEYS setting (Fernet keys, comma-separated, the
first one encrypts) or, when it is unset, from the file `instance/totp.key` (one key a line),
made on first use with mode 0600. A backup of the database alone therefore holds no usable secret.

Rotation: put a new key first (in TOTP_KEYS, or as the file's first line), keep the old ones
after it, run `flask --app app rotate-2fa-key` (it re-encrypts every secret with the first
key), then remove the old keys. A secret written in clear before (users.totp_secret) is
still read; the migration and `rotate-2fa-key` encrypt it and empty that column.
"""

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bulletin.extensions import db
from bulletin.models import User

PREFIX = "enc1:"
KEY_FILE = "totp.key"


class SecretKeyError(RuntimeError):
    """A stored secret that none of the configured keys opens."""


def _key_file(app: Flask) -> Path:
    """The instance folder's key file, made with one new key on first use (mode 0600)."""
    path = Path(app.instance_path) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it a moment ago
            return path
        from cryptography.fernet import Fernet

        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode("ascii") + "\n")
    return path


def keys(app: Flask | None = None) -> list[str]:
    """The keys, the one that encrypts first: TOTP_KEYS, else the instance's key file."""
    app = app or current_app
    configured = app.config.get("TOTP_KEYS")
    if isinstance(configured, str):
        configured = configured.split(",")
    found = [key.strip() for key in configured or () if key.strip()]
    if not found:
        found = [line.strip() for line in _key_file(app).read_text().splitlines()
                 if line.strip() and not line.startswith("#")]
    return found


def _box(app: Flask | None = None):
    """A MultiFernet of the keys: encrypts with the first, opens with any.

    cryptography (about 8 MB) is loaded here, by a two-factor step, not by every worker."""
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(key.encode("ascii")) for key in keys(app)])


def is_encrypted(stored: str | None) -> bool:
    """True for a stored secret in its encrypted form."""
    return bool(stored) and stored.startswith(PREFIX)


def seal(secret: str, app: Flask | None = None) -> str:
    """The stored form of a secret: encrypted with the first key."""
    return PREFIX + _box(app).encrypt(secret.encode("ascii")).decode("ascii")


def open_secret(stored: str | None, app: Flask | None = None) -> str | None:
    """The secret a stored value holds (a clear one from before encryption as it is)."""
    if not stored or not is_encrypted(stored):
        return stored or None
    from cryptography.fernet import InvalidToken

    try:
        return _box(app).decrypt(stored[len(PREFIX):].encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise SecretKeyError("no configured TOTP key opens a stored two-factor secret: "
                             "is TOTP_KEYS (or instance/totp.key) the one it was made "
                             "with?") from error


def reseal(stored: str | None, app: Flask | None = None) -> str | None:
    """A stored secret encrypted again with the first key (a clear one encrypted)."""
    secret = open_secret(stored, app)
    return seal(secret, app) if secret else stored


def seal_clear_secrets(app: Flask | None = None) -> int:
    """Encrypt the secrets still kept in clear (users.totp_secret); return how many."""
    users = db.session.scalars(db.select(User).where(User.totp_secret.is_not(None))).all()
    for user in users:
        user.totp_sealed, user.totp_secret = seal(user.totp_secret, app), None
    return len(users)


@click.command("rotate-2fa-key")
@with_appcontext
def rotate_key_command():
    """Re-encrypt every two-factor secret with the first TOTP key (after adding a new one)."""
    sealed = db.session.scalars(db.select(User).where(User.totp_sealed.is_not(None))).all()
    for user in sealed:
        user.totp_sealed = reseal(user.totp_sealed)
    cleared = seal_clear_secrets()
    db.session.commit()
    click.echo(f"re-encrypted {len(sealed)} two-factor secrets with the first key"
               + (f", encrypted {cleared} kept in clear" if cleared else ""))

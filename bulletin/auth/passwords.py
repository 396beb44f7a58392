"""Password hashing with argon2id, and the password policy for new passwords."""

import string

import click
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from bulletin.auth.common_passwords import COMMON_PASSWORDS, CONTEXT_WORDS, SEQUENCES
from bulletin.text import fold, nfc

_hashers: dict[tuple, PasswordHasher] = {}
# One hash per cost, made once when the app starts (see `init_app`): verified when the
# username is unknown, so that path costs one verification, exactly like a known username.
_dummy_hashes: dict[tuple, str] = {}
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    """Return the hasher for the configured cost (tests lower it for speed)."""
    cost = tuple(current_app.config["ARGON2_COST"])
    if cost not in _hashers:
        time_cost, memory_cost, parallelism = cost
        _hashers[cost] = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
    return _hashers[cost]


def dummy_hash() -> str:
    """Return the fixed hash that unknown usernames are checked against (made once)."""
    cost = tuple(current_app.config["ARGON2_COST"])
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = _hasher().hash(_DUMMY_PASSWORD)
    return _dummy_hashes[cost]


def init_app(app) -> None:
    """Make the dummy hash at start, so no login request pays for hashing it.

    Not for a `flask` command (a `user create` would pay for a hash it never reads): there the
    hash is made on first use, which only `flask run`'s first login meets.
    """
    if click.get_current_context(silent=True) is not None:
        return
    with app.app_context():
        dummy_hash()


def hash_password(password: str) -> str:
    """Hash a password (NFC first, so a Vietnamese password typed either way matches)."""
    return _hasher().hash(nfc(password))


def check_password(stored_hash: str | None, password: str) -> bool:
    """Return True when `password` matches; never raises on a wrong or broken hash."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or dummy_hash(), nfc(password))
    except (VerificationError, InvalidHashError):
        return False


MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


def _squash(text: str) -> str:
    """Fold text and keep only letters and digits ("Mật khẩu 123" → "matkhau123")."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def is_too_common(password: str, username: str = "") -> bool:
    """Return True for a password on the shipped lists, a keyboard run, or the username."""
    if len(set(password)) < 3:  # "aaaaaaaa", "abababab"
        return True
    squashed = _squash(password)
    if not squashed:  # only symbols or emoji: nothing on our lists looks like that
        return False
    if squashed in COMMON_PASSWORDS or any(squashed in run for run in SEQUENCES):
        return True
    base = squashed.strip(string.digits)  # "congdoan2026" → "congdoan"
    return bool(base) and (base in CONTEXT_WORDS or base == _squash(username))


def password_problem(password: str | None, username: str = "") -> str | None:
    """Return what is wrong with a new password (a message for the user), or None."""
    password = nfc(password or "")
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Mật khẩu cần ít nhất %(n)d ký tự (bạn đã nhập %(given)d).",
                 n=MIN_PASSWORD_LENGTH, given=len(password))
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_PASSWORD_LENGTH)
    if is_too_common(password, username):
        return _("Mật khẩu này quá phổ biến hoặc dễ đoán. Hãy chọn mật khẩu khác, "
                 "ví dụ một câu ngắn dễ nhớ.")
    return None

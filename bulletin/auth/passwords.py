"""Password hashing with argon2id."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from bulletin.text import nfc

_hashers: dict[tuple, PasswordHasher] = {}

# Verified when the username is unknown, so both answers take the same time.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    """Return the hasher for the configured cost (tests lower it for speed)."""
    cost = tuple(current_app.config.get("ARGON2_COST", (3, 65536, 4)))
    if cost not in _hashers:
        time_cost, memory_cost, parallelism = cost
        _hashers[cost] = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
    return _hashers[cost]


def hash_password(password: str) -> str:
    """Hash a password (NFC first, so a Vietnamese password typed either way matches)."""
    return _hasher().hash(nfc(password))


def check_password(stored_hash: str | None, password: str) -> bool:
    """Return True when `password` matches; never raises on a wrong or broken hash."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or hasher.hash(_DUMMY_PASSWORD), nfc(password))
    except (VerificationError, InvalidHashError):
        return False

"""Two-factor login: TOTP codes (RFC 6238, pyotp), the enrolment QR code drawn here (segno),
and one-time recovery codes kept as hashes.

A code is accepted once: the time step it belongs to is recorded with a conditional UPDATE,
so a code seen over someone's shoulder (or sent twice at once) does not work a second time.
"""

import hashlib
import logging
import secrets
import time

import pyotp
from flask import current_app

from bulletin.auth import secret_box
from bulletin.extensions import db
from bulletin.models import RecoveryCode, User, utcnow

log = logging.getLogger(__name__)

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
PENDING_SECONDS = 300  # time allowed between the password and the code


def new_secret() -> str:
    """Return a fresh random TOTP secret (160 bits, base32)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """Return the QR code of `uri` as an SVG data: URI, drawn without any outside service."""
    import segno  # loaded by the enrolment page only

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _clean_code(code: str | None) -> str:
    """Return a typed code without spaces or dashes, lowercase."""
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()[:32]


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """Return the time step whose code `code` is (this one or a neighbour), or None."""
    code = _clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(time.time() if now is None else now)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def stored_secret(user: User) -> str | None:
    """The account's TOTP secret, decrypted (or as kept in clear before encryption); None
    when no configured key opens it (a database restored without its key: the app's codes
    fail, recovery codes and an admin's reset still work)."""
    try:
        return secret_box.open_secret(user.totp_sealed) or user.totp_secret or None
    except secret_box.SecretKeyError as error:
        log.error("two-factor secret of user %r: %s", user.username, error)
        return None


def use_totp_code(user: User, code: str) -> bool:
    """Accept a current code once: record its step atomically; False if wrong or reused."""
    secret = stored_secret(user)
    step = matching_step(secret, code) if secret else None
    if step is None:
        return False
    result = db.session.execute(
        db.update(User)
        .where(User.id == user.id,
               (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def hash_code(code: str) -> str:
    """Return the stored form of a recovery code."""
    return hashlib.sha256(_clean_code(code).encode()).hexdigest()


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code of `user` atomically; False if none matches."""
    if len(_clean_code(code)) != 10:
        return False
    result = db.session.execute(
        db.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_code(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; return them (shown once)."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
             for _ in range(RECOVERY_CODES)]
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_code(code))
                       for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def unused_recovery_codes(user: User) -> int:
    """Return how many recovery codes the account has left."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def enrol(user: User, secret: str) -> list[str]:
    """Turn two-factor login on with a confirmed secret; return the new recovery codes."""
    user.totp_sealed, user.totp_secret = secret_box.seal(secret), None
    user.totp_last_step = None
    return new_recovery_codes(user)


def turn_off(user: User) -> None:
    """Remove the account's two-factor app and recovery codes (an admin reset, or by choice)."""
    user.totp_sealed = user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))

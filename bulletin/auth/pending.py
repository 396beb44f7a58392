"""Steps of a login kept on the server, each named by a single-use nonce in the session.

"Password accepted, waiting for a code" and a two-factor enrolment's new secret used to sit
in the session cookie (signed, not encrypted, and not revocable for five minutes). Now the
cookie holds only a random nonce; the database keeps its hash, the account, what the step
needs, and when it expires. A nonce is spent once (a conditional DELETE), ending the account's
sessions forgets its steps, and an enrolment's secret is kept encrypted (secret_box).
"""

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from bulletin.extensions import db
from bulletin.models import PendingStep, User, utcnow


def _hash(nonce: str) -> str:
    """What the database keeps of a nonce."""
    return hashlib.sha256(nonce.encode()).hexdigest()


def start(user: User, purpose: str, payload: dict, seconds: int) -> str:
    """Keep a step of `user` for `seconds` (the caller commits); return its nonce."""
    nonce = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(db.delete(PendingStep).where(PendingStep.expires_at < now))
    db.session.execute(db.delete(PendingStep).where(PendingStep.user_id == user.id,
                                                    PendingStep.purpose == purpose,
                                                    PendingStep.expires_at < now
                                                    + timedelta(seconds=seconds)))
    db.session.add(PendingStep(nonce_hash=_hash(nonce), purpose=purpose, user_id=user.id,
                               payload=json.dumps(payload), created_at=now,
                               expires_at=now + timedelta(seconds=seconds)))
    return nonce


def find(nonce, purpose: str, now: datetime | None = None) -> PendingStep | None:
    """The live step a nonce names, if any."""
    if not isinstance(nonce, str) or not nonce:
        return None
    return db.session.scalar(db.select(PendingStep).where(
        PendingStep.nonce_hash == _hash(nonce), PendingStep.purpose == purpose,
        PendingStep.expires_at > (now or utcnow())))


def payload(step: PendingStep) -> dict:
    """What a step keeps."""
    return json.loads(step.payload or "{}")


def spend(step: PendingStep) -> bool:
    """Use a step once: True for the one caller whose DELETE removed it."""
    result = db.session.execute(db.delete(PendingStep).where(PendingStep.id == step.id))
    return result.rowcount == 1


def forget(user: User) -> None:
    """Forget every step of an account (its sessions end: a password change, a disable)."""
    db.session.execute(db.delete(PendingStep).where(PendingStep.user_id == user.id))

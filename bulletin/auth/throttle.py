"""Login throttling kept in the database, so every worker process sees the same counts.

After MAX_FAILURES failed logins for one account (the typed username, ignoring case) or from
one address within WINDOW, /login refuses that account or address for LOCKOUT, even with the
right password. Refused attempts are not counted: the lock cannot be stretched forever, and
the real owner gets in once it lifts.
"""

import math
import secrets
from datetime import datetime, timedelta

from flask import request

from bulletin.audit import escape_text
from bulletin.extensions import db
from bulletin.models import LoginAttempt
from bulletin.text import clean_line

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
KEEP = timedelta(days=1)
# About one recorded attempt in PRUNE_ONE_IN also deletes rows older than KEEP.
PRUNE_ONE_IN = 50


def username_key(username: str | None) -> str:
    """Return the throttle key of a typed username: NFC, trimmed, lowercase, loggable."""
    return escape_text(clean_line(username).lower(), 80)


def client_address() -> str:
    """Return the address the request came from."""
    return (request.remote_addr or "")[:45]


def _block_end(condition, now: datetime) -> datetime | None:
    """Return when the newest run of MAX_FAILURES failures within WINDOW stops blocking."""
    times = db.session.scalars(
        db.select(LoginAttempt.created_at)
        .where(condition, LoginAttempt.succeeded.is_(False),
               LoginAttempt.created_at > now - WINDOW - LOCKOUT)
        .order_by(LoginAttempt.created_at.desc())
    ).all()
    for newest, oldest in zip(times, times[MAX_FAILURES - 1:], strict=False):
        if newest - oldest <= WINDOW:
            return newest + LOCKOUT
    return None


def blocked_until(username: str | None, address: str, now: datetime) -> datetime | None:
    """Return until when logins for this account or from this address are refused."""
    ends = [
        _block_end(LoginAttempt.username_key == username_key(username), now),
        _block_end(LoginAttempt.ip_address == address, now),
    ]
    ends = [end for end in ends if end is not None and end > now]
    return max(ends) if ends else None


def minutes_left(until: datetime, now: datetime) -> int:
    """Return the whole minutes until `until`, at least 1."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


def record_attempt(username: str | None, address: str, succeeded: bool, now: datetime) -> None:
    """Add a login attempt to the session (the caller commits); now and then prune old ones."""
    db.session.add(LoginAttempt(created_at=now, username_key=username_key(username),
                                ip_address=address, succeeded=succeeded))
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        prune(now)


def prune(now: datetime) -> int:
    """Delete attempts older than KEEP; return how many went."""
    result = db.session.execute(
        db.delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP)
    )
    return result.rowcount

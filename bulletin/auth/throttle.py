"""Login throttling kept in the database, so every worker process sees the same counts.

After MAX_FAILURES failed logins for one account (the typed username, ignoring case) or from
one address within WINDOW, /login refuses that account or address for LOCKOUT, even with the
right password. Refused attempts are not counted: the lock cannot be stretched forever, and
the real owner gets in once it lifts.

Each attempt is written and committed as a failure BEFORE its password is checked (`claim`),
and the block is then judged on the other attempts. Simultaneous attempts therefore see each
other: the k-th to commit sees at least k-1 others, so however many arrive at once and on
however many workers, at most MAX_FAILURES passwords are checked in a window.
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


def _block_end(condition, now: datetime, exclude: int | None) -> datetime | None:
    """Return when the newest run of MAX_FAILURES failures within WINDOW stops blocking."""
    if exclude is not None:
        condition = condition & (LoginAttempt.id != exclude)
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


def blocked_until(username: str | None, address: str, now: datetime,
                  exclude: LoginAttempt | None = None) -> datetime | None:
    """Return until when logins for this account or from this address are refused.

    `exclude` is the caller's own claimed attempt, which does not count against itself.
    """
    exclude_id = exclude.id if exclude is not None else None
    ends = [
        _block_end(LoginAttempt.username_key == username_key(username), now, exclude_id),
        _block_end(LoginAttempt.ip_address == address, now, exclude_id),
    ]
    ends = [end for end in ends if end is not None and end > now]
    return max(ends) if ends else None


def minutes_left(until: datetime, now: datetime) -> int:
    """Return the whole minutes until `until`, at least 1."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


def claim(username: str | None, address: str, now: datetime) -> LoginAttempt:
    """Count an attempt as failed and commit it, before any password is checked."""
    attempt = LoginAttempt(created_at=now, username_key=username_key(username),
                           ip_address=address, succeeded=False)
    db.session.add(attempt)
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        prune(now)
    db.session.commit()
    return attempt


def release(attempt: LoginAttempt) -> None:
    """Uncount a claimed attempt that was refused before its password was checked."""
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
    db.session.commit()


def claim_or_refuse(username: str | None, address: str, now: datetime):
    """Claim an attempt; return (attempt, None), or (None, block end) when it is refused."""
    attempt = claim(username, address, now)
    until = blocked_until(username, address, now, exclude=attempt)
    if until is None:
        return attempt, None
    release(attempt)
    return None, until


def prune(now: datetime) -> int:
    """Delete attempts older than KEEP; return how many went."""
    result = db.session.execute(
        db.delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP)
    )
    return result.rowcount

"""Login throttling kept in the database, so every worker process sees the same counts.

After MAX_FAILURES failed logins for one account (the typed username, ignoring case) from one
address within WINDOW, /login refuses that account from that address for LOCKOUT, even with
the right password; other accounts on the same computer are not touched. Wider limits stop
spraying: ADDRESS_MAX_FAILURES from one address over any accounts (one account alone cannot
reach it: its own lock stops it at MAX_FAILURES), and ACCOUNT_MAX_FAILURES for one account
from any addresses, which spares the addresses the account logged in from lately (so nobody
locks the admin out of their own office). Refused attempts are not counted: a lock cannot be
stretched forever, and the real owner gets in once it lifts. An admin lifts a lock at
/admin/lockouts or with `flask user unlock`.

Each attempt is written and committed as a failure BEFORE its password is checked (`claim`),
and the block is then judged on the other attempts. Simultaneous attempts therefore see each
other: the k-th to commit sees at least k-1 others, so however many arrive at once and on
however many workers, at most MAX_FAILURES passwords are checked in a window.
"""

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import request

from bulletin.audit import escape_text
from bulletin.extensions import db
from bulletin.models import LoginAttempt
from bulletin.text import clean_line

log = logging.getLogger(__name__)

MAX_FAILURES = 10  # one account from one address
ADDRESS_MAX_FAILURES = 30  # one address, whatever the accounts
ACCOUNT_MAX_FAILURES = 50  # one account, from addresses it has not logged in from lately
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


def _block_end(condition, now: datetime, exclude: int | None,
               limit: int = MAX_FAILURES) -> datetime | None:
    """Return when the newest run of `limit` failures within WINDOW stops blocking."""
    if exclude is not None:
        condition = condition & (LoginAttempt.id != exclude)
    times = db.session.scalars(
        db.select(LoginAttempt.created_at)
        .where(condition, LoginAttempt.succeeded.is_(False),
               LoginAttempt.created_at > now - WINDOW - LOCKOUT)
        .order_by(LoginAttempt.created_at.desc())
    ).all()
    for newest, oldest in zip(times, times[limit - 1:], strict=False):
        if newest - oldest <= WINDOW:
            return newest + LOCKOUT
    return None


@dataclass
class Lock:
    """Logins refused until `until`: for `username` from `address`, or either alone."""

    kind: str  # "pair", "address" or "account"
    username: str
    address: str
    until: datetime


def _known_addresses(key: str):
    """The addresses this account logged in from within KEEP (a select of them)."""
    return (db.select(LoginAttempt.ip_address)
            .where(LoginAttempt.username_key == key, LoginAttempt.succeeded.is_(True)))


def find_lock(username: str | None, address: str, now: datetime,
              exclude: LoginAttempt | None = None) -> Lock | None:
    """Return the lock that refuses this account from this address now, if any.

    `exclude` is the caller's own claimed attempt, which does not count against itself.
    """
    exclude_id = exclude.id if exclude is not None else None
    key = username_key(username)
    by_account = LoginAttempt.username_key == key
    by_address = LoginAttempt.ip_address == address
    limits = (
        ("pair", by_account & by_address, MAX_FAILURES),
        ("address", by_address, ADDRESS_MAX_FAILURES),
        ("account", by_account & LoginAttempt.ip_address.not_in(_known_addresses(key)),
         ACCOUNT_MAX_FAILURES),
    )
    locks = []
    for kind, condition, limit in limits:
        if kind == "account" and address in db.session.scalars(_known_addresses(key)).all():
            continue  # the owner's own computer: only the pair's lock applies there
        end = _block_end(condition, now, exclude_id, limit)
        if end is not None and end > now:
            locks.append(Lock(kind, key, address, end))
    return max(locks, key=lambda lock: lock.until) if locks else None


def blocked_until(username: str | None, address: str, now: datetime,
                  exclude: LoginAttempt | None = None) -> datetime | None:
    """Return until when logins for this account from this address are refused."""
    lock = find_lock(username, address, now, exclude)
    return lock.until if lock else None


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
    """Claim an attempt; return (attempt, None), or (None, block end) when it is refused
    (the lock and its reason go to the log)."""
    attempt = claim(username, address, now)
    lock = find_lock(username, address, now, exclude=attempt)
    if lock is None:
        return attempt, None
    release(attempt)
    log.warning("login refused: %s lock (%s), user %r from %s until %s", lock.kind,
                LOCK_REASONS[lock.kind], lock.username, address, lock.until.isoformat())
    return None, lock.until


LOCK_REASONS = {
    "pair": f"{MAX_FAILURES} failures for this account from this address",
    "address": f"{ADDRESS_MAX_FAILURES} failures from this address, any accounts",
    "account": f"{ACCOUNT_MAX_FAILURES} failures for this account from other addresses",
}


def current_locks(now: datetime) -> list[Lock]:
    """Every lock in force now: pairs, addresses and accounts (for the admin's page)."""
    since = now - WINDOW - LOCKOUT
    failed = (LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)
    candidates = db.session.execute(
        db.select(LoginAttempt.username_key, LoginAttempt.ip_address)
        .where(*failed).group_by(LoginAttempt.username_key, LoginAttempt.ip_address)
        .having(db.func.count() >= MAX_FAILURES)).all()
    locks = []
    for key, address in candidates:
        end = _block_end((LoginAttempt.username_key == key) & (LoginAttempt.ip_address == address),
                         now, None)
        if end is not None and end > now:
            locks.append(Lock("pair", key, address, end))
    for kind, column, limit in (("address", LoginAttempt.ip_address, ADDRESS_MAX_FAILURES),
                                ("account", LoginAttempt.username_key, ACCOUNT_MAX_FAILURES)):
        for value in db.session.scalars(db.select(column).where(*failed).group_by(column)
                                        .having(db.func.count() >= limit)):
            end = _block_end(column == value, now, None, limit)
            if end is not None and end > now:
                locks.append(Lock(kind, value if kind == "account" else "",
                                  value if kind == "address" else "", end))
    return sorted(locks, key=lambda lock: (lock.username, lock.address))


def unlock(username: str | None = None, address: str | None = None) -> int:
    """Lift the locks on an account, an address, or the pair (forget their failures);
    return how many failures were forgotten. The audit log keeps them."""
    condition = LoginAttempt.succeeded.is_(False)
    if username:
        condition = condition & (LoginAttempt.username_key == username_key(username))
    if address:
        condition = condition & (LoginAttempt.ip_address == address)
    if not (username or address):
        return 0
    result = db.session.execute(db.delete(LoginAttempt).where(condition))
    log.warning("login locks lifted: user %r, address %s (%d failures forgotten)",
                username_key(username) if username else "*", address or "*", result.rowcount)
    return result.rowcount


def prune(now: datetime) -> int:
    """Delete attempts older than KEEP; return how many went."""
    result = db.session.execute(
        db.delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP)
    )
    return result.rowcount

"""Completing a login: at once after the password, or after the second factor.

Until the second step succeeds the browser holds only a pending mark in its session
(account id, session token, time), never a login.
"""

import logging
import time

from flask import session
from flask_login import login_user

from bulletin import audit
from bulletin.auth import two_factor
from bulletin.extensions import db
from bulletin.models import User

log = logging.getLogger(__name__)

PENDING_KEY = "_2fa_pending"


def log_in(user: User, remember: bool, attempt, now) -> None:
    """Start a fresh session for `user` and record the login (its attempt succeeded)."""
    session.clear()  # nothing from the anonymous session carries over (no fixation)
    login_user(user, remember=remember)
    user.last_login_at = now
    attempt.succeeded = True
    audit.record("login.success", "user", user.id, user=user)
    db.session.commit()
    log.info("login: user %r from %s", user.username, attempt.ip_address)


def start_second_step(user: User, remember: bool, next_url: str | None) -> None:
    """Remember, in a fresh session, that `user` gave the right password just now."""
    session.clear()
    session[PENDING_KEY] = {"id": user.id, "token": user.session_token, "at": int(time.time()),
                            "remember": bool(remember), "next": next_url or ""}


def pending_user() -> User | None:
    """Return the account waiting for its second step, if the mark is recent and current."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > \
            two_factor.PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("id"))
    if user is None or not user.is_enabled or user.session_token != pending.get("token"):
        return None
    return user if user.has_two_factor else None

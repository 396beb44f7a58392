"""Completing a login: at once after the password, or after the second factor.

Until the second step succeeds the browser holds only a nonce in its session, never a
login: the server keeps the mark it names (the account, its session token, "remember", where
to go next) for PENDING_SECONDS, and the mark is spent once (`auth.pending`).
"""

import logging

from flask import session
from flask_login import login_user

from bulletin import audit
from bulletin.auth import pending, two_factor
from bulletin.extensions import db
from bulletin.models import PendingStep, User

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
    """Remember on the server, named by a nonce in a fresh session, that `user` gave the
    right password just now (the caller commits)."""
    session.clear()
    session[PENDING_KEY] = pending.start(
        user, "login", {"token": user.session_token, "remember": bool(remember),
                        "next": next_url or ""}, two_factor.PENDING_SECONDS)


def pending_login() -> tuple[User, PendingStep] | None:
    """The account waiting for its second step and its mark, if recent and current."""
    step = pending.find(session.get(PENDING_KEY), "login")
    if step is None:
        return None
    user = db.session.get(User, step.user_id)
    if user is None or not user.is_enabled or \
            user.session_token != pending.payload(step).get("token"):
        return None
    return (user, step) if user.has_two_factor else None


def pending_user() -> User | None:
    """Return the account waiting for its second step, if the mark is recent and current."""
    found = pending_login()
    return found[0] if found else None

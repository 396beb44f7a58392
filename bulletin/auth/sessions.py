"""Loading the logged-in account, session timeouts, and closing the board in private mode."""

import secrets
import time
from functools import cache

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload

from bulletin.caching import versions
from bulletin.extensions import db, login_manager
from bulletin.models import User
from bulletin.security import MAX_ID, parse_int

# Endpoints an anonymous visitor may reach even when READ_REQUIRES_LOGIN is set.
OPEN_ENDPOINTS = {"auth.login", "auth.second_factor", "health", "static",
                  "i18n.switch_language", "admin.site_logo"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the account for a session id "<id>:<token>", if the token is still current."""
    raw_id, _, token = user_id.partition(":")
    user_id_number = parse_int(raw_id, high=MAX_ID)
    if user_id_number is None or not token:
        return None
    user = _load_account(user_id_number)
    if user is None or not user.is_enabled:
        return None
    if not secrets.compare_digest(user.session_token, token):
        return None
    return user


@cache
def _account_query(with_version: bool):
    """The account with its organizations (every staff page asks for them), and the page
    cache's shared version when wanted: built once, so its cache key is made once."""
    query = (db.select(User).options(joinedload(User.organizations))
             .where(User.id == bindparam("user_id")))
    return query.add_columns(versions.column()) if with_version else query


def _load_account(user_id: int) -> User | None:
    """The account in one query; the shared version rides along when this request has not
    read it yet."""
    shared = versions.of()
    with_version = shared.wanted()
    row = db.session.execute(_account_query(with_version),
                             {"user_id": user_id}).unique().one_or_none()
    if row is None:
        return None
    if with_version:
        shared.remember(row.pages_version)
    return row[0]


# Session keys of a login: Flask-Login's, and ours for the timeouts (seconds since the epoch).
LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_login_at", "_seen_at")
# The last-seen time is rewritten at most this often, so the cookie is not reset every request.
SEEN_RESOLUTION = 60


def expire_old_sessions():
    """End a login idle too long or older than the absolute limit.

    Only the session's login goes: a "remember me" cookie, if any, logs the browser back in
    (it has its own, longer lifetime), so the check runs before anything loads the user.
    """
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now = int(time.time())
    login_at = session.setdefault("_login_at", now)
    seen_at = session.get("_seen_at", now)
    idle = now - seen_at > current_app.config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - login_at > current_app.config["SESSION_MAX_HOURS"] * 3600
    if idle or too_old:
        for key in LOGIN_KEYS:
            session.pop(key, None)
        if current_app.config["REMEMBER_COOKIE_NAME"] not in request.cookies:
            flash(_l("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."), "info")
    elif now - seen_at >= SEEN_RESOLUTION or "_seen_at" not in session:
        session["_seen_at"] = now


def require_login_in_private_mode():
    """With READ_REQUIRES_LOGIN, send anonymous requests to the login page."""
    if not current_app.config["READ_REQUIRES_LOGIN"]:
        return None
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.method != "GET" or request.accept_mimetypes.best == "application/json":
        return login_manager.unauthorized()
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    """Configure Flask-Login and the private-mode gate."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    # Registered first: the timeout check must run before anything loads the user.
    app.before_request(expire_old_sessions)
    app.before_request(require_login_in_private_mode)

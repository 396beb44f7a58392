"""Loading the logged-in account and closing the board in private mode."""

import secrets

from flask import Flask, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from bulletin.extensions import db, login_manager
from bulletin.models import User

# Endpoints an anonymous visitor may reach even when READ_REQUIRES_LOGIN is set.
OPEN_ENDPOINTS = {"auth.login", "health", "static", "i18n.switch_language"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the account for a session id "<id>:<token>", if the token is still current."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_enabled:
        return None
    if not secrets.compare_digest(user.session_token, token):
        return None
    return user


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
    app.before_request(require_login_in_private_mode)

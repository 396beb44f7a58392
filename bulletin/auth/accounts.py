"""Account changes shared by the admin pages and the `flask user …` commands.

These functions change the account in the session; the caller records the audit entry and
commits, so both are written together.
"""

from flask import current_app, request
from flask_login import login_user
from sqlalchemy import func
from wtforms import SelectChoice

from bulletin.auth import pending
from bulletin.auth.forms import USERNAME_RE
from bulletin.auth.passwords import hash_password
from bulletin.extensions import db
from bulletin.models import Organization, User
from bulletin.models.user import new_session_token
from bulletin.organizations import all_organizations
from bulletin.text import clean_line


def find_account(username: str | None) -> User | None:
    """Return the account with this username, ignoring case; odd input finds nobody."""
    name = clean_line(username).lower()
    # Checked before querying: NUL and other odd input never reach the database.
    if not USERNAME_RE.match(name):
        return None
    return db.session.scalar(db.select(User).where(func.lower(User.username) == name))


def end_sessions(user: User) -> None:
    """Change the session token: every cookie issued for the account stops working, and
    so does a pending step (a password accepted, waiting for its code)."""
    user.session_token = new_session_token()
    if user.id is not None:
        pending.forget(user)


def set_password(user: User, password: str) -> None:
    """Store a new password and end the account's sessions."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def disable(user: User) -> None:
    """Disable the account and end its sessions."""
    user.is_enabled = False
    end_sessions(user)


def enable(user: User) -> None:
    """Let the account log in again."""
    user.is_enabled = True


def stay_logged_in(user: User) -> None:
    """Log this browser in again under the account's new token; other browsers stay out."""
    cookie = current_app.config["REMEMBER_COOKIE_NAME"]
    login_user(user, remember=cookie in request.cookies)


def organization_choices() -> list[SelectChoice]:
    """Return the choices of an organization select, branches indented under their parent."""
    depth: dict[int, int] = {}
    choices = []
    for org in all_organizations():
        depth[org.id] = depth[org.parent_id] + 1 if org.parent_id in depth else 0
        choices.append(SelectChoice(org.id, "— " * depth[org.id] + org.name))
    return choices


def organizations_by_id(ids: list[int]) -> list[Organization]:
    """Return the organizations with these ids, in display order."""
    wanted = set(ids)
    return [org for org in all_organizations() if org.id in wanted]

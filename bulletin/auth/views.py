"""Staff login and logout."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func

from bulletin.auth.forms import ConfirmForm, LoginForm
from bulletin.auth.passwords import check_password
from bulletin.extensions import db
from bulletin.models import User, utcnow
from bulletin.models.user import new_session_token
from bulletin.security import safe_next_url
from bulletin.text import clean_line

bp = Blueprint("auth", __name__)


def find_account(username: str) -> User | None:
    """Return the account with this username, ignoring case."""
    name = clean_line(username).lower()
    return db.session.scalar(db.select(User).where(func.lower(User.username) == name))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log a staff member in."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = find_account(form.username.data)
        password_ok = check_password(user.password_hash if user else None, form.password.data)
        if user is not None and password_ok and user.is_enabled:
            session.clear()  # a new session on login: no fixation
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            db.session.commit()
            flash(_("Đăng nhập thành công."), "success")
            return redirect(safe_next_url(form.next.data) or url_for("posts.home"))
        form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 422


@bp.post("/logout")
@login_required
def logout():
    """End the session everywhere: the token changes, so copied cookies stop working."""
    if ConfirmForm().validate_on_submit():
        current_user.session_token = new_session_token()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("posts.home"), code=303)

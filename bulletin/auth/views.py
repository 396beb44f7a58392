"""Staff login and logout, and each staff member's own account page."""

import logging

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from bulletin import audit
from bulletin.auth import accounts, bp, login_flow, throttle
from bulletin.auth.forms import ChangePasswordForm, LoginForm
from bulletin.auth.passwords import check_password
from bulletin.extensions import db
from bulletin.models import User, utcnow
from bulletin.permissions import should_use_two_factor, writable_organizations
from bulletin.security import safe_next_url

log = logging.getLogger(__name__)


def bad_credentials() -> str:
    """The one message for an unknown user or a wrong password."""
    return _("Tên đăng nhập hoặc mật khẩu không đúng.")


def disabled_account() -> str:
    """The message for a disabled account, shown only after its right password."""
    return _("Tài khoản đã bị khóa. Hãy liên hệ quản trị viên.")


def authenticate(username: str, password: str) -> tuple[User | None, str]:
    """Return the account these credentials open, or None, and why not (the same work
    either way): "", "unknown user", "wrong password" or "disabled account"."""
    user = accounts.find_account(username)
    password_ok = check_password(user.password_hash if user else None, password)
    if user is None:
        return None, "unknown user"
    if not password_ok:
        return None, "wrong password"
    if not user.is_enabled:
        return None, "disabled account"
    return user, ""


def render_login(form: LoginForm, status: int = 200, form_error: str | None = None):
    """Render the login page."""
    return render_template("auth/login.html", form=form, form_error=form_error), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log a staff member in (throttled per account and address)."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "GET":
        return render_login(form)
    now = utcnow()
    address = throttle.client_address()
    typed = request.form.get("username", "")
    attempt, until = throttle.claim_or_refuse(typed, address, now)
    if attempt is None:
        return refuse_throttled(form, typed, address, until, now)
    if not form.validate():
        throttle.release(attempt)
        return render_login(form, 422)
    user, reason = authenticate(form.username.data, form.password.data)
    if user is None:
        record_failure(typed, address, reason)
        disabled = reason == "disabled account"
        form.password.errors.append(disabled_account() if disabled else bad_credentials())
        return render_login(form, 422)
    if user.has_two_factor:
        attempt.succeeded = True  # the password was right; each code is counted on its own
        login_flow.start_second_step(user, form.remember.data, form.next.data)
        db.session.commit()
        return redirect(url_for("auth.second_factor"), code=303)
    login_flow.log_in(user, form.remember.data, attempt, now)
    flash(_("Đăng nhập thành công."), "success")
    remind_two_factor(user)
    return redirect(safe_next_url(form.next.data) or landing_page(user))


def landing_page(user) -> str:
    """Where a login without `next` goes: an editor's desk, a secretary's registry, else home."""
    if writable_organizations(user):
        return url_for("posts.manage")
    if user.role == "secretary":
        return url_for("awards.index")
    return url_for("posts.home")


def remind_two_factor(user: User) -> None:
    """Ask an admin or secretary without two-factor login to turn it on."""
    if should_use_two_factor(user) and not user.has_two_factor:
        flash(_("Tài khoản của bạn nên bật xác thực hai bước: vào “Tài khoản của tôi” → "
                "“Xác thực hai bước”."), "info")


def refuse_throttled(form: LoginForm, typed: str, address: str, until, now):
    """Answer 429 with the form and a message saying when to try again."""
    log.warning("login refused, too many failures: user %r from %s",
                throttle.username_key(typed), address)
    minutes = throttle.minutes_left(until, now)
    message = _("Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. "
                "Vui lòng thử lại sau %(minutes)d phút.", minutes=minutes)
    response = make_response(render_login(form, 429, form_error=message))
    response.headers["Retry-After"] = str(int((until - now).total_seconds()) + 1)
    return response


def record_failure(typed: str, address: str, reason: str) -> None:
    """Write a failed login and its reason to the audit log and the log (the throttle
    counted it already)."""
    audit.record("login.failure", "user", username=typed, detail=reason)
    # The line starts as it always did ("failed login: user … from …"), so that a fail2ban
    # filter written for it keeps matching; the reason comes last.
    log.warning("failed login: user %r from %s (%s)", throttle.username_key(typed), address,
                reason)
    db.session.commit()


@bp.post("/logout")
@login_required
def logout():
    """End the session everywhere: the token changes, so copied cookies stop working."""
    user = current_user._get_current_object()
    accounts.end_sessions(user)
    audit.record("logout", "user", user.id, user=user)
    db.session.commit()
    log.info("logout: user %r from %s", user.username, throttle.client_address())
    # Clear first: logout_user() then marks the remember cookie for deletion in the session.
    session.clear()
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    target = "auth.login" if current_app.config["READ_REQUIRES_LOGIN"] else "posts.home"
    return redirect(url_for(target), code=303)


@bp.get("/account")
@login_required
def account():
    """Show the logged-in account: name, role, organizations, last login."""
    return render_template("auth/account.html", user=current_user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; every other session of the account ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.account_username = user.username
    if not form.validate_on_submit():
        return render_change_password(form)
    now, address = utcnow(), throttle.client_address()
    attempt, until = throttle.claim_or_refuse(user.username, address, now)
    if attempt is None:
        form.current_password.errors.append(_(
            "Nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.",
            minutes=throttle.minutes_left(until, now)))
        return render_change_password(form, 429)
    if not check_password(user.password_hash, form.current_password.data):
        form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        return render_change_password(form)
    attempt.succeeded = True
    accounts.set_password(user, form.new_password.data)
    audit.record("account.password_change", "user", user.id)
    db.session.commit()
    accounts.stay_logged_in(user)
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."), "success")
    return redirect(url_for("auth.account"), code=303)


def render_change_password(form: ChangePasswordForm, status: int | None = None):
    """Render the change-password page (422 after a refused POST)."""
    if status is None:
        status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status

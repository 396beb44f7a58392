"""Two-factor login pages: the second step after the password, enrolment, recovery codes.

The password step (/login) stays as it is; for an enrolled account it ends at /login/code
instead of logging in. Until the code is accepted the browser holds only a nonce naming a
mark kept on the server (`auth.pending`), spent once; never a login. Enrolment asks for the
password again, and its new secret waits on the server too (encrypted), not in the cookie.
"""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from bulletin import audit
from bulletin.auth import accounts, bp, login_flow, pending, secret_box, throttle, two_factor
from bulletin.auth.forms import PasswordConfirmForm, SecondFactorForm, TwoFactorSetupForm
from bulletin.auth.passwords import check_password
from bulletin.extensions import db
from bulletin.models import User, utcnow
from bulletin.permissions import can_turn_off_two_factor, must_enrol_two_factor
from bulletin.security import safe_next_url

SETUP_KEY = "_2fa_setup"  # the nonce of the enrolment's secret kept on the server
SETUP_SECONDS = 1800
# Where an account that must enrol first may still go.
ENROL_ENDPOINTS = {"auth.two_factor_setup", "auth.logout", "static", "health",
                   "i18n.switch_language"}


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second login step: a code of the authenticator app or a recovery code."""
    found = login_flow.pending_login()
    if found is None:
        flash(_("Vui lòng đăng nhập lại."), "info")
        return redirect(url_for("auth.login"))
    user, step = found
    form = SecondFactorForm()
    if request.method == "GET" or not form.validate():
        return render_second_factor(form, 200 if request.method == "GET" else 422)
    now, address = utcnow(), throttle.client_address()
    attempt, until = throttle.claim_or_refuse(user.username, address, now)
    if attempt is None:
        form.code.errors.append(_("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d "
                                  "phút.", minutes=throttle.minutes_left(until, now)))
        return render_second_factor(form, 429)
    method = accept_code(user, form.code.data)
    if method is None:
        audit.record("login.second_factor_failure", "user", user.id, user=user)
        db.session.commit()
        form.code.errors.append(_("Mã không đúng hoặc đã dùng. Hãy nhập mã đang hiện trong "
                                  "ứng dụng."))
        return render_second_factor(form, 422)
    mark = pending.payload(step)
    if not pending.spend(step):  # spent by a simultaneous request: one login per password
        db.session.commit()
        flash(_("Vui lòng đăng nhập lại."), "info")
        return redirect(url_for("auth.login"))
    if method == "recovery":
        audit.record("login.recovery_code", "user", user.id, user=user)
    login_flow.log_in(user, mark.get("remember", False), attempt, now)
    flash(_("Đăng nhập thành công."), "success")
    return redirect(safe_next_url(mark.get("next")) or url_for("posts.home"))


def accept_code(user: User, code: str) -> str | None:
    """Spend a TOTP or recovery code; return "totp", "recovery" or None."""
    if two_factor.use_totp_code(user, code):
        return "totp"
    if two_factor.use_recovery_code(user, code):
        return "recovery"
    return None


def render_second_factor(form: SecondFactorForm, status: int):
    """Render the code step."""
    return render_template("auth/second_factor.html", form=form), status


@bp.get("/account/two-factor")
@login_required
def two_factor_status():
    """Show whether two-factor login is on, the recovery codes left, and what can be done."""
    user = current_user._get_current_object()
    return render_template(
        "auth/two_factor.html", user=user, form=PasswordConfirmForm(),
        codes_left=two_factor.unused_recovery_codes(user),
        can_turn_off=can_turn_off_two_factor(user))


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Enrol: scan the QR code drawn here, type one code and the password to confirm, get
    recovery codes."""
    user = current_user._get_current_object()
    if user.has_two_factor:
        return redirect(url_for("auth.two_factor_status"), code=303)
    step, secret = setup_secret(user)
    form, error = TwoFactorSetupForm(), None
    if request.method == "POST":
        error = password_confirmed(form, user)
        code_step = two_factor.matching_step(secret, form.code.data) if error is None else None
        if code_step is not None and pending.spend(step):
            codes = two_factor.enrol(user, secret)
            user.totp_last_step = code_step
            accounts.end_sessions(user)  # other browsers logged in with the password alone
            audit.record("account.2fa_enable", "user", user.id)
            db.session.commit()
            session.pop(SETUP_KEY, None)
            accounts.stay_logged_in(user)
            return render_template("auth/recovery_codes.html", codes=codes, first=True)
        if error is None:
            form.code.errors.append(_("Mã không đúng. Kiểm tra giờ của điện thoại rồi nhập "
                                      "mã đang hiện."))
        db.session.commit()  # keep the counted attempt
    uri = two_factor.provisioning_uri(user, secret)
    status = (error or 422) if request.method == "POST" else 200
    return render_template("auth/two_factor_setup.html", form=form, qr=two_factor.qr_data_uri(uri),
                           secret=secret, uri=uri), status


def setup_secret(user: User):
    """The enrolment's secret kept on the server for this session (a new one if none)."""
    step = pending.find(session.get(SETUP_KEY), "2fa-setup")
    if step is not None and step.user_id == user.id:
        return step, secret_box.open_secret(pending.payload(step)["secret"])
    secret = two_factor.new_secret()
    session[SETUP_KEY] = pending.start(user, "2fa-setup", {"secret": secret_box.seal(secret)},
                                       SETUP_SECONDS)
    db.session.commit()
    return pending.find(session[SETUP_KEY], "2fa-setup"), secret


def password_confirmed(form: PasswordConfirmForm, user: User) -> int | None:
    """Check the re-typed password (throttled like logins); return an error status or None."""
    if not form.validate_on_submit():
        return 422
    now, address = utcnow(), throttle.client_address()
    attempt, until = throttle.claim_or_refuse(user.username, address, now)
    if attempt is None:
        form.password.errors.append(_("Nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau "
                                      "%(minutes)d phút.",
                                      minutes=throttle.minutes_left(until, now)))
        return 429
    if not check_password(user.password_hash, form.password.data):
        form.password.errors.append(_("Mật khẩu hiện tại không đúng."))
        return 422
    attempt.succeeded = True
    return None


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    """Replace the recovery codes (the password is asked again); show the new ones once."""
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    if not user.has_two_factor:
        return redirect(url_for("auth.two_factor_status"), code=303)
    error = password_confirmed(form, user)
    if error is not None:
        return render_status(user, form, error)
    codes = two_factor.new_recovery_codes(user)
    audit.record("account.2fa_recovery_codes", "user", user.id)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes, first=False)


@bp.post("/account/two-factor/off")
@login_required
def two_factor_off():
    """Turn two-factor login off (not for a role that requires it); the password is asked."""
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    if not can_turn_off_two_factor(user) or not user.has_two_factor:
        flash(_("Vai trò của bạn bắt buộc xác thực hai bước."), "error")
        return redirect(url_for("auth.two_factor_status"), code=303)
    error = password_confirmed(form, user)
    if error is not None:
        return render_status(user, form, error)
    two_factor.turn_off(user)
    audit.record("account.2fa_disable", "user", user.id)
    db.session.commit()
    flash(_("Đã tắt xác thực hai bước."), "success")
    return redirect(url_for("auth.two_factor_status"), code=303)


def render_status(user: User, form: PasswordConfirmForm, status: int):
    """Render the status page with the password form's errors."""
    db.session.commit()  # keep the counted attempt
    return render_template(
        "auth/two_factor.html", user=user, form=form,
        codes_left=two_factor.unused_recovery_codes(user),
        can_turn_off=can_turn_off_two_factor(user)), status


@bp.before_app_request
def require_enrolment():
    """An account whose role requires two-factor login enrols before anything else."""
    if request.endpoint in ENROL_ENDPOINTS or not must_enrol_two_factor(current_user):
        return None
    flash(_("Vai trò của bạn cần xác thực hai bước. Hãy cài đặt để tiếp tục."), "info")
    return redirect(url_for("auth.two_factor_setup"))

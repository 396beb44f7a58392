"""Admin pages for staff accounts: create, edit, disable, reset a password or two-factor."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from bulletin import audit
from bulletin.auth import accounts, bp, throttle, two_factor
from bulletin.auth.forms import AccountForm, NewAccountForm, ResetPasswordForm, UnlockForm
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.models import User, utcnow
from bulletin.permissions import can_manage_accounts, requires
from bulletin.text import name_sort_key


def load_account(user_id: int) -> User:
    """Load an account or 404."""
    return db.get_or_404(User, user_id)


@bp.get("/admin/accounts")
@requires(can_manage_accounts)
def accounts_list():
    """List every account, sorted the Vietnamese way by full name."""
    users = db.session.scalars(db.select(User)).all()
    users = sorted(users, key=lambda u: (name_sort_key(u.full_name or u.username), u.id))
    return render_template("auth/accounts.html", users=users, confirm=ConfirmForm())


def fill_choices(form: AccountForm) -> None:
    """Give the organizations select its choices."""
    form.organizations.choices = accounts.organization_choices()


def username_taken(username: str) -> bool:
    """Return True when an account already has this username, in any case."""
    return db.session.scalar(
        db.select(User.id).where(func.lower(User.username) == username.lower())
    ) is not None


@bp.route("/admin/accounts/new", methods=["GET", "POST"])
@requires(can_manage_accounts)
def new_account():
    """Create a staff account with a first password."""
    form = NewAccountForm()
    fill_choices(form)
    if form.validate_on_submit():
        if username_taken(form.username.data):
            form.username.errors.append(_("Tên đăng nhập này đã có người dùng."))
        else:
            user = create_from(form)
            flash(_("Đã tạo tài khoản %(name)s.", name=user.username), "success")
            return redirect(url_for(".accounts_list"), code=303)
    return render_form(form, None)


def create_from(form: NewAccountForm) -> User:
    """Create, audit and commit the account the form describes."""
    user = User(username=form.username.data, full_name=form.full_name.data or "",
                role=form.role.data,
                organizations=accounts.organizations_by_id(form.organizations.data))
    accounts.set_password(user, form.password.data)
    db.session.add(user)
    db.session.flush()
    audit.record("account.create", "user", user.id, describe(user))
    db.session.commit()
    return user


def describe(user: User) -> str:
    """One line naming an account's username, role and organizations, for the audit log."""
    slugs = ", ".join(org.slug for org in user.organizations) or "-"
    return f"{user.username}: {user.role}; {slugs}"


def render_form(form: AccountForm, user: User | None):
    """Render the shared create/edit page (422 after a refused POST)."""
    status = 422 if request.method == "POST" else 200
    return render_template("auth/account_form.html", form=form, user=user), status


@bp.route("/admin/accounts/<int:user_id>/edit", methods=["GET", "POST"])
@requires(can_manage_accounts)
def edit_account(user_id: int):
    """Change an account's full name, role and organizations."""
    user = load_account(user_id)
    form = AccountForm(data=account_data(user) if request.method == "GET" else None)
    fill_choices(form)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != user.role:
            form.role.errors.append(_("Bạn không thể đổi vai trò của chính mình."))
        else:
            apply_changes(user, form)
            flash(_("Đã lưu tài khoản %(name)s.", name=user.username), "success")
            return redirect(url_for(".accounts_list"), code=303)
    return render_form(form, user)


def account_data(user: User) -> dict:
    """Return the edit form's starting values."""
    return {"full_name": user.full_name, "role": user.role,
            "organizations": [org.id for org in user.organizations]}


def apply_changes(user: User, form: AccountForm) -> None:
    """Apply the form to the account, audit what changed, commit."""
    before = f"{user.full_name!r}, {describe(user)}"
    user.full_name = form.full_name.data or ""
    user.role = form.role.data
    user.organizations = accounts.organizations_by_id(form.organizations.data)
    after = f"{user.full_name!r}, {describe(user)}"
    if before != after:
        audit.record("account.update", "user", user.id, f"{before} → {after}")
    db.session.commit()


@bp.post("/admin/accounts/<int:user_id>/disable")
@requires(can_manage_accounts)
def disable_account(user_id: int):
    """Disable an account; its sessions end at once."""
    user = load_account(user_id)
    if user.id == current_user.id:
        flash(_("Bạn không thể tự khóa tài khoản của mình."), "error")
    elif user.is_enabled:
        accounts.disable(user)
        audit.record("account.disable", "user", user.id, user.username)
        db.session.commit()
        flash(_("Đã khóa tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for(".accounts_list"), code=303)


@bp.post("/admin/accounts/<int:user_id>/enable")
@requires(can_manage_accounts)
def enable_account(user_id: int):
    """Let a disabled account log in again."""
    user = load_account(user_id)
    if not user.is_enabled:
        accounts.enable(user)
        audit.record("account.enable", "user", user.id, user.username)
        db.session.commit()
        flash(_("Đã mở khóa tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for(".accounts_list"), code=303)


@bp.post("/admin/accounts/<int:user_id>/reset-2fa")
@requires(can_manage_accounts)
def reset_two_factor(user_id: int):
    """Remove an account's two-factor app and recovery codes (a lost phone)."""
    user = load_account(user_id)
    if ConfirmForm().validate_on_submit() and user.has_two_factor:
        two_factor.turn_off(user)
        audit.record("account.2fa_reset", "user", user.id, user.username)
        db.session.commit()
        flash(_("Đã đặt lại xác thực hai bước của %(name)s: lần đăng nhập tới chỉ cần mật "
                "khẩu, rồi cài lại ứng dụng xác thực.", name=user.username), "success")
    return redirect(url_for(".edit_account", user_id=user.id), code=303)


@bp.route("/admin/accounts/<int:user_id>/password", methods=["GET", "POST"])
@requires(can_manage_accounts)
def reset_password(user_id: int):
    """Set a new password for an account; its sessions end."""
    user = load_account(user_id)
    form = ResetPasswordForm()
    form.account_username = user.username
    if form.validate_on_submit():
        accounts.set_password(user, form.new_password.data)
        audit.record("account.password_reset", "user", user.id, user.username)
        db.session.commit()
        if user.id == current_user.id:
            accounts.stay_logged_in(user)
        flash(_("Đã đặt mật khẩu mới cho %(name)s. Các phiên đăng nhập của tài khoản "
                "đã kết thúc.", name=user.username), "success")
        return redirect(url_for(".accounts_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, user=user), status


@bp.get("/admin/lockouts")
@requires(can_manage_accounts)
def lockouts():
    """List the login locks in force, each with a button that lifts it."""
    return render_template("admin/lockouts.html", locks=throttle.current_locks(utcnow()),
                           form=UnlockForm())


@bp.post("/admin/lockouts/unlock")
@requires(can_manage_accounts)
def unlock():
    """Lift the login lock of an account, an address, or the pair."""
    form = UnlockForm()
    username, address = (form.username.data or "").strip(), (form.address.data or "").strip()
    if not form.validate_on_submit() or not (username or address):
        flash(_("Không rõ khóa nào cần mở."), "error")
        return redirect(url_for("auth.lockouts"), code=303)
    throttle.unlock(username, address)
    audit.record("login.unlock", "user", detail=f"{username or '*'} @ {address or '*'}")
    db.session.commit()
    flash(_("Đã mở khóa đăng nhập."), "success")
    return redirect(url_for("auth.lockouts"), code=303)

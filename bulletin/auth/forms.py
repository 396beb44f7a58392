"""Forms of the auth blueprint: login, passwords, two-factor, accounts."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from bulletin.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from bulletin.forms import BaseForm, strip_line

USERNAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,80}$")

ROLE_LABELS = {
    "reader": _l("Người đọc"),
    "editor": _l("Biên tập viên"),
    "secretary": _l("Thư ký thi đua"),
    "admin": _l("Quản trị"),
}

PASSWORD_HELP = _l(
    "Ít nhất %(min)d ký tự, có thể có dấu tiếng Việt và khoảng trắng. "
    "Một câu ngắn dễ nhớ là mật khẩu tốt.",
    min=MIN_PASSWORD_LENGTH,
)


class NewPassword:
    """Validator: the password policy; `username` names the form field or gives the name."""

    def __init__(self, username_field: str | None = None):
        self.username_field = username_field

    def __call__(self, form, field):
        """Raise with the policy's message when the password is not acceptable."""
        username = getattr(form, "account_username", "")
        if self.username_field:
            username = getattr(form, self.username_field).data or ""
        problem = password_problem(field.data, username)
        if problem:
            raise ValidationError(problem)


def valid_username(_form, field):
    """Usernames are short ASCII logins, so case-insensitive lookup is the same everywhere."""
    if field.data and not USERNAME_RE.match(field.data):
        raise ValidationError(
            _l("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ - @ (tối đa 80 ký tự).")
        )


class LoginForm(BaseForm):
    """Username and password, with "remember me"."""

    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Nhập tên đăng nhập.")),
        Length(max=80, message=_l("Tên đăng nhập dài tối đa 80 ký tự.")),
    ])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Nhập mật khẩu.")),
        Length(max=MAX_PASSWORD_LENGTH,
               message=_l("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_PASSWORD_LENGTH)),
    ])
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))
    next = HiddenField()


def _new_password_field(label, username_field=None) -> PasswordField:
    """A password field with the policy and a clear length limit."""
    return PasswordField(label, validators=[
        DataRequired(_l("Nhập mật khẩu mới.")),
        Length(max=MAX_PASSWORD_LENGTH,
               message=_l("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_PASSWORD_LENGTH)),
        NewPassword(username_field),
    ])


class ChangePasswordForm(BaseForm):
    """A staff member changes their own password (the current one is required)."""

    current_password = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))]
    )
    new_password = _new_password_field(_l("Mật khẩu mới"))
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[EqualTo("new_password", _l("Hai lần nhập mật khẩu mới không khớp."))],
    )


class ResetPasswordForm(BaseForm):
    """An admin sets a new password for an account."""

    new_password = _new_password_field(_l("Mật khẩu mới"))


class AccountForm(BaseForm):
    """An admin edits an account's name, role and organizations."""

    full_name = StringField(_l("Họ và tên"), filters=[strip_line],
                            validators=[Length(max=200)])
    role = SelectField(_l("Vai trò"),
                       choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()])
    organizations = SelectMultipleField(
        _l("Tổ chức"), coerce=int,
        invalid_value_message=_l("Lựa chọn không hợp lệ."),
        invalid_choice_message=_l("Lựa chọn không hợp lệ: '%(value)s'."),
    )


class NewAccountForm(AccountForm):
    """An admin creates an account: the fields above plus username and first password."""

    username = StringField(
        _l("Tên đăng nhập"), filters=[strip_line],
        validators=[DataRequired(_l("Nhập tên đăng nhập.")), valid_username],
    )
    password = _new_password_field(_l("Mật khẩu ban đầu"), username_field="username")


class SecondFactorForm(BaseForm):
    """The six-digit code of the authenticator app, or a recovery code."""

    code = StringField(_l("Mã xác thực"), filters=[strip_line], validators=[
        DataRequired(_l("Nhập mã 6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục.")),
        Length(max=32, message=_l("Mã quá dài.")),
    ])


class PasswordConfirmForm(BaseForm):
    """The account's password, asked again before a change to its two-factor login."""

    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[
        DataRequired(_l("Nhập mật khẩu.")),
        Length(max=MAX_PASSWORD_LENGTH,
               message=_l("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_PASSWORD_LENGTH)),
    ])


class UnlockForm(BaseForm):
    """Lift a login lock (the admin's lock-outs page): an account, an address, or both."""

    username = HiddenField()
    address = HiddenField()


class TwoFactorSetupForm(SecondFactorForm):
    """Turning two-factor login on: the app's first code, and the password asked again."""

    password = PasswordConfirmForm.password

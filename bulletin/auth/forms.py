"""Forms of the auth blueprint."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password, with "remember me"."""

    username = StringField(
        _l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=80)]
    )
    password = PasswordField(
        _l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), Length(max=256)]
    )
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A bare button that changes state (logout, publish, void): CSRF only."""

"""Forms of the site administration: the site's identity, organizations, categories, and
the audit log's filter."""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from bulletin.forms import BaseForm, SlugSelectField, clean_text, strip_line

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_slug(_form, field) -> None:
    """Validator: lower-case letters without accents, digits and single hyphens."""
    if field.data and not SLUG_RE.match(field.data):
        raise ValidationError(_l("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch nối, "
                                 "ví dụ: chi-hoi-thon-dong."))


def lower(value):
    """Field filter: a slug in lower case."""
    return value.lower() if isinstance(value, str) else value


class SiteForm(BaseForm):
    """The site's identity: names shown in the header, titles, print headers and feeds."""

    locality_name = StringField(_l("Tên xã, phường, thị trấn"), filters=[strip_line],
                                validators=[Optional(), Length(max=200)])
    committee_name = StringField(_l("Tên Ủy ban MTTQ"), filters=[strip_line],
                                 validators=[Optional(), Length(max=200)])
    footer_text = TextAreaField(_l("Dòng liên hệ ở chân trang"), filters=[clean_text],
                                validators=[Optional(), Length(max=1000)])
    logo = FileField(_l("Biểu trưng (PNG, JPG)"))
    remove_logo = BooleanField(_l("Bỏ biểu trưng hiện tại"))


class OrganizationForm(BaseForm):
    """Create or change an organization or branch."""

    name = StringField(_l("Tên đầy đủ"), filters=[strip_line],
                       validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Tên ngắn"), filters=[strip_line],
                             validators=[DataRequired(), Length(max=80)])
    slug = StringField(_l("Đường dẫn (slug)"), filters=[strip_line, lower],
                       validators=[Optional(), Length(max=80), check_slug])
    parent = SlugSelectField(_l("Thuộc tổ chức"), validate_choice=True)
    position = IntegerField(_l("Thứ tự"), validators=[Optional(), NumberRange(0, 9999)])
    description = TextAreaField(_l("Giới thiệu"), filters=[clean_text],
                                validators=[Optional(), Length(max=2000)])


class CategoryForm(BaseForm):
    """Create or change a category."""

    name = StringField(_l("Tên chuyên mục"), filters=[strip_line],
                       validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Đường dẫn (slug)"), filters=[strip_line, lower],
                       validators=[Optional(), Length(max=80), check_slug])
    position = IntegerField(_l("Thứ tự"), validators=[Optional(), NumberRange(0, 9999)])


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (also d/m/yyyy) between 1900 and 2999; raise ValueError otherwise."""
    day = datetime.strptime(text.strip(), "%d/%m/%Y").date()
    if not 1900 <= day.year <= 2999:
        raise ValueError("year out of range")
    return day


def vietnamese_date(_form, field):
    """Validator: an optional date written dd/mm/yyyy."""
    if field.data:
        try:
            parse_date(field.data)
        except ValueError:
            raise ValidationError(_l("Ngày phải có dạng dd/mm/yyyy, ví dụ 25/11/2026.")) from None


class AuditFilterForm(BaseForm):
    """Filters of the audit log (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Hành động"), choices=[], validate_choice=False)
    username = StringField(_l("Người thực hiện"), filters=[strip_line],
                           validators=[Optional(), Length(max=80, message=_l("Tối đa 80 ký tự."))])
    date_from = StringField(_l("Từ ngày"), filters=[strip_line],
                            validators=[Optional(), vietnamese_date])
    date_to = StringField(_l("Đến ngày"), filters=[strip_line],
                          validators=[Optional(), vietnamese_date])

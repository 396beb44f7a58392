"""What every form shares: the base form in the reader's language, field filters, widgets.

WTForms ships no Vietnamese catalog, so its built-in messages ("This field is required.",
"Not a valid choice.", …) are listed here, marked for our catalog, and looked up through
Flask-Babel like every other string.
"""

from flask_babel import get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, SelectChoice, SelectField

from bulletin.security import nul_fields, parse_int
from bulletin.text import clean_line, nfc

# Checkbox values that mean "no" (WTForms alone treats "0" and "off" as ticked).
FALSE_VALUES = (False, "false", "False", "", "0", "off", "no")

WTFORMS_MESSAGES = {
    "This field is required.": _l("Trường này là bắt buộc."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "'%(value)s' is not a valid choice for this field.": _l("“%(value)s” không phải lựa chọn "
                                                            "hợp lệ."),
    "'%(value)s' are not valid choices for this field.": _l("“%(value)s” không phải lựa chọn "
                                                            "hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ (dd/mm/yyyy)."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ."),
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Not a valid integer value.": _l("Cần nhập một số nguyên."),
    "Not a valid decimal value.": _l("Cần nhập một số."),
    "Not a valid float value.": _l("Cần nhập một số."),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số phải không quá %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải trong khoảng %(min)s đến %(max)s."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ email không hợp lệ."),
    "Invalid URL.": _l("Địa chỉ không hợp lệ."),
    "Field must be equal to %(other_name)s.": _l("Hai ô nhập phải giống nhau."),
    "Field must be between %(min)d and %(max)d characters long.":
        _l("Cần từ %(min)d đến %(max)d ký tự."),
    "Field must be at least %(min)d character long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field cannot be longer than %(max)d character.": _l("Tối đa %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Tối đa %(max)d ký tự."),
    "Field must be exactly %(max)d character long.": _l("Cần đúng %(max)d ký tự."),
    "Field must be exactly %(max)d characters long.": _l("Cần đúng %(max)d ký tự."),
    "Invalid value, must be one of: %(values)s.": _l("Giá trị phải là một trong: %(values)s."),
    "CSRF token missing.": _l("Biểu mẫu thiếu mã bảo vệ. Hãy tải lại trang."),
    "CSRF failed.": _l("Biểu mẫu không hợp lệ. Hãy tải lại trang."),
    "CSRF token expired.": _l("Biểu mẫu đã hết hạn. Hãy tải lại trang."),
    "Invalid CSRF Token.": _l("Biểu mẫu không hợp lệ. Hãy tải lại trang."),
    "The CSRF token is missing.": _l("Biểu mẫu thiếu mã bảo vệ. Hãy tải lại trang."),
    "The CSRF token has expired.": _l("Biểu mẫu đã hết hạn. Hãy tải lại trang."),
    "The CSRF token is invalid.": _l("Biểu mẫu không hợp lệ. Hãy tải lại trang."),
    "The CSRF session token is missing.": _l("Phiên làm việc đã hết. Hãy tải lại trang."),
    "The CSRF tokens do not match.": _l("Biểu mẫu không hợp lệ. Hãy tải lại trang."),
}


class WTFormsTranslations:
    """The translations object WTForms asks for: our catalog, by WTForms' English text."""

    def gettext(self, string: str) -> str:
        """Translate one of WTForms' messages."""
        message = WTFORMS_MESSAGES.get(string)
        return str(message) if message is not None else gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a counted message (Vietnamese has one form)."""
        message = WTFORMS_MESSAGES.get(singular if n == 1 else plural)
        if message is not None:
            return str(message)
        # Not Flask-Babel's ngettext: it would fill in %(num)s and choke on WTForms' own
        # placeholders such as %(value)s, which WTForms fills in afterwards.
        return get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """FlaskForm (CSRF included) speaking the reader's language."""

    class Meta(FlaskForm.Meta):
        """Route WTForms' messages through our catalog."""

        def get_translations(self, form):
            """Return the translations for this request."""
            return WTFormsTranslations()

    def validate(self, extra_validators=None) -> bool:
        """Validate; a field that arrived with a NUL character is an error (see security)."""
        valid = super().validate(extra_validators)
        for name in nul_fields():
            field = self._fields.get(name.split("-", 1)[0])
            if field is not None:
                field.errors = [*field.errors, _l("Có ký tự không hợp lệ (NUL). Hãy gõ lại.")]
                valid = False
        return valid


class ConfirmForm(BaseForm):
    """A bare button that changes state (logout, publish, void): CSRF only."""


def strip_line(value):
    """Field filter: NFC, one line, whitespace collapsed (None stays None)."""
    return clean_line(value) if isinstance(value, str) else value


def clean_text(value):
    """Field filter: NFC, trimmed, line breaks normalised."""
    return nfc(value).replace("\r\n", "\n").strip() if isinstance(value, str) else value


class SlugSelectField(SelectField):
    """A select whose options are slugs, labelled by name; a numeric id is accepted too."""

    def set_options(self, rows, empty_label) -> None:
        """Offer `rows` (having slug, name, id); turn a posted id into its slug."""
        self.choices = [SelectChoice("", empty_label)] + [
            SelectChoice(row.slug, row.name) for row in rows
        ]
        if isinstance(self.data, str) and self.data.isdigit():
            by_id = {str(row.id): row.slug for row in rows}
            self.data = by_id.get(self.data, self.data)

    def pre_validate(self, form):
        """Nothing chosen is left to DataRequired; anything else must be an option."""
        if not self.data:
            self.data = ""
            return
        super().pre_validate(form)


class RowList(FieldList):
    """Repeated rows (`photos-0-id`, `photos-1-id`, …): at most `max_entries` of them, and only
    plain ASCII indices ("photos-²-id" is ignored rather than a crash)."""

    def __init__(self, unbound_field, max_entries: int, **kwargs):
        """A row list must say how many rows it takes."""
        super().__init__(unbound_field, max_entries=max_entries, **kwargs)

    def _extract_indices(self, prefix, formdata):
        """Yield the row indices present in the form data."""
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = parse_int(key[offset:].split(self._field_separator, 1)[0], high=10**6)
                if index is not None:
                    yield index

"""Reading the registry's values from what people type and what spreadsheets hold.

One place for the web forms and the import: money ("300.000", "350.000đ"), years, dates
(dd/mm/yyyy, ISO, spreadsheet dates and serial numbers) and cells as text. A value that cannot
be read raises `ValueProblem`, whose message is for the user.
"""

import re
from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext as _

from bulletin.text import clean_line, nfc

_AMOUNT_RE = re.compile(r"^\d{1,3}([.,\s]\d{3})+$|^\d+$")


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for the user."""


def parse_amount(raw) -> int | None:
    """Read money: 300000, "300.000", "300,000", "300 000 đ"; None when empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int | float):
        if raw < 0 or raw != int(raw):
            raise ValueProblem(_("Số tiền phải là số nguyên không âm."))
        return int(raw)
    text = clean_line(str(raw)).lower().removesuffix("đồng").removesuffix("đ").strip()
    if text.startswith("-"):
        raise ValueProblem(_("Số tiền không được âm."))
    if not _AMOUNT_RE.match(text):
        raise ValueProblem(_("Số tiền không hợp lệ (ví dụ: 300000 hoặc 300.000)."))
    return int(re.sub(r"\D", "", text))


# How books write a person's sex: the codes, Vietnamese words and their initials.
_SEX_WORDS = {"male": "male", "nam": "male", "m": "male", "female": "female", "nu": "female",
              "nữ": "female", "f": "female", "x": "female"}


def parse_sex(raw) -> str | None:
    """Read a sex: "male"/"female", "Nam"/"Nữ" (any case), "x" in a "Nữ" column; None empty."""
    if raw is None or raw == "":
        return None
    text = clean_line(str(raw)).lower()
    if not text:
        return None
    if text not in _SEX_WORDS:
        raise ValueProblem(_("Giới tính ghi “Nam” hoặc “Nữ”."))
    return _SEX_WORDS[text]


def parse_year(raw) -> int | None:
    """Read a year typed as four digits (or a spreadsheet number); None when empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int | float) and raw == int(raw):
        return int(raw)
    text = clean_line(str(raw))
    if not re.fullmatch(r"\d{4}", text):
        raise ValueProblem(_("Năm phải là số có 4 chữ số, ví dụ 2025."))
    return int(text)


def parse_date(raw) -> date | None:
    """Read a date typed dd/mm/yyyy (or a spreadsheet date); None when empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = clean_line(str(raw))
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if iso:
            return date(*(int(g) for g in iso.groups()))
    except ValueError as error:
        raise ValueProblem(_("Ngày không có thật: %(d)s.", d=text)) from error
    raise ValueProblem(_("Ngày phải viết dạng dd/mm/yyyy, ví dụ 15/01/2026."))


def is_empty(value) -> bool:
    """True for an empty cell (None or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=16_384)
def _line(text: str) -> str:
    """clean_line, remembered: a sheet repeats its organizations, kinds, issuers, signers."""
    return clean_line(text)


def as_text(raw) -> str:
    """A cell as one line of text (numbers without ".0", dates dd/mm/yyyy)."""
    if raw is None:
        return ""
    if type(raw) is str:
        return _line(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return clean_line(str(raw))


def long_text(raw) -> str:
    """A cell as text that may span lines (the achievement)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        return as_text(raw)
    lines = nfc(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def parse_cell_date(raw) -> date | None:
    """Read a date cell, a date typed as text, or a date Excel kept as a serial number."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2_958_466:
            from openpyxl.utils.datetime import from_excel  # loaded by read_sheet already

            return from_excel(raw).date()
        raise ValueProblem(_("Ngày phải viết dạng dd/mm/yyyy, ví dụ 15/01/2026."))
    return parse_date(raw if not isinstance(raw, str) else clean_line(raw))


def parsed(values, name: str, parser, raw):
    """Parse one typed value; a problem becomes that field's error."""
    try:
        return parser(raw)
    except ValueProblem as problem:
        values.error(name, str(problem))
        return None

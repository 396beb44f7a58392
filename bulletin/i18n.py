"""Language and formats: locale choice, the language switch, date and number filters."""

import math
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, has_request_context, redirect, request
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from bulletin.extensions import csrf
from bulletin.security import safe_next_url

bp = Blueprint("i18n", __name__)

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
LANG_COOKIE = "lang"
# The thousands separator and decimal mark of each interface language: CLDR's (Babel's) for
# vi and en, whose decimal pattern is the same `#,##0.###` (tests hold them to Babel's output).
SEPARATORS = {"vi": (".", ","), "en": (",", ".")}
INT_GROUPING = {lang: group for lang, (group, _mark) in SEPARATORS.items()}
_THOUSANDTH = Decimal("0.001")
_WIDE = Context(prec=800)  # room for every float's digits (1e308 has 309) and three decimals


def select_locale() -> str:
    """Use the language the reader chose, else Vietnamese (also outside a request: CLI)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every time is shown in Vietnam's time zone."""
    return "Asia/Ho_Chi_Minh"


@bp.post("/lang")
@csrf.exempt  # it sets only the reader's own language cookie (see base.html)
def switch_language():
    """Remember the chosen interface language in a cookie and go back."""
    lang = request.form.get("lang", "")
    target = safe_next_url(request.form.get("next")) or "/"
    response = redirect(target, code=303)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


def local(value: datetime) -> datetime:
    """Return an aware datetime in Asia/Ho_Chi_Minh."""
    return value.astimezone(TIMEZONE)


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy in Vietnam, whatever the locale (the readers' convention on notices)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    if str(get_locale()) == "en":
        return value.strftime("%d %b %Y")
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """HH:mm dd/mm/yyyy in Vietnam (English: dd Mon yyyy, HH:mm)."""
    if value is None:
        return ""
    moment = local(value)
    if str(get_locale()) == "en":
        return moment.strftime("%d %b %Y, %H:%M")
    return moment.strftime("%H:%M %d/%m/%Y")


def format_number(value: int | float | None) -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English."""
    if value is None:
        return ""
    locale = str(get_locale())
    if locale in SEPARATORS and (isinstance(value, int) or math.isfinite(value)):
        # Babel's general formatter loads its CLDR data (5 MB in every worker that ever shows a
        # file size) and costs more than the rest of a registry row: the pattern is done here.
        group, mark = SEPARATORS[locale]
        text = f"{value:,}" if isinstance(value, int) else _decimal(value)
        return text.translate({ord(","): group, ord("."): mark})
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def _decimal(value: float) -> str:
    """`#,##0.###` in the English marks: at most three decimals, half to even as CLDR
    rounds (on the number as written, 2.0005 → 2.0), no trailing zeros."""
    exact = Decimal(str(value)).quantize(_THOUSANDTH, ROUND_HALF_EVEN, _WIDE)
    text = f"{exact:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_filesize(size: int) -> str:
    """A file size a reader understands: 840 KB, 2,4 MB."""
    if size < 1024:
        return _("%(n)s byte", n=size)
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024))} KB"
    return f"{format_number(round(size / 1024 / 1024, 1))} MB"


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """"2 giờ trước" for recent times, the date for older ones."""
    if value is None:
        return ""
    now = now or datetime.now(TIMEZONE)
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return _("vừa xong")
    if seconds < 3600:
        n = int(seconds // 60)
        return ngettext("%(num)d phút trước", "%(num)d phút trước", n)
    if seconds < 86400:
        n = int(seconds // 3600)
        return ngettext("%(num)d giờ trước", "%(num)d giờ trước", n)
    if seconds < 7 * 86400:
        n = int(seconds // 86400)
        return ngettext("%(num)d ngày trước", "%(num)d ngày trước", n)
    return format_date(value)

"""The registry list's rows as the page prints them, formatted once in Python.

A page shows 50 rows of seven cells; calling `url_for` and the number and date filters for
every cell (each looking up the request's locale) cost more than the rest of the page, so
the view hands the template ready-made text instead.
"""

from dataclasses import dataclass

from flask_babel import get_locale
from jinja2.filters import do_truncate
from sqlalchemy import Row

from bulletin.i18n import INT_GROUPING, format_date, format_number
from bulletin.links import row_url

ACHIEVEMENT_CHARS = 160  # the list shows the start of a long achievement


@dataclass(slots=True)
class ListRow:
    """One award as the registry list prints it."""

    year: int
    position: str
    url: str
    recipient_name: str
    recipient_type: str
    recipient_title: str
    is_voided: bool
    organization: str
    kind: str
    achievement: str
    decision_number: str
    decision_date: str
    amount: str


def number_format():
    """Return the locale's whole-number formatter (1.234 in Vietnamese, 1,234 in English)."""
    separator = INT_GROUPING.get(str(get_locale()))
    if separator is None:
        return format_number
    return lambda value: f"{value:,}".replace(",", separator)


def list_rows(rows: list[Row], first_row: int, environment) -> list[ListRow]:
    """Format a page of registry rows; `first_row` is the number of rows on earlier pages."""
    if not rows:
        return []
    url, number = row_url("awards.detail", "award_id"), number_format()
    day = {}
    shown = []
    for position, row in enumerate(rows, first_row + 1):
        if row.signed_on not in day:
            day[row.signed_on] = format_date(row.signed_on)
        shown.append(ListRow(
            year=row.year, position=number(position), url=url(row.id),
            recipient_name=row.recipient_name, recipient_type=row.recipient_type,
            recipient_title=row.recipient_title, is_voided=row.is_voided,
            organization=row.organization, kind=row.kind,
            achievement=do_truncate(environment, row.achievement, ACHIEVEMENT_CHARS),
            decision_number=row.decision_number, decision_date=day[row.signed_on],
            amount="" if row.amount is None else number(row.amount)))
    return shown

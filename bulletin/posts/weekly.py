"""The weekly paper bulletin: the week's published posts on at most two A4 pages.

For the office's notice board and for members without a phone. A week runs Monday to Sunday
in Vietnam's time and is named as ISO weeks are ("2026-W49"). The first posts get their lead
and one photo; the rest of a busy week are listed by title, so the paper keeps to two pages.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Post, utcnow
from bulletin.posts.queries import published_posts, with_cards

FULL_ITEMS = 6  # with lead and photo; two A4 pages hold this many in two columns
LISTED_ITEMS = 14  # more, by title only
LEAD_CHARS = 260
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass
class Week:
    """One Monday-to-Sunday week."""

    year: int
    number: int

    @property
    def monday(self) -> date:
        """The week's first day."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return self.monday + timedelta(days=6)

    @property
    def key(self) -> str:
        """The week as the URL names it: 2026-W49."""
        return f"{self.year}-W{self.number:02d}"

    def shifted(self, weeks: int) -> "Week":
        """The week `weeks` later (earlier when negative)."""
        year, number, _day = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return Week(year, number)

    def bounds(self) -> tuple[datetime, datetime]:
        """The week's start and the next week's start, in Vietnam's time."""
        start = datetime.combine(self.monday, datetime.min.time(), tzinfo=TIMEZONE)
        return start, start + timedelta(days=7)


def this_week() -> Week:
    """The week it is now in Vietnam."""
    year, number, _day = utcnow().astimezone(TIMEZONE).date().isocalendar()
    return Week(year, number)


def parse_week(raw: str | None) -> Week | None:
    """Read `2026-W49`; None when it is missing or names no week."""
    match = _WEEK_RE.match(raw or "")
    if not match:
        return None
    try:
        week = Week(int(match.group(1)), int(match.group(2)))
        week.monday  # noqa: B018 - raises for a week the year does not have
        week.shifted(1)  # and for one at the calendar's edge
    except (ValueError, OverflowError):
        return None
    return week


def week_posts(week: Week) -> list[Post]:
    """The week's published posts, oldest first (as the week happened)."""
    start, end = week.bounds()
    stmt = (with_cards(published_posts())
            .where(Post.published_at >= start, Post.published_at < end)
            .order_by(Post.published_at, Post.id).limit(FULL_ITEMS + LISTED_ITEMS + 1))
    return list(db.session.scalars(stmt))

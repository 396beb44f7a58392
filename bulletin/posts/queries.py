"""The selects readers' pages use, and keyset pagination that stays fast at any depth.

A list page is addressed by `?page=N`. Links between pages also carry a cursor (`c`) naming
the last (or first) row shown, so following them never scans past rows; a bare `?page=N`
falls back to an index-only OFFSET. No page counts the whole table.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, bindparam, tuple_
from sqlalchemy.orm import selectinload

from bulletin.extensions import db
from bulletin.models import Post, UTCDateTime, utcnow
from bulletin.pagination import MAX_PAGE
from bulletin.security import MAX_ID, parse_int

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# Cursors name publish times up to the last moment a datetime holds.
MAX_CURSOR_MICROS = (datetime.max.replace(tzinfo=UTC) - EPOCH) // MICROSECOND


def published_posts(now: datetime | None = None) -> Select:
    """Select the posts readers may see: published, and their publish time has come."""
    return db.select(Post).where(
        Post.status == "published", Post.published_at <= (now or utcnow())
    )


def with_cards(stmt: Select) -> Select:
    """Load what a post card shows (organization, category, first photo) without N+1."""
    return stmt.options(
        selectinload(Post.organization), selectinload(Post.category), selectinload(Post.images)
    )


@dataclass
class Ordering:
    """A list order: the columns sorted descending, and how a cursor names a row."""

    columns: tuple
    pinned_first: bool

    def key(self, post: Post) -> str:
        """Return the cursor of `post` in this order."""
        micros = (post.published_at - EPOCH) // MICROSECOND
        parts = [str(micros), str(post.id)]
        if self.pinned_first:
            parts.insert(0, "1" if post.is_pinned else "0")
        return "_".join(parts)

    def parse(self, token: str) -> tuple | None:
        """Return the column values named by a cursor, or None if it is malformed."""
        parts = token.split("_")
        expected = 3 if self.pinned_first else 2
        numbers = [parse_int(p) for p in parts]
        if len(parts) != expected or None in numbers:
            return None
        values = []
        if self.pinned_first:
            values.append(bool(numbers.pop(0)))
        if numbers[0] > MAX_CURSOR_MICROS or numbers[1] > MAX_ID:
            return None
        values.extend([EPOCH + numbers[0] * MICROSECOND, numbers[1]])
        return tuple(values)

    def bound(self, values: tuple) -> tuple:
        """Bind cursor values with the right column types."""
        params = []
        for column, value in zip(self.columns, values, strict=True):
            type_ = UTCDateTime() if column is Post.published_at else column.type
            params.append(bindparam(None, value, type_=type_))
        return tuple(params)


BY_DATE = Ordering((Post.published_at, Post.id), pinned_first=False)
PINNED_FIRST = Ordering((Post.is_pinned, Post.published_at, Post.id), pinned_first=True)


@dataclass
class Page:
    """One page of a list, with what its links need."""

    items: list
    number: int
    has_prev: bool
    has_next: bool
    prev_cursor: str | None
    next_cursor: str | None


def paginate(stmt: Select, ordering: Ordering, page: int, cursor: str | None,
             per_page: int) -> Page:
    """Return page `page` of `stmt` in `ordering`, seeking by `cursor` when it is valid."""
    page = max(1, min(page, MAX_PAGE))
    direction, _, token = (cursor or "").partition(".")
    values = ordering.parse(token) if direction in ("n", "p") and page > 1 else None
    columns = tuple_(*ordering.columns)
    if values is not None and direction == "n":
        rows = _fetch(stmt.where(columns < tuple_(*ordering.bound(values))), ordering,
                      per_page + 1)
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        has_prev = True
    elif values is not None:
        ascending = [c.asc() for c in ordering.columns]
        stmt = stmt.where(columns > tuple_(*ordering.bound(values))).order_by(None)
        rows = list(db.session.scalars(stmt.order_by(*ascending).limit(per_page + 1)))
        has_prev = len(rows) > per_page and page > 1
        rows = list(reversed(rows[:per_page]))
        has_next = True
    else:
        rows = _fetch_by_offset(stmt, ordering, (page - 1) * per_page, per_page + 1)
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        has_prev = page > 1
    return Page(
        items=rows,
        number=page,
        has_prev=has_prev,
        has_next=has_next,
        prev_cursor=f"p.{ordering.key(rows[0])}" if rows and has_prev else None,
        next_cursor=f"n.{ordering.key(rows[-1])}" if rows and has_next else None,
    )


def _fetch(stmt: Select, ordering: Ordering, limit: int) -> list:
    """Run `stmt` newest first in `ordering`."""
    descending = [c.desc() for c in ordering.columns]
    return list(db.session.scalars(stmt.order_by(*descending).limit(limit)))


def _fetch_by_offset(stmt: Select, ordering: Ordering, offset: int, limit: int) -> list:
    """Skip `offset` rows reading only the index (ids), then load the rows of the page."""
    descending = [c.desc() for c in ordering.columns]
    ids = list(db.session.scalars(
        stmt.with_only_columns(Post.id).order_by(*descending).offset(offset).limit(limit)))
    if not ids:
        return []
    by_id = {post.id: post for post in db.session.scalars(stmt.where(Post.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """Return the published posts just before and just after `post` in time."""
    key = tuple_(Post.published_at, Post.id)
    here = tuple_(*BY_DATE.bound((post.published_at, post.id)))
    older = db.session.scalar(
        published_posts().where(key < here).order_by(Post.published_at.desc(), Post.id.desc())
        .limit(1)
    )
    newer = db.session.scalar(
        published_posts().where(key > here).order_by(Post.published_at.asc(), Post.id.asc())
        .limit(1)
    )
    return older, newer

"""Reading `?page=N` the same way on every list."""

import math
from dataclasses import dataclass

from flask import request
from sqlalchemy import Select

from bulletin.extensions import db
from bulletin.security import parse_int

MAX_PAGE = 100_000
COUNT_CAP = 2_000  # about 67 pages of the desk


def page_number(high: int = MAX_PAGE) -> int:
    """Read `?page=N`: a whole number from 1 to `high`; anything else is page 1."""
    return parse_int(request.args.get("page"), low=1, high=high) or 1


@dataclass
class CappedPage:
    """One page of a long list, counted only up to a cap.

    Counting every row on each request cost the editor's desk most of its time at a
    million posts; past `cap` rows the pager says "Trang N" without the total.
    """

    items: list
    page: int
    has_next: bool
    pages: int | None


def capped_page(stmt: Select, number: int, per_page: int, cap: int = COUNT_CAP) -> CappedPage:
    """The `number`th page of `stmt` (ORM entities), with the page count when the list holds
    at most `cap` rows."""
    items = db.session.scalars(stmt.limit(per_page + 1).offset((number - 1) * per_page)).all()
    has_next = len(items) > per_page
    if items and not has_next:
        return CappedPage(items, number, False, number)  # the last page: no count needed
    counted = db.session.scalar(db.select(db.func.count()).select_from(
        stmt.with_only_columns(db.literal_column("1")).order_by(None).limit(cap + 1).subquery()))
    pages = max(1, math.ceil(counted / per_page)) if counted <= cap else None
    return CappedPage(items[:per_page], number, has_next, pages)

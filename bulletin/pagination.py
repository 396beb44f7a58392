"""Reading `?page=N` the same way on every list."""

from flask import request

from bulletin.security import parse_int

MAX_PAGE = 100_000


def page_number(high: int = MAX_PAGE) -> int:
    """Read `?page=N`: a whole number from 1 to `high`; anything else is page 1."""
    return parse_int(request.args.get("page"), low=1, high=high) or 1

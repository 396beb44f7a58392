"""Reading `?page=N` the same way on every list."""

from flask import request

MAX_PAGE = 100_000


def page_number() -> int:
    """Read `?page=N`: a positive whole number up to MAX_PAGE; anything else is page 1."""
    raw = request.args.get("page", "1")
    if not (raw.isdigit() and len(raw) <= len(str(MAX_PAGE))):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)

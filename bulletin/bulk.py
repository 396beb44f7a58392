"""Writing thousands of rows at once: ids reserved ahead, so no RETURNING is needed."""

from sqlalchemy import Table, text

from bulletin.extensions import db


def reserved_ids(table: Table, count: int) -> list[int] | None:
    """On PostgreSQL, `count` new ids from the table's sequence, ascending (None elsewhere).

    Rows given their ids go in by a plain executemany; RETURNING on thousands of rows makes
    one statement of them all, which the driver parses longer than the database runs it.
    SQLite answers RETURNING quickly: there the caller inserts as before.
    """
    if count <= 0 or db.session.get_bind().dialect.name != "postgresql":
        return None
    return sorted(db.session.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
             "FROM generate_series(1, :count)"),
        {"table": table.name, "count": count}).scalars())

"""Writing thousands of rows at once: ids reserved ahead, so no RETURNING is needed."""

from sqlalchemy import Table, text

from bulletin.caching import versions
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


def insert_rows(table: Table, rows: list[dict]) -> None:
    """Insert many rows of the same columns in the session's transaction.

    On PostgreSQL by COPY, which writes a row for a fraction of what an INSERT costs the
    server; columns left out get their Python defaults as an INSERT would give them, values
    go through the columns' types (UTC datetimes), and the commit bumps the shared version.
    Elsewhere an executemany INSERT.
    """
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    given = list(rows[0])
    defaults = {column.name: column.default for column in table.columns
                if column.name not in given and column.default is not None
                and not column.default.is_sequence}
    names = given + list(defaults)
    convert = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    extra = [_default_value(default) for default in defaults.values()]
    columns = ", ".join(names)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row[name] for name in given] + extra
            copy.write_row([value if step is None or value is None else step(value)
                            for step, value in zip(convert, values, strict=True)])
    versions.note_written(db.session(), table.name)


def _default_value(default):
    """The value a column's Python default gives a new row (the same for every row of a batch:
    the defaults here are constants and "now")."""
    if default.is_callable:
        return default.arg(None)
    return default.arg

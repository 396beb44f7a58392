"""The triggers that keep `award_counts`, written once for the migrations that make them.

`award_counts` holds the number of awards and their money per group (organization, kind,
year, …) and triggers on `awards` keep it, whatever writes the awards. Only migrations use
this module, and each must stay true to its own point in history: what differs between
versions (the grouped columns) is a parameter the migration spells out, never read from the
models. Change what a given call emits and old migrations change with it: a new shape of
trigger is a new parameter.

On SQLite, a migration that alters `awards` in batch mode (a table copied and renamed) drops
these triggers: it runs `create` again and, after emptying `award_counts`, `refill`.
It returns SQL strings built from the column names a migration gives (never from input),
so loading it loads neither Alembic nor the app.
"""

from collections.abc import Sequence

SQLITE_TRIGGERS = ("insert", "delete", "update")

# Kept as the first migration wrote it: PostgreSQL stores the body's layout as given.
POSTGRESQL_FUNCTION = """
        CREATE FUNCTION award_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {subtract_old} END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {add_new} END IF;
            RETURN NULL;
        END $$"""


def create(dialect: str, group: Sequence[str]) -> list[str]:
    """The statements that create the count triggers, grouping awards by `group`."""
    columns = ", ".join(group)
    watched = f"{columns}, amount"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER award_counts_insert AFTER INSERT ON awards "
            f"BEGIN {_add_new(group, '')} END",
            f"CREATE TRIGGER award_counts_delete AFTER DELETE ON awards "
            f"BEGIN {_subtract_old(group)} END",
            f"CREATE TRIGGER award_counts_update AFTER UPDATE OF {watched} ON awards "
            f"BEGIN {_subtract_old(group)} {_add_new(group, '')} END",
        ]
    return [
        POSTGRESQL_FUNCTION.format(subtract_old=_subtract_old(group),
                                   add_new=_add_new(group, "c")),
        f"CREATE TRIGGER award_counts_change AFTER INSERT OR DELETE OR UPDATE OF "
        f"{watched} ON awards FOR EACH ROW EXECUTE FUNCTION award_counts_change()",
    ]


def drop(dialect: str) -> list[str]:
    """The statements that drop the count triggers `create` made."""
    if dialect == "sqlite":
        return [f"DROP TRIGGER award_counts_{name}" for name in SQLITE_TRIGGERS]
    return ["DROP TRIGGER award_counts_change ON awards", "DROP FUNCTION award_counts_change()"]


def refill(group: Sequence[str]) -> str:
    """The statement that fills an empty `award_counts` from the awards there are."""
    columns = ", ".join(group)
    return (f"INSERT INTO award_counts ({columns}, awards, amount) "  # noqa: S608
            f"SELECT {columns}, count(*), coalesce(sum(amount), 0) FROM awards "
            f"GROUP BY {columns}")


def _subtract_old(group: Sequence[str]) -> str:
    """Take OLD's award out of its group."""
    match = " AND ".join(f"{column} = OLD.{column}" for column in group)
    return ("UPDATE award_counts SET awards = awards - 1, "  # noqa: S608
            f"amount = amount - coalesce(OLD.amount, 0) WHERE {match};")


def _add_new(group: Sequence[str], alias: str) -> str:
    """Add NEW's award to its group (SQLite triggers take no table alias: pass "")."""
    columns = ", ".join(group)
    values = ", ".join(f"NEW.{column}" for column in group)
    target = f"award_counts AS {alias}" if alias else "award_counts"
    prefix = f"{alias}." if alias else ""
    return (f"INSERT INTO {target} ({columns}, awards, amount) VALUES "  # noqa: S608
            f"({values}, 1, coalesce(NEW.amount, 0)) ON CONFLICT ({columns}) DO UPDATE SET "
            f"awards = {prefix}awards + 1, amount = {prefix}amount + excluded.amount;")

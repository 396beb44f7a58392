"""page cache version and the registry's precomputed counts

cache_versions: one shared counter, bumped when public content changes, so every worker
drops the pages it cached for anonymous readers (bulletin/pagecache.py).

award_counts: awards and money per organization, kind, year, recipient type and voided
state, kept by triggers on `awards` (whatever writes them: forms, imports, restores), so the
registry's totals and years read a few hundred rows instead of the whole registry. It is kept
out of the models (and of autogenerate and backups) like the search tables: a restore
re-inserts awards and the triggers rebuild it.

On SQLite, a later migration that alters `awards` in batch mode (a table copied and
renamed) drops these triggers: such a migration must create them again
(`create_sqlite_triggers`) and refill `award_counts`. Adding or dropping a column is a plain
ALTER TABLE on SQLite and keeps them (15b3d9e0a7c2).

Revision ID: 12a0c4c1e5b7
Revises: 10a7c3e5d2f1
Create Date: 2026-12-01 15:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "12a0c4c1e5b7"
down_revision = '10a7c3e5d2f1'
branch_labels = None
depends_on = None

GROUP = "organization_id, kind_id, year, recipient_type, is_voided"
MATCH_OLD = ("organization_id = OLD.organization_id AND kind_id = OLD.kind_id "
             "AND year = OLD.year AND recipient_type = OLD.recipient_type "
             "AND is_voided = OLD.is_voided")
SUBTRACT_OLD = ("UPDATE award_counts SET awards = awards - 1, "
                f"amount = amount - coalesce(OLD.amount, 0) WHERE {MATCH_OLD};")


def add_new(alias: str) -> str:
    """Add NEW's award to its group (SQLite triggers take no table alias: pass "")."""
    target = f"award_counts AS {alias}" if alias else "award_counts"
    prefix = f"{alias}." if alias else ""
    return (f"INSERT INTO {target} ({GROUP}, awards, amount) VALUES "
            "(NEW.organization_id, NEW.kind_id, NEW.year, NEW.recipient_type, NEW.is_voided, "
            f"1, coalesce(NEW.amount, 0)) ON CONFLICT ({GROUP}) DO UPDATE SET "
            f"awards = {prefix}awards + 1, amount = {prefix}amount + excluded.amount;")


WATCHED = "organization_id, kind_id, year, recipient_type, is_voided, amount"


def upgrade():
    table = op.create_table(
        "cache_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_versions")),
    )
    op.bulk_insert(table, [{"name": "pages", "version": 1}])
    op.create_table(
        "award_counts",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("recipient_type", sa.String(length=16), nullable=False),
        sa.Column("is_voided", sa.Boolean(), nullable=False),
        sa.Column("awards", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "kind_id", "year", "recipient_type",
                                "is_voided", name="pk_award_counts"),
    )
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_triggers()
    else:
        create_postgresql_trigger()
    op.execute(f"INSERT INTO award_counts ({GROUP}, awards, amount) "
               f"SELECT {GROUP}, count(*), coalesce(sum(amount), 0) FROM awards GROUP BY {GROUP}")


def create_sqlite_triggers():
    op.execute(f"CREATE TRIGGER award_counts_insert AFTER INSERT ON awards "
               f"BEGIN {add_new('')} END")
    op.execute(f"CREATE TRIGGER award_counts_delete AFTER DELETE ON awards "
               f"BEGIN {SUBTRACT_OLD} END")
    op.execute(f"CREATE TRIGGER award_counts_update AFTER UPDATE OF {WATCHED} ON awards "
               f"BEGIN {SUBTRACT_OLD} {add_new('')} END")


def create_postgresql_trigger():
    op.execute(f"""
        CREATE FUNCTION award_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {SUBTRACT_OLD} END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {add_new('c')} END IF;
            RETURN NULL;
        END $$""")
    op.execute(f"CREATE TRIGGER award_counts_change AFTER INSERT OR DELETE OR UPDATE OF "
               f"{WATCHED} ON awards FOR EACH ROW EXECUTE FUNCTION award_counts_change()")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER award_counts_{name}")
    else:
        op.execute("DROP TRIGGER award_counts_change ON awards")
        op.execute("DROP FUNCTION award_counts_change()")
    op.drop_table("award_counts")
    op.drop_table("cache_versions")

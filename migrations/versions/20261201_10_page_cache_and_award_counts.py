"""page cache version and the registry's precomputed counts

cache_versions: one shared counter, bumped when public content changes, so every worker
drops the pages it cached for anonymous readers (bulletin/pagecache.py).

award_counts: awards and money per organization, kind, year, recipient type and voided
state, kept by triggers on `awards` (whatever writes them: forms, imports, restores), so the
registry's totals and years read a few hundred rows instead of the whole registry. It is kept
out of the models (and of autogenerate and backups) like the search tables: a restore
re-inserts awards and the triggers rebuild it.

The triggers' SQL is written by bulletin/count_triggers.py, from the grouped columns this
revision passes. On SQLite, a later migration that alters `awards` in batch mode (a table
copied and renamed) drops these triggers: such a migration must create them again and refill
`award_counts` with the same module. Adding or dropping a column is a plain ALTER TABLE on
SQLite and keeps them (15b3d9e0a7c2).

Revision ID: 12a0c4c1e5b7
Revises: 10a7c3e5d2f1
Create Date: 2026-12-01 15:30:00
"""
import sqlalchemy as sa
from alembic import op

from bulletin import count_triggers

revision = "12a0c4c1e5b7"
down_revision = '10a7c3e5d2f1'
branch_labels = None
depends_on = None

# The groups `award_counts` keeps, as this revision made them.
GROUP = ("organization_id", "kind_id", "year", "recipient_type", "is_voided")


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
    for statement in count_triggers.create(op.get_bind().dialect.name, GROUP):
        op.execute(statement)
    op.execute(count_triggers.refill(GROUP))


def downgrade():
    for statement in count_triggers.drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("award_counts")
    op.drop_table("cache_versions")

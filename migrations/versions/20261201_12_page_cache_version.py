"""page cache version: one shared counter bumped when public content changes

Revision ID: 12a0c4c1e5b7
Revises: 5925a4e6bb8d
Create Date: 2026-12-01 15:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "12a0c4c1e5b7"
down_revision = "5925a4e6bb8d"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "cache_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_versions")),
    )
    op.bulk_insert(table, [{"name": "pages", "version": 1}])


def downgrade():
    op.drop_table("cache_versions")

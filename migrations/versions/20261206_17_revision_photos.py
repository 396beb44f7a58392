"""a post revision keeps its photos (captions and order), so a revision can say what changed

A plain ADD COLUMN with a server default ('' for the revisions saved before: their photos
are unknown); going down, DROP COLUMN (SQLite 3.35+).

Revision ID: 69291d707de8
Revises: dadd06600d33
Create Date: 2026-12-06 03:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '69291d707de8'
down_revision = 'dadd06600d33'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('post_revisions',
                  sa.Column('photos', sa.Text(), server_default='', nullable=False))


def downgrade():
    op.drop_column('post_revisions', 'photos')

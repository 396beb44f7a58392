"""an award's recipient's year of birth (tells namesakes apart)

A plain ADD COLUMN (and, going down, DROP COLUMN, SQLite 3.35+): `awards` is not copied in
batch mode, so the triggers that keep `award_counts` (revision 12a0c4c1e5b7) stay.

Revision ID: 15b3d9e0a7c2
Revises: 12a0c4c1e5b7
Create Date: 2026-12-01 19:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '15b3d9e0a7c2'
down_revision = '12a0c4c1e5b7'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('awards', sa.Column('birth_year', sa.SmallInteger(), nullable=True))


def downgrade():
    op.drop_column('awards', 'birth_year')

"""site settings, archived organizations and categories, old slugs

Revision ID: 13a1c0de5e77
Revises: 9a2f7c41d0e3
Create Date: 2026-12-01 15:30:00

"""
import sqlalchemy as sa
from alembic import op

import bulletin.models.base

# revision identifiers, used by Alembic.
revision = '13a1c0de5e77'
down_revision = '9a2f7c41d0e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('locality_name', sa.String(length=200), nullable=False),
        sa.Column('committee_name', sa.String(length=200), nullable=False),
        sa.Column('footer_text', sa.Text(), nullable=False),
        sa.Column('logo_key', sa.String(length=64), nullable=False),
        sa.Column('updated_at', bulletin.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_settings')),
    )
    op.create_table(
        'old_slugs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_old_slugs')),
        sa.UniqueConstraint('kind', 'slug', name=op.f('uq_old_slugs_kind')),
    )
    with op.batch_alter_table('old_slugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_old_slugs_target_id'), ['target_id'], unique=False)
    for table in ('organizations', 'categories'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('is_archived', sa.Boolean(), server_default='0',
                                          nullable=False))


def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate
    # organizations, which the posts' foreign keys forbid once the board has content.
    for table in ('categories', 'organizations'):
        op.execute(f'ALTER TABLE {table} DROP COLUMN is_archived')
    with op.batch_alter_table('old_slugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_old_slugs_target_id'))
    op.drop_table('old_slugs')
    op.drop_table('site_settings')

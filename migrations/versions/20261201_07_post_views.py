"""post view counts ("Lượt xem")

Revision ID: 14a7c3e2b901
Revises: 13a1c0de5e77
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '14a7c3e2b901'
down_revision = '13a1c0de5e77'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'post_views',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'],
                                name=op.f('fk_post_views_post_id_posts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', name=op.f('pk_post_views')),
    )


def downgrade():
    op.drop_table('post_views')

"""an award's folded name, position and decision number: what a search by name reads

A registry search for "tran thi binh" read the whole folded text, achievement included, and
found Trần Thúy Liên through "Cựu chiến binh". The new column holds only what names a
recipient and a decision; `search_text` keeps the achievement for "tìm trong mọi cột".
Filled here for the awards already recorded. A plain ADD COLUMN, so the triggers that keep
`award_counts` stay (see revision 15b3d9e0a7c2).

Revision ID: 7f610569aeec
Revises: 15b3d9e0a7c2
Create Date: 2026-12-06 01:00:00
"""
import sqlalchemy as sa
from alembic import op

from bulletin.text import fold

revision = '7f610569aeec'
down_revision = '15b3d9e0a7c2'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    op.add_column('awards', sa.Column('name_search', sa.Text(), nullable=False,
                                      server_default=''))
    bind = op.get_bind()
    awards = sa.table('awards', sa.column('id', sa.Integer), sa.column('decision_id'),
                      sa.column('recipient_name'), sa.column('recipient_title'),
                      sa.column('name_search'))
    decisions = sa.table('decisions', sa.column('id'), sa.column('number'))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(awards.c.id, awards.c.recipient_name, awards.c.recipient_title,
                      decisions.c.number)
            .join(decisions, decisions.c.id == awards.c.decision_id)
            .where(awards.c.id > last).order_by(awards.c.id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(
            awards.update().where(awards.c.id == sa.bindparam('award_id'))
            .values(name_search=sa.bindparam('folded')),
            [{'award_id': row.id,
              'folded': fold(' '.join((row.recipient_name, row.recipient_title or '',
                                       row.number)))} for row in rows])
        last = rows[-1].id


def downgrade():
    op.drop_column('awards', 'name_search')

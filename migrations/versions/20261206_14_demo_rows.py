"""demo rows: the mark on every row seed-demo made, for `seed-demo --remove`

`seed-demo` marks the rows it makes (table and id) here, so that removing the demo takes away
exactly those and never what staff wrote. A board seeded before this revision has demo rows
without marks: they are recognised by what only the demo does, making rows that name no
account. Posts without an author, decisions nobody recorded, and the awards on such decisions
whose every history entry names no account and that no import brought are marked here, and
so are the proposals (with their rows) and council meetings nobody wrote.
Organizations, categories and award kinds are never demo rows: the board keeps them.

Revision ID: 1da65499b33e
Revises: 130317c0ff58
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '1da65499b33e'
down_revision = '130317c0ff58'
branch_labels = None
depends_on = None


def upgrade():
    demo_rows = op.create_table(
        'demo_rows',
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_demo_rows')),
    )
    posts = sa.table('posts', sa.column('id'), sa.column('author_id'))
    decisions = sa.table('decisions', sa.column('id'), sa.column('created_by_id'))
    awards = sa.table('awards', sa.column('id'), sa.column('decision_id'),
                      sa.column('import_batch_id'))
    history = sa.table('award_history', sa.column('award_id'), sa.column('user_id'))
    columns = ['table_name', 'row_id']
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('posts'), posts.c.id).where(posts.c.author_id.is_(None))))
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('decisions'), decisions.c.id).where(decisions.c.created_by_id.is_(None))))
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('awards'), awards.c.id).where(
            awards.c.import_batch_id.is_(None),
            awards.c.decision_id.in_(sa.select(decisions.c.id).where(
                decisions.c.created_by_id.is_(None))),
            ~sa.exists().where(history.c.award_id == awards.c.id,
                               history.c.user_id.isnot(None)))))
    # The commendation cycle's demo (proposals and council meetings nobody wrote).
    proposals = sa.table('proposals', sa.column('id'), sa.column('created_by_id'))
    proposal_rows = sa.table('proposal_rows', sa.column('id'), sa.column('proposal_id'))
    meetings = sa.table('council_meetings', sa.column('id'), sa.column('created_by_id'))
    unwritten = sa.select(proposals.c.id).where(proposals.c.created_by_id.is_(None))
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('proposals'), proposals.c.id).where(proposals.c.id.in_(unwritten))))
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('proposal_rows'), proposal_rows.c.id).where(
            proposal_rows.c.proposal_id.in_(unwritten))))
    op.execute(demo_rows.insert().from_select(columns, sa.select(
        sa.literal('council_meetings'), meetings.c.id).where(
            meetings.c.created_by_id.is_(None))))


def downgrade():
    op.drop_table('demo_rows')

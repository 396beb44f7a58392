"""rules of commendation: kinds as the law classes them, dated rules, base salary, decision
fields, an award's initiative

Revision ID: 10a7c3e5d2f1
Revises: 3b7d1e11a0c4
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '10a7c3e5d2f1'
down_revision = '3b7d1e11a0c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('award_kinds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conferred_by', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('owner', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('legal_basis', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signing_mode', sa.String(length=4), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('legal_grounds', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('decision_type', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('campaign', sa.String(length=300), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('initiative', sa.String(length=500), nullable=False,
                                      server_default=''))
    for table, columns in (('award_kinds', ('conferred_by', 'owner', 'legal_basis')),
                           ('decisions', ('signing_mode', 'legal_grounds', 'decision_type',
                                          'campaign')),
                           ('awards', ('initiative',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)

    op.create_table('award_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('rule_type', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('required_kind_id', sa.Integer(), nullable=True),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('needs_initiative', sa.Boolean(), nullable=False),
    sa.Column('bodies', sa.String(length=200), nullable=False),
    sa.Column('recipient_type', sa.String(length=16), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.ForeignKeyConstraint(['kind_id'], ['award_kinds.id'],
                            name=op.f('fk_award_rules_kind_id_award_kinds'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['required_kind_id'], ['award_kinds.id'],
                            name=op.f('fk_award_rules_required_kind_id_award_kinds'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_rules'))
    )
    with op.batch_alter_table('award_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_rules_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_rules_required_kind_id'),
                              ['required_kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_rules_rule_type'), ['rule_type'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_award_rules_valid_from'), ['valid_from'],
                              unique=False)

    op.create_table('base_salaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('round_up_to', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_salaries')),
    sa.UniqueConstraint('valid_from', name=op.f('uq_base_salaries_valid_from'))
    )


def downgrade():
    op.drop_table('base_salaries')
    with op.batch_alter_table('award_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_rules_valid_from'))
        batch_op.drop_index(batch_op.f('ix_award_rules_rule_type'))
        batch_op.drop_index(batch_op.f('ix_award_rules_required_kind_id'))
        batch_op.drop_index(batch_op.f('ix_award_rules_kind_id'))
    op.drop_table('award_rules')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_column('initiative')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        for column in ('campaign', 'decision_type', 'legal_grounds', 'signing_mode'):
            batch_op.drop_column(column)
    with op.batch_alter_table('award_kinds', schema=None) as batch_op:
        for column in ('legal_basis', 'owner', 'conferred_by'):
            batch_op.drop_column(column)

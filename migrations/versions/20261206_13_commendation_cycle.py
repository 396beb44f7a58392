"""the commendation cycle: proposals, their rows, council meetings; who confers with its level;
sex and ethnicity for the statistics; remembered import words; certificate offsets

Plain ADD COLUMNs on `awards` and `decisions`, so the triggers that keep `award_counts` stay
(see revision 15b3d9e0a7c2). The decisions already recorded get their issuer level read from
the typed issuer by the app (bulletin.awards.issuers); the column starts empty.

Revision ID: 130317c0ff58
Revises: 7f610569aeec
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

from bulletin.models.base import UTCDateTime

revision = '130317c0ff58'
down_revision = '7f610569aeec'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('decisions', sa.Column('issuer_level', sa.String(length=30), nullable=False,
                                         server_default=''))
    op.add_column('awards', sa.Column('sex', sa.String(length=8), nullable=False,
                                      server_default=''))
    op.add_column('awards', sa.Column('ethnicity', sa.String(length=60), nullable=False,
                                      server_default=''))
    op.add_column('site_settings', sa.Column('certificate_layout', sa.Text(), nullable=False,
                                             server_default='{}'))
    op.create_table(
        'council_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('chair', sa.String(length=200), nullable=False),
        sa.Column('clerk', sa.String(length=200), nullable=False),
        sa.Column('members_present', sa.Text(), nullable=False),
        sa.Column('members_total', sa.Integer(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_council_meetings_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meetings')),
    )
    op.create_index(op.f('ix_council_meetings_year'), 'council_meetings', ['year'])
    op.create_index(op.f('ix_council_meetings_created_by_id'), 'council_meetings',
                    ['created_by_id'])
    op.create_table(
        'proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('campaign', sa.String(length=300), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('dated', sa.Date(), nullable=True),
        sa.Column('signer', sa.String(length=200), nullable=False),
        sa.Column('signer_title', sa.String(length=200), nullable=False),
        sa.Column('kind_id', sa.Integer(), nullable=True),
        sa.Column('achievement', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('return_reason', sa.Text(), nullable=False),
        sa.Column('scan_name', sa.String(length=255), nullable=False),
        sa.Column('scan_stored_name', sa.String(length=80), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', UTCDateTime(), nullable=True),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_proposals_organization_id_organizations'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['kind_id'], ['award_kinds.id'],
                                name=op.f('fk_proposals_kind_id_award_kinds'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                                name=op.f('fk_proposals_decision_id_decisions'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_proposals_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    )
    for column in ('organization_id', 'kind_id', 'status', 'decision_id', 'created_by_id'):
        op.create_index(op.f(f'ix_proposals_{column}'), 'proposals', [column])
    op.create_index('ix_proposals_year_org', 'proposals', ['year', 'organization_id'])
    op.create_table(
        'proposal_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('line_no', sa.Integer(), nullable=False),
        sa.Column('recipient_type', sa.String(length=16), nullable=False),
        sa.Column('recipient_name', sa.String(length=200), nullable=False),
        sa.Column('recipient_title', sa.String(length=200), nullable=False),
        sa.Column('birth_year', sa.SmallInteger(), nullable=True),
        sa.Column('sex', sa.String(length=8), nullable=False),
        sa.Column('ethnicity', sa.String(length=60), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('kind_id', sa.Integer(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=True),
        sa.Column('achievement', sa.Text(), nullable=False),
        sa.Column('initiative', sa.String(length=500), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('verdict', sa.String(length=12), nullable=False),
        sa.Column('verdict_reason', sa.Text(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('votes_for', sa.Integer(), nullable=True),
        sa.Column('votes_against', sa.Integer(), nullable=True),
        sa.Column('award_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                                name=op.f('fk_proposal_rows_proposal_id_proposals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_proposal_rows_organization_id_organizations'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['kind_id'], ['award_kinds.id'],
                                name=op.f('fk_proposal_rows_kind_id_award_kinds'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'],
                                name=op.f('fk_proposal_rows_meeting_id_council_meetings'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['award_id'], ['awards.id'],
                                name=op.f('fk_proposal_rows_award_id_awards'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_rows')),
    )
    for column in ('proposal_id', 'organization_id', 'kind_id', 'meeting_id', 'award_id'):
        op.create_index(op.f(f'ix_proposal_rows_{column}'), 'proposal_rows', [column])
    op.create_table(
        'import_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=20), nullable=False),
        sa.Column('folded', sa.String(length=200), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_import_mappings_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    )
    op.create_index(op.f('ix_import_mappings_created_by_id'), 'import_mappings',
                    ['created_by_id'])
    op.create_index('uq_import_mappings_field_folded', 'import_mappings',
                    ['field', 'folded'], unique=True)


def downgrade():
    op.drop_table('import_mappings')
    op.drop_table('proposal_rows')
    op.drop_table('proposals')
    op.drop_table('council_meetings')
    op.drop_column('site_settings', 'certificate_layout')
    op.drop_column('awards', 'ethnicity')
    op.drop_column('awards', 'sex')
    op.drop_column('decisions', 'issuer_level')

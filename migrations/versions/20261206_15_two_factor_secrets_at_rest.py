"""two-factor secrets encrypted at rest, and login steps kept on the server

`users.totp_sealed` holds the TOTP secret encrypted with a key outside the database
(TOTP_KEYS, or instance/totp.key: see bulletin.auth.secret_box); the secrets kept in clear
in `users.totp_secret` are encrypted here and that column emptied (when the migration runs
without the app, as plain Alembic, they stay readable in clear and `flask rotate-2fa-key`
encrypts them later). `pending_steps` keeps "password accepted, waiting for a code" and an
enrolment's new secret on the server, named by a single-use nonce in the session.

Revision ID: 5c0a9e3d71b4
Revises: 1da65499b33e
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

from bulletin.models.base import UTCDateTime

revision = '5c0a9e3d71b4'
down_revision = '1da65499b33e'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('totp_sealed', sa.String(length=255), nullable=True))
    op.create_table(
        'pending_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nonce_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('payload', sa.String(length=1000), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_pending_steps_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_steps')),
        sa.UniqueConstraint('nonce_hash', name=op.f('uq_pending_steps_nonce_hash')),
    )
    with op.batch_alter_table('pending_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_steps_expires_at'), ['expires_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_pending_steps_user_id'), ['user_id'], unique=False)
    _seal_clear_secrets()


def _seal_clear_secrets():
    """Encrypt the secrets kept in clear, with the app's key (none to do on a new database)."""
    from flask import current_app, has_app_context

    from bulletin.auth.secret_box import seal

    bind = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret'),
                     sa.column('totp_sealed'))
    rows = bind.execute(sa.select(users.c.id, users.c.totp_secret)
                        .where(users.c.totp_secret.is_not(None))).all()
    if not rows or not has_app_context():
        return
    app = current_app._get_current_object()
    for user_id, secret in rows:
        bind.execute(users.update().where(users.c.id == user_id)
                     .values(totp_sealed=seal(secret, app), totp_secret=None))


def downgrade():
    with op.batch_alter_table('pending_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_steps_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_steps_expires_at'))
    op.drop_table('pending_steps')
    # The secrets cannot go back in clear without the key: an account enrolled since, or
    # migrated here, enrols again after a downgrade.
    # A plain DROP COLUMN: a batch copy of `users` on SQLite would empty every column that
    # refers to it (posts' authors, history's users) through their ON DELETE rules.
    op.drop_column('users', 'totp_sealed')

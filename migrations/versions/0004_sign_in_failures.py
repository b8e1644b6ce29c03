"""sign-in failures: the throttle's counts, in the database every worker shares

Revision ID: 0004_sign_in_failures
Revises: 0002_supervision
Create Date: 2026-11-23 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0004_sign_in_failures'
down_revision = '0003_redact_audit_content'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failures_at'), ['at'], unique=False)
        batch_op.create_index('ix_sign_in_failures_key_hash_at', ['key_hash', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_failures_key_hash_at')
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_at'))

    op.drop_table('sign_in_failures')

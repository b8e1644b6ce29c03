"""role grants: the QAIT and admin roles take effect only when a second person approves them

Revision ID: 0006_role_grants
Revises: 0005_api_token_expiry
Create Date: 2026-12-07 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0006_role_grants'
down_revision = '0005_api_token_expiry'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.CheckConstraint("role IN ('qait', 'admin')", name=op.f('ck_role_grants_role')),
    sa.CheckConstraint("outcome IN ('approved', 'refused')", name=op.f('ck_role_grants_outcome')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_role_grants_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_role_grants_requested_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_role_grants_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants'))
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grants_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grants_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_staff_id'))
        batch_op.drop_index(batch_op.f('ix_role_grants_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_role_grants_decided_by_id'))

    op.drop_table('role_grants')

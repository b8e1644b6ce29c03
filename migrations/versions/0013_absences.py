"""absences: a long absence (sickness, parental leave, secondment) with dates; personal supervision reads
"absent" while it runs and is due a month after it ends (R-ORG-6, issue 9 item 5)

Revision ID: 0013_absences
Revises: 0012_team_memberships
Create Date: 2026-12-02 09:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0013_absences'
down_revision = '0012_team_memberships'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_absences_dates')),
    sa.CheckConstraint("kind IN ('sickness', 'parental_leave', 'secondment', 'other')", name=op.f('ck_absences_kind')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_absences_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_absences_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absences_staff_id'), ['staff_id'], unique=False)


def downgrade():
    op.drop_table('absences')

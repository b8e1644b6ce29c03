"""covers: someone standing in for a team's manager from a date to a date (R-ORG-3)

Revision ID: 0009_covers
Revises: 0008_head_of_service
Create Date: 2026-12-02 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0009_covers'
down_revision = '0008_head_of_service'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('covers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('named_by_id', sa.Integer(), nullable=True),
    sa.Column('named_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_covers_dates')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['staff.id'], name=op.f('fk_covers_ended_by_id_staff')),
    sa.ForeignKeyConstraint(['manager_id'], ['staff.id'], name=op.f('fk_covers_manager_id_staff')),
    sa.ForeignKeyConstraint(['named_by_id'], ['staff.id'], name=op.f('fk_covers_named_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_covers_staff_id_staff')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_covers_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_covers'))
    )
    with op.batch_alter_table('covers', schema=None) as batch_op:
        for column in ('ended_by_id', 'manager_id', 'named_by_id', 'staff_id', 'team_id'):
            batch_op.create_index(batch_op.f(f'ix_covers_{column}'), [column], unique=False)


def downgrade():
    op.drop_table('covers')

"""team memberships: a person's team is dated, so a month-end figure counts each case for the team its
worker belonged to that day (issue 9 item 6); everyone is in their current team from their start date

Revision ID: 0012_team_memberships
Revises: 0011_policy_changes
Create Date: 2026-12-02 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_team_memberships'
down_revision = '0011_policy_changes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.CheckConstraint('to_date IS NULL OR to_date > from_date', name=op.f('ck_team_memberships_dates')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_team_memberships_staff_id_staff')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_memberships_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_memberships'))
    )
    with op.batch_alter_table('team_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_memberships_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_memberships_team_id'), ['team_id'], unique=False)
    op.execute("INSERT INTO team_memberships (staff_id, team_id, from_date) SELECT id, team_id, start_date FROM staff")


def downgrade():
    op.drop_table('team_memberships')

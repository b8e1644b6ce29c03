"""buddies: who buddies each induction over time (R-IND-4, a change keeps the history), the check-ins the buddy
logs with any concern for the manager (R-IND-14), who hosts a timetable day (R-IND-11), and the service a
suggested buddy has at least (an organisation setting, 6 months by default)

Revision ID: 0018_buddies
Revises: 0017_inductions
Create Date: 2026-12-02 15:17:59.747645

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0018_buddies'
down_revision = '0017_inductions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('induction_buddies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('induction_id', sa.Integer(), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('named_by_id', sa.Integer(), nullable=True),
    sa.Column('named_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('to_date IS NULL OR to_date >= from_date', name=op.f('ck_induction_buddies_dates')),
    sa.ForeignKeyConstraint(['buddy_id'], ['staff.id'], name=op.f('fk_induction_buddies_buddy_id_staff')),
    sa.ForeignKeyConstraint(['induction_id'], ['inductions.id'], name=op.f('fk_induction_buddies_induction_id_inductions')),
    sa.ForeignKeyConstraint(['named_by_id'], ['staff.id'], name=op.f('fk_induction_buddies_named_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_buddies'))
    )
    with op.batch_alter_table('induction_buddies', schema=None) as batch_op:
        batch_op.create_index('ix_induction_buddies_buddy_id_current', ['buddy_id'], unique=False, sqlite_where=sa.text('to_date IS NULL'), postgresql_where=sa.text('to_date IS NULL'))
        batch_op.create_index(batch_op.f('ix_induction_buddies_induction_id'), ['induction_id'], unique=False)
        batch_op.create_index('uq_induction_buddies_current', ['induction_id'], unique=True, sqlite_where=sa.text('to_date IS NULL'), postgresql_where=sa.text('to_date IS NULL'))

    op.create_table('induction_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('induction_id', sa.Integer(), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('doing', sa.SmallInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('concern', sa.Text(), nullable=True),
    sa.Column('concern_seen_at', teamops.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('concern_seen_by_id', sa.Integer(), nullable=True),
    sa.Column('concern_response', sa.String(length=1000), nullable=True),
    sa.Column('logged_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode IN ('in_person', 'virtual', 'phone')", name=op.f('ck_induction_checkins_mode')),
    sa.CheckConstraint('concern_seen_at IS NULL OR concern IS NOT NULL', name=op.f('ck_induction_checkins_seen_concern')),
    sa.CheckConstraint('doing BETWEEN 1 AND 3', name=op.f('ck_induction_checkins_doing')),
    sa.ForeignKeyConstraint(['buddy_id'], ['staff.id'], name=op.f('fk_induction_checkins_buddy_id_staff')),
    sa.ForeignKeyConstraint(['concern_seen_by_id'], ['staff.id'], name=op.f('fk_induction_checkins_concern_seen_by_id_staff')),
    sa.ForeignKeyConstraint(['induction_id'], ['inductions.id'], name=op.f('fk_induction_checkins_induction_id_inductions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_induction_checkins'))
    )
    with op.batch_alter_table('induction_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_induction_checkins_induction_id'), ['induction_id'], unique=False)

    with op.batch_alter_table('induction_days', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('host_reason', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_induction_days_host_id_on_date', ['host_id', 'on_date'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_induction_days_host_id_staff'), 'staff', ['host_id'], ['id'])

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buddy_min_service_months', sa.Integer(), nullable=False, server_default='6'))
        batch_op.create_check_constraint('buddy_min_service_months', 'buddy_min_service_months BETWEEN 0 AND 60')
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.alter_column('buddy_min_service_months', server_default=None)



def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisation_settings_buddy_min_service_months'), type_='check')
        batch_op.drop_column('buddy_min_service_months')

    with op.batch_alter_table('induction_days', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_induction_days_host_id_staff'), type_='foreignkey')
        batch_op.drop_index('ix_induction_days_host_id_on_date')
        batch_op.drop_column('host_reason')
        batch_op.drop_column('host_id')

    with op.batch_alter_table('induction_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_induction_checkins_induction_id'))

    op.drop_table('induction_checkins')
    with op.batch_alter_table('induction_buddies', schema=None) as batch_op:
        batch_op.drop_index('uq_induction_buddies_current', sqlite_where=sa.text('to_date IS NULL'), postgresql_where=sa.text('to_date IS NULL'))
        batch_op.drop_index(batch_op.f('ix_induction_buddies_induction_id'))
        batch_op.drop_index('ix_induction_buddies_buddy_id_current', sqlite_where=sa.text('to_date IS NULL'), postgresql_where=sa.text('to_date IS NULL'))

    op.drop_table('induction_buddies')

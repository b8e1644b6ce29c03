"""asye: a newly qualified social worker's ASYE year as dates, not a flag (R-ASYE-1: staff.asye_starts_on and
asye_ends_on replace staff.newly_qualified); a case's Section 47 enquiry and an allocation's co-worker
(R-ASYE-2); the ASYE personal supervision interval as a dated policy setting (R-ASYE-3)

Someone flagged newly qualified gets an ASYE from their start date to 12 months less a day later (computed in
Python with the app's own month arithmetic). Going back restores the flag for everyone with ASYE dates.

Revision ID: 0019_asye
Revises: 0018_buddies
Create Date: 2026-12-03 10:00:00.000000

"""
import calendar
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_asye'
down_revision = '0018_buddies'
branch_labels = None
depends_on = None

STAFF = sa.table("staff", sa.column("id", sa.Integer()), sa.column("start_date", sa.Date()),
                 sa.column("newly_qualified", sa.Boolean()), sa.column("asye_starts_on", sa.Date()),
                 sa.column("asye_ends_on", sa.Date()))


def add_months(day: date, months: int) -> date:
    """teamops.dates.add_months, copied: a migration does not import the app."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asye_starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('asye_ends_on', sa.Date(), nullable=True))
    bind = op.get_bind()
    flagged = bind.execute(sa.select(STAFF.c.id, STAFF.c.start_date)
                           .where(STAFF.c.newly_qualified == sa.true())).all()
    for staff_id, start in flagged:
        bind.execute(STAFF.update().where(STAFF.c.id == staff_id).values(
            asye_starts_on=start, asye_ends_on=add_months(start, 12) - timedelta(days=1)))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('newly_qualified')
        batch_op.create_check_constraint('asye_dates', 'asye_ends_on > asye_starts_on')
        batch_op.create_check_constraint('asye_both', '(asye_starts_on IS NULL) = (asye_ends_on IS NULL)')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section_47', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('section_47', server_default=None)

    with op.batch_alter_table('case_allocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coworker_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_allocations_coworker_id_staff'), 'staff',
                                    ['coworker_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_case_allocations_coworker_id'), ['coworker_id'], unique=False)
        batch_op.create_check_constraint('coworker', 'coworker_id <> worker_id')

    with op.batch_alter_table('supervision_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asye_interval_count', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('asye_interval_unit', sa.String(length=8), nullable=False,
                                      server_default='months'))
    with op.batch_alter_table('supervision_settings', schema=None) as batch_op:
        batch_op.alter_column('asye_interval_count', server_default=None)
        batch_op.alter_column('asye_interval_unit', server_default=None)
        batch_op.create_check_constraint('asye_interval_unit', "asye_interval_unit IN ('weeks', 'months')")
        batch_op.create_check_constraint('asye_interval_count', 'asye_interval_count BETWEEN 1 AND 52')

    with op.batch_alter_table('policy_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asye_interval_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('asye_interval_unit', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint('asye_interval_unit',
                                         "asye_interval_unit IS NULL OR asye_interval_unit IN ('weeks', 'months')")


def downgrade():
    with op.batch_alter_table('policy_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_policy_changes_asye_interval_unit'), type_='check')
        batch_op.drop_column('asye_interval_unit')
        batch_op.drop_column('asye_interval_count')

    with op.batch_alter_table('supervision_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_supervision_settings_asye_interval_count'), type_='check')
        batch_op.drop_constraint(op.f('ck_supervision_settings_asye_interval_unit'), type_='check')
        batch_op.drop_column('asye_interval_unit')
        batch_op.drop_column('asye_interval_count')

    with op.batch_alter_table('case_allocations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_allocations_coworker'), type_='check')
        batch_op.drop_index(batch_op.f('ix_case_allocations_coworker_id'))
        batch_op.drop_constraint(batch_op.f('fk_case_allocations_coworker_id_staff'), type_='foreignkey')
        batch_op.drop_column('coworker_id')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('section_47')

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('newly_qualified', sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    bind.execute(STAFF.update().where(STAFF.c.asye_starts_on.is_not(None)).values(newly_qualified=True))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('newly_qualified', server_default=None)
        batch_op.drop_constraint(op.f('ck_staff_asye_both'), type_='check')
        batch_op.drop_constraint(op.f('ck_staff_asye_dates'), type_='check')
        batch_op.drop_column('asye_ends_on')
        batch_op.drop_column('asye_starts_on')

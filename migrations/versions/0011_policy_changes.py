"""policy changes: each change to the policy table or the caps takes effect from a date, so a past day's
figures keep the policy in force that day (issue 9 item 9, CONTRACT.md "Scheduling rules")

Revision ID: 0011_policy_changes
Revises: 0010_filed_per_case
Create Date: 2026-12-02 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0011_policy_changes'
down_revision = '0010_filed_per_case'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('case_type_code', sa.String(length=8), nullable=True),
    sa.Column('interval_count', sa.Integer(), nullable=True),
    sa.Column('interval_unit', sa.String(length=8), nullable=True),
    sa.Column('first_due_on_allocation', sa.Boolean(), nullable=True),
    sa.Column('case_cap_months', sa.Integer(), nullable=True),
    sa.Column('high_risk_cap_months', sa.Integer(), nullable=True),
    sa.Column('personal_interval_months', sa.Integer(), nullable=True),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', teamops.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("interval_unit IS NULL OR interval_unit IN ('weeks', 'months')",
                       name=op.f('ck_policy_changes_interval_unit')),
    sa.CheckConstraint('(case_type_code IS NULL) = (interval_count IS NULL)', name=op.f('ck_policy_changes_one_kind')),
    sa.ForeignKeyConstraint(['case_type_code'], ['case_types.code'],
                            name=op.f('fk_policy_changes_case_type_code_case_types')),
    sa.ForeignKeyConstraint(['made_by_id'], ['staff.id'], name=op.f('fk_policy_changes_made_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_changes'))
    )
    with op.batch_alter_table('policy_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_changes_effective_from'), ['effective_from'], unique=False)


def downgrade():
    op.drop_table('policy_changes')

"""filed per case: when each case discussed was first marked as on the child's record (R-SUP-5: a group record
is filed per case discussed, measured from the session); records already marked filed count as filed then

Revision ID: 0010_filed_per_case
Revises: 0009_covers
Create Date: 2026-12-02 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0010_filed_per_case'
down_revision = '0009_covers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_discussions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_at', teamops.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE case_discussions SET filed_at = (SELECT supervision_records.filed_at FROM supervision_records"
               " WHERE supervision_records.id = case_discussions.record_id)")


def downgrade():
    with op.batch_alter_table('case_discussions', schema=None) as batch_op:
        batch_op.drop_column('filed_at')

"""Case audits say when purge-records removed their text (issue 16 item 6: the retention policy covers audits).

Revision ID: 0034_audit_retention
Revises: 0033_sso_sessions
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0034_audit_retention'
down_revision = '0033_sso_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_audits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_purged_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('case_audits', schema=None) as batch_op:
        batch_op.drop_column('content_purged_on')

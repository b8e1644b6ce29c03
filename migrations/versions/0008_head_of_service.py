"""head of service: a role that reaches every team of its service (R-ORG-1; CONTRACT.md "Codes"), now that a
service manager reaches only the teams whose team manager they line-manage

Revision ID: 0008_head_of_service
Revises: 0007_fast_reads
Create Date: 2026-12-02 06:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_head_of_service'
down_revision = '0007_fast_reads'
branch_labels = None
depends_on = None

OLD = "role IN ('worker', 'team_manager', 'service_manager', 'qait', 'admin')"
NEW = "role IN ('worker', 'team_manager', 'service_manager', 'head_of_service', 'qait', 'admin')"


def _role_check(condition):
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_role'), type_='check')
        batch_op.create_check_constraint('role', condition)


def upgrade():
    _role_check(NEW)


def downgrade():
    op.execute("UPDATE staff SET role = 'service_manager' WHERE role = 'head_of_service'")
    _role_check(OLD)

"""case reference pattern: the organisation's settings (one row), holding the rule its case references follow
within the contract's (the default, digits only, or its own pattern), with an example and a description; and
the question each scaling score answers (case_discussions.scaling_question: what 0 and 10 mean, R-SUP-9;
NULL for scores given before, "question not recorded")

Revision ID: 0014_case_ref_pattern
Revises: 0013_absences
Create Date: 2026-12-03 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_case_ref_pattern'
down_revision = '0013_absences'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_ref_rule', sa.String(length=10), nullable=False),
    sa.Column('case_ref_pattern', sa.String(length=100), nullable=False),
    sa.Column('case_ref_example', sa.String(length=32), nullable=False),
    sa.Column('case_ref_hint', sa.String(length=100), nullable=False),
    sa.CheckConstraint("case_ref_rule IN ('default', 'digits', 'custom')", name=op.f('ck_organisation_settings_case_ref_rule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_settings'))
    )
    with op.batch_alter_table('case_discussions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scaling_question', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('case_discussions', schema=None) as batch_op:
        batch_op.drop_column('scaling_question')
    op.drop_table('organisation_settings')

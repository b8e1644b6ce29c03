"""fast reads: indexes for a case's last supervision, a person's last personal supervision and open actions by
owner (each an index seek, so a page's cost follows its team, not the county), and each team's figures version

Revision ID: 0007_fast_reads
Revises: 0006_role_grants
Create Date: 2026-12-02 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_fast_reads'
down_revision = '0006_role_grants'
branch_labels = None
depends_on = None

# (table, the single-column index the composite one replaces, the composite index, its columns)
INDEXES = [
    ('case_discussions', 'ix_case_discussions_case_id', 'ix_case_discussions_case_id_held_on',
     ['case_id', 'held_on']),
    ('supervision_records', 'ix_supervision_records_worker_id', 'ix_supervision_records_worker_id_kind_held_on',
     ['worker_id', 'kind', 'held_on']),
    ('supervision_actions', 'ix_supervision_actions_owner_id', 'ix_supervision_actions_owner_id_status',
     ['owner_id', 'status']),
]


def upgrade():
    op.create_table('figures_versions',
    sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_figures_versions'))
    )
    for table, single, composite, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(composite, columns, unique=False)
            batch_op.drop_index(single)


def downgrade():
    for table, single, composite, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(single, columns[:1], unique=False)
            batch_op.drop_index(composite)
    op.drop_table('figures_versions')

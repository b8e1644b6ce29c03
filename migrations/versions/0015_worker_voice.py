"""worker's voice: when acknowledging a record the worker may add a comment, or record that they disagree with
what was written, which someone resolves with a note (R-SUP-7); records acknowledged before say nothing

Revision ID: 0015_worker_voice
Revises: 0014_case_ref_pattern
Create Date: 2026-12-03 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import teamops.types

# revision identifiers, used by Alembic.
revision = '0015_worker_voice'
down_revision = '0014_case_ref_pattern'
branch_labels = None
depends_on = None

TEXTS = ('worker_comment', 'disagreement_resolution')


def upgrade():
    with op.batch_alter_table('supervision_records', schema=None) as batch_op:
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('worker_disagrees', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('disagreement_resolved_at', teamops.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('disagreement_resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_supervision_records_disagreement_resolved_by_id_staff'), 'staff',
                                    ['disagreement_resolved_by_id'], ['id'])
        batch_op.create_index('ix_supervision_records_worker_disagrees',
                              ['worker_disagrees', 'disagreement_resolved_at'], unique=False)
    op.execute("UPDATE supervision_records SET worker_comment = '', disagreement_resolution = ''")
    with op.batch_alter_table('supervision_records', schema=None) as batch_op:
        for name in TEXTS:
            batch_op.alter_column(name, existing_type=sa.Text(), nullable=False)


def downgrade():
    with op.batch_alter_table('supervision_records', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_records_worker_disagrees')
        batch_op.drop_constraint(batch_op.f('fk_supervision_records_disagreement_resolved_by_id_staff'),
                                 type_='foreignkey')
        for name in ('disagreement_resolved_by_id', 'disagreement_resolved_at', 'worker_disagrees', *TEXTS):
            batch_op.drop_column(name)

"""plain sources: the policy's seeded source notes name their source in words, not by a document number
(issue 10 item 11: no rule ids or source codes in the interface); notes an admin has changed are left alone

Revision ID: 0016_plain_sources
Revises: 0015_worker_voice
Create Date: 2026-12-02 09:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_plain_sources'
down_revision = '0015_worker_voice'
branch_labels = None
depends_on = None

PRACTICE = "Practice standards, case supervision"
LEARNING = "Practice standards and learning offer, supervision frequency by case type"
CHANGES = [
    ("Reflective case supervision at least 4-weekly (003)", f"Reflective case supervision at least 4-weekly ({LEARNING})"),
    ("Reflective case supervision at least 8-weekly (003)", f"Reflective case supervision at least 8-weekly ({LEARNING})"),
    ("8-weekly, plus supervision on the day of allocation (003)",
     f"8-weekly, plus supervision on the day of allocation ({LEARNING})"),
    ("Every case at least every 2 months (002)", f"Every case at least every 2 months ({PRACTICE})"),
    ("Youth offending/justice monthly (003)", f"Youth offending and youth justice monthly ({LEARNING})"),
]


def _move(pairs):
    case_types = sa.table("case_types", sa.column("source_note", sa.String))
    for old, new in pairs:
        op.execute(case_types.update().where(case_types.c.source_note == old).values(source_note=new))


def upgrade():
    _move(CHANGES)


def downgrade():
    _move([(new, old) for old, new in CHANGES])

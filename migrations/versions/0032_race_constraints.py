"""Race constraints (issue 16 item 4): the database refuses a second booked session of the same supervisor,
worker and start, and a second check-in by a buddy with their starter on one day, so a form sent twice at once
writes once. Duplicates already there are settled first: a second booking of a slot is cancelled, with the
reason; a second check-in identical to the first is deleted; different check-ins of one day stop the upgrade
with what to fix, as which one is right is for the buddy to say.

Revision ID: 0032_race_constraints
Revises: 0031_retention
Create Date: 2026-12-03 14:10:26.855824

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032_race_constraints'
down_revision = '0031_retention'
branch_labels = None
depends_on = None

BOOKED = sa.text("status = 'booked'")
DUPLICATE_REASON = "Booked twice at the same moment: this copy was cancelled, the first booking stands"
CHECKIN_CONTENT = ("mode", "doing", "notes", "concern", "concern_seen_at", "concern_seen_by_id", "concern_response")


def upgrade():
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE bookings SET status = 'cancelled', change_reason = :reason, sequence = sequence + 1 "
        "WHERE status = 'booked' AND EXISTS (SELECT 1 FROM bookings AS first WHERE first.status = 'booked' "
        "AND first.supervisor_id = bookings.supervisor_id AND first.worker_id = bookings.worker_id "
        "AND first.starts_at = bookings.starts_at AND first.id < bookings.id)"), {"reason": DUPLICATE_REASON})
    same = "IS" if connection.dialect.name == "sqlite" else "IS NOT DISTINCT FROM"
    identical = " AND ".join(f"first.{column} {same} induction_checkins.{column}" for column in CHECKIN_CONTENT)
    duplicate = ("first.induction_id = induction_checkins.induction_id AND first.buddy_id = induction_checkins.buddy_id "
                 "AND first.held_on = induction_checkins.held_on AND first.id < induction_checkins.id")
    delete = f"DELETE FROM induction_checkins WHERE EXISTS (SELECT 1 FROM induction_checkins AS first WHERE {duplicate} AND {identical})"  # noqa: S608, E501 - names from this file
    connection.execute(sa.text(delete))
    left = connection.execute(sa.text(
        "SELECT induction_id, held_on FROM induction_checkins GROUP BY induction_id, buddy_id, held_on "
        "HAVING COUNT(*) > 1 ORDER BY induction_id, held_on")).all()
    if left:
        listed = ", ".join(f"induction {induction_id} on {held_on}" for induction_id, held_on in left)
        raise RuntimeError(f"Different check-ins logged by one buddy on one day: {listed}. Keep one of each "
                           "(or move one to the day it was held), then upgrade again.")

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('uq_bookings_booked_slot', ['supervisor_id', 'worker_id', 'starts_at'], unique=True,
                              sqlite_where=BOOKED, postgresql_where=BOOKED)

    with op.batch_alter_table('induction_checkins', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_induction_checkins_buddy_day', ['induction_id', 'buddy_id', 'held_on'])


def downgrade():
    with op.batch_alter_table('induction_checkins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_induction_checkins_buddy_day', type_='unique')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_booked_slot', sqlite_where=BOOKED, postgresql_where=BOOKED)

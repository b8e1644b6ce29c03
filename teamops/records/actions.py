"""Open supervision actions (R-SUP-4, R-SUP-6): who sees them, and marking one done.

Actions are agreed in supervision records; this module only reads them and closes them. Sorting by due
date puts the overdue ones (due before today) first without a separate query.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from teamops.access import staff_in_reach
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import SupervisionAction


def open_actions(viewer: Staff, owner: Staff | None) -> Select[tuple[SupervisionAction]]:
    """Open actions of ``owner``, or of everyone in the viewer's reach when no owner is given."""
    query = select(SupervisionAction).where(SupervisionAction.status == "open")
    if owner is not None:
        query = query.where(SupervisionAction.owner_id == owner.id)
    else:
        in_reach = staff_in_reach(viewer).with_only_columns(Staff.id)
        query = query.where(SupervisionAction.owner_id.in_(in_reach))
    return query.options(
        selectinload(SupervisionAction.case), selectinload(SupervisionAction.owner),
        selectinload(SupervisionAction.record),
    ).order_by(SupervisionAction.due_on, SupervisionAction.id)


def owners_in_reach(viewer: Staff) -> list[Staff]:
    """People whose actions a manager can pick from: active staff in their teams."""
    return list(db.session.scalars(staff_in_reach(viewer).where(Staff.active.is_(True)).order_by(Staff.name)))


def mark_done(action: SupervisionAction) -> None:
    action.status = "done"
    action.done_on = today()
    db.session.flush()

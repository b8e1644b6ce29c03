"""Open supervision actions (R-SUP-4, R-SUP-6): who sees them, and marking one done.

Actions are agreed in supervision records; this module only reads them and closes them. Sorting by due
date puts the overdue ones (due before today) first without a separate query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from teamops.access import staff_in_reach
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import SupervisionAction


def _open_of(viewer: Staff, owner: Staff | None) -> Select[tuple[SupervisionAction]]:
    query = select(SupervisionAction).where(SupervisionAction.status == "open")
    if owner is not None:
        return query.where(SupervisionAction.owner_id == owner.id)
    in_reach = staff_in_reach(viewer).with_only_columns(Staff.id)
    return query.where(SupervisionAction.owner_id.in_(in_reach))


def open_actions(viewer: Staff, owner: Staff | None) -> Select[tuple[SupervisionAction]]:
    """Open actions of ``owner``, or of everyone in the viewer's reach when no owner is given."""
    return _open_of(viewer, owner).options(
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


def can_undo(action: SupervisionAction) -> bool:
    """"Mark done" can be taken back on the day it was pressed (issue 10 item 13): a slip of the finger, not a
    way to reopen old actions, which a later supervision reviews."""
    return action.status == "done" and action.done_on == today()


def undo_done(action: SupervisionAction) -> None:
    action.status = "open"
    action.done_on = None
    db.session.flush()


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int


def counts(viewer: Staff, owner: Staff | None) -> ActionCounts:
    """How many of ``open_actions`` there are and how many of those are overdue, in one query: the list's
    summary, which follows "Mark done" and "Undo"."""
    listed = _open_of(viewer, owner).subquery()
    overdue = func.count().filter(listed.c.due_on < today())
    row = db.session.execute(select(func.count(), overdue).select_from(listed)).one()
    return ActionCounts(row[0], row[1])

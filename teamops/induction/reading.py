"""How an induction reads on a day: each item's state against its deadline, the induction's status, and the
progress figures the lists show (computed, never stored, so they are right whatever day it is)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from teamops.dates import start_of_day
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction, InductionItem
from teamops.org.models import Staff

STATUSES = {"planned": "Planned", "in_progress": "In progress", "overdue_items": "Items overdue",
            "complete": "Complete", "cancelled": "Cancelled"}
STATUS_TAGS = {"planned": "govuk-tag--blue", "in_progress": "govuk-tag--blue",
               "overdue_items": "govuk-tag--red", "complete": "govuk-tag--green", "cancelled": "govuk-tag--grey"}
BLOCKING = ("mandatory", "required")  # optional items never hold an induction up


@dataclass(frozen=True)
class ItemState:
    key: str
    label: str
    tag: str


def item_state(item: InductionItem, on: date) -> ItemState:
    """On time, done late, to confirm, due (today), overdue or not applicable, on day ``on``."""
    if item.na_reason is not None:
        return ItemState("na", "Not applicable", "govuk-tag--grey")
    if item.done_on is not None:
        if not item.resolved:
            return ItemState("to_confirm", "To confirm", "govuk-tag--blue")
        if item.done_on <= item.due_on:
            return ItemState("on_time", "Done on time", "govuk-tag--green")
        return ItemState("late", "Done late", "govuk-tag--yellow")
    if on > item.due_on:
        return ItemState("overdue", "Overdue", "govuk-tag--red")
    if on == item.due_on:
        return ItemState("due_today", "Due today", "govuk-tag--orange")
    return ItemState("due", "Due", "govuk-tag--blue")


def status(induction: Induction, on: date, overdue_items: bool) -> str:
    if induction.cancelled_at is not None:
        return "cancelled"
    if induction.signed_off_on is not None and induction.signed_off_on <= on:
        return "complete"
    if on < induction.starts_on:
        return "planned"
    return "overdue_items" if overdue_items else "in_progress"


def has_overdue(items: Sequence[InductionItem], on: date) -> bool:
    return any(item.requirement in BLOCKING and item.done_on is None and item.na_reason is None
               and item.due_on < on for item in items)


def overdue_at(on: date) -> ColumnElement[bool]:
    """SQL, correlated to ``Induction``: a required or mandatory item was past its due date on ``on`` and neither
    done nor marked not applicable by then (the ``overdue_items`` status, as ``has_overdue`` says it today)."""
    end_of_day = start_of_day(on + timedelta(days=1))
    return exists().where(
        InductionItem.induction_id == Induction.id, InductionItem.requirement.in_(BLOCKING),
        InductionItem.due_on < on, or_(InductionItem.done_on.is_(None), InductionItem.done_on > on),
        or_(InductionItem.na_at.is_(None), InductionItem.na_at >= end_of_day))


@dataclass(frozen=True)
class Progress:
    resolved: int
    total: int
    overdue: int
    next_due_on: date | None
    next_title: str | None


_RESOLVED = or_(InductionItem.na_reason.is_not(None), and_(
    InductionItem.done_on.is_not(None),
    or_(InductionItem.confirmer == "starter", InductionItem.confirmed_on.is_not(None))))
_OPEN = and_(InductionItem.done_on.is_(None), InductionItem.na_reason.is_(None))


def progress_of(induction_ids: Sequence[int], on: date) -> dict[int, Progress]:
    """Each induction's items resolved and in all, how many required items are overdue, and the next open
    item: two statements for a page of inductions."""
    if not induction_ids:
        return {}
    counts = db.session.execute(
        select(InductionItem.induction_id, func.count(),
               func.sum(case((_RESOLVED, 1), else_=0)),
               func.sum(case((and_(_OPEN, InductionItem.requirement.in_(BLOCKING), InductionItem.due_on < on), 1),
                             else_=0)))
        .where(InductionItem.induction_id.in_(induction_ids)).group_by(InductionItem.induction_id)).all()
    ranked = (select(InductionItem.induction_id, InductionItem.due_on, InductionItem.title,
                     func.row_number().over(partition_by=InductionItem.induction_id,
                                            order_by=(InductionItem.due_on, InductionItem.position))
                     .label("rank"))
              .where(InductionItem.induction_id.in_(induction_ids), _OPEN).subquery())
    upcoming = {row.induction_id: (row.due_on, row.title)
                for row in db.session.execute(select(ranked).where(ranked.c.rank == 1))}
    return {induction_id: Progress(int(resolved or 0), int(total), int(overdue or 0),
                                   *upcoming.get(induction_id, (None, None)))
            for induction_id, total, resolved, overdue in counts}


@dataclass(frozen=True)
class People:
    buddy: str | None
    concerns: int  # buddies' concerns not yet seen


def buddies_and_concerns(induction_ids: Sequence[int]) -> dict[int, People]:
    """Each induction's current buddy and its buddies' concerns waiting for the manager: one statement for a page
    of inductions."""
    if not induction_ids:
        return {}
    waiting = (select(func.count(InductionCheckin.id))
               .where(InductionCheckin.induction_id == Induction.id, InductionCheckin.concern.is_not(None),
                      InductionCheckin.concern_seen_at.is_(None)).scalar_subquery())
    rows = db.session.execute(
        select(Induction.id, Staff.name, waiting).select_from(Induction)
        .outerjoin(InductionBuddy, and_(InductionBuddy.induction_id == Induction.id, InductionBuddy.to_date.is_(None)))
        .outerjoin(Staff, Staff.id == InductionBuddy.buddy_id)
        .where(Induction.id.in_(induction_ids)))
    return {induction_id: People(name, int(count or 0)) for induction_id, name, count in rows}

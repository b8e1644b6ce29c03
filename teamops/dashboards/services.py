"""What the dashboards read besides team figures: a worker's cases with their due dates, the next booking,
open actions, records waiting for acknowledgement, and the escalations queue. Reads only, each in a fixed
number of queries; every write belongs to the cases, bookings and records packages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from teamops import scheduling
from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.dashboards.figures import WorkerRow
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord


@dataclass(frozen=True)
class CaseRow:
    case: scheduling.CaseFacts
    type_label: str
    last_supervised_on: date | None
    next_due_on: date | None
    due_state: str | None
    days_overdue: int


def open_case_rows(worker: Staff, on: date, policy: scheduling.Policy | None = None) -> list[CaseRow]:
    """The worker's open cases on ``on`` (by allocation that day), soonest due first."""
    policy = policy or scheduling.load_policy(on)
    open_cases = scheduling.open_cases_at(on, [worker.id], policy)
    labels = policy.labels
    rows = [CaseRow(row.case, labels.get(row.case.case_type_code, row.case.case_type_code),
                    row.due.last_supervised_on, row.due.next_due_on, row.due.due_state, row.due.days_overdue)
            for row in open_cases]
    return sorted(rows, key=lambda r: (r.next_due_on or date.max, r.case.case_ref))


def next_booking(person: Staff, now: datetime) -> Booking | None:
    """The person's next booked session, as the supervised worker or as an attendee of a group."""
    return db.session.scalar(
        select(Booking)
        .where(Booking.status == "booked", Booking.starts_at >= now,
               or_(Booking.worker_id == person.id, Booking.attendees.any(Staff.id == person.id)))
        .options(joinedload(Booking.supervisor), selectinload(Booking.cases))
        .order_by(Booking.starts_at, Booking.id).limit(1)
    )


def open_actions(person: Staff) -> list[SupervisionAction]:
    return list(db.session.scalars(
        select(SupervisionAction)
        .where(SupervisionAction.owner_id == person.id, SupervisionAction.status == "open")
        .options(joinedload(SupervisionAction.case))
        .order_by(SupervisionAction.due_on, SupervisionAction.id)
    ))


def records_to_acknowledge(person: Staff) -> list[SupervisionRecord]:
    """Signed-off records of the person's supervision that they have not yet acknowledged. Imported ones
    (dates brought over from a spreadsheet, no content) have nothing to read, so they are not asked for."""
    return list(db.session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.worker_id == person.id, SupervisionRecord.status == "signed_off",
               SupervisionRecord.acknowledged_at.is_(None), SupervisionRecord.imported.is_(False))
        .options(joinedload(SupervisionRecord.supervisor))
        .order_by(SupervisionRecord.held_on, SupervisionRecord.id)
    ))


@dataclass(frozen=True)
class Escalation:
    discussion_id: int
    record_id: int
    case_id: int
    case_ref: str
    team: str
    raised_on: date
    days_waiting: int


def open_escalations(team_ids: Select[tuple[int]], on: date) -> list[Escalation]:
    """Unresolved disagreements (R-SUP-7) from supervision of workers in these teams, the longest waiting
    first. Scoped by the record's worker, as the service manager's escalations queue is."""
    rows = db.session.execute(
        select(CaseDiscussion.id, CaseDiscussion.record_id, Case.id, Case.case_ref, Team.name,
               CaseDiscussion.held_on)
        .join(Case, Case.id == CaseDiscussion.case_id)
        .join(SupervisionRecord, SupervisionRecord.id == CaseDiscussion.record_id)
        .join(Staff, Staff.id == SupervisionRecord.worker_id)
        .join(Team, Team.id == Staff.team_id)
        .where(CaseDiscussion.disagreement.is_(True), CaseDiscussion.resolved_at.is_(None),
               Team.id.in_(team_ids))
        .order_by(CaseDiscussion.held_on, CaseDiscussion.id)
    ).tuples()
    return [Escalation(discussion_id, record_id, case_id, case_ref, team, held_on, max(0, (on - held_on).days))
            for discussion_id, record_id, case_id, case_ref, team, held_on in rows]


def active_team_ids(service_id: int | None = None, within: Select[tuple[int]] | None = None) -> Select[tuple[int]]:
    """Active teams of active services (one service, or all; only those ``within``, when given), as a query of
    their ids."""
    query = (select(Team.id).join(Service, Service.id == Team.service_id)
             .where(Team.active.is_(True), Service.active.is_(True)))
    query = query if service_id is None else query.where(Team.service_id == service_id)
    return query if within is None else query.where(Team.id.in_(within))


def active_teams(team_ids: Select[tuple[int]] | None = None) -> list[Team]:
    """Those teams (every active team when not given), by service then team name."""
    query = (select(Team).where(Team.id.in_(active_team_ids() if team_ids is None else team_ids)).join(Team.service)
             .options(contains_eager(Team.service), joinedload(Team.manager)).order_by(Service.name, Team.name))
    return list(db.session.scalars(query))


# Sorting and filtering the manager's table -------------------------------------------------------------

SORTS: dict[str, tuple[str, Callable[[WorkerRow], Any]]] = {
    "name": ("Name", lambda r: r.staff.name.lower()),
    "personal": ("Personal supervision due", lambda r: r.personal.next_due_on),
    "session": ("Next session booked", lambda r: r.next_session),
    "cases": ("Open cases", lambda r: r.open_cases),
    "overdue": ("Overdue", lambda r: r.overdue),
    "due_soon": ("Due within 7 days", lambda r: r.due_soon),
    "actions": ("Open actions", lambda r: r.open_actions),
    "induction": ("Induction", lambda r: r.in_induction),
    "timescale": ("In timescale this month", lambda r: r.now.pct_in_timescale),
    "last_month": ("Last month", lambda r: r.last_month.pct_in_timescale),
    # Never observed sorts as the longest ago (R-QA-7: observed routinely).
    "observed": ("Practice last observed", lambda r: r.last_observed_on or date.min),
}
# Each filter is asked about a row and the id of the person looking.
FILTERS: dict[str, tuple[str, Callable[[WorkerRow, int], bool]]] = {
    "all": ("Everyone", lambda r, viewer: True),
    "mine": ("Only my supervisees (the people I line-manage)", lambda r, viewer: r.staff.line_manager_id == viewer),
    "overdue": ("Only workers with overdue cases", lambda r, viewer: r.overdue > 0),
    "overdue_unbooked": ("Only workers with overdue cases and no session booked",
                         lambda r, viewer: r.overdue > 0 and r.next_session is None),
    "due_soon": ("Only workers with cases due within 7 days", lambda r, viewer: r.due_soon > 0),
    "personal_overdue": ("Only workers whose personal supervision is overdue",
                         lambda r, viewer: r.personal.due_state == scheduling.OVERDUE),
    "actions": ("Only workers with open actions", lambda r, viewer: r.open_actions > 0),
    "induction": ("Only workers in induction", lambda r, viewer: r.in_induction),
}
SUPERVISEES_ONLY = "mine"  # all a line manager who does not oversee the team sees of it (R-ORG-2)


def sort_and_filter(rows: list[WorkerRow], sort: str, descending: bool, show: str, viewer: int) -> list[WorkerRow]:
    """Rows kept by the filter, ordered by the column (ties by name); rows with no value (no open cases for
    "% in timescale") go last whichever way the column is sorted."""
    key = SORTS.get(sort, SORTS["name"])[1]
    keep = FILTERS.get(show, FILTERS["all"])[1]
    kept = sorted((r for r in rows if keep(r, viewer)), key=lambda r: (r.staff.name.lower(), r.staff.id))
    valued = [r for r in kept if key(r) is not None]
    return sorted(valued, key=key, reverse=descending) + [r for r in kept if key(r) is None]

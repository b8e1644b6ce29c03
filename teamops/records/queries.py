"""Which records, people, cases and open actions a person may use, as scoped SQL queries.

Everything here filters in SQL on the person's reach (teamops.access), so a list never loads rows it would
then have to hide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from teamops.access import can, cases_in_reach, staff_in_reach
from teamops.cases.models import Case
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord


def record_list(query: Select[tuple[SupervisionRecord]], worker_id: int | None, show: str) -> Select[Any]:
    """The records page's filters, newest session first, with what each row shows loaded in a fixed number
    of queries however many rows there are."""
    if worker_id:
        query = query.where(SupervisionRecord.worker_id == worker_id)
    if show == "draft":
        query = query.where(SupervisionRecord.status == "draft")
    elif show == "disagrees":  # the worker disagrees with what was written, and nobody has resolved it yet
        query = query.where(SupervisionRecord.worker_disagrees == true(),
                            SupervisionRecord.disagreement_resolved_at.is_(None))
    elif show in ("unacknowledged", "unfiled"):  # imported records come from the old spreadsheets: nothing to do
        query = query.where(SupervisionRecord.status == "signed_off", SupervisionRecord.imported.is_(False),
                            (SupervisionRecord.acknowledged_at if show == "unacknowledged"
                             else SupervisionRecord.filed_at).is_(None))
    return query.options(
        selectinload(SupervisionRecord.worker), selectinload(SupervisionRecord.supervisor),
        selectinload(SupervisionRecord.discussions).selectinload(CaseDiscussion.case),
    ).order_by(SupervisionRecord.held_on.desc(), SupervisionRecord.id.desc())


def staff_for_filter(user: Staff) -> list[Staff]:
    """People whose records the viewer may list, for the filter (workers only see themselves)."""
    if not can("view_team_actions", user=user):
        return []
    return list(db.session.scalars(staff_in_reach(user).order_by(Staff.active.desc(), Staff.name)))


def supervisable_workers(user: Staff) -> list[Staff]:
    """Active people in a manager's reach other than the manager who have started (issue 9 item 10): who they
    can write a record for."""
    return list(db.session.scalars(
        staff_in_reach(user).where(Staff.active.is_(True), Staff.id != user.id, Staff.start_date <= today())
        .options(selectinload(Staff.team)).order_by(Staff.name)))


def open_on(query: Select[Any], day: date) -> Select[Any]:
    """Cases open on ``day``: allocated on or before it and not closed on or before it (CONTRACT.md)."""
    return query.where(Case.allocated_on <= day, or_(Case.closed_on.is_(None), Case.closed_on > day))


def candidate_cases(user: Staff, kind: str, worker: Staff, day: date) -> list[Case]:
    """Cases a session can discuss: the worker's own for case supervision, any in the manager's reach for
    group supervision; always open on the day held."""
    query = open_on(cases_in_reach(user), day)
    if kind == "case":
        query = query.where(Case.worker_id == worker.id)
    return list(db.session.scalars(
        query.options(selectinload(Case.worker), selectinload(Case.case_type)).order_by(Staff.name, Case.case_ref)))


def cases_by_id(ids: Iterable[int]) -> dict[int, Case]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.session.scalars(select(Case).where(Case.id.in_(wanted)).options(selectinload(Case.worker)))
    return {case.id: case for case in rows}


def reachable_case_ids(user: Staff, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(db.session.scalars(cases_in_reach(user).where(Case.id.in_(wanted)).with_only_columns(Case.id)))


def open_case_actions(case_ids: Iterable[int]) -> dict[int, list[SupervisionAction]]:
    """Open actions per case, oldest first: what the next supervision of each case reviews (R-SUP-4)."""
    ids = set(case_ids)
    found: dict[int, list[SupervisionAction]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.scalars(
        select(SupervisionAction).where(SupervisionAction.case_id.in_(ids), SupervisionAction.status == "open")
        .options(selectinload(SupervisionAction.owner)).order_by(SupervisionAction.due_on, SupervisionAction.id))
    for action in rows:
        found[action.case_id or 0].append(action)
    return found


def last_scaling_questions(case_ids: Iterable[int], day: date) -> dict[int, str]:
    """The question each case's latest scaling score on or before ``day`` answered (R-SUP-9), for the next
    record to offer again: one index seek a case (``ix_case_discussions_case_id_held_on``), however long its
    history. Cases never scaled with a question are left out."""
    ids = set(case_ids)
    if not ids:
        return {}
    latest = (select(CaseDiscussion.scaling_question)
              .where(CaseDiscussion.case_id == Case.id, CaseDiscussion.held_on <= day,
                     CaseDiscussion.scaling_question.is_not(None))
              .order_by(CaseDiscussion.held_on.desc(), CaseDiscussion.id.desc()).limit(1)
              .correlate(Case).scalar_subquery())
    rows = db.session.execute(select(Case.id, latest).where(Case.id.in_(ids))).tuples()
    return {case_id: question for case_id, question in rows if question}


def open_personal_actions(worker: Staff) -> list[SupervisionAction]:
    """Open actions from the worker's earlier personal supervisions."""
    return list(db.session.scalars(
        select(SupervisionAction).join(SupervisionRecord, SupervisionRecord.id == SupervisionAction.record_id)
        .where(SupervisionAction.case_id.is_(None), SupervisionAction.status == "open",
               SupervisionRecord.worker_id == worker.id)
        .options(selectinload(SupervisionAction.owner)).order_by(SupervisionAction.due_on, SupervisionAction.id)))


# What a record's pages, its text and its snapshot read, loaded with it: the rows it points to (worker,
# supervisor, booking) joined to it, and each list in one more query, joined to the rows its items point to
# (a discussion's case with its worker and type, an action's owner).
RECORD_PAGE = (
    joinedload(SupervisionRecord.worker).joinedload(Staff.team),
    joinedload(SupervisionRecord.supervisor),
    joinedload(SupervisionRecord.disagreement_resolved_by),
    joinedload(SupervisionRecord.booking),
    selectinload(SupervisionRecord.attendees),
    selectinload(SupervisionRecord.discussions).joinedload(CaseDiscussion.case).options(
        joinedload(Case.worker), joinedload(Case.case_type)),
    selectinload(SupervisionRecord.discussions).joinedload(CaseDiscussion.resolved_by),
    selectinload(SupervisionRecord.actions).joinedload(SupervisionAction.owner),
)

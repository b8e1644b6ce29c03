"""Every read and write of cases: lists with their due dates, a case's history, and the manager's changes
(create, change type or risk, reallocate, close, reopen, oversight). Services flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from teamops.cases.models import Case, CaseAllocation, OversightEntry
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import CaseDiscussion, SupervisionRecord
from teamops.scheduling import CaseDue, case_dues

PER_PAGE = 50
# What a case's page and its checks read with the case: the worker and their team (reach), and the case type.
WITH_CASE = (joinedload(Case.worker).joinedload(Staff.team), joinedload(Case.case_type))


@dataclass(frozen=True)
class CaseRow:
    case: Case
    due: CaseDue


def case_rows(query: Any, text: str, show: str, on: date) -> list[CaseRow]:
    """Cases in reach matching the search, with due dates at ``on``, most urgent first."""
    if text:
        query = query.where(func.lower(Case.case_ref).like(f"%{text.strip().lower()}%"))
    if show == "closed":
        query = query.where(Case.closed_on.is_not(None), Case.closed_on <= on)
    elif show != "all":
        query = query.where((Case.closed_on.is_(None)) | (Case.closed_on > on))
    cases = list(db.session.scalars(
        query.options(selectinload(Case.worker).selectinload(Staff.team), selectinload(Case.case_type))))
    dues = case_dues(cases, on)
    rows = [CaseRow(case, dues[case.id]) for case in cases]
    if show in ("overdue", "due_soon"):
        rows = [row for row in rows if row.due.due_state == show]
    far = date.max
    return sorted(rows, key=lambda r: (r.due.next_due_on or far, r.case.case_ref))


def history(case: Case) -> dict[str, Any]:
    """Everything the case page shows besides the case itself, in a fixed number of queries."""
    discussions = db.session.scalars(
        select(CaseDiscussion).where(CaseDiscussion.case_id == case.id)
        .options(joinedload(CaseDiscussion.record).joinedload(SupervisionRecord.supervisor))
        .order_by(CaseDiscussion.held_on.desc(), CaseDiscussion.id.desc())
    ).all()
    allocations = db.session.scalars(
        select(CaseAllocation).where(CaseAllocation.case_id == case.id)
        .options(joinedload(CaseAllocation.worker)).order_by(CaseAllocation.from_date)
    ).all()
    oversight = db.session.scalars(
        select(OversightEntry).where(OversightEntry.case_id == case.id)
        .options(joinedload(OversightEntry.author))
        .order_by(OversightEntry.entry_date.desc(), OversightEntry.id.desc())
    ).all()
    return {"discussions": discussions, "allocations": allocations, "oversight": oversight}


def add_oversight(case: Case, author: Staff, kind: str, entry_date: date, decision: str, rationale: str) -> None:
    db.session.add(OversightEntry(case=case, author=author, kind=kind, entry_date=entry_date,
                                  decision=decision.strip(), rationale=rationale.strip()))
    db.session.flush()


def create_case(case_ref: str, case_type_code: str, high_risk: bool, worker: Staff, allocated_on: date,
                closed_on: date | None = None) -> Case:
    """A new case, allocated to ``worker`` from ``allocated_on``; its allocation history starts there."""
    case = Case(case_ref=case_ref.strip(), case_type_code=case_type_code, high_risk=high_risk, worker=worker,
                allocated_on=allocated_on, closed_on=closed_on)
    case.allocations.append(CaseAllocation(worker=worker, from_date=allocated_on))
    db.session.add(case)
    db.session.flush()
    return case


def update_case(case: Case, case_type_code: str, high_risk: bool) -> None:
    case.case_type_code = case_type_code
    case.high_risk = high_risk
    db.session.flush()


def current_allocation(case: Case) -> CaseAllocation | None:
    return next((a for a in case.allocations if a.to_date is None), None)


def reallocate(case: Case, worker: Staff, on: date, *, flush: bool = True) -> None:
    """Hands the case to another worker from ``on``. The case keeps its supervision clock and history; a
    change on the day the current allocation started corrects it rather than adding a new one. The case
    import reallocates thousands of cases and flushes them once (``flush=False``): a flush each cost seconds."""
    allocation = current_allocation(case)
    if allocation is not None and allocation.from_date == on:
        allocation.worker = worker
    else:
        if allocation is not None:
            allocation.to_date = on
        case.allocations.append(CaseAllocation(worker=worker, from_date=on))
    case.worker = worker
    if flush:
        db.session.flush()


def close_case(case: Case, on: date) -> None:
    case.closed_on = on
    db.session.flush()


def reopen_case(case: Case) -> None:
    case.closed_on = None
    db.session.flush()


def workers_for(manager: Staff, staff_query: Any) -> list[Staff]:
    """Active people a manager can allocate cases to: everyone active in their reach."""
    return list(db.session.scalars(
        staff_query.where(Staff.active.is_(True)).options(joinedload(Staff.team)).order_by(Staff.name)))

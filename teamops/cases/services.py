"""Every read and write of cases: lists with their due dates, a case's history, and the manager's changes
(create, change type or risk, reallocate, close, reopen, oversight). Services flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from teamops import scheduling
from teamops.cases.models import Case, CaseAllocation, OversightEntry
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import CaseDiscussion, SupervisionRecord
from teamops.scheduling import CaseDue
from teamops.web import Page, paginate_list

PER_PAGE = 50
# What a case's page and its checks read with the case: the worker and their team (reach), and the case type.
WITH_CASE = (joinedload(Case.worker).joinedload(Staff.team), joinedload(Case.case_type))


@dataclass(frozen=True)
class CaseRow:
    case: Case
    due: CaseDue


def case_page(query: Select[tuple[Case]], text: str, show: str, on: date, number: int,
              keys: tuple[str, ...]) -> Page:
    """One page of the cases in reach matching the search, with due dates at ``on``, most urgent first.

    Due dates are worked out for every matching case from its columns and its last supervision (read in the
    same query, one index seek a case), so the order is right over thousands of cases; only the page's cases
    are then loaded whole, with their workers and teams."""
    if text:
        query = query.where(func.lower(Case.case_ref).like(f"%{text.strip().lower()}%"))
    if show == "closed":
        query = query.where(Case.closed_on.is_not(None), Case.closed_on <= on)
    elif show != "all":
        query = query.where((Case.closed_on.is_(None)) | (Case.closed_on > on))
    facts = query.with_only_columns(Case.id, Case.case_ref, Case.case_type_code, Case.high_risk, Case.allocated_on,
                                    Case.closed_on, scheduling.last_case_supervision_on(on),
                                    scheduling.reallocated_on(on))
    policy = scheduling.load_policy(on)
    rows = [(scheduling.case_due(policy, scheduling.CaseFacts(*row[:6]), on, row[6], row[7]), row[1])
            for row in db.session.execute(facts).tuples()]
    if show in ("overdue", "due_soon"):
        rows = [(due, ref) for due, ref in rows if due.due_state == show]
    rows.sort(key=lambda row: (row[0].next_due_on or date.max, row[1]))
    page = paginate_list([due for due, _ in rows], number, PER_PAGE, keys)
    wanted = {due.case_id: due for due in page.items}
    cases = db.session.scalars(select(Case).where(Case.id.in_(list(wanted))).options(
        selectinload(Case.worker).selectinload(Staff.team), selectinload(Case.case_type)))
    by_id = {case.id: case for case in cases}
    return replace(page, items=[CaseRow(by_id[case_id], due) for case_id, due in wanted.items()])


def history(case: Case) -> dict[str, Any]:
    """Everything the case page shows besides the case itself, in a fixed number of queries."""
    discussions = db.session.scalars(
        select(CaseDiscussion).where(CaseDiscussion.case_id == case.id)
        .options(joinedload(CaseDiscussion.record).joinedload(SupervisionRecord.supervisor))
        .order_by(CaseDiscussion.held_on.desc(), CaseDiscussion.id.desc())
    ).all()
    allocations = db.session.scalars(
        select(CaseAllocation).where(CaseAllocation.case_id == case.id)
        .options(joinedload(CaseAllocation.worker), joinedload(CaseAllocation.coworker).joinedload(Staff.team))
        .order_by(CaseAllocation.from_date)
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
                closed_on: date | None = None, *, section_47: bool = False, coworker: Staff | None = None) -> Case:
    """A new case, allocated to ``worker`` (with ``coworker``, when named) from ``allocated_on``; its allocation
    history starts there."""
    case = Case(case_ref=case_ref.strip(), case_type_code=case_type_code, high_risk=high_risk, worker=worker,
                allocated_on=allocated_on, closed_on=closed_on, section_47=section_47)
    case.allocations.append(CaseAllocation(worker=worker, coworker=coworker, from_date=allocated_on))
    db.session.add(case)
    db.session.flush()
    return case


def update_case(case: Case, case_type_code: str, high_risk: bool, section_47: bool | None = None,
                coworker: Staff | None = None) -> None:
    """The case's type, risk and Section 47 enquiry, and the co-worker of its current allocation."""
    case.case_type_code = case_type_code
    case.high_risk = high_risk
    if section_47 is not None:
        case.section_47 = section_47
        allocation = current_allocation(case)
        if allocation is not None:
            allocation.coworker = coworker
    db.session.flush()


def coworker_of(case: Case) -> Staff | None:
    allocation = current_allocation(case)
    return allocation.coworker if allocation is not None else None


def current_allocation(case: Case) -> CaseAllocation | None:
    return next((a for a in case.allocations if a.to_date is None), None)


def reallocate(case: Case, worker: Staff, on: date, *, flush: bool = True, coworker: Staff | None = None) -> None:
    """Hands the case to another worker from ``on``. The case keeps its supervision clock and history; a
    change on the day the current allocation started corrects it rather than adding a new one. The case
    import reallocates thousands of cases and flushes them once (``flush=False``): a flush each cost seconds."""
    allocation = current_allocation(case)
    if allocation is not None and allocation.from_date == on:
        allocation.worker, allocation.coworker = worker, coworker
    else:
        if allocation is not None:
            allocation.to_date = on
        case.allocations.append(CaseAllocation(worker=worker, coworker=coworker, from_date=on))
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

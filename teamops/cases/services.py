"""Reading cases for pages: lists with their due dates, a case's history. Writes live in
teamops.supervision.services; oversight entries are written here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from teamops.extensions import db
from teamops.org.models import Staff
from teamops.scheduling import CaseDue, case_dues
from teamops.supervision.models import Case, CaseAllocation, CaseDiscussion, OversightEntry, SupervisionRecord

PER_PAGE = 50


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
        .options(selectinload(CaseDiscussion.record).selectinload(SupervisionRecord.supervisor))
        .order_by(CaseDiscussion.held_on.desc(), CaseDiscussion.id.desc())
    ).all()
    allocations = db.session.scalars(
        select(CaseAllocation).where(CaseAllocation.case_id == case.id)
        .options(selectinload(CaseAllocation.worker)).order_by(CaseAllocation.from_date)
    ).all()
    oversight = db.session.scalars(
        select(OversightEntry).where(OversightEntry.case_id == case.id)
        .options(selectinload(OversightEntry.author))
        .order_by(OversightEntry.entry_date.desc(), OversightEntry.id.desc())
    ).all()
    return {"discussions": discussions, "allocations": allocations, "oversight": oversight}


def add_oversight(case: Case, author: Staff, kind: str, entry_date: date, decision: str, rationale: str) -> None:
    db.session.add(OversightEntry(case=case, author=author, kind=kind, entry_date=entry_date,
                                  decision=decision.strip(), rationale=rationale.strip()))
    db.session.commit()


def workers_for(manager: Staff, staff_query: Any) -> list[Staff]:
    """Active people a manager can allocate cases to: everyone active in their reach."""
    return list(db.session.scalars(
        staff_query.where(Staff.active.is_(True)).options(selectinload(Staff.team)).order_by(Staff.name)))

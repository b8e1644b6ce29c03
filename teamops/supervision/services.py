"""Every write to cases and the supervision policy. Records, bookings and actions have their own modules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from teamops.extensions import db
from teamops.org.models import Staff
from teamops.supervision.models import (
    Case,
    CaseAllocation,
    CaseDiscussion,
    CaseType,
    SupervisionRecord,
    SupervisionSettings,
)


def create_case(case_ref: str, case_type_code: str, high_risk: bool, worker: Staff, allocated_on: date,
                closed_on: date | None = None) -> Case:
    """A new case, allocated to ``worker`` from ``allocated_on``; its allocation history starts there."""
    case = Case(case_ref=case_ref.strip(), case_type_code=case_type_code, high_risk=high_risk, worker=worker,
                allocated_on=allocated_on, closed_on=closed_on)
    case.allocations.append(CaseAllocation(worker=worker, from_date=allocated_on))
    db.session.add(case)
    db.session.commit()
    return case


def update_case(case: Case, case_type_code: str, high_risk: bool) -> None:
    case.case_type_code = case_type_code
    case.high_risk = high_risk
    db.session.commit()


def current_allocation(case: Case) -> CaseAllocation | None:
    return next((a for a in case.allocations if a.to_date is None), None)


def reallocate(case: Case, worker: Staff, on: date) -> None:
    """Hands the case to another worker from ``on``. The case keeps its supervision clock and history."""
    allocation = current_allocation(case)
    if allocation is not None:
        if allocation.from_date == on:
            allocation.worker = worker  # a same-day correction, not a new allocation
            case.worker = worker
            db.session.commit()
            return
        allocation.to_date = on
    case.allocations.append(CaseAllocation(worker=worker, from_date=on))
    case.worker = worker
    db.session.commit()


def close_case(case: Case, on: date) -> None:
    case.closed_on = on
    db.session.commit()


def reopen_case(case: Case) -> None:
    case.closed_on = None
    db.session.commit()


def save_case_type(case_type: CaseType, *, label: str, interval_count: int, interval_unit: str,
                   first_due_on_allocation: bool, source_note: str) -> None:
    case_type.label = label.strip()
    case_type.interval_count = interval_count
    case_type.interval_unit = interval_unit
    case_type.first_due_on_allocation = first_due_on_allocation
    case_type.source_note = source_note.strip()
    db.session.commit()


def save_settings(*, case_cap_months: int, high_risk_cap_months: int, personal_interval_months: int) -> None:
    settings = db.session.get(SupervisionSettings, 1) or SupervisionSettings(id=1)
    settings.case_cap_months = case_cap_months
    settings.high_risk_cap_months = high_risk_cap_months
    settings.personal_interval_months = personal_interval_months
    db.session.add(settings)
    db.session.commit()


def add_record(kind: str, held_on: date, worker: Staff, supervisor: Staff, cases: list[Case] | None = None,
               imported: bool = False, commit: bool = True) -> SupervisionRecord:
    """A supervision held on ``held_on``: a personal one, or a case/group one discussing ``cases``.
    Used by imports and as the starting point of a record written in TeamOps."""
    record = SupervisionRecord(kind=kind, held_on=held_on, worker=worker, supervisor=supervisor,
                               imported=imported, status="signed_off" if imported else "draft")
    for case in cases or []:
        record.discussions.append(CaseDiscussion(case=case, held_on=held_on))
    db.session.add(record)
    if commit:
        db.session.commit()
    return record


def case_types() -> list[CaseType]:
    return list(db.session.scalars(select(CaseType).order_by(CaseType.code)))

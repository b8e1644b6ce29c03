"""Every read and write of the supervision policy. Services flush; the request (or command) commits."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.policy.models import (
    DEFAULT_CASE_CAP_MONTHS,
    DEFAULT_HIGH_RISK_CAP_MONTHS,
    DEFAULT_PERSONAL_INTERVAL_MONTHS,
    CaseType,
    SupervisionSettings,
)


def case_types() -> list[CaseType]:
    return list(db.session.scalars(select(CaseType).order_by(CaseType.code)))


def settings() -> SupervisionSettings:
    """The caps as an admin last set them, or the contract's defaults before anyone has."""
    return db.session.get(SupervisionSettings, 1) or SupervisionSettings(
        id=1, case_cap_months=DEFAULT_CASE_CAP_MONTHS, high_risk_cap_months=DEFAULT_HIGH_RISK_CAP_MONTHS,
        personal_interval_months=DEFAULT_PERSONAL_INTERVAL_MONTHS)


def save_case_type(case_type: CaseType, *, label: str, interval_count: int, interval_unit: str,
                   first_due_on_allocation: bool, source_note: str) -> None:
    case_type.label = label.strip()
    case_type.interval_count = interval_count
    case_type.interval_unit = interval_unit
    case_type.first_due_on_allocation = first_due_on_allocation
    case_type.source_note = source_note.strip()
    db.session.flush()


def save_settings(*, case_cap_months: int, high_risk_cap_months: int, personal_interval_months: int) -> None:
    row = settings()
    row.case_cap_months = case_cap_months
    row.high_risk_cap_months = high_risk_cap_months
    row.personal_interval_months = personal_interval_months
    db.session.add(row)
    db.session.flush()

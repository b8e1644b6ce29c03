"""Every read and write of the supervision policy. Services flush; the request (or command) commits.

A change to an interval or to the caps takes effect from a date (default today, never in the past): it is
kept as a ``PolicyChange``, so a figure for a past day keeps the policy that was in force that day
(CONTRACT.md "Scheduling rules")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.policy.models import (
    DEFAULT_ASYE_INTERVAL,
    DEFAULT_CASE_CAP_MONTHS,
    DEFAULT_HIGH_RISK_CAP_MONTHS,
    DEFAULT_PERSONAL_INTERVAL_MONTHS,
    CaseType,
    PolicyChange,
    SupervisionSettings,
)
from teamops.scheduling import Interval, Policy, load_history


def case_types() -> list[CaseType]:
    return list(db.session.scalars(select(CaseType).order_by(CaseType.code)))


def settings() -> SupervisionSettings:
    """The caps before any dated change, or the contract's defaults before anyone has set them."""
    return db.session.get(SupervisionSettings, 1) or SupervisionSettings(
        id=1, case_cap_months=DEFAULT_CASE_CAP_MONTHS, high_risk_cap_months=DEFAULT_HIGH_RISK_CAP_MONTHS,
        personal_interval_months=DEFAULT_PERSONAL_INTERVAL_MONTHS, asye_interval_count=DEFAULT_ASYE_INTERVAL[0],
        asye_interval_unit=DEFAULT_ASYE_INTERVAL[1])


def interval_label(interval: Interval) -> str:
    unit = interval.unit if interval.count != 1 else interval.unit.rstrip("s")
    return f"{interval.count} {unit}"


def months_label(count: int) -> str:
    return f"{count} month" if count == 1 else f"{count} months"


@dataclass(frozen=True)
class ChangeRow:
    change: PolicyChange
    what: str  # "Child protection (CP)" or "Caps and personal supervision"
    rule: str  # the rule from that day, in plain words
    in_force: bool  # effective today or before


def describe(change: PolicyChange, labels: dict[str, str], on: date) -> ChangeRow:
    if change.case_type_code is not None:
        interval = Interval(change.interval_count or 1, change.interval_unit or "weeks")
        first = "first due on the allocation day" if change.first_due_on_allocation else (
            "first due one interval after allocation")
        code = change.case_type_code
        return ChangeRow(change, f"{labels.get(code, code)} ({code})",
                         f"At least every {interval_label(interval)}; {first}", change.effective_from <= on)
    rule = (f"Every case at least every {months_label(change.case_cap_months or 0)}; high-risk cases every "
            f"{months_label(change.high_risk_cap_months or 0)}; personal supervision every "
            f"{months_label(change.personal_interval_months or 0)}")
    if change.asye_interval_count and change.asye_interval_unit:
        asye = Interval(change.asye_interval_count, change.asye_interval_unit)
        rule += f" (in the ASYE year every {interval_label(asye)})"
    return ChangeRow(change, "Caps and personal supervision", rule, change.effective_from <= on)


def changes(on: date) -> list[ChangeRow]:
    """Every dated change, latest effective first, with who made it."""
    labels = {row.code: row.label for row in case_types()}
    rows = db.session.scalars(select(PolicyChange).options(selectinload(PolicyChange.made_by))
                              .order_by(PolicyChange.effective_from.desc(), PolicyChange.id.desc()))
    return [describe(row, labels, on) for row in rows]


def in_force(on: date | None = None) -> Policy:
    return load_history().on(on or today())


def save_case_type(case_type: CaseType, *, label: str, interval_count: int, interval_unit: str,
                   first_due_on_allocation: bool, source_note: str, effective_from: date | None = None,
                   by: Staff | None = None) -> PolicyChange | None:
    """Rename the case type or change its source at once; a new interval takes effect from ``effective_from``
    (default today). Nothing is dated when the interval is what is already in force that day."""
    case_type.label = label.strip()
    case_type.source_note = source_note.strip()
    day = effective_from or today()
    wanted = Interval(interval_count, interval_unit, first_due_on_allocation)
    change = None
    if load_history().on(day).intervals.get(case_type.code) != wanted:
        change = PolicyChange(effective_from=day, case_type_code=case_type.code, interval_count=interval_count,
                              interval_unit=interval_unit, first_due_on_allocation=first_due_on_allocation,
                              made_by=by)
        db.session.add(change)
    db.session.flush()
    return change


def save_settings(*, case_cap_months: int, high_risk_cap_months: int, personal_interval_months: int,
                  asye_interval: Interval | None = None, effective_from: date | None = None,
                  by: Staff | None = None) -> PolicyChange | None:
    """New caps and personal intervals from ``effective_from`` (default today); nothing when they are those
    already in force. ``asye_interval`` None keeps the ASYE interval in force."""
    day = effective_from or today()
    policy = load_history().on(day)
    asye = Interval(asye_interval.count, asye_interval.unit) if asye_interval else policy.asye_interval
    wanted = (case_cap_months, high_risk_cap_months, personal_interval_months, asye)
    if (policy.case_cap_months, policy.high_risk_cap_months, policy.personal_interval_months,
            policy.asye_interval) == wanted:
        return None
    change = PolicyChange(effective_from=day, case_cap_months=case_cap_months,
                          high_risk_cap_months=high_risk_cap_months,
                          personal_interval_months=personal_interval_months, asye_interval_count=asye.count,
                          asye_interval_unit=asye.unit, made_by=by)
    db.session.add(change)
    db.session.flush()
    return change

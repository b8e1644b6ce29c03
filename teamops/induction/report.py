"""The new starters report (R-IND-16): everyone who started since a date, for the quarterly new starters'
meeting with the director, on screen and as CSV and Excel. QAIT and admins read it; it holds names, teams,
dates, the buddy, the status and how many cases a permanent starter was given during their induction (R-IND-3:
only an import can break the rule), never notes, check-ins or case references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from teamops.cases.models import CaseAllocation
from teamops.dates import add_months
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy
from teamops.induction.models import Induction
from teamops.induction.reading import STATUSES, overdue_at, status
from teamops.org.models import Service, Staff, Team

HEADER = ("Name", "E-mail", "Team", "Service", "Job role", "Employment", "Start date", "Last day of induction",
          "Buddy", "Status", "Cases allocated during induction")
MOST_ROWS = 5000  # a county's starters in a year are fewer; a report is never unbounded


def quarter_ago(on: date) -> date:
    """The first day of the quarter before ``on``'s: the default "since" of the quarterly meeting's report."""
    first_month = (on.month - 1) // 3 * 3 + 1
    return add_months(date(on.year, first_month, 1), -3)


@dataclass(frozen=True)
class StarterRow:
    induction: Induction
    name: str
    email: str
    team: str
    service: str
    job_role: str
    buddy: str | None
    state: str
    breaches: int  # cases allocated to a permanent starter during their induction (R-IND-3; only by import)

    def cells(self) -> tuple[Any, ...]:
        return (self.name, self.email, self.team, self.service, self.job_role,
                self.induction.employment_type.capitalize(), self.induction.start_date, self.induction.ends_on,
                self.buddy or "", STATUSES[self.state], self.breaches)


def starters_since(since: date, on: date) -> list[StarterRow]:
    """New starters' inductions (not cancelled) that started on or after ``since``, first start first: one
    statement."""
    buddy = aliased(Staff)
    buddy_name = (select(buddy.name).join(InductionBuddy, InductionBuddy.buddy_id == buddy.id)
                  .where(InductionBuddy.induction_id == Induction.id, InductionBuddy.to_date.is_(None))
                  .limit(1).scalar_subquery())
    overdue = overdue_at(on)
    breaches = (select(func.count(CaseAllocation.id))
                .where(CaseAllocation.worker_id == Induction.staff_id, Induction.employment_type == "permanent",
                       CaseAllocation.from_date >= Induction.starts_on, CaseAllocation.from_date <= Induction.ends_on)
                .scalar_subquery())
    rows = db.session.execute(
        select(Induction, Staff.name, Staff.email, Team.name, Service.name, Staff.job_role, buddy_name, overdue,
               breaches)
        .join(Staff, Staff.id == Induction.staff_id).join(Team, Team.id == Staff.team_id)
        .join(Service, Service.id == Team.service_id)
        .where(Induction.kind == "new_starter", Induction.cancelled_at.is_(None), Induction.start_date >= since,
               or_(Staff.active.is_(True), Staff.left_on >= since))
        .order_by(Induction.start_date, Staff.name, Induction.id).limit(MOST_ROWS)).all()
    return [StarterRow(induction, name, email, team, service, job, buddy_at, status(induction, on, bool(late)),
                       int(cases or 0))
            for induction, name, email, team, service, job, buddy_at, late, cases in rows]

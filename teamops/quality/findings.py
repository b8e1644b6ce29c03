"""What the case audits found, across rounds (issue 14 item 5, R-QA-4/5): the overall grades of each round (its
theme) by service, and every open remedial action with its age, for the teams in a person's reach (CONTRACT.md
"Reach": QAIT every team; a head of service their service; a service manager the teams of the managers they
line-manage; a team manager their own team and any they cover). An audit belongs to the team of its case's
worker, as on the round's page and in the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import aliased, contains_eager, joinedload

from teamops import dates
from teamops.access import reach_team_ids
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit, GradeScale
from teamops.quality.rounds import GradeCounts

ROUNDS_SHOWN = 8  # two years of quarterly rounds

_WORKER = aliased(Staff)
_TEAM = aliased(Team)


def _in_reach(user: Staff, service_id: int | None) -> ColumnElement[bool]:
    """The audits' teams this person reads here (the case's worker's team), in the one service if chosen."""
    teams = reach_team_ids(user)
    condition = true() if teams is None else _WORKER.team_id.in_(teams)
    return condition if service_id is None else condition & (_TEAM.service_id == service_id)


def _audits_of_teams() -> Select[tuple[CaseAudit]]:
    return (select(CaseAudit).join(Case, Case.id == CaseAudit.case_id).join(_WORKER, _WORKER.id == Case.worker_id)
            .join(_TEAM, _TEAM.id == _WORKER.team_id))


def services_in_reach(user: Staff) -> list[Service]:
    """The services of the teams this person reads, to filter by (one statement)."""
    teams = reach_team_ids(user)
    query = select(Service).where(Service.id.in_(select(Team.service_id).where(
        true() if teams is None else Team.id.in_(teams))))
    return list(db.session.scalars(query.order_by(Service.name)))


@dataclass(frozen=True)
class RoundGrades:
    """One round's overall grades by service: a row per service with counts per grade of the round's scale."""

    round: AuditRound
    services: list[GradeCounts]

    @property
    def total(self) -> GradeCounts:
        counts: dict[int, int] = {}
        for row in self.services:
            for grade_id, count in row.counts.items():
                counts[grade_id] = counts.get(grade_id, 0) + count
        return GradeCounts("All services", counts)


def grades_by_round(user: Staff, service_id: int | None = None, most: int = ROUNDS_SHOWN) -> list[RoundGrades]:
    """The newest ``most`` rounds with a submitted audit in reach, each with its overall grades by service:
    three statements (the counts, the rounds, their scales' grades)."""
    rows = db.session.execute(
        _audits_of_teams().with_only_columns(CaseAudit.round_id, Service.name, CaseAudit.grade_id,
                                             func.count(CaseAudit.id))
        .join(Service, Service.id == _TEAM.service_id)
        .join(AuditRound, AuditRound.id == CaseAudit.round_id)
        .where(_in_reach(user, service_id), CaseAudit.submitted_at.is_not(None), CaseAudit.grade_id.is_not(None),
               AuditRound.id.in_(_newest_rounds(user, service_id, most)))
        .group_by(CaseAudit.round_id, Service.name, CaseAudit.grade_id)).all()
    found: dict[int, dict[str, dict[int, int]]] = {}
    for round_id, service, grade_id, count in rows:
        found.setdefault(round_id, {}).setdefault(service, {})[grade_id] = count
    if not found:
        return []
    rounds = db.session.scalars(
        select(AuditRound).where(AuditRound.id.in_(found))
        .options(joinedload(AuditRound.scale).selectinload(GradeScale.grades))
        .order_by(AuditRound.year.desc(), AuditRound.quarter.desc(), AuditRound.theme)).unique()
    return [RoundGrades(round_, [GradeCounts(name, counts) for name, counts in sorted(found[round_.id].items())])
            for round_ in rounds]


def _newest_rounds(user: Staff, service_id: int | None, most: int) -> Select[tuple[int]]:
    """Ids of the newest ``most`` rounds with a graded audit in reach, as a subquery."""
    graded = (_audits_of_teams().with_only_columns(CaseAudit.round_id)
              .where(_in_reach(user, service_id), CaseAudit.submitted_at.is_not(None),
                     CaseAudit.grade_id.is_not(None)))
    newest = (select(AuditRound.id).where(AuditRound.id.in_(graded))
              .order_by(AuditRound.year.desc(), AuditRound.quarter.desc(), AuditRound.theme).limit(most)
              .subquery())
    return select(newest.c.id)


def open_actions(user: Staff, service_id: int | None = None) -> Select[tuple[AuditAction]]:
    """The open remedial actions of submitted audits in reach, longest open first, each with its audit's round,
    case and team and its owner (one statement a page, with its count)."""
    return (select(AuditAction).join(AuditAction.audit).join(Case, Case.id == CaseAudit.case_id)
            .join(_WORKER, _WORKER.id == Case.worker_id).join(_TEAM, _TEAM.id == _WORKER.team_id)
            .where(AuditAction.done_on.is_(None), CaseAudit.submitted_at.is_not(None), _in_reach(user, service_id))
            .options(contains_eager(AuditAction.audit).joinedload(CaseAudit.round),
                     contains_eager(AuditAction.audit).contains_eager(CaseAudit.case)
                     .contains_eager(Case.worker.of_type(_WORKER)).contains_eager(_WORKER.team.of_type(_TEAM)),
                     joinedload(AuditAction.owner))
            .order_by(AuditAction.created_at, AuditAction.id))


def every_open_action(user: Staff, service_id: int | None = None) -> list[AuditAction]:
    """Every open action of ``open_actions`` (the workbook's): one statement."""
    return list(db.session.scalars(open_actions(user, service_id)))


@dataclass(frozen=True)
class ActionSummary:
    open: int
    overdue: int
    oldest_days: int | None  # how long the longest-open action has been open


def action_summary(user: Staff, service_id: int | None, on: date) -> ActionSummary:
    """How many actions are open, how many of them past their due date, and how long the oldest has been open
    (one statement)."""
    chosen = open_actions(user, service_id).order_by(None).subquery()
    count, overdue, oldest = db.session.execute(select(
        func.count(chosen.c.id), func.count(chosen.c.id).filter(chosen.c.due_on < on),
        func.min(chosen.c.created_at))).one()
    return ActionSummary(count, overdue or 0, None if oldest is None else (on - dates.london_date(oldest)).days)

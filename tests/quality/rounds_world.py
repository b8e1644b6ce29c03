"""A small organisation for the audit rounds' tests, worked out by hand (tests/quality/test_rounds*.py).

Children's Social Care has three teams, North, South and East, each with a team manager who line-manages the
team's worker: three auditors. Youth Justice (not taking part) has a team manager and a worker of its own.
Open cases on 10 February 2026 (Q1): CP 6 (2 a team), CIN 3 (1 a team), EH 1 (North); Youth Justice's two
and South's closed CP case are never offered. Each case may go to the two managers of the other teams only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.quality import rounds
from teamops.quality.audit_models import AuditAnswer, AuditRound, CaseAudit
from teamops.quality.rounds import RoundDetails

TODAY = date(2026, 2, 10)
ALLOCATED = date(2025, 12, 1)


@dataclass
class World:
    csc: Service
    yj: Service
    teams: dict[str, Team]
    managers: dict[str, Staff]  # north, south, east, yj
    workers: dict[str, Staff]
    qait: Staff
    admin: Staff


def build(make: Any) -> World:
    csc, yj = make.service("Children's Social Care"), make.service("Youth Justice")
    teams = {name: make.team(f"{name.title()} Team", csc) for name in ("north", "south", "east")}
    teams["yj"] = make.team("Youth Justice Team", yj)
    managers = {name: make.staff("team_manager", team, name=f"{name.title()} Manager",
                                 email=f"{name}.tm@example.org") for name, team in teams.items()}
    workers = {name: make.staff("worker", team, name=f"{name.title()} Worker", email=f"{name}.w@example.org",
                                line_manager=managers[name]) for name, team in teams.items()}
    qait = make.staff("qait", teams["north"], email="qait@example.org", name="Quinn QAIT")
    admin = make.staff("admin", teams["north"], email="admin@example.org", name="Ada Admin")
    cases = {"north": ["CP", "CP", "CIN", "EH"], "south": ["CP", "CP", "CIN"], "east": ["CP", "CP", "CIN"],
             "yj": ["YJ", "YJ"]}
    for name, types in cases.items():
        for n, code in enumerate(types, start=1):
            make.case(f"{name.upper()}-{code}-{n}", code, False, workers[name], ALLOCATED)
    make.case("SOUTH-CLOSED", "CP", False, workers["south"], ALLOCATED, closed_on=date(2026, 1, 15))
    return World(csc, yj, teams, managers, workers, qait, admin)


def details(world: World, **changes: Any) -> RoundDetails:
    values: dict[str, Any] = {
        "year": 2026, "quarter": 1, "theme": "Management oversight", "service_ids": (world.csc.id,),
        "due_on": date(2026, 3, 31), "scale_id": rounds.default_scale().id,
        "questions": ("Is the plan clear?", "Is the child's voice heard?")}
    values.update(changes)
    return RoundDetails(**values)


def make_round(world: World, **changes: Any) -> AuditRound:
    made = rounds.save_round(None, details(world, **changes), world.qait)
    db.session.commit()
    return made


def audit(round_: AuditRound, case_ref: str, auditor: Staff, *, submitted: bool = False, grade: int = 2,
          due_on: date | None = None, buddy: Staff | None = None) -> CaseAudit:
    """An audit made directly (the rules are tested through ``round_picks``); submitted with the overall grade
    at ``grade`` (1 is the best) and that grade for every question."""
    case = db.session.scalars(select(Case).where(Case.case_ref == case_ref)).one()
    made = CaseAudit(round_id=round_.id, case_id=case.id, auditor_id=auditor.id,
                     buddy_id=buddy.id if buddy else None, due_on=due_on or round_.due_on)
    db.session.add(made)
    if submitted:
        best_first = round_.scale.grades
        made.submitted_at = dates.utcnow() - timedelta(days=1)
        made.grade_id = best_first[grade - 1].id
        db.session.add_all([AuditAnswer(audit=made, question_id=question.id, grade_id=best_first[grade - 1].id)
                            for question in round_.questions])
    db.session.commit()
    db.session.expire(round_)
    return made

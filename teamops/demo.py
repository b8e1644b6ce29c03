"""The fictional demo organisation (CONTRACT.md ``seed-demo``). Names are made up; e-mails use example.org."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from teamops.auth.passwords import hash_password
from teamops.cases.models import Case, CaseAllocation
from teamops.dates import today, working_day_number
from teamops.extensions import db
from teamops.org.models import Absence, Service, Staff, Team
from teamops.records.models import CaseDiscussion, SupervisionRecord

DEMO_PASSWORD = "TeamOps-demo-1"  # noqa: S105 - documented demo password, demo data only

SERVICES = {
    "Children's Social Care": [
        ("Family Safeguarding North", "Riverside House"),
        ("Family Safeguarding South", "Station Road Offices"),
        ("Children in Care", "Riverside House"),
        ("Care Leavers", "Market Street Hub"),
        ("Assessment and Intervention", "Station Road Offices"),
        ("Children's Social Care Leadership", "County Hall"),
    ],
    "Children and Family Wellbeing Service": [
        ("Wellbeing East", "Orchard Centre"),
        ("Wellbeing West", "Millbrook Family Hub"),
        ("Wellbeing Central", "Market Street Hub"),
    ],
    "Youth Justice": [("Youth Justice Team", "Castle Yard")],
    "Quality and Performance": [("Quality Assurance and Improvement Team", "County Hall")],
}
FIRST = ["Alex", "Sam", "Priya", "Jordan", "Chloe", "Tomasz", "Aisha", "Ben", "Grace", "Kofi", "Megan", "Ravi",
         "Hannah", "Owen", "Leah", "Daniel", "Zara", "Ethan", "Isla", "Marcus", "Nadia", "Finn", "Ruth", "Imran"]
LAST = ["Ashdown", "Brightwell", "Carrow", "Dunmore", "Ellery", "Fairbank", "Greystock", "Holloway", "Ingram",
        "Jessop", "Kettering", "Lowther", "Marchant", "Northcote", "Oakley", "Pendle", "Quinlan", "Rushworth"]
JOB_ROLES = ["Social worker", "Senior practitioner", "Family support worker", "Social worker", "Business support"]


def _person(email: str, name: str, team: Team, role: str, job_role: str, start: date,
            employment: str = "permanent", manager: Staff | None = None, password: str | None = None) -> Staff:
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    if staff is None:
        staff = Staff(email=email, name=name, team=team, role=role, job_role=job_role, start_date=start,
                      employment_type=employment, line_manager=manager, active=True)
        if password:
            staff.password_hash = password
        db.session.add(staff)
    return staff


def _service(name: str) -> Service:
    """The service of that name, made if missing: an imported "Youth Justice" is reused, not duplicated."""
    service = db.session.scalar(select(Service).where(Service.name == name))
    if service is None:
        service = Service(name=name)
        db.session.add(service)
        db.session.flush()
    return service


def _team(service: Service, name: str, office_base: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.service_id == service.id, Team.name == name))
    if team is None:
        team = Team(service=service, name=name, office_base=office_base)
        db.session.add(team)
    return team


def seed_demo(staff_per_team: int = 10) -> dict[str, int]:
    """Creates the demo organisation if it is missing; running it again changes nothing."""
    if db.session.scalar(select(Staff.id).where(Staff.email == "admin@example.org")) is not None:
        return {"created": 0}
    rng = random.Random(2026)  # noqa: S311 - reproducible fictional data, not security
    on = today()
    demo_hash = hash_password(DEMO_PASSWORD)
    teams = [_team(_service(service_name), team_name, base)
             for service_name, team_rows in SERVICES.items() for team_name, base in team_rows]
    db.session.flush()
    north = teams[0]
    leadership = next(t for t in teams if t.name == "Children's Social Care Leadership")
    qait_team = next(t for t in teams if t.service.name == "Quality and Performance")
    long_ago = on - timedelta(days=900)
    # R-ORG-1: the head of service line-manages two service managers, each the line manager of some of the
    # service's team managers (Sasha of the first three teams, Rowan of the other two).
    head = _person("headofservice@example.org", "Harriet Okafor", leadership, "head_of_service", "Head of service",
                   long_ago, password=demo_hash)
    leadership.manager = head
    service_manager = _person("servicemanager@example.org", "Sasha Whitlock", leadership, "service_manager",
                              "Service manager", long_ago, manager=head, password=demo_hash)
    second_service_manager = _person("rowan.pryce@example.org", "Rowan Pryce", leadership, "service_manager",
                                     "Service manager", long_ago, manager=head)
    above_team = {team.id: service_manager if n < 3 else second_service_manager
                  for n, team in enumerate(t for t in teams if t.service is leadership.service and t is not leadership)}
    manager = _person("manager@example.org", "Morgan Hale", north, "team_manager", "Team manager", long_ago,
                      manager=service_manager, password=demo_hash)
    north.manager = manager
    _person("qait@example.org", "Quinn Abbott", qait_team, "qait", "QA officer", long_ago, password=demo_hash)
    _person("admin@example.org", "Adrian Mills", qait_team, "admin", "Business support", long_ago,
            password=demo_hash)
    _person("worker@example.org", "Wren Taylor", north, "worker", "Social worker", on - timedelta(days=700),
            manager=manager, password=demo_hash)
    _person("newstarter@example.org", "Nico Fraser", north, "worker", "Social worker",
            working_day_number(on - timedelta(days=5), 1), manager=manager, password=demo_hash)
    count = 8
    for team in teams:
        lead = team.manager
        if lead is None:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            slug = name.lower().replace(" ", ".")
            lead = _person(f"{slug}.{team.id}@example.org", name, team, "team_manager", "Team manager",
                           on - timedelta(days=rng.randint(400, 3000)), manager=above_team.get(team.id))
            team.manager = lead
            count += 1
        headcount = 2 if team in (leadership, qait_team) else staff_per_team
        for n in range(headcount):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{name.lower().replace(' ', '.')}.{team.id}{n}@example.org"
            _person(email, name, team, "worker", rng.choice(JOB_ROLES),
                    on - timedelta(days=rng.randint(30, 3000)),
                    employment="agency" if n % 7 == 3 else "permanent", manager=lead)
            count += 1
    db.session.flush()
    _seed_supervision([t for t in teams if t not in (leadership, qait_team)], on, rng)
    _seed_absence(teams[1], on)
    db.session.flush()
    return {"created": count}


def _seed_absence(team: Team, on: date) -> None:
    """A long absence to look at (R-ORG-6): a worker of the second team on parental leave, back in two months;
    their personal supervision reads "absent" and their cases still wait to be reallocated."""
    away = next((p for p in team.members if p.role == "worker" and p.job_role != "Business support"), None)
    if away is not None and team.manager is not None:
        db.session.add(Absence(staff=away, kind="parental_leave", starts_on=on - timedelta(days=20),
                               ends_on=on + timedelta(days=60), recorded_by=team.manager))


# What 0 and 10 mean for the demo's scaling scores (R-SUP-9): every score is stored with its question.
SCALING_QUESTION = "0 = the children cannot stay safely at home, 10 = the case can close"

SERVICE_CASE_TYPES = {
    "Children's Social Care": ["CP", "CIN", "CIN", "CLA", "CL", "PF"],
    "Children and Family Wellbeing Service": ["EH"],
    "Youth Justice": ["YJ"],
}


def _case(ref: int, case_type: str, worker: Staff, allocated_on: date, high_risk: bool = False) -> Case:
    case = Case(case_ref=str(ref), case_type_code=case_type, high_risk=high_risk, worker=worker,
                allocated_on=allocated_on)
    case.allocations.append(CaseAllocation(worker=worker, from_date=allocated_on))
    db.session.add(case)
    return case


def _held(kind: str, held_on: date, worker: Staff, supervisor: Staff, case: Case | None = None,
          scaling: int | None = None) -> None:
    record = SupervisionRecord(kind=kind, held_on=held_on, worker=worker, supervisor=supervisor,
                               status="signed_off", imported=True)
    if case is not None:
        question = SCALING_QUESTION if scaling is not None else None
        record.discussions.append(CaseDiscussion(case=case, held_on=held_on, scaling=scaling,
                                                 scaling_question=question))
    db.session.add(record)


def _seed_supervision(teams: list[Team], on: date, rng: random.Random) -> None:
    """Fictional cases (case-system style numbers, never names) in every due state, with history."""
    ref = 4300100
    for team in teams:
        manager = team.manager
        assert manager is not None
        types = SERVICE_CASE_TYPES[team.service.name]
        for worker in [p for p in team.members if p.role == "worker" and p.job_role != "Business support"]:
            if worker.email == "newstarter@example.org":
                continue  # no allocation during a permanent starter's induction (R-IND-3)
            _held("personal", on - timedelta(days=rng.randint(3, 45)), worker, manager)
            if worker.email == "worker@example.org":
                _seed_demo_worker(worker, manager, on)
                continue
            for _ in range(rng.randint(2, 5)):
                ref += 1
                allocated = on - timedelta(days=rng.randint(20, 400))
                case = _case(ref, rng.choice(types), worker, allocated, high_risk=rng.random() < 0.15)
                since = rng.choice([5, 12, 20, 26, 30, 40, 50, 58, 70])
                if allocated < on - timedelta(days=since):
                    _held("case", on - timedelta(days=since), worker, manager, case, rng.randint(2, 8))


def _seed_demo_worker(worker: Staff, manager: Staff, on: date) -> None:
    """worker@example.org has a case in every due state, and a case with a scaling trend to look at."""
    trend = _case(4300001, "CP", worker, on - timedelta(days=200))
    for days, score in ((150, 2), (122, 3), (94, 3), (66, 5), (35, 6)):
        _held("case", on - timedelta(days=days), worker, manager, trend, score)  # overdue: 4-weekly
    soon = _case(4300002, "CIN", worker, on - timedelta(days=120))
    _held("case", on - timedelta(days=52), worker, manager, soon, 5)  # 8-weekly: due within 7 days
    fine = _case(4300003, "CLA", worker, on - timedelta(days=300))
    _held("case", on - timedelta(days=10), worker, manager, fine, 7)  # in timescale
    risky = _case(4300004, "CIN", worker, on - timedelta(days=90), high_risk=True)
    _held("case", on - timedelta(days=40), worker, manager, risky, 3)  # high risk: monthly, overdue
    _case(4300005, "EH", worker, on)  # early help: first due on the allocation day

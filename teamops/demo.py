"""The fictional demo organisation (CONTRACT.md ``seed-demo``). Names are made up; e-mails use example.org."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from teamops.auth.passwords import hash_password
from teamops.dates import today, working_day_number
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team

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
    manager = _person("manager@example.org", "Morgan Hale", north, "team_manager", "Team manager", long_ago,
                      password=demo_hash)
    north.manager = manager
    leadership.manager = _person("servicemanager@example.org", "Sasha Whitlock", leadership, "service_manager",
                                 "Service manager", long_ago, password=demo_hash)
    _person("qait@example.org", "Quinn Abbott", qait_team, "qait", "QA officer", long_ago, password=demo_hash)
    _person("admin@example.org", "Adrian Mills", qait_team, "admin", "Business support", long_ago,
            password=demo_hash)
    _person("worker@example.org", "Wren Taylor", north, "worker", "Social worker", on - timedelta(days=700),
            manager=manager, password=demo_hash)
    _person("newstarter@example.org", "Nico Fraser", north, "worker", "Social worker",
            working_day_number(on - timedelta(days=5), 1), manager=manager, password=demo_hash)
    count = 6
    for team in teams:
        lead = team.manager
        if lead is None:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            slug = name.lower().replace(" ", ".")
            lead = _person(f"{slug}.{team.id}@example.org", name, team, "team_manager", "Team manager",
                           on - timedelta(days=rng.randint(400, 3000)))
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
    db.session.commit()
    return {"created": count}

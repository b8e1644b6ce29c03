"""The demo directory (fictional): what each demo team does, its other bases and phone, work phones, and
champions across the areas with every scope, one volunteer waiting for the demo manager's approval."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from teamops.directory.contact_demo import seed_contacts
from teamops.directory.models import Champion, ChampionArea
from teamops.directory.network_demo import seed_networks
from teamops.extensions import db
from teamops.org.models import Staff, Team, TeamBase

REMITS = {
    "Family Safeguarding North": "Works with families whose children have a child protection or child in need "
    "plan in the north of the county, building safety plans with the family's own network.",
    "Family Safeguarding South": "Works with families whose children have a child protection or child in need "
    "plan in the south of the county, building safety plans with the family's own network.",
    "Children in Care": "Social workers for children and young people in care: visits, reviews, plans for "
    "permanence and keeping in touch with family.",
    "Care Leavers": "Personal advisers and social workers supporting young people leaving care up to the age of "
    "25: housing, education, work and health.",
    "Assessment and Intervention": "The front door: screening contacts within a working day and assessing "
    "families to find the right service at the right time.",
    "Children's Social Care Leadership": "The heads of service and service managers for children's social care.",
    "Wellbeing East": "Early help for families with children aged 0 to 19 in the east: family support, groups "
    "and youth work.",
    "Wellbeing West": "Early help for families with children aged 0 to 19 in the west: family support, groups "
    "and youth work.",
    "Wellbeing Central": "Early help for families with children aged 0 to 19 in the centre of the county, "
    "including the wellbeing practitioners.",
    "Youth Justice Team": "Works with young people in the youth justice system and those at risk of offending, "
    "with the police, courts and victims.",
    "Quality Assurance and Improvement Team": "QAIT: supervision returns, caseload reviews, audits and the "
    "practice development group.",
}
OTHER_BASES = {"Family Safeguarding North": ["Beacon Court"], "Wellbeing East": ["Orchard Centre Annexe"],
               "Youth Justice Team": ["Market Street Hub"]}
# (e-mail of a demo account or the n-th worker of a team, area, scope)
CHAMPIONS = (
    ("worker@example.org", "Domestic abuse", "team"),
    ("manager@example.org", "First aid", "office"),
    ("qait@example.org", "Procedures manual", "county"),
)
TEAM_CHAMPIONS = (
    ("Family Safeguarding South", 0, "Domestic abuse", "office"),
    ("Family Safeguarding South", 1, "Health and safety", "office"),
    ("Children in Care", 0, "Case-recording system", "service"),
    ("Children in Care", 1, "Mental health first aid", "office"),
    ("Assessment and Intervention", 0, "Signs of Safety practice", "service"),
    ("Care Leavers", 0, "Race", "county"),
    ("Wellbeing East", 0, "Domestic abuse", "service"),
    ("Wellbeing Central", 0, "Mental health first aid", "county"),
    ("Youth Justice Team", 0, "First aid", "team"),
)


def seed_directory(on: date, teams: list[Team]) -> None:
    """Adds the demo directory for the demo teams; flushes."""
    areas = {area.name: area for area in db.session.scalars(select(ChampionArea))}
    for number, team in enumerate(teams):
        team.remit = REMITS.get(team.name, "")
        team.phone = f"0116 496 {1000 + number * 7:04d}"
        team.email = team.name.lower().replace("'", "").replace(" ", ".") + "@example.org"
        team.checked_on = on - timedelta(days=30 + number * 25)  # some over 6 months ago: "to check"
        team.other_bases = [TeamBase(name=name) for name in OTHER_BASES.get(team.name, [])]
    started = on - timedelta(days=400)
    for email, area, scope in CHAMPIONS:
        person = db.session.scalar(select(Staff).where(Staff.email == email))
        if person is not None:
            _champion(person, areas[area], scope, started, on)
    by_name = {team.name: team for team in teams}
    for team_name, n, area, scope in TEAM_CHAMPIONS:
        found = by_name.get(team_name)
        workers = [p for p in found.members if p.role == "worker"] if found else []
        if len(workers) > n:
            _champion(workers[n], areas[area], scope, started + timedelta(days=40 * n), on)
    for number, person in enumerate(db.session.scalars(select(Staff).order_by(Staff.id))):
        if number % 3 == 0 or (person.email.endswith("@example.org") and "." not in person.email.split("@")[0]):
            person.work_phone = f"5{number % 10000:04d}"
    north = by_name.get("Family Safeguarding North")
    volunteers = [p for p in north.members if p.role == "worker" and p.email != "worker@example.org"
                  and p.email != "newstarter@example.org"] if north else []
    if volunteers:  # an offer waiting for the demo manager
        db.session.add(Champion(staff=volunteers[0], area=areas["Mental health first aid"], scope="office",
                                state="proposed", starts_on=on, checked_on=on, proposed_by_id=volunteers[0].id,
                                note="Completed the two-day course last month"))
    db.session.flush()
    services = list({team.service_id: team.service for team in teams}.values())
    everyone = list(db.session.scalars(select(Staff).order_by(Staff.id)))
    seed_contacts(on, services, everyone)
    seed_networks(on, [person for person in everyone if person.active and person.role == "worker"])


def _champion(person: Staff, area: ChampionArea, scope: str, starts_on: date, on: date) -> None:
    db.session.add(Champion(staff=person, area=area, scope=scope, state="active", starts_on=starts_on,
                            checked_on=max(starts_on, on - timedelta(days=250 if scope == "county" else 60))))

"""The demo's quality assurance: observations of practice (R-QA-7) over the last months, so the team tables say
when each worker was last observed (some never, one a while ago)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Staff, Team
from teamops.quality.models import OBSERVATION_SETTINGS, PracticeObservation

FEEDBACK = (
    "Warm, clear explanation of the plan to the family; next time check the child's understanding in their own words.",
    "Good use of the safety plan with the parents. Develop: summarise the agreed actions before leaving.",
    "Confident chairing of the network meeting; make sure every agency's view is recorded.",
)


def seed_observations(on: date, teams: list[Team]) -> None:
    """Every third worker of these teams was never observed; the others once or twice in the last months, by
    their line manager. The demo worker's practice was observed twice."""
    settings = list(OBSERVATION_SETTINGS)
    people = db.session.scalars(
        select(Staff).where(Staff.team_id.in_([team.id for team in teams]), Staff.role == "worker",
                            Staff.active.is_(True), Staff.start_date <= on - timedelta(days=120))
        .order_by(Staff.team_id, Staff.id))
    for n, person in enumerate(people):
        times = 2 if person.email == "worker@example.org" else n % 3
        observer = person.line_manager or person.team.manager
        if observer is None:
            continue
        for k in range(times):
            day = dates.previous_working_day(on - timedelta(days=20 + 50 * k + n % 17))
            db.session.add(PracticeObservation(worker=person, observer=observer, observed_on=day,
                                               setting=settings[(n + k) % len(settings)],
                                               feedback=FEEDBACK[(n + k) % len(FEEDBACK)]))

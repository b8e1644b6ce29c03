"""Every kind of row the tests need, made one way: through the app's own services where one exists (so the
rows are what the app would make), committed at once, as a request would commit them.

``make`` (a fixture in tests/conftest.py) is a ``Factory``; helper fixtures in the domain folders build on
the same functions. Names and e-mail addresses are numbered so that rows never collide.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import select

from teamops import dates
from teamops.auth.models import UserSession
from teamops.auth.passwords import hash_password
from teamops.bookings.models import Booking
from teamops.cases import services as cases
from teamops.cases.models import Case
from teamops.directory.models import Champion, ChampionArea
from teamops.extensions import db
from teamops.induction import services as inductions
from teamops.induction.models import Induction
from teamops.org.models import Service, Staff, Team
from teamops.policy import services as policy
from teamops.policy.models import CaseType
from teamops.records import services as records
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)
_password_hash: list[str] = []


def number() -> int:
    return next(_numbers)


def password_hash() -> str:
    """One hash per run: the testing configuration's cheap argon2 parameters make it fast anyway."""
    if not _password_hash:
        _password_hash.append(hash_password(PASSWORD))
    return _password_hash[0]


Saved = TypeVar("Saved")


def _saved(row: Saved) -> Saved:
    db.session.add(row)
    db.session.commit()
    return row


# Organisation ----------------------------------------------------------------------------------------------

def service(name: str | None = None) -> Service:
    return _saved(Service(name=name or f"Service {number()}"))


_new_service = service


def team(name: str | None = None, service: Service | None = None, office_base: str = "Riverside House",
         manager: Staff | None = None) -> Team:
    return _saved(Team(name=name or f"Team {number()}", service=service or _new_service(),
                       office_base=office_base, manager=manager))


_new_team = team


def staff(role: str = "worker", team: Team | None = None, email: str | None = None, name: str | None = None,
          password: bool = True, **values: Any) -> Staff:
    n = number()
    person = _saved(Staff(
        email=email or f"person{n}@example.org", name=name or f"Person {n}", team=team or _new_team(), role=role,
        job_role=values.pop("job_role", "Social worker"), employment_type=values.pop("employment_type", "permanent"),
        start_date=values.pop("start_date", date(2020, 1, 6)), password_hash=password_hash() if password else None,
        **values))
    if role == "team_manager" and person.team.manager_id is None:
        person.team.manager = person
        db.session.commit()
    return person


def induction(person: Staff, start_date: date | None = None, template_kind: str | None = None,
              job_group: str | None = None) -> Induction:
    """An induction opened by hand from the seeded template for the person's employment type (or
    ``template_kind``: "mover" for the internal-move timetable)."""
    kind = template_kind or person.employment_type
    template = inductions.active_template(kind)
    assert template is not None
    opened = inductions.open_induction(person, team=person.team, kind="mover" if kind == "mover" else "new_starter",
                                       template=template, start_date=start_date or person.start_date,
                                       opened_via="by_hand", opened_by=None, job_group=job_group)
    db.session.commit()
    return opened


# Cases and the policy ------------------------------------------------------------------------------------

def case(ref: str | None, case_type: str, high_risk: bool, worker: Staff, allocated_on: date,
         closed_on: date | None = None) -> Case:
    """``cases.services.create_case``, committed (same arguments)."""
    made = cases.create_case(ref or f"MOS-{number()}", case_type, high_risk, worker, allocated_on, closed_on)
    db.session.commit()
    return made


def reallocate(case_: Case, worker: Staff, on: date) -> None:
    cases.reallocate(case_, worker, on)
    db.session.commit()


def close_case(case_: Case, on: date) -> None:
    cases.close_case(case_, on)
    db.session.commit()


def case_type_interval(code: str, count: int, unit: str, effective_from: date = date(2000, 1, 1)) -> None:
    """A policy change; by default in force on every day a test looks at."""
    row = db.session.get(CaseType, code)
    assert row is not None
    policy.save_case_type(row, label=row.label, interval_count=count, interval_unit=unit,
                          first_due_on_allocation=row.first_due_on_allocation, source_note=row.source_note,
                          effective_from=effective_from)
    db.session.commit()


# Supervision ---------------------------------------------------------------------------------------------

def record(kind: str, held_on: date, worker: Staff, supervisor: Staff, cases_: list[Case] | None = None,
           imported: bool = False, status: str | None = None, scaling: int | None = None,
           scaling_question: str | None = None, **values: Any) -> SupervisionRecord:
    """``records.services.add_record``, committed (same first arguments); ``status``, ``scaling`` (with the
    question it answers, none by default: a score from before questions were asked) and any record field may
    be set as well."""
    made = records.add_record(kind, held_on, worker, supervisor, cases_, imported=imported)
    if status is not None:
        made.status = status
    for name, value in values.items():
        setattr(made, name, value)
    if scaling is not None:
        for discussion in made.discussions:
            discussion.scaling, discussion.scaling_question = scaling, scaling_question
    db.session.commit()
    return made


def action(owner: Staff, supervisor: Staff, due_on: date, description: str = "Visit the family",
           case_: Case | None = None, status: str = "open", held_on: date | None = None) -> SupervisionAction:
    """An action agreed in a supervision of ``owner`` (about ``case_``, or personal)."""
    held = held_on or dates.today() - timedelta(days=20)
    made = record("case" if case_ else "personal", held, owner, supervisor, [case_] if case_ else [])
    return _saved(SupervisionAction(record=made, case=case_, owner=owner, description=description,
                                    due_on=due_on, status=status))


def escalation(case_: Case, supervisor: Staff, held_on: date, resolved: bool = False) -> CaseDiscussion:
    """A disagreement about ``case_`` raised in a supervision (R-SUP-7), resolved or waiting."""
    discussion = record("case", held_on, case_.worker, supervisor, [case_]).discussions[0]
    discussion.disagreement = True
    discussion.disagreement_note = "The worker wants a strategy meeting first"
    if resolved:
        discussion.resolved_at = dates.utcnow()
        discussion.resolution = "Agreed at the service manager meeting"
    db.session.commit()
    return discussion


def uk_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK wall-clock time on ``day``, as the UTC instant the app stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=dates.LONDON).astimezone(UTC)


def booking(worker: Staff, supervisor: Staff, starts_at: datetime, minutes: int = 60, kind: str = "personal",
            cases_: list[Case] | None = None, attendees: list[Staff] | None = None, status: str = "booked",
            location: str = "Riverside House, room 2") -> Booking:
    return _saved(Booking(kind=kind, worker=worker, supervisor=supervisor, starts_at=starts_at,
                          duration_minutes=minutes, location=location, online=False, status=status,
                          cases=list(cases_ or []), attendees=list(attendees or [])))


def champion(person: Staff, area: str, scope: str, starts_on: date = date(2026, 1, 5), state: str = "active",
             ) -> Champion:
    """A champion of a seeded area (migration 0020), checked the day they started."""
    found = db.session.scalar(select(ChampionArea).where(ChampionArea.name == area))
    assert found is not None, area
    return _saved(Champion(staff=person, area=found, scope=scope, state=state, starts_on=starts_on,
                           checked_on=starts_on))


class Factory:
    """The ``make`` fixture: ``make.staff("team_manager", team)``, ``make.case(None, "CP", False, worker, day)``."""

    service = staticmethod(service)
    team = staticmethod(team)
    staff = staticmethod(staff)
    case = staticmethod(case)
    record = staticmethod(record)
    action = staticmethod(action)
    booking = staticmethod(booking)
    escalation = staticmethod(escalation)
    induction = staticmethod(induction)
    champion = staticmethod(champion)


def age_sessions(minutes: int) -> None:
    """Moves every signed-in session's last activity ``minutes`` into the past, as if nobody had done anything."""
    db.session.rollback()
    for row in db.session.scalars(db.select(UserSession)):
        row.last_seen_at -= timedelta(minutes=minutes)
    db.session.commit()


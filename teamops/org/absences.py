"""Long absences (R-ORG-6): sickness, parental leave, secondment, recorded by whoever supervises the person.
While one runs their personal supervision reads "absent" instead of overdue, and it is due again a month after
the absence's last day unless one is held sooner (``teamops.scheduling.person_due``). Their cases are not
paused: they should be reallocated. Services flush; the request commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from teamops.extensions import db
from teamops.org.models import Absence, Staff

LONGEST_DAYS = 3 * 366  # a secondment or parental leave can be long; past that, record a new one


def absences_of(person: Staff) -> list[Absence]:
    """The person's absences, latest first: running, to come and past."""
    return list(db.session.scalars(select(Absence).where(Absence.staff_id == person.id)
                                   .order_by(Absence.starts_on.desc(), Absence.id.desc())))


def overlapping(person: Staff, starts_on: date, ends_on: date, except_id: int | None = None) -> Absence | None:
    query = select(Absence).where(Absence.staff_id == person.id, Absence.starts_on <= ends_on,
                                  Absence.ends_on >= starts_on)
    if except_id is not None:
        query = query.where(Absence.id != except_id)
    return db.session.scalars(query.limit(1)).first()


def record_absence(person: Staff, kind: str, starts_on: date, ends_on: date, by: Staff) -> Absence:
    absence = Absence(staff=person, kind=kind, starts_on=starts_on, ends_on=ends_on, recorded_by=by)
    db.session.add(absence)
    db.session.flush()
    return absence


def change_absence(absence: Absence, kind: str, starts_on: date, ends_on: date) -> None:
    """Back early, away longer, or a correction. Absences are not deleted: a person's history stays whole."""
    absence.kind, absence.starts_on, absence.ends_on = kind, starts_on, ends_on
    db.session.flush()

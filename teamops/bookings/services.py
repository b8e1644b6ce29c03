"""Every rule and write for supervision bookings.

Times are typed in UK local time and stored in UTC. A local time the clocks skip or repeat is refused rather
than guessed, because a session booked an hour out is worse than a question. Clashes are warnings, not
errors: a manager may knowingly double-book, so the check returns what overlaps and the caller asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from teamops.access import can, cases_in_reach, reach_team_ids
from teamops.bookings.models import Booking, booking_attendees
from teamops.cases.models import Case
from teamops.dates import EVENT_YEARS, LONDON, today, utcnow
from teamops.extensions import db, flush_unique
from teamops.org.models import Staff
from teamops.records.models import SupervisionRecord
from teamops.scheduling import CaseDue, case_dues

MIN_MINUTES, MAX_MINUTES = 15, 480
FIRST_YEAR, LAST_YEAR = EVENT_YEARS
SHOWS = {"upcoming": "Upcoming", "past": "Past", "cancelled": "Cancelled"}
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")  # 14:30, or 14.30 as many write it
PAST_MESSAGE = ("This time has passed. Only future sessions are booked: record a session that has already "
                "happened directly in its supervision record")


class SessionTimeError(ValueError):
    """A refused session time, with the form field the message belongs next to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def parse_time(text: str) -> time:
    match = TIME_PATTERN.match(text.strip())
    if match is None:
        raise ValueError("Enter a time as HH:MM in the 24-hour clock, for example 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def _spoken(day: date, at: time) -> str:
    return f"{at:%H:%M} on {day.day} {day:%B %Y}"


def session_start(day: date, at: time) -> datetime:
    """The UTC instant of a UK local date and time; refuses times the clocks skip (spring) or repeat (autumn)."""
    local = datetime.combine(day, at, tzinfo=LONDON)
    round_trip = local.astimezone(UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise SessionTimeError(f"There is no {_spoken(day, at)} in UK time: the clocks go forward an hour that "
                               "night. Choose another time", "start_time")
    if local.replace(fold=1).utcoffset() != local.utcoffset():
        raise SessionTimeError(f"{_spoken(day, at)} happens twice in UK time: the clocks go back an hour that "
                               "night. Choose another time", "start_time")
    return local.astimezone(UTC)


def check_in_future(day: date, starts_at: datetime) -> None:
    """No new bookings (or moves) into the past; the message goes next to the date, or the time when it is
    today's date with a time already gone."""
    if starts_at < utcnow():
        raise SessionTimeError(PAST_MESSAGE, "session_date" if day < today() else "start_time")


def ends_at(booking: Booking) -> datetime:
    return booking.starts_at + timedelta(minutes=booking.duration_minutes)


def participant_ids(booking: Booking) -> set[int]:
    return {booking.worker_id, booking.supervisor_id, *(person.id for person in booking.attendees)}


def records_of(bookings: list[Booking]) -> dict[int, int]:
    """Booking id to the id of the supervision record written from it (one query for a whole page)."""
    ids = [booking.id for booking in bookings]
    if not ids:
        return {}
    rows = db.session.execute(select(SupervisionRecord.booking_id, SupervisionRecord.id)
                              .where(SupervisionRecord.booking_id.in_(ids)))
    return {booking_id: record_id for booking_id, record_id in rows if booking_id is not None}


def visible_case_ids(user: Staff, bookings: Iterable[Booking]) -> set[int]:
    """Ids of the cases these sessions will discuss that ``user`` may see (one query). A group session
    discusses several workers' cases: like its record, it shows each person only the cases in their reach."""
    ids = {case.id for booking in bookings for case in booking.cases}
    if not ids:
        return set()
    return set(db.session.scalars(cases_in_reach(user).where(Case.id.in_(ids)).with_only_columns(Case.id)))


# Cases and attendees -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseOption:
    case: Case
    due: CaseDue
    due_by_session: bool  # next due on or before the session date: pre-selected in the picker


def open_cases_of(*people: Staff, on: date) -> list[Case]:
    """The open cases of ``people`` (a group session's worker and attendees), by worker in the order given."""
    order = {person.id: number for number, person in enumerate(people)}
    cases = db.session.scalars(
        select(Case).where(Case.worker_id.in_(order), or_(Case.closed_on.is_(None), Case.closed_on > on))
        .options(selectinload(Case.case_type), selectinload(Case.worker)).order_by(Case.case_ref))
    return sorted(cases, key=lambda case: order[case.worker_id])


def case_options(people: list[Staff], session_day: date) -> list[CaseOption]:
    """The open cases of the session's worker (and, for a group, its attendees) with today's due state; those
    due by the session date come pre-selected."""
    on = today()
    cases = open_cases_of(*people, on=on)
    dues = case_dues(cases, on)
    options = []
    for case in cases:
        due = dues[case.id]
        options.append(CaseOption(case, due, due.next_due_on is not None and due.next_due_on <= session_day))
    return options


def chosen_cases(kind: str, worker: Staff, case_ids: list[int], attendees: list[Staff] | None = None) -> list[Case]:
    """The cases to discuss: open cases allocated to this worker, or for a group session to the worker or an
    attendee. Another team's case is refused without naming it, so a tampered form learns nothing about cases
    out of reach. A personal session discusses none: cases ticked before the kind was changed are ignored, as
    the form hides them (issue 10 item 8)."""
    if kind == "personal":
        return []
    people = [worker, *(attendees or [])] if kind == "group" else [worker]
    if not case_ids:
        if not open_cases_of(*people, on=today()):
            if kind == "group":
                raise ValueError("None of the people in this session holds an open case: book personal "
                                 "supervision instead")
            raise ValueError(f"{worker.name} holds no open cases: book personal supervision instead")
        raise ValueError("Choose at least one case to discuss")
    cases = list(db.session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.case_ref)))
    if len(cases) != len(set(case_ids)):
        raise ValueError("One of the chosen cases does not exist: choose from the list")
    owners = {person.id for person in people}
    for case in cases:
        if case.worker_id not in owners:
            whose = "anyone in this session" if kind == "group" else worker.name
            raise ValueError(f"One of the chosen cases is not allocated to {whose}: choose from the list")
        if case.closed_on is not None and case.closed_on <= today():
            raise ValueError(f"Case {case.case_ref} is closed: untick it")
    return cases


def chosen_attendees(kind: str, supervisor: Staff, worker: Staff, staff_ids: list[int]) -> list[Staff]:
    """A group session's other attendees. Other kinds have none: people ticked before the kind was changed
    are ignored, as the form hides them (issue 10 item 8)."""
    if not staff_ids or kind != "group":
        return []
    people = list(db.session.scalars(select(Staff).where(Staff.id.in_(staff_ids)).order_by(Staff.name)))
    if len(people) != len(set(staff_ids)):
        raise ValueError("One of the attendees is not in TeamOps: choose from the list")
    for person in people:
        if person.id == worker.id:
            raise ValueError(f"{person.name} is already the worker for this session: untick them here")
        if person.id == supervisor.id:
            raise ValueError("You are already in the session as the supervisor: untick yourself")
        if not can("supervise", person, user=supervisor):
            raise ValueError("One of the attendees is not someone you supervise: choose from the list")
        if not person.active:
            raise ValueError(f"{person.name} has left: untick them")
    return people


# Clashes -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clash:
    booking: Booking
    people: list[Staff]  # who, of those asked about, is already in that session


def find_clashes(people: list[Staff], starts_at: datetime, minutes: int,
                 except_booking: Booking | None = None) -> list[Clash]:
    """Booked sessions of any of ``people`` overlapping [starts_at, starts_at + minutes). SQL narrows to the
    sessions that could overlap (none lasts longer than MAX_MINUTES); the exact test runs here, so the same
    code works on SQLite and PostgreSQL without date arithmetic in SQL."""
    ids = {person.id for person in people}
    finish = starts_at + timedelta(minutes=minutes)
    as_attendee = select(booking_attendees.c.booking_id).where(booking_attendees.c.staff_id.in_(ids))
    query = (
        select(Booking)
        .where(Booking.status == "booked", Booking.starts_at < finish,
               Booking.starts_at > starts_at - timedelta(minutes=MAX_MINUTES),
               or_(Booking.worker_id.in_(ids), Booking.supervisor_id.in_(ids), Booking.id.in_(as_attendee)))
        .options(selectinload(Booking.attendees), selectinload(Booking.worker), selectinload(Booking.supervisor))
        .order_by(Booking.starts_at, Booking.id)
    )
    if except_booking is not None:
        query = query.where(Booking.id != except_booking.id)
    clashes = []
    for booking in db.session.scalars(query):
        if ends_at(booking) <= starts_at:
            continue
        involved = participant_ids(booking)
        clashes.append(Clash(booking, [person for person in people if person.id in involved]))
    return clashes


# Writes --------------------------------------------------------------------------------------------

class AlreadyBooked(Exception):
    """The supervisor already has this worker booked at that time; the request rolls back and says so."""


def booked_slot(supervisor_id: int, worker_id: int, starts_at: datetime) -> int | None:
    return db.session.scalar(select(Booking.id).where(
        Booking.supervisor_id == supervisor_id, Booking.worker_id == worker_id, Booking.starts_at == starts_at,
        Booking.status == "booked"))


def _flush_slot(booking: Booking) -> None:
    """The database's unique index on the booked slot refuses a second booking sent at the same moment (a
    check in code cannot: both requests find none before either writes)."""
    db.session.add(booking)
    flush_unique(AlreadyBooked(), "uq_bookings_booked_slot", "bookings.supervisor_id")


def create_booking(*, kind: str, worker: Staff, supervisor: Staff, starts_at: datetime, duration_minutes: int,
                   location: str, online: bool, cases: list[Case], attendees: list[Staff]) -> Booking:
    """Books the session; AlreadyBooked when the supervisor has this worker booked at that time already."""
    booking = Booking(kind=kind, worker=worker, supervisor=supervisor, starts_at=starts_at,
                      duration_minutes=duration_minutes, location=location.strip(), online=online,
                      status="booked", cases=cases, attendees=attendees)
    _flush_slot(booking)
    return booking


def reschedule(booking: Booking, starts_at: datetime, duration_minutes: int, reason: str) -> None:
    """Moves the session; AlreadyBooked (nothing changed) when another session of the pair starts then."""
    booking.starts_at = starts_at
    booking.duration_minutes = duration_minutes
    booking.change_reason = reason.strip()
    booking.sequence += 1
    _flush_slot(booking)


def cancel(booking: Booking, reason: str) -> None:
    """Cancelled sessions stay listed as cancelled, with the reason: the history of what was planned matters."""
    booking.status = "cancelled"
    booking.change_reason = reason.strip()
    booking.sequence += 1
    db.session.flush()


# Lists ---------------------------------------------------------------------------------------------

def bookings_for_teams(user: Staff) -> Select[tuple[Booking]]:
    """Sessions of people in the manager's teams, and any session they run themselves."""
    query = select(Booking)
    teams = reach_team_ids(user)
    if teams is None:
        return query
    in_teams = select(Staff.id).where(Staff.team_id.in_(teams))
    return query.where(or_(Booking.worker_id.in_(in_teams), Booking.supervisor_id == user.id))


def bookings_for_person(user: Staff) -> Select[tuple[Booking]]:
    """Sessions where this person is supervised: as the worker or as an attendee of a group session."""
    as_attendee = select(booking_attendees.c.booking_id).where(booking_attendees.c.staff_id == user.id)
    return select(Booking).where(or_(Booking.worker_id == user.id, Booking.id.in_(as_attendee)))


def start_of_today() -> datetime:
    return datetime.combine(today(), time.min, tzinfo=LONDON).astimezone(UTC)


def filter_bookings(query: Select[tuple[Booking]], show: str) -> Select[tuple[Booking]]:
    """Upcoming: booked from the start of today, soonest first (today's sessions stay listed all day).
    Past: held, or booked before today, latest first. Cancelled: latest first."""
    since = start_of_today()
    if show == "cancelled":
        query = query.where(Booking.status == "cancelled").order_by(Booking.starts_at.desc(), Booking.id.desc())
    elif show == "past":
        query = query.where(or_(Booking.status == "held",
                                (Booking.status == "booked") & (Booking.starts_at < since))) \
            .order_by(Booking.starts_at.desc(), Booking.id.desc())
    else:
        query = query.where(Booking.status == "booked", Booking.starts_at >= since) \
            .order_by(Booking.starts_at, Booking.id)
    return query.options(selectinload(Booking.worker).selectinload(Staff.team), selectinload(Booking.supervisor),
                         selectinload(Booking.cases), selectinload(Booking.attendees))

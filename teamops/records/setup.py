"""The first step of writing a record: who, which kind, when, which cases, who attended, from which booking.

It is a GET form, so the choices travel in the address of the record form and every later step (and a
double submit) checks them again with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional, ValidationError

from teamops.access import can
from teamops.bookings.models import KIND_LABELS, Booking
from teamops.cases.models import Case
from teamops.dates import EVENT_YEARS, LONDON, today
from teamops.extensions import db
from teamops.forms import DateInputField, IdField, id_number, not_in_future
from teamops.org.models import Staff
from teamops.records import queries
from teamops.records.models import SupervisionRecord

EARLIEST_SESSION = date(EVENT_YEARS[0], 1, 1)


def session_date_rules(form: FlaskForm, field: Any) -> None:
    """A supervision is recorded once held: never in the future, and not before TeamOps' records begin."""
    if field.data is None:
        return
    if field.data < EARLIEST_SESSION:
        raise ValidationError(f"Enter a session date from 1 January {EARLIEST_SESSION.year} onwards")
    not_in_future("The session date cannot be in the future: record a session once it has been held")(form, field)


@dataclass
class Setup:
    """A checked choice of worker, kind, date, cases and attendees (and the booking it came from)."""

    worker: Staff
    kind: str
    held_on: date
    cases: list[Case] = field(default_factory=list)
    attendees: list[Staff] = field(default_factory=list)
    booking: Booking | None = None

    def args(self) -> dict[str, Any]:
        """The query string that carries this setup to the record form."""
        values: dict[str, Any] = {"worker": self.worker.id, "kind": self.kind, "held_on": self.held_on.isoformat()}
        if self.cases:
            values["case"] = [c.id for c in self.cases]
        if self.attendees:
            values["attendee"] = [p.id for p in self.attendees]
        if self.booking is not None:
            values["booking"] = self.booking.id
        return values


def booking_args(booking: Booking) -> MultiDict[str, Any]:
    """A booking's worker, kind, date, cases and attendees as if they had been chosen on the setup form."""
    values: MultiDict[str, Any] = MultiDict([
        ("worker", str(booking.worker_id)), ("kind", booking.kind), ("booking", str(booking.id)),
        ("held_on", booking.starts_at.astimezone(LONDON).date().isoformat()), ("step", "cases")])
    for case in booking.cases:
        values.add("case", str(case.id))
    for person in booking.attendees:
        values.add("attendee", str(person.id))
    return values


def recorded_booking(booking_id: int | None) -> SupervisionRecord | None:
    """The record already written for a booking: a second submit must not write another (one per booking)."""
    if not booking_id:
        return None
    return db.session.scalar(select(SupervisionRecord).where(SupervisionRecord.booking_id == booking_id))


class SetupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only chooses what the record form shows

    worker = SelectField("Worker supervised", coerce=id_number, validate_choice=False,
                         validators=[InputRequired("Select the worker supervised")])
    kind = SelectField("Kind of supervision", validate_choice=False,
                       choices=[("", "Select the kind"), *KIND_LABELS.items()])
    held_on = DateInputField("Date held", validators=[InputRequired("Enter the date the session was held"),
                                                    session_date_rules])
    case = SelectMultipleField("Cases discussed", coerce=id_number, validate_choice=False)
    attendee = SelectMultipleField("Who else attended", coerce=id_number, validate_choice=False)
    booking = IdField("Booking", validators=[Optional()])
    step = HiddenField()

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.workers = queries.supervisable_workers(user)
        self.worker.choices = [(0, "Select a worker")] + [(w.id, f"{w.name} ({w.team.name})") for w in self.workers]
        self.chosen_worker: Staff | None = None
        self.candidate_cases: list[Case] = []
        self.candidate_attendees: list[Staff] = []
        self.needs_cases = False
        self.setup: Setup | None = None

    def validate_worker(self, field: SelectField) -> None:
        person = db.session.get(Staff, field.data) if field.data else None
        if person is None:
            raise ValidationError("Select the worker supervised")
        if not can("supervise", person, self.user):
            raise ValidationError("You can only write records for people you supervise")
        if person.id == self.user.id:
            raise ValidationError("You cannot record your own supervision: your manager records it")
        if not person.active:
            raise ValidationError(f"{person.name} has left: records can only be written for active staff")
        self.chosen_worker = person

    def validate_kind(self, field: SelectField) -> None:
        if field.data not in KIND_LABELS:
            raise ValidationError("Select personal, case or group supervision")

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        worker, kind, held_on = self.chosen_worker, self.kind.data or "", self.held_on.data
        if worker is None or kind not in KIND_LABELS or held_on is None or self.held_on.errors:
            return False
        if held_on < worker.start_date:  # issue 9 item 10: nobody is supervised before they start
            self.held_on.errors = [*self.held_on.errors,
                                   f"{worker.name} started on {worker.start_date:%-d %B %Y}: enter a date from then"]
            return False
        booking = self._check_booking(worker, kind)
        if kind == "personal":
            self.setup = Setup(worker, kind, held_on, booking=booking)
            return valid and not self.booking.errors
        self.candidate_cases = queries.candidate_cases(self.user, kind, worker, held_on)
        if kind == "group":
            self.candidate_attendees = [w for w in self.workers if w.id != worker.id]
        cases = self._check_cases(worker, kind, held_on)
        attendees = self._check_attendees(worker) if kind == "group" else []
        if not cases and not self.case.errors:
            if self.step.data:
                self.case.errors.append("Select at least one case discussed")
            self.needs_cases = True
            return False
        if not valid or self.case.errors or self.attendee.errors or self.booking.errors:
            return False
        self.setup = Setup(worker, kind, held_on, cases, attendees, booking)
        return True

    def _check_cases(self, worker: Staff, kind: str, held_on: date) -> list[Case]:
        ids = list(dict.fromkeys(self.case.data or []))
        found = queries.cases_by_id(ids)
        errors = self.case.errors = list(self.case.errors)
        if len(found) != len(ids):
            errors.append("One or more of the chosen cases does not exist")
            return []
        if queries.reachable_case_ids(self.user, ids) != set(ids):
            errors.append("One or more of the chosen cases is not in the teams you manage")
            return []
        cases = sorted(found.values(), key=lambda c: c.case_ref)
        for case in cases:
            if kind == "case" and case.worker_id != worker.id:
                errors.append(f"Case {case.case_ref} is not allocated to {worker.name}: "
                              "use group supervision to discuss several workers' cases")
            elif case.closed_on is not None and case.closed_on <= held_on:
                errors.append(f"Case {case.case_ref} was closed on {case.closed_on:%-d %B %Y}: "
                              "only open cases can be discussed")
            elif case.allocated_on > held_on:
                errors.append(f"Case {case.case_ref} was allocated on {case.allocated_on:%-d %B %Y}, "
                              "after this session")
        return [] if errors else cases

    def _check_attendees(self, worker: Staff) -> list[Staff]:
        allowed = {p.id: p for p in self.candidate_attendees}
        chosen = [i for i in dict.fromkeys(self.attendee.data or []) if i != worker.id]
        errors = self.attendee.errors = list(self.attendee.errors)
        for person_id in chosen:
            if person_id not in allowed:
                person = db.session.get(Staff, person_id)
                left = person is not None and not person.active and can("supervise", person, self.user)
                errors.append(f"{person.name} has left: list only active staff" if left and person else
                              "One or more attendees is not in the teams you manage")
                return []
        return [allowed[i] for i in chosen]

    def _check_booking(self, worker: Staff, kind: str) -> Booking | None:
        if not self.booking.data or self.booking.errors:
            return None
        booking = db.session.get(Booking, self.booking.data)
        errors = self.booking.errors = list(self.booking.errors)
        if booking is None or booking.supervisor_id != self.user.id or booking.worker_id != worker.id:
            errors.append(f"This booking is not one of your sessions with {worker.name}")
        elif booking.status == "cancelled":
            errors.append("This booking was cancelled: record the session without it")
        elif booking.kind != kind:
            errors.append(f"This booking is for {KIND_LABELS[booking.kind].lower()}")
        elif booking.starts_at.astimezone(LONDON).date() > today():
            errors.append("This session has not happened yet: record it on or after the day it is held")
        return None if errors else booking

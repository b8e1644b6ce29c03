"""Booking forms. The rules themselves live in ``services``; the forms put each message next to its field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from teamops.access import can, staff_in_reach
from teamops.bookings import services
from teamops.bookings.models import KIND_LABELS
from teamops.cases.models import Case
from teamops.dates import EVENT_YEARS, today
from teamops.extensions import db
from teamops.forms import DateInputField, whole_number, year_between
from teamops.org.models import Staff

REASON_MAX = 500
LOCATION_MAX = 200


class IdListField(Field):
    """The ids of the ticked checkboxes. Anything but whole numbers is refused, not coerced."""

    data: list[int]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = []
        for value in valuelist:
            number = whole_number(value)
            if number < 0:
                raise ValueError("Choose from the list")
            if number not in self.data:
                self.data.append(number)

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])


class MinutesField(IntegerField):
    """Whole minutes, with a plain message for anything else."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            text = str(valuelist[0]).strip()
            if not text.isdigit() or len(text) > 6:
                raise ValueError("Enter the length as a whole number of minutes, for example 60")
            self.data = int(text)


def _session_date() -> Any:
    return DateInputField("Date", validators=[InputRequired("Enter the date of the session"),
                                            year_between(EVENT_YEARS)])


def _start_time() -> Any:
    return StringField("Start time", validators=[InputRequired("Enter the start time")])


def _duration() -> Any:
    return MinutesField("Length in minutes", validators=[
        InputRequired("Enter the length in minutes"),
        NumberRange(services.MIN_MINUTES, services.MAX_MINUTES,
                    f"Enter a length between {services.MIN_MINUTES} and {services.MAX_MINUTES} minutes")])


class SessionTimeForm(FlaskForm):
    """Date, start time and length, shared by booking and rescheduling. ``starts_at`` is the UTC instant.

    WTForms orders fields by when they were created, and the error summary follows that order; a form that
    asks something first declares it first and then makes these fields afresh (the ``_session_*`` factories)
    so the summary lists problems in the order of the page."""

    session_date = _session_date()
    start_time = _start_time()
    duration_minutes = _duration()
    confirm_clash = BooleanField("Book anyway")

    starts_at: datetime | None = None

    def validate_start_time(self, field: StringField) -> None:
        try:
            services.parse_time(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.session_date.errors or self.start_time.errors or self.session_date.data is None:
            return False
        try:
            starts_at = services.session_start(self.session_date.data,
                                               services.parse_time(self.start_time.data or ""))
            services.check_in_future(self.session_date.data, starts_at)
        except services.SessionTimeError as error:
            self[error.field].errors.append(str(error))
            return False
        self.starts_at = starts_at
        return valid


class BookingForm(SessionTimeForm):
    kind = SelectField("Kind of supervision", choices=list(KIND_LABELS.items()), default="case",
                       validators=[DataRequired("Select the kind of supervision")])
    worker_id = SelectField("Worker", coerce=whole_number, validate_choice=False)
    session_date = _session_date()
    start_time = _start_time()
    duration_minutes = _duration()
    location = StringField("Place", validators=[Length(max=LOCATION_MAX)])
    online = BooleanField("Online (video call)")
    attendee_ids = IdListField("Other attendees")  # before the cases: a group discusses its attendees' cases too
    case_ids = IdListField("Cases to discuss")

    def __init__(self, *args: Any, supervisor: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor
        self.people = list(db.session.scalars(
            staff_in_reach(supervisor).where(Staff.active.is_(True), Staff.id != supervisor.id,
                                             Staff.start_date <= today())
            .order_by(Staff.name)))
        self.worker_id.choices = [(0, "Select a worker")] + [(p.id, p.name) for p in self.people]
        self.worker: Staff | None = None
        self.cases: list[Case] = []
        self.attendees: list[Staff] = []

    def chosen_worker(self) -> Staff | None:
        """The worker named in the form if they are someone this manager may book; no messages."""
        person = db.session.get(Staff, self.worker_id.data) if (self.worker_id.data or 0) > 0 else None
        return person if person is not None and person.active and person.id != self.supervisor.id \
            and person.start_date <= today() and can("supervise", person, user=self.supervisor) else None

    def validate_worker_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Select the worker")
        person = db.session.get(Staff, field.data) if field.data > 0 else None
        if person is None:
            raise ValidationError("Select a worker from the list")
        if person.id == self.supervisor.id:
            raise ValidationError("You cannot book a supervision session with yourself")
        if not can("supervise", person, user=self.supervisor):
            raise ValidationError("You can only book sessions with people you supervise")
        if not person.active:
            raise ValidationError(f"{person.name} has left: choose someone who is still active")
        if person.start_date > today():  # issue 9 item 10: not offered for booking before they start
            raise ValidationError(f"{person.name} starts on {person.start_date:%-d %B %Y}: book them once they "
                                  "have started")
        self.worker = person

    def validate_location(self, field: StringField) -> None:
        if not self.online.data and not (field.data or "").strip():
            raise ValidationError("Enter the place, or tick online")

    def validate_case_ids(self, field: IdListField) -> None:
        if self.worker is None or self.kind.data not in KIND_LABELS:
            return
        try:
            self.cases = services.chosen_cases(self.kind.data, self.worker, field.data, self.attendees)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_attendee_ids(self, field: IdListField) -> None:
        if self.worker is None or self.kind.data not in KIND_LABELS:
            return
        try:
            self.attendees = services.chosen_attendees(self.kind.data, self.supervisor, self.worker, field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def ticked_attendees(self) -> list[Staff]:
        """The people ticked as attendees, of those this manager may book (the picker lists their cases); no
        messages: the checks are the form's."""
        ticked = set(self.attendee_ids.data or [])
        return [person for person in self.people if person.id in ticked and person.id != self.worker_id.data]


class RescheduleForm(SessionTimeForm):
    reason = StringField("Reason for the change", validators=[
        DataRequired("Enter the reason for moving the session"), Length(max=REASON_MAX)])


class CancelForm(FlaskForm):
    reason = StringField("Reason for cancelling", validators=[
        DataRequired("Enter the reason for cancelling"), Length(max=REASON_MAX)])


class BookingFilterForm(FlaskForm):
    class Meta:
        csrf = False

    show = SelectField("Show", choices=list(services.SHOWS.items()), default="upcoming", validators=[Optional()])

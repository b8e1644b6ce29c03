"""The network form (details and the friendly meeting pattern: nobody types an RRULE), listing a contact, and
cancelling or moving one meeting. Messages sit next to their field; the form keeps what was typed."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from teamops.dates import EVENT_YEARS
from teamops.directory import recurrence
from teamops.directory.models import (
    CONTACT_ROLES,
    LINK_MAX,
    LONG_MAX,
    NAME_MAX,
    NETWORK_KINDS,
    SHORT_MAX,
    Network,
)
from teamops.directory.networks import NOT_AGREED, Details, Schedule, schedule_of
from teamops.forms import DateInputField, WebLink, WholeNumberField, not_in_future, year_between
from teamops.org.models import EMAIL_MAX

NO_PATTERN = "none"
FREQUENCY_CHOICES = [(NO_PATTERN if code == "" else code, label) for code, label in recurrence.FREQUENCIES.items()]
WEEKDAY_CHOICES = [("", "Choose a weekday"), *((str(n), name) for n, name in enumerate(recurrence.WEEKDAY_NAMES))]
POSITION_CHOICES = [(str(n), word.capitalize()) for n, word in recurrence.POSITIONS.items()]
MONTH_CHOICES = [(str(n), name) for n, name in enumerate(recurrence.MONTH_NAMES, start=1)]
CANCEL, MOVE = "cancel", "move"


def _length(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"Keep {what} to {limit:,} characters")


def _time(field: StringField) -> time | None:
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return recurrence.parse_time(text)
    except ValueError as error:
        field.errors = [*field.errors, str(error)]
        return None


class NetworkForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the network's name"), _length(NAME_MAX, "the name")])
    kind = RadioField("What it is", choices=list(NETWORK_KINDS.items()),
                      validators=[InputRequired("Choose whether it is a staff network, a group or a scheme")])
    purpose = TextAreaField("What it is for", validators=[_length(LONG_MAX, "what it is for")])
    audience = StringField("Who it is for", validators=[_length(SHORT_MAX, "who it is for")])
    mailbox = EmailField("Shared mailbox (optional)", validators=[
        Optional(), Email("Enter an e-mail address like name@example.org"), Length(max=EMAIL_MAX)])
    link = StringField("Intranet page (optional)", validators=[WebLink(), _length(LINK_MAX, "the web address")])
    place = StringField("Where it meets", validators=[_length(SHORT_MAX, "where it meets")])
    online = BooleanField("Meetings can be joined online")
    notes = TextAreaField("Notes", validators=[_length(LONG_MAX, "the notes")])
    frequency = RadioField("How often it meets", choices=FREQUENCY_CHOICES, default=NO_PATTERN,
                           validators=[InputRequired("Choose how often it meets")])
    interval = WholeNumberField("Every how many weeks or months", default=1,
                                invalid="Enter a whole number of weeks or months, like 2")
    weekday = SelectField("Weekday", choices=WEEKDAY_CHOICES, default="")
    position = RadioField("Which one in the month", choices=POSITION_CHOICES, validate_choice=False)
    month_day = WholeNumberField("Day of the month", invalid="Enter a day of the month from 1 to 31")
    months = SelectMultipleField("Only in these months (optional)", choices=MONTH_CHOICES, validate_choice=False)
    first_on = DateInputField("First date", validators=[year_between(EVENT_YEARS)])
    until = DateInputField("End date (optional)", validators=[year_between(EVENT_YEARS)])
    start_time = StringField("Start time")
    end_time = StringField("End time")

    def __init__(self, *args: Any, network: Network | None = None, **kwargs: Any) -> None:
        if network is not None and "data" not in kwargs:
            kwargs["data"] = self.values_of(network)
        super().__init__(*args, **kwargs)
        self.network = network
        self.schedule = Schedule()

    @staticmethod
    def values_of(network: Network) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": network.name, "kind": network.kind, "purpose": network.purpose, "audience": network.audience,
            "mailbox": network.mailbox, "link": network.link, "place": network.place, "online": network.online,
            "notes": network.notes, "frequency": NO_PATTERN}
        try:
            schedule = schedule_of(network)
        except ValueError:
            return values  # a rule made outside the form: choosing a pattern replaces it
        pattern = schedule.pattern
        if pattern is not None:
            values.update(
                frequency=pattern.frequency, interval=pattern.interval,
                weekday="" if pattern.weekday is None else str(pattern.weekday),
                position=None if pattern.position is None else str(pattern.position), month_day=pattern.month_day,
                months=[str(month) for month in pattern.months], first_on=schedule.first_on, until=schedule.until,
                start_time=f"{schedule.starts_at:%H:%M}" if schedule.starts_at else "",
                end_time=f"{schedule.ends_at:%H:%M}" if schedule.ends_at else "")
        return values

    def details(self) -> Details:
        return Details(name=self.name.data or "", kind=self.kind.data or "network", purpose=self.purpose.data or "",
                       audience=self.audience.data or "", mailbox=self.mailbox.data, link=self.link.data,
                       place=self.place.data or "", online=bool(self.online.data), notes=self.notes.data or "")

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.frequency.data == NO_PATTERN or self.frequency.errors:
            return valid
        pattern = self._pattern()
        starts_at, ends_at = self._required_time(self.start_time), self._required_time(self.end_time)
        if self.first_on.data is None and not self.first_on.errors:
            self.first_on.errors = [*self.first_on.errors, "Enter the first date"]
        if pattern is None or starts_at is None or ends_at is None or self.first_on.data is None \
                or self.until.errors:
            return False
        try:
            recurrence.check(pattern, self.first_on.data, self.until.data, starts_at, ends_at)
        except recurrence.PatternProblem as problem:
            field = getattr(self, {"ends_at": "end_time"}.get(problem.field, problem.field))
            field.errors = [*field.errors, problem.message]
            return False
        self.schedule = Schedule(pattern, self.first_on.data, self.until.data, starts_at, ends_at)
        return valid

    def _required_time(self, field: StringField) -> time | None:
        if not (field.data or "").strip():
            field.errors = [*field.errors, f"Enter the {field.label.text.lower()}"]
            return None
        return _time(field)

    def _pattern(self) -> recurrence.Pattern | None:
        frequency = self.frequency.data or ""
        interval = self.interval.data if self.interval.data is not None else 1
        if self.interval.errors:
            return None
        if not 1 <= interval <= recurrence.MOST_INTERVAL:
            self.interval.errors = [f"Enter a number from 1 to {recurrence.MOST_INTERVAL}"]
            return None
        months = tuple(int(month) for month in self.months.data or [] if month.isdigit() and 1 <= int(month) <= 12)
        if len(months) != len(self.months.data or []):
            self.months.errors = ["Choose months from the list"]
            return None
        weekday = int(self.weekday.data) if (self.weekday.data or "") in {"0", "1", "2", "3", "4", "5", "6"} else None
        if frequency in (recurrence.WEEKLY, recurrence.MONTHLY_WEEKDAY) and weekday is None:
            self.weekday.errors = ["Choose the weekday it meets on"]
            return None
        if frequency == recurrence.WEEKLY:
            return recurrence.Pattern(frequency, interval, weekday, months=months)
        if frequency == recurrence.MONTHLY_WEEKDAY:
            positions = {str(n): n for n in recurrence.POSITIONS}
            if self.position.data not in positions:
                self.position.errors = ["Choose which one in the month: the first, second, third, fourth, fifth "
                                        "or last"]
                return None
            return recurrence.Pattern(frequency, interval, weekday, positions[self.position.data], months=months)
        if self.month_day.errors:
            return None
        if self.month_day.data is None or not 1 <= self.month_day.data <= 31:
            self.month_day.errors = ["Enter a day of the month from 1 to 31"]
            return None
        return recurrence.Pattern(frequency, interval, month_day=self.month_day.data, months=months)


class ContactForm(FlaskForm):
    """A member of staff listed as a contact: only with their agreement, and the day they gave it."""

    email = EmailField("Their work e-mail", validators=[
        DataRequired("Enter their work e-mail"), Email("Enter an e-mail address like name@example.org"),
        Length(max=EMAIL_MAX)])
    role = RadioField("Their role", choices=list(CONTACT_ROLES.items()),
                      validators=[InputRequired("Choose their role")])
    agreed = BooleanField("They agreed to be listed as a contact")
    agreed_on = DateInputField("Date they agreed", validators=[
        year_between(EVENT_YEARS), not_in_future("The date they agreed cannot be in the future")])

    def validate_agreed(self, field: BooleanField) -> None:
        if not field.data:
            raise ValidationError(NOT_AGREED)

    def validate_agreed_on(self, field: DateInputField) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date they agreed to be listed")


class ExceptionForm(FlaskForm):
    """One meeting cancelled, or moved to another day and time."""

    original_on = DateInputField("Date of the meeting", validators=[
        InputRequired("Enter the date of the meeting that changes"), year_between(EVENT_YEARS)])
    change = RadioField("What happens", choices=[(CANCEL, "It is cancelled"), (MOVE, "It moves")],
                        validators=[InputRequired("Choose whether it is cancelled or moves")])
    moved_on = DateInputField("New date, if it moves", validators=[year_between(EVENT_YEARS)])
    moved_start = StringField("New start time (optional)")
    moved_end = StringField("New end time (optional)")
    note = StringField("Note (optional)", validators=[_length(SHORT_MAX, "the note")])

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        self.starts_at, self.ends_at = _time(self.moved_start), _time(self.moved_end)
        if self.change.data == MOVE and self.moved_on.data is None and not self.moved_on.errors:
            self.moved_on.errors = [*self.moved_on.errors, "Enter the date it moves to"]
        return valid and not (self.moved_start.errors or self.moved_end.errors or self.moved_on.errors)

    @property
    def moves_to(self) -> date | None:
        return self.moved_on.data if self.change.data == MOVE else None

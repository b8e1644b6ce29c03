"""Naming a buddy or a shadowing host, logging a check-in, and answering a buddy's concern."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from teamops.dates import EVENT_YEARS
from teamops.forms import LONG_TEXT, DateInputField, not_in_future, year_between
from teamops.induction.buddy_models import CHECKIN_MODES, DOING, RESPONSE_MAX
from teamops.induction.models import REASON_MAX
from teamops.org.models import EMAIL_MAX

ELSE = "else"
LONG = f"Keep it to {LONG_TEXT:,} characters"


class ChooseForm(FlaskForm):
    """A buddy or host: one of the suggestions, or someone else by work e-mail, and a reason when they work in
    another service."""

    choice = RadioField("Choose", validate_choice=False)
    email = StringField("Work e-mail of someone else",
                        validators=[Optional(), Length(max=EMAIL_MAX, message="Enter a work e-mail address")])
    reason = StringField("Reason, for a colleague from another service",
                         validators=[Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX} characters")])

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice.choices = [*choices, (ELSE, "Someone else")]

    def validate_choice(self, field: RadioField) -> None:
        allowed = {value for value, _ in self.choice.choices}
        if field.data not in allowed:
            raise ValidationError("Choose a colleague, or someone else by e-mail")
        if field.data == ELSE and not (self.email.data or "").strip():
            self.email.errors = [*self.email.errors, "Enter the work e-mail of who you choose"]


class CheckinForm(FlaskForm):
    held_on = DateInputField("Date of the check-in", validators=[
        InputRequired("Enter the date of the check-in"), year_between(EVENT_YEARS),
        not_in_future("The check-in cannot be in the future")])
    mode = RadioField("How", choices=list(CHECKIN_MODES.items()), validators=[InputRequired("Select how you met")])
    doing = RadioField("How are they doing?", choices=[(str(k), v) for k, v in DOING.items()],
                       validators=[InputRequired("Select how they are doing")])
    notes = TextAreaField("Notes", validators=[Length(max=LONG_TEXT, message=LONG)])
    raise_concern = BooleanField("Raise a concern with the manager")
    concern = TextAreaField("The concern", validators=[Length(max=LONG_TEXT, message=LONG)])

    def __init__(self, *args: Any, starts_on: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starts_on = starts_on

    def validate_held_on(self, field: DateInputField) -> None:
        if field.data and self.starts_on and field.data < self.starts_on:
            raise ValidationError(f"The induction starts on {self.starts_on:%-d %B %Y}: enter that date or later")

    def validate_concern(self, field: TextAreaField) -> None:
        if self.raise_concern.data and not (field.data or "").strip():
            raise ValidationError("Say what the concern is, for the manager")


class SeenForm(FlaskForm):
    response = TextAreaField("Your response (optional)", validators=[
        Length(max=RESPONSE_MAX, message=f"Keep the response to {RESPONSE_MAX} characters")])

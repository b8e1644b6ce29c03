"""The forms of the dip samples pages: the month (and QAIT's service), picking records, rating a sample."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from teamops.forms import WholeNumberField, id_number
from teamops.org.models import Service
from teamops.quality.dips import MOST_AT_ONCE
from teamops.quality.models import DIP_COMMENTS_MAX, RATINGS, RUBRIC


class DipMonthForm(FlaskForm):
    """The month the page shows (and, for QAIT, the service): a GET form, so the address can be shared."""

    class Meta:
        csrf = False

    month = StringField("Month", validators=[Optional()])
    service = SelectField("Service", coerce=id_number, validators=[Optional()], validate_choice=False)

    def __init__(self, *args: Any, services: Iterable[Service] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [(0, "All services")] + [(service.id, service.name) for service in services]


class RandomPickForm(FlaskForm):
    """How many of the team's records of the month to pick at random."""

    count = WholeNumberField("How many records to pick at random", validators=[
        InputRequired(f"Enter how many records to pick, from 1 to {MOST_AT_ONCE}"),
        NumberRange(1, MOST_AT_ONCE, f"Enter how many records to pick, from 1 to {MOST_AT_ONCE}")])


class ChosenPickForm(FlaskForm):
    """The records chosen from the month's list."""

    records = SelectMultipleField("Records to sample", coerce=id_number, validate_choice=False,
                                  validators=[InputRequired("Select the records to sample")])


class CountedLength(Length):
    """A most-characters rule whose message says how many were typed (the text stays in the box)."""

    def __call__(self, form: Any, field: Field) -> None:
        typed = len(field.data or "")
        if typed > self.max:
            raise ValidationError(f"{self.message} (you typed {typed:,})")


RATING_PREFIX = "rating_"


def rating_message(criterion: str) -> str:
    return f"Select met, partly met or not met for “{RUBRIC[criterion]}”"


class RatingForm(FlaskForm):
    """One rating per criterion of the rubric (each required), and comments to the supervisor."""

    comments = TextAreaField("Comments to the supervisor (optional)", validators=[CountedLength(
        max=DIP_COMMENTS_MAX, message=f"Comments must be {DIP_COMMENTS_MAX:,} characters or fewer")])

    def rating_fields(self) -> list[tuple[str, RadioField]]:
        return [(criterion, getattr(self, f"{RATING_PREFIX}{criterion}")) for criterion in RUBRIC]

    def ratings(self) -> dict[str, str]:
        return {criterion: field.data or "" for criterion, field in self.rating_fields()}


def _rating_field(criterion: str) -> RadioField:
    message = rating_message(criterion)

    def known(form: Any, field: Field) -> None:
        if field.data not in RATINGS:
            raise ValidationError(message)

    return RadioField(RUBRIC[criterion], choices=list(RATINGS.items()), validate_choice=False,
                      validators=[InputRequired(message), known])


for _criterion in RUBRIC:
    setattr(RatingForm, f"{RATING_PREFIX}{_criterion}", _rating_field(_criterion))


def rating_form(ratings: dict[str, str], comments: str, formdata: Any = None) -> RatingForm:
    """The rating form filled with what was saved; with ``formdata``, with what was just sent alone (a rating
    left out is missing, never the one saved before)."""
    if formdata is not None:
        return RatingForm(formdata=formdata)
    data: dict[str, Any] = {f"{RATING_PREFIX}{criterion}": value for criterion, value in ratings.items()}
    data["comments"] = comments
    return RatingForm(formdata=None, data=data)

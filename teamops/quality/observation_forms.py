"""The form for recording an observation of practice (R-QA-7)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from teamops.dates import EVENT_YEARS
from teamops.forms import CountedLength, DateInputField, not_in_future, year_between
from teamops.org.models import Staff
from teamops.quality.models import OBSERVATION_FEEDBACK_MAX, OBSERVATION_SETTINGS


class ObservationForm(FlaskForm):
    observed_on = DateInputField("Day observed", validators=[
        InputRequired("Enter the day you observed their practice"), year_between(EVENT_YEARS),
        not_in_future("The day observed cannot be in the future")])
    setting = RadioField("Where you observed their practice", choices=list(OBSERVATION_SETTINGS.items()),
                         validators=[DataRequired("Select where you observed their practice")])
    feedback = TextAreaField("Feedback you gave", validators=[
        DataRequired("Say what feedback you gave"), CountedLength(max=OBSERVATION_FEEDBACK_MAX)])

    def __init__(self, *args: Any, worker: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker

    def validate_observed_on(self, field: DateInputField) -> None:
        if field.data is not None and field.data < self.worker.start_date:
            raise ValidationError(f"{self.worker.name} started on {self.worker.start_date:%-d %B %Y}: enter a day "
                                  "from then")

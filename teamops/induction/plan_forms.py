"""The forms that open, re-plan and cancel a person's induction."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from teamops.dates import START_YEARS
from teamops.extensions import db
from teamops.forms import DateInputField, whole_number, year_between
from teamops.induction.models import REASON_MAX, Induction
from teamops.induction.template_models import JOB_GROUPS, InductionTemplate
from teamops.org.models import Staff

JOB_GROUP_HINTS = {
    "front_line": "Social workers, family workers, practitioners: shadowing and case items",
    "business_support": "Business support and administration: office items",
    "manager": "Team managers and above: the new managers' items",
}


def _template_choices() -> list[tuple[int, str]]:
    templates = db.session.scalars(select(InductionTemplate).where(InductionTemplate.active.is_(True))
                                   .order_by(InductionTemplate.kind.desc(), InductionTemplate.name))
    return [(0, "Select a timetable"),
            *((t.id, f"{t.name} ({t.length_days} working day{'s' if t.length_days != 1 else ''})")
              for t in templates)]


class _PlanFields(FlaskForm):
    template_id = SelectField("Timetable", coerce=whole_number, validate_choice=False)
    start_date = DateInputField("Start date", validators=[InputRequired("Enter the start date"),
                                                          year_between(START_YEARS)])
    job_group = RadioField("Checklist for", choices=list(JOB_GROUPS.items()),
                           validators=[InputRequired("Select who the checklist is for")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_id.choices = _template_choices()
        self.chosen: InductionTemplate | None = None

    def validate_template_id(self, field: SelectField) -> None:
        template = db.session.get(InductionTemplate, field.data) if field.data and field.data > 0 else None
        if template is None or not template.active:
            raise ValidationError("Select a timetable")
        self.chosen = template


class OpenInductionForm(_PlanFields):
    """A manager opens an induction by hand: an internal move (the shorter timetable), or a start the staff
    form or import did not open (R-IND-15)."""

    staff_id = SelectField("Who is starting", coerce=whole_number, validate_choice=False)

    def __init__(self, *args: Any, people: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.id: person for person in people}
        self.staff_id.choices = [(0, "Select a person"),
                                 *((p.id, f"{p.name}, {p.team.name}") for p in people)]
        self.person: Staff | None = None

    def validate_staff_id(self, field: SelectField) -> None:
        person = self.people.get(field.data or 0)
        if person is None:
            raise ValidationError("Select someone you supervise")
        current = db.session.scalar(select(Induction).where(
            Induction.staff_id == person.id, Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None)))
        if current is not None:
            raise ValidationError(f"{person.name} already has an induction open (from {current.starts_on:%-d %B %Y}): "
                                  "change its plan instead")
        self.person = person


class PlanForm(_PlanFields):
    """A new start date, timetable or checklist group for an open induction."""


class CancelForm(FlaskForm):
    reason = StringField("Why is the induction cancelled?",
                         validators=[DataRequired("Say why the induction is cancelled"),
                                     Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX} characters")])


class StartersForm(FlaskForm):
    """The new starters report's filter (a GET form): who started on or after this date."""

    since = DateInputField("Started on or after", validators=[Optional(), year_between(START_YEARS)])

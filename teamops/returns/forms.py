"""The forms of the returns pages: the month picker, the manager's commentary, QAIT's decision and chase."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from teamops.forms import id_number
from teamops.org.models import Service
from teamops.returns.figures import WorkerLine
from teamops.returns.models import (
    ACCEPTED,
    DECISION_COMMENT_MAX,
    RETURNED,
    TEAM_COMMENTARY_MAX,
    WORKER_COMMENTARY_MAX,
)


class MonthForm(FlaskForm):
    """The month (and, for QAIT, the service) a list shows: a GET form, so the address can be shared."""

    class Meta:
        csrf = False

    month = StringField("Month reported", validators=[Optional()])
    service = SelectField("Service", coerce=id_number, validators=[Optional()], validate_choice=False)

    def __init__(self, *args: Any, services: Iterable[Service] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [(0, "All services")] + [(service.id, service.name) for service in services]


NOTE_PREFIX = "note_"


class ReturnForm(FlaskForm):
    """The manager's commentary: one box per worker line (added per return) and one for the team."""

    team_commentary = TextAreaField("Commentary on the team's return", validators=[
        Length(max=TEAM_COMMENTARY_MAX,
               message=f"Keep the team's commentary to {TEAM_COMMENTARY_MAX:,} characters or fewer")])

    def note_fields(self) -> list[tuple[int, Field]]:
        return [(int(name.removeprefix(NOTE_PREFIX)), field) for name, field in self._fields.items()
                if name.startswith(NOTE_PREFIX)]

    def notes(self) -> dict[int, str]:
        return {staff_id: field.data or "" for staff_id, field in self.note_fields()}


def return_form(lines: list[WorkerLine], notes: dict[int, str], team_commentary: str) -> ReturnForm:
    """The commentary form for these lines, filled with what was saved (or what was just typed)."""

    class Form(ReturnForm):
        pass

    for line in lines:
        setattr(Form, f"{NOTE_PREFIX}{line.staff_id}", TextAreaField(
            f"Commentary on {line.name}'s figures", validators=[Length(
                max=WORKER_COMMENTARY_MAX,
                message=f"Keep the commentary on {line.name} to {WORKER_COMMENTARY_MAX:,} characters or fewer")]))
    data: dict[str, Any] = {f"{NOTE_PREFIX}{staff_id}": text for staff_id, text in notes.items()}
    data["team_commentary"] = team_commentary
    return Form(data=data)


class DecisionForm(FlaskForm):
    """QAIT accepts a submitted return, or returns it with what to change."""

    decision = RadioField("What do you want to do with this return?",
                          choices=[(ACCEPTED, "Accept it"), (RETURNED, "Return it to the team to change")],
                          validate_choice=False, validators=[InputRequired("Select accept or return")])
    comment = TextAreaField("Comment for the team", validators=[
        Length(max=DECISION_COMMENT_MAX, message=f"Keep the comment to {DECISION_COMMENT_MAX:,} characters or fewer")])

    def validate_decision(self, field: RadioField) -> None:
        if field.data not in (ACCEPTED, RETURNED):
            raise ValidationError("Select accept or return")

    def validate_comment(self, field: TextAreaField) -> None:
        if self.decision.data == RETURNED and not (field.data or "").strip():
            raise ValidationError("Say what the team needs to change before you return it")


class ChaseForm(FlaskForm):
    """QAIT chases the late teams it selected for a month."""

    month = StringField("Month", validators=[InputRequired("Choose the month to chase")])
    teams = SelectMultipleField("Teams to chase", coerce=id_number, validate_choice=False,
                                validators=[InputRequired("Select the late teams to chase")])

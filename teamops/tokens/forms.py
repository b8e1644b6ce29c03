"""The form that makes an API token, and the admin list's search."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from teamops.api.tokens import LABEL_MAX, expiry_problem
from teamops.dates import utcnow
from teamops.forms import DateInputField
from teamops.org.models import Staff
from teamops.tokens.services import working_label_taken


class NewTokenForm(FlaskForm):
    """A label is required here (the command line allows none): the list is how its owner tells tokens apart."""

    label = StringField("What is the token for?", filters=[lambda text: text.strip() if text else text], validators=[
        DataRequired("Enter what the token is for"),
        Length(max=LABEL_MAX, message=f"Labels are {LABEL_MAX} characters or fewer")])
    expires_on = DateInputField("Expiry date (optional)", validators=[Optional()])

    def __init__(self, *args: Any, staff: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._staff = staff

    def validate_label(self, field: StringField) -> None:
        if working_label_taken(self._staff, field.data or "", utcnow()):
            raise ValidationError("You already have a working token with this label: choose another, or revoke "
                                  "that one first")

    def validate_expires_on(self, field: DateInputField) -> None:
        problem = expiry_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)


class TokenSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=100)])
    show = SelectField("Show", choices=[("working", "Working"), ("stopped", "Revoked or expired"), ("all", "All")],
                       default="working", validators=[Optional()])

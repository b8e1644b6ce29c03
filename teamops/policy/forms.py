from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from teamops.dates import DUE_YEARS, today
from teamops.forms import DateInputField, WholeNumberField, year_between


def not_in_past(form: FlaskForm, field: Field) -> None:
    if field.data and field.data < today():
        raise ValidationError("A change takes effect today or later: figures for past days keep the policy "
                              "that was in force then")


def _effective_from() -> Any:
    return DateInputField("Takes effect from", default=today, validators=[
        InputRequired("Enter the date the change takes effect, for example today"), not_in_past,
        year_between(DUE_YEARS)])


class CaseTypeForm(FlaskForm):
    label = StringField("Name", validators=[DataRequired("Enter the case type's name"), Length(max=60)])
    interval_count = WholeNumberField("Supervised at least every", invalid="Enter a whole number, for example 4",
                                      validators=[InputRequired("Enter a whole number, for example 4"),
                                                  NumberRange(1, 52, "Enter a whole number from 1 to 52")])
    interval_unit = SelectField("Unit", choices=[("weeks", "weeks"), ("months", "months")],
                                validators=[DataRequired("Select weeks or months")])
    first_due_on_allocation = BooleanField("First supervision is due on the day of allocation")
    source_note = StringField("Source of this rule", validators=[
        DataRequired("Say where the rule comes from, for example the practice standards"), Length(max=300)])
    effective_from = _effective_from()


def _months(label: str) -> WholeNumberField:
    return WholeNumberField(label, invalid="Enter a whole number of months, for example 2",
                            validators=[InputRequired("Enter a whole number of months"),
                                        NumberRange(1, 12, "Enter a whole number of months from 1 to 12")])


class SettingsForm(FlaskForm):
    case_cap_months = _months("Every case: at least every (months)")
    high_risk_cap_months = _months("High-risk cases: at least every (months)")
    personal_interval_months = _months("Personal supervision: every (months)")
    asye_interval_count = WholeNumberField("Personal supervision in the ASYE year: every",
                                           invalid="Enter a whole number, for example 1",
                                           validators=[InputRequired("Enter a whole number, for example 1"),
                                                       NumberRange(1, 52, "Enter a whole number from 1 to 52")])
    asye_interval_unit = SelectField("Unit", choices=[("weeks", "weeks"), ("months", "months")],
                                     validators=[DataRequired("Select weeks or months")])
    effective_from = _effective_from()

"""The forms of the audit rounds' pages: a grading scale, a round, the pick's size, one case added by its
reference, and an audit's buddy. Dates are typed in GOV.UK's three boxes; times in the 24-hour clock, UK time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from teamops.bookings.services import SessionTimeError, parse_time, session_start
from teamops.dates import EVENT_YEARS
from teamops.forms import DateInputField, WholeNumberField, id_number, whole_number
from teamops.org.models import Service, Staff
from teamops.quality.audit_models import (
    BRIEFING_PLACE_MAX,
    GRADE_LABEL_MAX,
    QUESTION_MAX,
    SCALE_NAME_MAX,
    THEME_MAX,
    GradeScale,
)
from teamops.quality.round_picks import MOST_PICKED, Auditor
from teamops.quality.rounds import (
    FEWEST_GRADES,
    MOST_GRADES,
    MOST_QUESTIONS,
    QUARTER_MONTHS,
    RoundDetails,
    quarter_start,
)


def lines(text: str | None) -> list[str]:
    """The lines of a box, trimmed, blank ones left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ScaleForm(FlaskForm):
    name = StringField("Name of the scale", validators=[
        DataRequired("Enter the scale's name"),
        Length(max=SCALE_NAME_MAX, message=f"Keep the name to {SCALE_NAME_MAX} characters or fewer")])
    grades = TextAreaField("Grades, best first", validators=[DataRequired("Enter the scale's grades, one a line")])
    active = RadioField("Offer it for new rounds?", choices=[("yes", "Yes"), ("no", "No, it is retired")],
                        default="yes", validate_choice=False)

    def validate_grades(self, field: TextAreaField) -> None:
        grades = lines(field.data)
        if not FEWEST_GRADES <= len(grades) <= MOST_GRADES:
            raise ValidationError(f"Give {FEWEST_GRADES} to {MOST_GRADES} grades, one a line "
                                  f"(you gave {len(grades)})")
        long = next((n for n, grade in enumerate(grades, start=1) if len(grade) > GRADE_LABEL_MAX), None)
        if long is not None:
            raise ValidationError(f"Grade {long} is longer than {GRADE_LABEL_MAX} characters: shorten it")
        seen: dict[str, int] = {}
        for n, grade in enumerate(grades, start=1):
            if grade.lower() in seen:
                raise ValidationError(f"Grades {seen[grade.lower()]} and {n} are the same: each grade once")
            seen[grade.lower()] = n

    def validate_active(self, field: RadioField) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Say whether the scale is offered for new rounds")

    def grade_list(self) -> list[str]:
        return lines(self.grades.data)


def _scale_label(scale: GradeScale) -> str:
    return f"{scale.name}: {', '.join(grade.label for grade in scale.grades)}"


class RoundForm(FlaskForm):
    """A round: its quarter, theme, services, due date, scale, questions and briefings."""

    year = WholeNumberField("Year", invalid="Enter the year as 4 numbers, for example 2027", validators=[
        InputRequired("Enter the year"),
        NumberRange(EVENT_YEARS[0], EVENT_YEARS[1] - 1,
                    f"Enter a year from {EVENT_YEARS[0]} to {EVENT_YEARS[1] - 1}")])
    quarter = RadioField("Quarter", choices=[(str(q), f"Q{q}: {months}") for q, months in QUARTER_MONTHS.items()],
                         validate_choice=False, validators=[InputRequired("Choose the quarter")])
    theme = StringField("Theme", validators=[
        DataRequired("Enter the round's theme"),
        Length(max=THEME_MAX, message=f"Keep the theme to {THEME_MAX} characters or fewer")])
    service_ids = SelectMultipleField("Services taking part", coerce=id_number, validate_choice=False,
                                      validators=[InputRequired("Choose at least one service taking part")])
    due_on = DateInputField("Audits due by", validators=[InputRequired("Enter the date the audits are due")])
    scale_id = SelectField("Grading scale", coerce=whole_number, validate_choice=False)
    questions = TextAreaField("Questions", validators=[DataRequired("Enter at least one question")])
    before_date = DateInputField("Briefing before the round (optional)", validators=[Optional()])
    before_time = StringField("Time of the briefing before (optional)")
    after_date = DateInputField("Briefing after the round (optional)", validators=[Optional()])
    after_time = StringField("Time of the briefing after (optional)")
    briefing_place = StringField("Where the briefings are (optional)", validators=[
        Length(max=BRIEFING_PLACE_MAX, message=f"Keep the place to {BRIEFING_PLACE_MAX} characters or fewer")])

    def __init__(self, *args: Any, services: Iterable[Service] = (), scales: Iterable[GradeScale] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_ids.choices = [(service.id, service.name) for service in services]
        self.scale_id.choices = [(scale.id, _scale_label(scale)) for scale in scales]
        self.briefing_before_at: datetime | None = None
        self.briefing_after_at: datetime | None = None

    def validate_quarter(self, field: RadioField) -> None:
        if field.data not in {str(q) for q in QUARTER_MONTHS}:
            raise ValidationError("Choose the quarter")

    def validate_service_ids(self, field: SelectMultipleField) -> None:
        offered = {value for value, _label in self.service_ids.choices}
        if not field.data or not set(field.data) <= offered:
            raise ValidationError("Choose at least one service taking part")

    def validate_scale_id(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.scale_id.choices}:
            raise ValidationError("Choose the grading scale")

    def validate_questions(self, field: TextAreaField) -> None:
        questions = lines(field.data)
        if not 1 <= len(questions) <= MOST_QUESTIONS:
            raise ValidationError(f"Give 1 to {MOST_QUESTIONS} questions, one a line (you gave {len(questions)})")
        long = next((n for n, text in enumerate(questions, start=1) if len(text) > QUESTION_MAX), None)
        if long is not None:
            raise ValidationError(f"Question {long} is longer than {QUESTION_MAX} characters: shorten it")

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if not (self.year.errors or self.quarter.errors or self.due_on.errors) and self.due_on.data is not None:
            starts = quarter_start(self.year.data or 0, int(self.quarter.data or 1))
            if self.due_on.data < starts:
                self.due_on.errors = [f"The due date must be on or after the quarter's first day, "
                                      f"{starts.day} {starts:%B %Y}"]
                valid = False
        self.briefing_before_at = self._briefing("before_date", "before_time")
        self.briefing_after_at = self._briefing("after_date", "after_time")
        if (self.briefing_before_at and self.briefing_after_at
                and self.briefing_after_at <= self.briefing_before_at):
            self.after_date.errors = [*self.after_date.errors, "The briefing after must be later than the one before"]
        return valid and not any(self[name].errors for name in ("before_date", "before_time", "after_date",
                                                                  "after_time"))

    def _briefing(self, day_name: str, time_name: str) -> datetime | None:
        day, at = self[day_name], self[time_name]
        if day.errors:
            return None
        text = (at.data or "").strip()
        if day.data is None and not text:
            return None
        if day.data is None:
            day.errors = [*day.errors, "Enter the date of the briefing, or clear its time"]
            return None
        if not text:
            at.errors = [*at.errors, "Enter the time of the briefing, for example 14:30"]
            return None
        try:
            return session_start(day.data, parse_time(text))
        except (ValueError, SessionTimeError) as error:
            at.errors = [*at.errors, str(error)]
            return None

    def details(self) -> RoundDetails:
        return RoundDetails(year=self.year.data or 0, quarter=int(self.quarter.data or 0),
                            theme=self.theme.data or "", service_ids=tuple(self.service_ids.data or ()),
                            due_on=self.due_on.data,  # type: ignore[arg-type]  # validated
                            scale_id=self.scale_id.data or 0, questions=tuple(lines(self.questions.data)),
                            briefing_before_at=self.briefing_before_at, briefing_after_at=self.briefing_after_at,
                            briefing_place=self.briefing_place.data or "")


class PickSizeForm(FlaskForm):
    """How many cases to offer (a GET form, so the offer has an address)."""

    class Meta:
        csrf = False

    n = WholeNumberField("Number of cases", invalid="Enter the number of cases as a whole number, for example 6",
                         validators=[Optional(), NumberRange(1, MOST_PICKED,
                                                             f"Enter a number from 1 to {MOST_PICKED}")])


class AddCaseForm(FlaskForm):
    case_ref = StringField("Case reference", validators=[
        DataRequired("Enter the case reference"), Length(max=32, message="A case reference is up to 32 characters")])
    auditor_id = SelectField("Auditor", coerce=whole_number, validate_choice=False,
                             validators=[InputRequired("Choose the auditor")])

    def __init__(self, *args: Any, auditors: Iterable[Auditor] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auditor_id.choices = [(0, "Choose the auditor")] + [
            (auditor.id, f"{auditor.name} ({auditor.team_name})") for auditor in auditors]

    def validate_auditor_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose the auditor")


class BuddyForm(FlaskForm):
    buddy_id = SelectField("Audit buddy", coerce=whole_number, validate_choice=False,
                           validators=[InputRequired("Choose a buddy, or no buddy")])

    def __init__(self, *args: Any, people: Iterable[tuple[Staff, int]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buddy_id.choices = [(0, "No buddy")] + [
            (person.id, f"{person.name} ({count} audit{'s' if count != 1 else ''} submitted)")
            for person, count in people]

    def validate_buddy_id(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.buddy_id.choices}:
            raise ValidationError("Choose a buddy from the list, or no buddy")

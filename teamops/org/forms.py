"""Forms for services, teams and staff. Cross-record checks (duplicates, unknown managers) live in
``validate_*`` methods so every message lands next to its field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from teamops.dates import EVENT_YEARS, RETURN_BEFORE, RETURN_NEXT, RETURN_RULES, START_YEARS, add_months, today
from teamops.extensions import db
from teamops.forms import DateInputField, PhoneNumber, WholeNumberField, check_date_range, id_number, year_between
from teamops.induction.template_models import SERVICE_GROUPS
from teamops.org import absences, asye, covers
from teamops.org.models import (
    ABSENCE_KINDS,
    CASE_REF_HINT_MAX,
    CASE_REF_MAX,
    CASE_REF_PATTERN_MAX,
    EMAIL_MAX,
    EMPLOYMENT_TYPES,
    INDUCTION_GROUPS,
    NAME_MAX,
    PHONE_MAX,
    ROLE_LABELS,
    TEXT_MAX,
    Service,
    Staff,
    Team,
)
from teamops.org.services import active_teams, email_taken, normalise_email
from teamops.org.settings import CONTRACT_RULE, RULE_LABELS, CaseRefRule, pattern_problem


def _active_person(email: str, as_what: str) -> Staff:
    """The active person with this e-mail address, or a message saying why they cannot be ``as_what``."""
    person = db.session.scalar(select(Staff).where(Staff.email == normalise_email(email)))
    if person is None:
        raise ValidationError("There is nobody in TeamOps with this e-mail address")
    if not person.active:
        raise ValidationError(f"This person has left; choose an active {as_what}")
    return person


# A service's induction checklist group (R-IND-15): which of the checklist's service items its starters get.
INDUCTION_GROUP_CHOICES = [*((group, f"{label} ({group.upper()})") for group, label in SERVICE_GROUPS.items()),
                           ("other", "Other")]


class ServiceForm(FlaskForm):
    name = StringField("Service name", validators=[DataRequired("Enter the service name"),
                                                   Length(max=TEXT_MAX)])
    induction_group = RadioField("Induction checklist group", choices=INDUCTION_GROUP_CHOICES, default="other",
                                 validate_choice=False)
    caseload_reviews = BooleanField("Monthly caseload review (R-QA-3)")

    def __init__(self, *args: Any, service: Service | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._service = service

    def validate_name(self, field: StringField) -> None:
        query = select(Service.id).where(func.lower(Service.name) == (field.data or "").strip().lower())
        if self._service is not None:
            query = query.where(Service.id != self._service.id)
        if db.session.scalar(query) is not None:
            raise ValidationError("A service with this name already exists")

    def validate_induction_group(self, field: RadioField) -> None:
        if field.data not in INDUCTION_GROUPS:
            raise ValidationError("Select the service's induction checklist group")


class TeamForm(FlaskForm):
    service_id = SelectField("Service", coerce=id_number, validators=[DataRequired("Select the service")])
    name = StringField("Team name", validators=[DataRequired("Enter the team name"), Length(max=TEXT_MAX)])
    office_base = StringField("Office base", validators=[DataRequired("Enter the office base"),
                                                         Length(max=TEXT_MAX)])
    manager_email = EmailField("Team manager's work e-mail", validators=[
        Optional(), Email("Enter an e-mail address like name@example.org"), Length(max=EMAIL_MAX)])

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._team = team
        services = db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name))
        self.service_id.choices = [(0, "Select a service")] + [(s.id, s.name) for s in services]
        self.manager: Staff | None = None

    def validate_name(self, field: StringField) -> None:
        query = select(Team.id).where(Team.service_id == self.service_id.data,
                                      func.lower(Team.name) == (field.data or "").strip().lower())
        if self._team is not None:
            query = query.where(Team.id != self._team.id)
        if db.session.scalar(query) is not None:
            raise ValidationError("This service already has a team with this name")

    def validate_manager_email(self, field: EmailField) -> None:
        if not field.data:
            return
        self.manager = _active_person(field.data, "manager")


class StaffForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the person's name"), Length(max=NAME_MAX)])
    email = EmailField("Work e-mail address", validators=[
        DataRequired("Enter the work e-mail address"), Email("Enter an e-mail address like name@example.org"),
        Length(max=EMAIL_MAX)])
    job_role = StringField("Job role", validators=[DataRequired("Enter the job role"), Length(max=TEXT_MAX)])
    team_id = SelectField("Team", coerce=id_number, validators=[DataRequired("Select a team")])
    line_manager_email = EmailField("Line manager's work e-mail", validators=[
        Optional(), Email("Enter an e-mail address like name@example.org"), Length(max=EMAIL_MAX)])
    employment_type = SelectField("Employment type", choices=[("permanent", "Permanent"), ("agency", "Agency")],
                                  validators=[DataRequired("Select the employment type")])
    start_date = DateInputField("Start date", validators=[InputRequired("Enter the start date"),
                                                        year_between(START_YEARS)])
    role = SelectField("TeamOps role", choices=list(ROLE_LABELS.items()),
                       validators=[DataRequired("Select a role")])
    work_phone = StringField("Work phone (optional)", validators=[PhoneNumber(), Length(max=PHONE_MAX)])

    def __init__(self, *args: Any, staff: Staff | None = None, editor: Staff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._staff = staff
        self._editor = editor
        self.team_id.choices = [(0, "Select a team")] + [(t.id, t.label) for t in active_teams()]
        self.line_manager: Staff | None = None

    def validate_email(self, field: EmailField) -> None:
        if email_taken(field.data or "", self._staff.id if self._staff else None):
            raise ValidationError("Someone in TeamOps already has this e-mail address")

    def validate_employment_type(self, field: SelectField) -> None:
        if field.data not in EMPLOYMENT_TYPES:
            raise ValidationError("Select permanent or agency")

    def validate_role(self, field: SelectField) -> None:
        """Nobody raises (or changes) their own role: another admin does it."""
        if (self._staff is not None and self._editor is not None and self._staff.id == self._editor.id
                and field.data != self._staff.role):
            raise ValidationError("You cannot change your own role: ask another admin")

    def validate_line_manager_email(self, field: EmailField) -> None:
        if not field.data:
            return
        person = _active_person(field.data, "line manager")
        if self._staff is not None and person.id == self._staff.id:
            raise ValidationError("Someone cannot be their own line manager")
        self.line_manager = person

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.data, "email": self.email.data, "job_role": self.job_role.data,
            "team_id": self.team_id.data, "employment_type": self.employment_type.data,
            "start_date": self.start_date.data,
            "role": self.role.data, "line_manager_id": self.line_manager.id if self.line_manager else None,
            "work_phone": (self.work_phone.data or "").strip() or None,
        }


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=100)])
    show = SelectField("Show", choices=[("active", "Active"), ("left", "Deactivated"), ("all", "All")],
                       default="active", validators=[Optional()])


class CoverForm(FlaskForm):
    """Who stands in for a team's manager, from a date to a date (R-ORG-3). The cover is named by work e-mail,
    as a team's manager is: a list of every manager in the county would show people out of the namer's reach."""

    email = EmailField("Work e-mail of who covers", validators=[
        DataRequired("Enter the work e-mail of who covers"), Email("Enter an e-mail address like name@example.org"),
        Length(max=EMAIL_MAX)])
    starts_on = DateInputField("First day", validators=[InputRequired("Enter the first day of the cover"),
                                                      year_between(EVENT_YEARS)])
    ends_on = DateInputField("Last day", validators=[InputRequired("Enter the last day of the cover"),
                                                   year_between(EVENT_YEARS)])

    def __init__(self, *args: Any, team: Team, named_by: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.named_by = named_by
        self.person: Staff | None = None

    def validate_email(self, field: EmailField) -> None:
        """One message for nobody, a leaver and someone who may not cover, so the form tells nobody more about
        a person than the namer may know."""
        person = db.session.scalar(select(Staff).where(Staff.email == normalise_email(field.data or "")))
        if person is not None and person.id == self.named_by.id:
            raise ValidationError("You cannot cover for yourself: name someone to stand in for you")
        if person is not None and person.id == self.team.manager_id:
            raise ValidationError(f"That is the manager of {self.team.name}: name someone to stand in for them")
        if person is None or not person.active or not covers.may_cover(person):
            raise ValidationError("Enter the work e-mail of an active manager, or of a senior practitioner or "
                                  "team leader")
        self.person = person

    def validate_starts_on(self, field: DateInputField) -> None:
        if field.data and field.data < today():
            raise ValidationError("The first day cannot be in the past")

    def validate_ends_on(self, field: DateInputField) -> None:
        check_date_range(self.starts_on.data, field.data, covers.LONGEST_DAYS,
                         "A cover lasts at most a year: name a new one after that")


class AbsenceForm(FlaskForm):
    """A long absence (R-ORG-6) of someone the manager supervises: the kind, the first and the last day away
    (expected: change it when they come back early or stay away longer)."""

    kind = SelectField("Kind of absence", choices=[("", "Select the kind of absence"), *ABSENCE_KINDS.items()],
                       validators=[DataRequired("Select the kind of absence")])
    starts_on = DateInputField("First day away", validators=[InputRequired("Enter the first day away"),
                                                           year_between(EVENT_YEARS)])
    ends_on = DateInputField("Last day away", validators=[InputRequired("Enter the last day away, as expected"),
                                                        year_between(EVENT_YEARS)])

    def __init__(self, *args: Any, person: Staff, absence_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.absence_id = absence_id

    def validate_ends_on(self, field: DateInputField) -> None:
        first = self.starts_on.data
        check_date_range(first, field.data, absences.LONGEST_DAYS,
                         "An absence is recorded for at most 3 years at a time: record a new one after that")
        if first is None or field.data is None:
            return
        clash = absences.overlapping(self.person, first, field.data, self.absence_id)
        if clash is not None:
            raise ValidationError(f"{self.person.name} is already recorded as away from {clash.starts_on:%-d %B %Y} "
                                  f"to {clash.ends_on:%-d %B %Y}: change that absence instead")


class OrganisationSettingsForm(FlaskForm):
    """The case reference rule: the choice, the admin's own pattern (checked it can be used), an example that
    the rule must accept, and how references are described to people adding a case."""

    case_ref_rule = RadioField("How do your case references look?", choices=list(RULE_LABELS.items()),
                               validate_choice=False,
                               validators=[InputRequired("Select how your case references look")])
    case_ref_pattern = StringField("Pattern (a regular expression)", validators=[
        Length(max=CASE_REF_PATTERN_MAX, message=f"Keep the pattern to {CASE_REF_PATTERN_MAX} characters or fewer")])
    case_ref_example = StringField("Example reference", validators=[
        Length(max=CASE_REF_MAX, message=f"Keep the example to {CASE_REF_MAX} characters or fewer")])
    case_ref_hint = StringField("How to describe your references", validators=[
        Length(max=CASE_REF_HINT_MAX, message=f"Keep the description to {CASE_REF_HINT_MAX} characters or fewer")])
    buddy_min_service_months = WholeNumberField(
        "Service a suggested buddy has at least (months)",
        validators=[InputRequired("Enter the months of service, from 0 to 60"),
                    NumberRange(0, 60, "Enter the months of service, from 0 to 60")])

    return_due_rule = RadioField(
        "When the first Friday is a bank holiday, the month's supervision return is due",
        choices=[(RETURN_NEXT, "The next working day"),
                 (RETURN_BEFORE, "The working day before (unless that is still in the month being reported)")],
        validate_choice=False, validators=[InputRequired("Select when a return is due after a bank holiday")])

    dip_samples_per_team = WholeNumberField(
        "Supervision records to dip-sample per team each month",
        validators=[InputRequired("Enter how many records to dip-sample per team, from 0 to 20"),
                    NumberRange(0, 20, "Enter how many records to dip-sample per team, from 0 to 20")])

    auditors_own_team = BooleanField("Managers may be given a case of their own team to audit")

    def validate_return_due_rule(self, field: RadioField) -> None:
        if field.data not in RETURN_RULES:
            raise ValidationError("Select when a return is due after a bank holiday")

    def rule(self) -> CaseRefRule:
        """What was typed, as a rule (call once the form is valid)."""
        return CaseRefRule(self.case_ref_rule.data or "default", (self.case_ref_pattern.data or "").strip(),
                           (self.case_ref_example.data or "").strip(), (self.case_ref_hint.data or "").strip())

    def _custom(self) -> bool:
        return bool(self.case_ref_rule.data == "custom")

    def validate_case_ref_rule(self, field: RadioField) -> None:
        if field.data not in RULE_LABELS:
            raise ValidationError("Select how your case references look")

    def validate_case_ref_pattern(self, field: StringField) -> None:
        pattern = (field.data or "").strip()
        if not self._custom():
            if pattern and self.case_ref_rule.data in RULE_LABELS:
                raise ValidationError("Choose “Your own pattern” to use a pattern, or clear the pattern")
            return
        if not pattern:
            raise ValidationError("Enter the pattern your case references follow, for example [0-9]{7}")
        problem = pattern_problem(pattern)
        if problem is not None:
            raise ValidationError(problem)

    def validate_case_ref_example(self, field: StringField) -> None:
        example = (field.data or "").strip()
        if not example:
            if self._custom():
                raise ValidationError("Enter an example reference that your pattern accepts")
            return
        if CONTRACT_RULE.fullmatch(example) is None:
            raise ValidationError("Use only letters, numbers and hyphens in the example: a case-system reference, "
                                  "never a name")
        if self.case_ref_rule.errors or self.case_ref_pattern.errors:
            return
        if not self.rule().accepts(example):
            raise ValidationError("Your pattern does not accept this example: change the example or the pattern"
                                  if self._custom() else "The example must be digits only, for example 1234567")

    def validate_case_ref_hint(self, field: StringField) -> None:
        if self._custom() and not (field.data or "").strip():
            raise ValidationError("Describe your references for the people adding a case, for example "
                                  "a Mosaic ID such as 1234567")


class AsyeForm(FlaskForm):
    """A newly qualified social worker's ASYE year (R-ASYE-1): its first day and last day (12 months less a day
    when left blank; later when extended). Both blank: the person has no ASYE."""

    starts_on = DateInputField("First day of the ASYE", validators=[Optional(), year_between(EVENT_YEARS)])
    ends_on = DateInputField("Last day of the ASYE", validators=[Optional(), year_between(EVENT_YEARS)])

    def validate_ends_on(self, field: DateInputField) -> None:
        first = self.starts_on.data
        if field.data is None:
            return
        if first is None:
            if not self.starts_on.errors:
                raise ValidationError("Enter the first day too, or leave both blank for no ASYE")
            return
        if field.data <= first:
            raise ValidationError("The last day must be after the first day")
        if field.data > add_months(first, asye.LONGEST_MONTHS):
            raise ValidationError(f"An ASYE lasts at most {asye.LONGEST_MONTHS // 12} years: check the dates")

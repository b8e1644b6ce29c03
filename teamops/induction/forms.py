"""Forms for the induction templates, the checklist and a team's induction settings. The rules themselves are
``teamops.induction.templates``'s: each form asks them once its own fields are well formed, so every message
lands next to its field.

An edit form sent without one of its fields keeps what the object holds for it (as the organisation's forms
do); checkboxes are the exception, as a browser sends nothing for a box left unticked."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, StopValidation

from teamops.forms import WholeNumberField, whole_number
from teamops.induction import templates
from teamops.induction.template_models import (
    CONFIRMERS,
    DAY_KINDS,
    DEADLINES,
    HOST_SLOTS,
    JOB_GROUPS,
    LINK_MAX,
    REQUIREMENTS,
    SECTION_MAX,
    SERVICE_GROUPS,
    TEMPLATE_KINDS,
    TITLE_MAX,
    ChecklistItem,
    InductionTemplate,
    InductionTemplateDay,
)
from teamops.org.models import WEEKDAYS, Staff, Team

NAME_MAX = 120
CODE_MAX = 8
NOBODY = "none"  # the radio or option meaning "no one" (no host, no fixed day)
SERVICE_CHOICES = [("for_csc", f"{SERVICE_GROUPS['csc']} (CSC)"), ("for_cfws", f"{SERVICE_GROUPS['cfws']} (CFWS)"),
                   ("for_yos", f"{SERVICE_GROUPS['yos']} (YOS)")]
JOB_CHOICES = [("for_front_line", JOB_GROUPS["front_line"]),
               ("for_business_support", JOB_GROUPS["business_support"]), ("for_managers", JOB_GROUPS["manager"])]
INDUCTION_CHOICES = [("for_new_starters", "New starters (permanent and agency staff)"),
                     ("for_movers", "Internal moves")]
FLAGS = tuple(name for choices in (SERVICE_CHOICES, JOB_CHOICES, INDUCTION_CHOICES) for name, _label in choices)


def chosen(message: str) -> Any:
    """A value must be there: unlike ``DataRequired``, ``False`` and ``0`` count (a retired template)."""

    def check(form: FlaskForm, field: Field) -> None:
        if field.data is None or field.data == "":
            raise StopValidation(message)

    return check


def in_use(value: Any) -> bool:
    """The status radios: "yes" (in use) or "no" (retired), or the template's own ``active``."""
    return value if isinstance(value, bool) else str(value) == "yes"


def or_nobody(value: Any) -> str | None:
    return None if value in (None, "", NOBODY) else str(value)


def weekday(value: Any) -> int | None:
    """A weekday's number (Monday 0); None for no fixed day; -1 for anything else (refused with a message)."""
    if value in (None, "", NOBODY):
        return None
    text = str(value)
    return int(text) if text in {str(n) for n in range(len(WEEKDAYS))} else -1


class KeptNumberField(WholeNumberField):
    """A whole number that an edit form sent without it leaves as the object holds it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            super().process_formdata(valuelist)


class RuledForm(FlaskForm):
    """A form whose rules about other rows (``problems``) are asked once its fields are well formed."""

    def problems(self) -> dict[str, str | None]:
        return {}

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        found = {name: message for name, message in self.problems().items() if message}
        self.refuse(found)
        return valid and not found

    def refuse(self, problems: dict[str, str]) -> None:
        """Puts each message next to its field (``templates.Refused`` from a save lands here too)."""
        for name, message in problems.items():
            self[name].errors = [*self[name].errors, message]

    def fine(self, *names: str) -> bool:
        return not any(self[name].errors for name in names)


class TemplateForm(RuledForm):
    name = StringField("Name", validators=[DataRequired("Enter the template's name"), Length(max=NAME_MAX)])
    kind = RadioField("Who is it for?", choices=list(TEMPLATE_KINDS.items()), validate_choice=False,
                      validators=[chosen("Select who the induction is for")])
    length_days = KeptNumberField("Length in working days", invalid="Enter a whole number of working days, "
                                  "for example 10", validators=[chosen("Enter the length in working days, "
                                                                       "for example 10")])
    active = RadioField("Status", choices=[("yes", "In use"), ("no", "Retired")], coerce=in_use,
                        validate_choice=False, default=True, validators=[chosen("Select in use or retired")])

    def __init__(self, *args: Any, template: InductionTemplate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=template, **kwargs)
        self.template = template

    def problems(self) -> dict[str, str | None]:
        name, kind = self.name.data or "", self.kind.data or ""
        return {
            "name": templates.name_problem(self.template, name) if self.fine("name") else None,
            "kind": None if not self.fine("kind") or kind in TEMPLATE_KINDS else "Select who the induction is for",
            "length_days": templates.length_problem(self.template, self.length_days.data or 0)
            if self.fine("length_days") else None,
            "active": templates.in_use_problem(self.template, kind, bool(self.active.data))
            if self.fine("kind", "active") else None,
        }


class DayForm(RuledForm):
    day_number = KeptNumberField("Day", invalid="Enter the day as a whole number, for example 3",
                                 validators=[chosen("Enter the day of the induction, for example 3")])
    kind = RadioField("What happens", choices=list(DAY_KINDS.items()), validate_choice=False,
                      validators=[chosen("Select what happens")])
    host_slot = RadioField("Who hosts it", choices=[(NOBODY, "Nobody in particular"), *HOST_SLOTS.items()],
                           coerce=or_nobody, validate_choice=False)
    description = TextAreaField("Description", validators=[DataRequired("Describe what happens"),
                                                           Length(max=TITLE_MAX)])

    def __init__(self, *args: Any, template: InductionTemplate, day: InductionTemplateDay | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, obj=day, **kwargs)
        self.template = template

    def problems(self) -> dict[str, str | None]:
        return {
            "day_number": templates.day_problem(self.template, self.day_number.data or 0)
            if self.fine("day_number") else None,
            "kind": None if not self.fine("kind") or self.kind.data in DAY_KINDS else "Select what happens",
            "host_slot": None if self.host_slot.data is None or self.host_slot.data in HOST_SLOTS
            else "Select who hosts it, or nobody in particular",
        }

    def values(self) -> templates.DayValues:
        return templates.DayValues(self.day_number.data or 0, self.kind.data or "", self.host_slot.data,
                                   self.description.data or "")


class ChecklistItemForm(RuledForm):
    code = StringField("Code", validators=[
        DataRequired("Enter a code, for example C29"), Length(max=CODE_MAX),
        Regexp(r"^\s*[A-Za-z0-9]+\s*$", message="Use only letters and numbers in the code, for example C12b")])
    section = StringField("Section", validators=[DataRequired("Enter the section, for example Before the start"),
                                                 Length(max=SECTION_MAX)])
    title = TextAreaField("Item", validators=[DataRequired("Enter the item"), Length(max=TITLE_MAX)])
    link = StringField("Link (optional)", validators=[Length(max=LINK_MAX)])
    services = SelectMultipleField("Services", choices=SERVICE_CHOICES, validate_choice=False)
    jobs = SelectMultipleField("Jobs", choices=JOB_CHOICES, validate_choice=False)
    inductions = SelectMultipleField("Inductions", choices=INDUCTION_CHOICES, validate_choice=False)
    confirmer = RadioField("Who confirms it", choices=list(CONFIRMERS.items()), validate_choice=False,
                           validators=[chosen("Select who confirms it")])
    deadline = RadioField("Deadline", choices=list(DEADLINES.items()), validate_choice=False,
                          validators=[chosen("Select the deadline")])
    requirement = RadioField("Requirement", choices=list(REQUIREMENTS.items()), validate_choice=False,
                             validators=[chosen("Select mandatory training, required or optional")])
    gates_case_system = BooleanField("Full access to the case-recording system waits for this item")

    def __init__(self, *args: Any, item: ChecklistItem | None = None, **kwargs: Any) -> None:
        flags = {name: getattr(item, name) for name in FLAGS} if item is not None else {
            name: name != "for_movers" for name in FLAGS}
        data = {field: [name for name, _label in choices if flags[name]]
                for field, choices in (("services", SERVICE_CHOICES), ("jobs", JOB_CHOICES),
                                       ("inductions", INDUCTION_CHOICES))}
        super().__init__(*args, obj=item, data=data, **kwargs)
        self.item = item

    def values(self) -> dict[str, Any]:
        ticked = {*(self.services.data or []), *(self.jobs.data or []), *(self.inductions.data or [])}
        return {"code": self.code.data or "", "section": self.section.data or "", "title": self.title.data or "",
                "link": self.link.data or "", "confirmer": self.confirmer.data, "deadline": self.deadline.data,
                "requirement": self.requirement.data, "gates_case_system": bool(self.gates_case_system.data),
                **{name: name in ticked for name in FLAGS}}

    def problems(self) -> dict[str, str | None]:
        found = templates.checklist_problems(self.item, self.values())
        for name, labels in (("confirmer", CONFIRMERS), ("deadline", DEADLINES), ("requirement", REQUIREMENTS)):
            if self.fine(name) and self[name].data not in labels:
                found[name] = f"Select one of the choices for {self[name].label.text.lower()}"
        return {name: message for name, message in found.items() if self.fine(name)}


class TeamInductionForm(RuledForm):
    meeting_weekday = RadioField("Team meeting day", coerce=weekday, validate_choice=False,
                                 choices=[*((str(n), day) for n, day in enumerate(WEEKDAYS)),
                                          (NOBODY, "No fixed day")])
    business_support_id = SelectField("Business-support contact", coerce=whole_number, validate_choice=False)

    def __init__(self, *args: Any, team: Team, members: list[Staff], **kwargs: Any) -> None:
        data = {"meeting_weekday": team.meeting_weekday, "business_support_id": team.business_support_id or 0}
        super().__init__(*args, data=data, **kwargs)
        self.team = team
        choices = [(0, "Nobody")] + [(person.id, f"{person.name}, {person.job_role}") for person in members]
        contact = team.business_support
        if contact is not None and all(person.id != contact.id for person in members):
            choices.append((contact.id, f"{contact.name} (no longer an active member of {team.name})"))
        self.business_support_id.choices = choices

    def contact_id(self) -> int | None:
        return self.business_support_id.data or None

    def problems(self) -> dict[str, str | None]:
        return {
            "meeting_weekday": "Select the team's meeting day, or No fixed day"
            if self.meeting_weekday.data == -1 else None,
            "business_support_id": templates.business_support_problem(self.team, self.contact_id()),
        }


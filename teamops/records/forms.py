"""The record form. Its fields depend on the cases discussed and their open actions, so the class is built
per record from its sections (teamops.records.layout); every rule about what makes a record complete
(R-SUP-4, R-SUP-6, R-SUP-7, R-SUP-9) is checked here so each message lands next to its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from teamops.dates import DUE_YEARS
from teamops.forms import LONG_TEXT, DateInputField, id_number, whole_number, year_between
from teamops.records.labels import (
    ACTION_MAX,
    ACTION_MESSAGE,
    AGREEMENT_LABELS,
    COMMENT_MAX,
    DISCUSSION_SECTIONS,
    LONG_TEXT_MESSAGE,
    MAPPING_SECTIONS,
    NO_FURTHER_ACTION,
    OUTCOME_LABELS,
    PERSONAL_SECTIONS,
    REVIEW_NOTES,
    SCALING_QUESTION,
    SCALING_QUESTION_MISSING,
    SCALING_SCORE,
)
from teamops.records.layout import Section, review_name
from teamops.records.models import SCALING_QUESTION_MAX
from teamops.records.services import ActionInput, RecordContent, ReviewInput, SectionInput
from teamops.records.setup import session_date_rules

CASE_TEXT = ("actions_review", *DISCUSSION_SECTIONS, *MAPPING_SECTIONS, "disagreement_note")


def _long(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=LONG_TEXT, message=LONG_TEXT_MESSAGE)])


def _short(label: str) -> StringField:
    return StringField(label, validators=[Length(max=ACTION_MAX, message=ACTION_MESSAGE)])


def _text(field: Field) -> str:
    return str(field.data or "").strip()


class RecordForm(FlaskForm):
    """Shared behaviour of every built record form; ``record_form`` adds the fields."""

    sections: list[Section] = []
    section_of: dict[str, str] = {}
    session_date: date | None = None  # the setup's date; a change form asks for it in ``held_on``

    def day(self) -> date | None:
        return self["held_on"].data if "held_on" in self else self.session_date

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for section in self.sections:
            valid = self._check_section(section) and valid
        if "held_on" in self and self["held_on"].data and not self["held_on"].errors:
            valid = self._check_cases_open(self["held_on"].data) and valid
        return valid

    def _fail(self, name: str, message: str) -> bool:
        self[name].errors = [*self[name].errors, message]
        return False

    def _check_cases_open(self, day: date) -> bool:
        for section in self.sections:
            case = section.case
            if case is not None and ((case.closed_on and case.closed_on <= day) or case.allocated_on > day):
                return self._fail("held_on", f"Case {case.case_ref} was not open on that date")
        return True

    def _check_section(self, section: Section) -> bool:
        ok = True
        for action in section.reviews:
            outcome, reason = review_name(action), review_name(action) + "_reason"
            if self[outcome].data not in OUTCOME_LABELS:
                ok = self._fail(outcome, f"Say whether the action “{action.label}” was done, carried forward "
                                         "or dropped")
            elif self[outcome].data == "dropped" and not _text(self[reason]):
                ok = self._fail(reason, "Give the reason for dropping this action")
        has_actions = False
        day = self.day()
        for row in section.rows:
            if f"{row.prefix}_remove" in self and self[f"{row.prefix}_remove"].data:
                continue
            description, due = self[f"{row.prefix}_description"], self[f"{row.prefix}_due_on"]
            has_actions = has_actions or bool(_text(description))
            if _text(description) and due.data is None and not due.errors:
                ok = self._fail(due.name, "Enter a due date for this action: every action needs a timescale")
            elif due.data is not None and not _text(description):
                ok = self._fail(description.name, "Describe the action, or clear its due date")
            elif due.data is not None and day is not None and due.data < day:
                ok = self._fail(due.name, "The due date cannot be before the session")
        if section.case is None:
            if not any(_text(self[section.name(n)]) for n in PERSONAL_SECTIONS):
                ok = self._fail(section.name("wellbeing"),
                                "Record at least one of wellbeing, workload, or learning and development")
            return ok
        no_further_action = self[section.name("no_further_action")].data
        if no_further_action and has_actions:
            ok = self._fail(section.name("no_further_action"),
                            "Untick “no further action” or clear the actions: a discussion records one or the other")
        elif not no_further_action and not has_actions:
            ok = self._fail(section.name("no_further_action"),
                            "Agree at least one action with a due date, or record that no further action is needed")
        if self[section.name("disagreement")].data and not _text(self[section.name("disagreement_note")]):
            ok = self._fail(section.name("disagreement_note"),
                            "Describe the disagreement: the service manager will resolve it")
        scaling = _text(self[section.name("scaling")])
        if scaling and not (scaling.isdecimal() and 0 <= int(scaling) <= 10):
            ok = self._fail(section.name("scaling"), "Enter the scaling score as a whole number from 0 to 10")
        elif scaling and not _text(self[section.name("scaling_question")]) and int(scaling) != section.unasked_score:
            # A bare number cannot be compared with the next one (R-SUP-9). A score saved before the question
            # was asked for may stay as it is when the record changes: nobody can say now what it meant.
            ok = self._fail(section.name("scaling_question"), SCALING_QUESTION_MISSING)
        return ok

    def summary(self) -> list[dict[str, str]]:
        """The error summary, each message prefixed with the case it belongs to."""
        items = []
        for field in self:
            for message in field.errors:
                where = self.section_of.get(field.name)
                items.append({"text": f"{where}: {message}" if where else message, "href": f"#{field.id}"})
        return items

    def content(self) -> RecordContent:
        """What was typed, as the service takes it (call only once the form is valid)."""
        sections = []
        for section in self.sections:
            if section.case is None:
                values: dict[str, Any] = {n: _text(self[section.name(n)]) for n in PERSONAL_SECTIONS}
            else:
                values = {n: _text(self[section.name(n)]) for n in CASE_TEXT}
                scaling = _text(self[section.name("scaling")])
                question = _text(self[section.name("scaling_question")])
                values["scaling"] = int(scaling) if scaling else None
                # Kept with a score only: without one, the question the form offered goes unused.
                values["scaling_question"] = (question or None) if scaling else None
                values["no_further_action"] = bool(self[section.name("no_further_action")].data)
                values["disagreement"] = bool(self[section.name("disagreement")].data)
                if not values["disagreement"]:
                    values["disagreement_note"] = ""
            reviews = [ReviewInput(a.id, self[review_name(a)].data,
                                   _text(self[review_name(a) + "_reason"]) if self[review_name(a)].data == "dropped"
                                   else "") for a in section.reviews]
            actions = []
            for row in section.rows:
                remove = f"{row.prefix}_remove" in self and bool(self[f"{row.prefix}_remove"].data)
                description = _text(self[f"{row.prefix}_description"])
                if description or (remove and row.action is not None):
                    actions.append(ActionInput(row.action.id if row.action else None, description,
                                               self[f"{row.prefix}_owner"].data, self[f"{row.prefix}_due_on"].data,
                                               remove))
            sections.append(SectionInput(section.case.id if section.case else None, values, reviews, actions))
        held_on = self["held_on"].data if "held_on" in self else None
        reason = _text(self["reason"]) if "reason" in self else ""
        return RecordContent(sections, held_on, reason)


def record_form(sections: list[Section], *, editing: bool = False, needs_reason: bool = False) -> type[RecordForm]:
    """A form class with the fields of these sections, in reading order."""
    attrs: dict[str, Any] = {"sections": sections, "section_of": {}}
    if editing:
        attrs["held_on"] = DateInputField("Date held", validators=[
            InputRequired("Enter the date the session was held"), session_date_rules])
    for section in sections:
        names = _section_fields(section, attrs)
        attrs["section_of"].update(dict.fromkeys(names, section.title))
    if needs_reason:
        attrs["reason"] = TextAreaField("Why are you changing a signed-off record?", validators=[
            InputRequired("Give the reason for changing a signed-off record"),
            Length(max=500, message="Keep the reason to 500 characters or fewer")])
    return type("BuiltRecordForm", (RecordForm,), attrs)


def _section_fields(section: Section, attrs: dict[str, Any]) -> list[str]:
    start = set(attrs)
    for action in section.reviews:
        attrs[review_name(action)] = SelectField(f"What happened to “{action.label}”?", validate_choice=False,
                                                 choices=[("", "Choose"), *OUTCOME_LABELS.items()])
        attrs[review_name(action) + "_reason"] = _short("Reason for dropping it")
    if section.case is None:
        for name, label in PERSONAL_SECTIONS.items():
            attrs[section.name(name)] = _long(label)
    else:
        attrs[section.name("actions_review")] = _long(REVIEW_NOTES)
        for name, label in {**DISCUSSION_SECTIONS, **MAPPING_SECTIONS}.items():
            attrs[section.name(name)] = _long(label)
        attrs[section.name("scaling_question")] = StringField(
            SCALING_QUESTION, default=section.scaling_question, validators=[Length(
                max=SCALING_QUESTION_MAX, message=f"Keep this to {SCALING_QUESTION_MAX} characters or fewer")])
        attrs[section.name("scaling")] = StringField(SCALING_SCORE, validators=[Length(max=10)])
    for row in section.rows:
        attrs[f"{row.prefix}_description"] = _short(f"Action {row.number}")
        attrs[f"{row.prefix}_owner"] = SelectField(
            f"Owner of action {row.number}", coerce=id_number, default=section.worker.id,
            choices=section.owners(row.action.owner if row.action else None))
        attrs[f"{row.prefix}_due_on"] = DateInputField(f"Due date of action {row.number}",
                                                     validators=[year_between(DUE_YEARS)])
        if row.action is not None and not row.locked:
            attrs[f"{row.prefix}_remove"] = BooleanField(f"Remove action {row.number}")
    if section.case is not None:
        attrs[section.name("no_further_action")] = BooleanField(NO_FURTHER_ACTION)
        attrs[section.name("disagreement")] = BooleanField(
            "The worker and manager disagree about the next action: escalate to the service manager")
        attrs[section.name("disagreement_note")] = _long("What the disagreement is about")
    return [name for name in attrs if name not in start]


class RecordFilterForm(FlaskForm):
    """The records list's filters: a GET form that htmx submits on change."""

    class Meta:
        csrf = False

    worker = SelectField("Worker", coerce=id_number, validate_choice=False, default=0)
    show = SelectField("Show", default="all", choices=[
        ("all", "All records"), ("draft", "Not signed off"), ("unacknowledged", "Awaiting acknowledgement"),
        ("unfiled", "Signed off, not yet filed on the case"),
        ("disagrees", "Worker disagrees, not yet resolved")])

    def set_workers(self, people: list[Any]) -> None:
        self.worker.choices = [(0, "Everyone")] + [(p.id, p.name if p.active else f"{p.name} (left)")
                                                   for p in people]


class AcknowledgeForm(FlaskForm):
    """The worker's acknowledgement (R-SUP-7): they have read the record, say whether they agree with it, and
    may comment; a disagreement needs its reason, which goes to whoever resolves it."""

    agreement = RadioField("Do you agree with what was written?", choices=list(AGREEMENT_LABELS.items()),
                           validators=[InputRequired("Select whether you agree with the record")])
    comment = TextAreaField("Comment", validators=[
        Length(max=COMMENT_MAX, message=f"Keep your comment to {COMMENT_MAX:,} characters or fewer")])

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.agreement.data == "disagree" and not _text(self.comment) and not self.comment.errors:
            self.comment.errors = [*self.comment.errors, "Say what you disagree with and why"]
            return False
        return valid

    @property
    def disagrees(self) -> bool:
        return bool(self.agreement.data == "disagree")


class ResolveForm(FlaskForm):
    resolution = TextAreaField("Resolution", validators=[
        DataRequired("Record how the disagreement was resolved"),
        Length(max=LONG_TEXT, message=LONG_TEXT_MESSAGE)])


class ActionFilterForm(FlaskForm):
    class Meta:
        csrf = False

    worker = SelectField("Whose actions", coerce=whole_number, validate_choice=False, validators=[Optional()])


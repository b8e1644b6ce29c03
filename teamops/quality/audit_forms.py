"""The audit form (built per audit: a grade and a comment per question of its round) and QAIT's re-audit form.

What makes an audit complete is checked here, so each message lands next to its field and nothing is written
when one is missing: every question graded, an overall grade, findings, and a remedial action or the tick that
none is needed. A grade that is not one of the round's scale (a forged post) is a message too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from teamops.dates import DUE_YEARS
from teamops.forms import DateInputField, whole_number, year_between
from teamops.org.models import Staff
from teamops.quality.audit_models import ACTION_MAX, ANSWER_COMMENT_MAX, FINDINGS_MAX, AuditQuestion, CaseAudit
from teamops.quality.audits import ActionInput, AnswerInput

SAVE, SUBMIT, ADD_ACTION = "save", "submit", "add-action"
REMOVE_PREFIX = "remove-"
NO_ACTION_NEEDED = "No remedial action needed"
WRONG_GRADE = "Choose a grade from the round's scale"


def _text(field: Field) -> str:
    return str(field.data or "").strip()


class AuditForm(FlaskForm):
    """Shared behaviour of every built audit form; ``audit_form`` adds a grade and a comment per question."""

    questions: list[AuditQuestion] = []
    grades: dict[int, str] = {}
    owners: set[int] = set()

    # Added by ``audit_form`` after the questions, so the error summary reads in the page's order.
    grade: RadioField
    findings: TextAreaField
    no_action_needed: BooleanField
    action_description: TextAreaField
    action_owner: SelectField
    action_due_on: DateInputField

    def question_fields(self) -> list[tuple[AuditQuestion, Field, Field]]:
        return [(q, self[f"q{q.id}_grade"], self[f"q{q.id}_comment"]) for q in self.questions]

    def _fail(self, field: Field, message: str) -> bool:
        field.errors = [*field.errors, message]
        return False

    def _grade_of(self, field: Field) -> int | None:
        """The chosen grade's id, or None; a value not of the scale is an error next to the field."""
        value = field.data or 0
        if value and value not in self.grades:
            self._fail(field, WRONG_GRADE)
            return None
        return value or None

    def has_new_action(self) -> bool:
        return bool(_text(self.action_description) or (self.action_owner.data or 0) != 0
                    or self.action_due_on.data is not None or self.action_due_on.errors)

    def check(self, intent: str, actions_held: int, on: date) -> bool:
        """Validates for what was asked: saving keeps a draft (partial answers allowed), adding an action needs
        the action, submitting needs everything."""
        valid: bool = self.validate()
        for question, grade, comment in self.question_fields():
            chosen = self._grade_of(grade)
            valid = valid and not grade.errors
            if chosen is None and not grade.errors:
                if intent == SUBMIT:
                    valid = self._fail(grade, f"Choose a grade for question {question.position}")
                elif _text(comment) and not comment.errors:
                    valid = self._fail(grade, f"Choose a grade for question {question.position} to keep its "
                                              "comment")
        overall = self._grade_of(self.grade)
        valid = valid and not self.grade.errors
        adding = intent == ADD_ACTION or self.has_new_action()
        if adding:
            valid = self._check_action(on) and valid
        if intent == SUBMIT:
            if overall is None and not self.grade.errors:
                valid = self._fail(self.grade, "Choose an overall grade")
            if not _text(self.findings) and not self.findings.errors:
                valid = self._fail(self.findings, "Write the findings")
            will_have = actions_held + (1 if adding else 0)
            if will_have == 0 and not self.no_action_needed.data:
                valid = self._fail(self.no_action_needed, "Agree at least one remedial action with its owner and "
                                                          "due date, or tick “No remedial action needed”")
            elif will_have and self.no_action_needed.data:
                valid = self._fail(self.no_action_needed, "Untick “No remedial action needed” or remove the "
                                                          "actions: an audit records one or the other")
        return valid

    def _check_action(self, on: date) -> bool:
        ok = True
        if not _text(self.action_description) and not self.action_description.errors:
            ok = self._fail(self.action_description, "Describe the action")
        if (self.action_owner.data or 0) == 0:
            ok = self._fail(self.action_owner, "Choose who owns the action")
        elif self.action_owner.data not in self.owners:
            ok = self._fail(self.action_owner, "Choose the owner from the case's team or its managers")
        due = self.action_due_on
        if due.data is None and not due.errors:
            ok = self._fail(due, "Enter the date the action is due")
        elif due.data is not None and due.data < on and not due.errors:
            ok = self._fail(due, "The due date must be today or later")
        return ok and not due.errors and not self.action_description.errors

    def answers(self) -> list[AnswerInput]:
        return [AnswerInput(question.id, grade.data or None, _text(comment))
                for question, grade, comment in self.question_fields()]

    def new_action(self) -> ActionInput | None:
        if not self.has_new_action() or self.action_due_on.data is None:
            return None
        return ActionInput(_text(self.action_description), int(self.action_owner.data or 0), self.action_due_on.data)


def _closing_fields(reaudit: bool) -> dict[str, Any]:
    return {
        "grade": RadioField("Overall grade", coerce=whole_number, validate_choice=False),
        "findings": TextAreaField("Findings: did the actions work?" if reaudit else "Findings", validators=[
            Length(max=FINDINGS_MAX, message=f"Keep the findings to {FINDINGS_MAX:,} characters or fewer")]),
        "action_description": TextAreaField("Action", validators=[
            Length(max=ACTION_MAX, message=f"Keep the action to {ACTION_MAX:,} characters or fewer")]),
        "action_owner": SelectField("Owner", coerce=whole_number, validate_choice=False),
        "action_due_on": DateInputField("Due date", validators=[year_between(DUE_YEARS)]),
        "no_action_needed": BooleanField(NO_ACTION_NEEDED),
    }


def audit_form(audit: CaseAudit, owners: list[Staff], formdata: Any = None) -> AuditForm:
    """The form for this audit, filled with its draft (or, when posted, with what was sent)."""
    scale = [(grade.id, grade.label) for grade in audit.round.scale.grades]
    attrs: dict[str, Any] = {"questions": list(audit.round.questions), "grades": dict(scale),
                             "owners": {person.id for person in owners}}
    for question in audit.round.questions:
        attrs[f"q{question.id}_grade"] = RadioField(f"{question.position}. {question.text}", coerce=whole_number,
                                                    validate_choice=False, choices=scale)
        attrs[f"q{question.id}_comment"] = TextAreaField(
            f"Comment on question {question.position} (optional)", validators=[Length(
                max=ANSWER_COMMENT_MAX,
                message=f"Keep the comment to {ANSWER_COMMENT_MAX:,} characters or fewer")])
    attrs.update(_closing_fields(audit.reaudit_of_id is not None))
    form_class = type("BuiltAuditForm", (AuditForm,), attrs)
    held = {answer.question_id: answer for answer in audit.answers}
    data: dict[str, Any] = {"grade": audit.grade_id, "findings": audit.findings}
    for question in audit.round.questions:
        answer = held.get(question.id)
        data[f"q{question.id}_grade"] = answer.grade_id if answer else None
        data[f"q{question.id}_comment"] = answer.comment if answer else ""
    form: AuditForm = form_class(formdata=formdata, data=data)
    form.grade.choices = scale
    form.action_owner.choices = [(0, "Choose the owner")] + [
        (person.id, person.name) for person in owners]
    return form


class ReauditForm(FlaskForm):
    """QAIT schedules a re-audit of the same case (R-QA-5)."""

    auditor = SelectField("Auditor", coerce=whole_number, validate_choice=False,
                          validators=[InputRequired("Choose who re-audits the case")])
    due_on = DateInputField("Due date", validators=[InputRequired("Enter the date the re-audit is due"),
                                                    year_between(DUE_YEARS)])

    def set_auditors(self, people: list[Staff]) -> None:
        self.auditor.choices = [(person.id, f"{person.name}, {person.team.name}") for person in people]
        self.allowed = {person.id for person in people}

    def check(self, on: date) -> bool:
        valid: bool = self.validate()
        if self.auditor.data not in getattr(self, "allowed", set()):
            self.auditor.errors = [*self.auditor.errors, "Choose a manager who may audit this case"]
            valid = False
        if self.due_on.data is not None and self.due_on.data < on and not self.due_on.errors:
            self.due_on.errors = [*self.due_on.errors, "The due date must be today or later"]
            valid = False
        return valid

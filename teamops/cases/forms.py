"""Case forms. A case is a case-system reference only: the forms say so and refuse anything else."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from teamops.cases.models import OVERSIGHT_LABELS, Case
from teamops.dates import EVENT_YEARS
from teamops.extensions import db
from teamops.forms import LONG_TEXT, DateInputField, id_number, not_in_future, year_between
from teamops.org.models import CASE_REF_MAX, Staff
from teamops.org.settings import case_ref_rule
from teamops.policy.models import CaseType

# A reference outside the contract's rule, when the organisation has not narrowed it.
NOT_A_REFERENCE = "Use only letters, numbers and hyphens: the case system's reference, never a name"


def _worker_choices(workers: list[Staff], induction_ends: dict[int, date]) -> list[tuple[int, str]]:
    def label(worker: Staff) -> str:
        ends = induction_ends.get(worker.id)
        return f"{worker.name} ({worker.team.name})" + (f" (in induction until {ends:%-d %b})" if ends else "")

    return [(0, "Select a worker")] + [(w.id, label(w)) for w in workers]


COWORKER_HINT = ("An experienced colleague who co-works the case. A worker in the first 6 months of their ASYE leads a "
                 "child protection case or Section 47 enquiry only with one (R-ASYE-2).")


class CoworkerChoiceMixin:
    """The case's co-worker (R-ASYE-2), from the same people as its worker; none is a choice."""

    coworker_id: SelectField
    coworkers: dict[int, Staff]

    def set_coworkers(self, people: list[Staff]) -> None:
        self.coworker_id.choices = [(0, "No co-worker")] + [(w.id, f"{w.name} ({w.team.name})") for w in people]
        self.coworkers = {w.id: w for w in people}

    def validate_coworker_id(self, field: SelectField) -> None:
        if field.data and field.data not in self.coworkers:
            raise ValidationError("Choose an active co-worker in a team you manage, or no co-worker")

    @property
    def coworker(self) -> Staff | None:
        return self.coworkers.get(self.coworker_id.data or 0)


class WorkerChoiceMixin(CoworkerChoiceMixin):
    """The worker to allocate to, their co-worker, and "Allocate anyway" for an allocation that asks for
    confirmation (``teamops.cases.allocation_rules``: an agency starter's first day)."""

    worker_id: SelectField
    confirm_allocation: BooleanField
    workers: dict[int, Staff]
    caution: Any = None  # an allocation_rules.Caution waiting for "Allocate anyway"

    def set_workers(self, workers: list[Staff], induction_ends: dict[int, date] | None = None,
                    coworkers: list[Staff] | None = None) -> None:
        self.worker_id.choices = _worker_choices(workers, induction_ends or {})
        self.workers = {w.id: w for w in workers}
        self.set_coworkers(workers if coworkers is None else coworkers)

    def validate_worker_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Select the worker the case is allocated to")
        if field.data not in self.workers:
            raise ValidationError("Choose an active worker in a team you manage")


class CaseForm(WorkerChoiceMixin, FlaskForm):
    case_ref = StringField("Case reference", validators=[
        DataRequired("Enter the case reference"),
        Length(max=CASE_REF_MAX, message="Case references are 32 characters or fewer")])
    case_type_code = SelectField("Case type", validators=[DataRequired("Select the case type")])
    high_risk = BooleanField("High risk (supervised at least monthly)")
    section_47 = BooleanField("Section 47 enquiry under way")
    worker_id = SelectField("Allocated worker", coerce=id_number, validate_choice=False)
    coworker_id = SelectField("Co-worker (optional)", coerce=id_number, validate_choice=False)
    allocated_on = DateInputField("Allocation date", validators=[
        InputRequired("Enter the allocation date"), year_between(EVENT_YEARS), not_in_future()])
    confirm_allocation = BooleanField("Allocate anyway")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_type_code.choices = [("", "Select a case type")] + [
            (t.code, f"{t.label} ({t.code})") for t in db.session.scalars(select(CaseType).order_by(CaseType.label))]
        self.case_ref_rule = case_ref_rule()  # the organisation's, within the contract's

    def validate_case_ref(self, field: StringField) -> None:
        ref = (field.data or "").strip()
        if len(ref) > CASE_REF_MAX:
            return  # Length has said so
        if not self.case_ref_rule.accepts(ref):
            raise ValidationError(self.case_ref_rule.message if self.case_ref_rule.narrowed else NOT_A_REFERENCE)
        if db.session.scalar(select(Case.id).where(func.lower(Case.case_ref) == ref.lower())) is not None:
            raise ValidationError("A case with this reference is already in TeamOps")


class CaseDetailsForm(CoworkerChoiceMixin, FlaskForm):
    case_type_code = SelectField("Case type", validators=[DataRequired("Select the case type")])
    high_risk = BooleanField("High risk (supervised at least monthly)")
    section_47 = BooleanField("Section 47 enquiry under way")
    coworker_id = SelectField("Co-worker", coerce=id_number, validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_type_code.choices = [
            (t.code, f"{t.label} ({t.code})") for t in db.session.scalars(select(CaseType).order_by(CaseType.label))]


class ReallocateForm(WorkerChoiceMixin, FlaskForm):
    worker_id = SelectField("New worker", coerce=id_number, validate_choice=False)
    coworker_id = SelectField("Co-worker (optional)", coerce=id_number, validate_choice=False)
    from_date = DateInputField("Allocated to them from", validators=[
        InputRequired("Enter the date the new worker takes the case"), year_between(EVENT_YEARS), not_in_future()])
    confirm_allocation = BooleanField("Allocate anyway")


class CloseForm(FlaskForm):
    closed_on = DateInputField("Closure date", validators=[
        InputRequired("Enter the closure date"), year_between(EVENT_YEARS), not_in_future()])


class OversightForm(FlaskForm):
    kind = SelectField("Kind of oversight", choices=[("", "Select the kind"), *OVERSIGHT_LABELS.items()],
                       validators=[DataRequired("Select the kind of oversight")])
    entry_date = DateInputField("Date", validators=[InputRequired("Enter the date"), year_between(EVENT_YEARS),
                                                  not_in_future()])
    decision = TextAreaField("Decision", validators=[DataRequired("Enter the decision"), Length(max=LONG_TEXT)])
    rationale = TextAreaField("Rationale", validators=[DataRequired("Enter the rationale"), Length(max=LONG_TEXT)])


class CaseSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Case reference", validators=[Length(max=32)])
    show = SelectField("Show", choices=[("open", "Open cases"), ("overdue", "Overdue"),
                                        ("due_soon", "Due within 7 days"), ("closed", "Closed"), ("all", "All")],
                       default="open")

"""The cases list, a case's page and the manager's changes. Each write is one service call and one commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops import charts
from teamops.access import authorize, can, cases_in_reach, requires, staff_in_reach
from teamops.cases import bp, services
from teamops.cases.allocation_rules import Caution, Refusal, Verdict, allocation_check, induction_ends
from teamops.cases.forms import (
    CaseDetailsForm,
    CaseForm,
    CaseSearchForm,
    CloseForm,
    OversightForm,
    ReallocateForm,
)
from teamops.cases.models import OVERSIGHT_LABELS, Case
from teamops.dates import today
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.kept import kept
from teamops.org.models import Staff
from teamops.policy.services import interval_label
from teamops.scheduling import IN_TIMESCALE_DEFINITION, case_dues, load_policy
from teamops.web import changed, filter_keys, form_status, get_or_404, page_number, render


def _case(case_id: int, action: str = "view_case") -> Case:
    case = get_or_404(Case, case_id, services.WITH_CASE)
    authorize(action, case)
    return case


def _manager_workers() -> list[Any]:
    return services.workers_for(current_user, staff_in_reach(current_user))


def _set_workers(form: Any, workers: list[Staff], on: date) -> None:
    """The workers to choose from, each one in induction marked with its last day."""
    ids = staff_in_reach(current_user).where(Staff.active.is_(True)).with_only_columns(Staff.id)
    form.set_workers(workers, induction_ends(ids, workers, on) if workers else {})


def _blocked(form: Any, verdict: Verdict) -> int | None:
    """The status to answer when the allocation rules stop it (``teamops.cases.allocation_rules``): 400 with
    the refusal by its field; 409 with the caution until "Allocate anyway" is chosen; None to go ahead."""
    if isinstance(verdict, Refusal):
        field = form._fields.get(verdict.field, form.worker_id)
        field.errors = [*field.errors, verdict.message]
        return 400
    if isinstance(verdict, Caution) and not form.confirm_allocation.data:
        form.caution = verdict
        return 409
    return None


@bp.route("")
@requires("view_case")
@kept
def index() -> Any:
    form = CaseSearchForm(request.args)
    form.validate()
    on = today()
    page = services.case_page(cases_in_reach(current_user), form.q.data or "", form.show.data or "open", on,
                              page_number(request.args.get("page")), filter_keys(form))
    return render("cases/index.html", "cases/_results.html", page=page, search=form,
                  definition=IN_TIMESCALE_DEFINITION, today=on)


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_cases")
def new() -> Any:
    form = CaseForm()
    _set_workers(form, _manager_workers(), today())
    status = form_status()
    if form.validate_on_submit():
        assert form.allocated_on.data is not None
        worker = form.workers[form.worker_id.data]
        code = form.case_type_code.data or ""
        blocked = _blocked(form, allocation_check(worker, form.allocated_on.data, code))
        if blocked is None:
            case = services.create_case(form.case_ref.data or "", code, bool(form.high_risk.data), worker,
                                        form.allocated_on.data)
            db.session.commit()
            flash(f"Case {case.case_ref} added and allocated to {worker.name}.", "success")
            return changed(url_for("cases.show", case_id=case.id))
        status = blocked
    return render("cases/new.html", form=form, case_ref_hint=form.case_ref_rule.form_hint, status=status)


@bp.route("/<int:case_id>")
@requires("view_case")
def show(case_id: int) -> Any:
    case = _case(case_id)
    return _render_case(case)


def _render_case(case: Case, status: int = 200, **forms: Any) -> Any:
    on = today()
    policy = load_policy(on)
    due = case_dues([case], on, policy)[case.id]
    interval = policy.intervals.get(case.case_type_code)
    manage = can("manage_cases", case) and not case.closed_on
    details = forms.get("details_form") or CaseDetailsForm(obj=case)
    reallocate = forms.get("reallocate_form")
    if reallocate is None:  # the list has no induction notes here: the page keeps to its query budget
        reallocate = ReallocateForm(formdata=None)
        reallocate.set_workers([w for w in _manager_workers() if w.id != case.worker_id] if manage else [])
    context = {
        "case": case, "due": due, "interval": interval, "interval_label": interval_label, "manage": manage,
        "today": on,
        "definition": IN_TIMESCALE_DEFINITION,
        "details_form": details, "reallocate_form": reallocate,
        "close_form": forms.get("close_form") or CloseForm(formdata=None),
        "oversight_form": forms.get("oversight_form") or OversightForm(formdata=None),
        "oversight_labels": OVERSIGHT_LABELS, "action_form": ActionForm(),
        "points": charts.scaling_points(case.id),
        **services.history(case),
    }
    return render("cases/show.html", status=status, **context)


@bp.route("/<int:case_id>/details", methods=["POST"])
@requires("manage_cases")
def details(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = CaseDetailsForm()
    if not form.validate_on_submit():
        return _render_case(case, 400, details_form=form)
    services.update_case(case, form.case_type_code.data or "", bool(form.high_risk.data))
    db.session.commit()
    flash("Case type and risk saved. Due dates follow the new policy at once.", "success")
    return changed(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/reallocate", methods=["POST"])
@requires("manage_cases")
def reallocate(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = ReallocateForm()
    _set_workers(form, [w for w in _manager_workers() if w.id != case.worker_id], today())
    if case.closed_on is not None:
        abort(400)
    status = 400
    if form.validate_on_submit() and form.from_date.data and form.from_date.data < case.allocated_on:
        form.from_date.errors = ["The new allocation cannot start before the case was first allocated"]
    elif form.validate_on_submit():
        assert form.from_date.data is not None
        worker = form.workers[form.worker_id.data]
        blocked = _blocked(form, allocation_check(worker, form.from_date.data, case.case_type_code))
        if blocked is None:
            services.reallocate(case, worker, form.from_date.data)
            db.session.commit()
            flash(f"Case {case.case_ref} reallocated to {worker.name}. Its supervision history stays with it.",
                  "success")
            return changed(url_for("cases.show", case_id=case.id))
        status = blocked
    return _render_case(case, status, reallocate_form=form)


@bp.route("/<int:case_id>/close", methods=["POST"])
@requires("manage_cases")
def close(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = CloseForm()
    if form.validate_on_submit() and form.closed_on.data and form.closed_on.data < case.allocated_on:
        form.closed_on.errors = ["A case cannot close before it was allocated"]
    elif form.validate_on_submit():
        services.close_case(case, form.closed_on.data)  # type: ignore[arg-type]
        db.session.commit()
        flash(f"Case {case.case_ref} closed.", "success")
        return changed(url_for("cases.show", case_id=case.id))
    return _render_case(case, 400, close_form=form)


@bp.route("/<int:case_id>/reopen", methods=["POST"])
@requires("manage_cases")
def reopen(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    if ActionForm().validate_on_submit():
        services.reopen_case(case)
        db.session.commit()
        flash(f"Case {case.case_ref} reopened.", "success")
    return changed(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/oversight", methods=["POST"])
@requires("manage_cases")
def oversight(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = OversightForm()
    if not form.validate_on_submit():
        return _render_case(case, 400, oversight_form=form)
    services.add_oversight(case, current_user, form.kind.data or "", form.entry_date.data,  # type: ignore[arg-type]
                           form.decision.data or "", form.rationale.data or "")
    db.session.commit()
    flash("Management oversight recorded.", "success")
    return changed(url_for("cases.show", case_id=case.id) + "#oversight")

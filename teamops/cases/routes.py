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
    COWORKER_HINT,
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
        field = form._fields.get(verdict.field) or form._fields.get("worker_id") or form.coworker_id
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
        code, section_47 = form.case_type_code.data or "", bool(form.section_47.data)
        blocked = _blocked(form, allocation_check(worker, form.allocated_on.data, code, section_47, form.coworker))
        if blocked is None:
            case = services.create_case(form.case_ref.data or "", code, bool(form.high_risk.data), worker,
                                        form.allocated_on.data, section_47=section_47, coworker=form.coworker)
            db.session.commit()
            flash(f"Case {case.case_ref} added and allocated to {worker.name}.", "success")
            return changed(url_for("cases.show", case_id=case.id))
        status = blocked
    return render("cases/new.html", form=form, case_ref_hint=form.case_ref_rule.form_hint, status=status,
                  coworker_hint=COWORKER_HINT)


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
    workers = _manager_workers() if manage else []
    history = services.history(case)
    current = next((a for a in history["allocations"] if a.to_date is None), None)
    details = forms.get("details_form")
    if details is None:
        details = CaseDetailsForm(obj=case)
        details.coworker_id.data = current.coworker_id if current is not None else 0
        details.set_coworkers(workers)
    reallocate = forms.get("reallocate_form")
    if reallocate is None:  # the list has no induction notes here: the page keeps to its query budget
        reallocate = ReallocateForm(formdata=None)
        reallocate.set_workers([w for w in workers if w.id != case.worker_id], coworkers=workers)
    context = {
        "case": case, "due": due, "interval": interval, "interval_label": interval_label, "manage": manage,
        "today": on, "coworker_hint": COWORKER_HINT,
        "definition": IN_TIMESCALE_DEFINITION,
        "details_form": details, "reallocate_form": reallocate,
        "close_form": forms.get("close_form") or CloseForm(formdata=None),
        "oversight_form": forms.get("oversight_form") or OversightForm(formdata=None),
        "oversight_labels": OVERSIGHT_LABELS, "action_form": ActionForm(),
        "points": charts.scaling_points(case.id),
        "coworker": current.coworker if current is not None else None,
        **history,
    }
    return render("cases/show.html", status=status, **context)


@bp.route("/<int:case_id>/details", methods=["POST"])
@requires("manage_cases")
def details(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = CaseDetailsForm()
    form.set_coworkers(_manager_workers())
    if not form.validate_on_submit():
        return _render_case(case, 400, details_form=form)
    code, section_47 = form.case_type_code.data or "", bool(form.section_47.data)
    if _blocked(form, allocation_check(case.worker, today(), code, section_47, form.coworker, new_worker=False)):
        return _render_case(case, 400, details_form=form)
    services.update_case(case, code, bool(form.high_risk.data), section_47, form.coworker)
    db.session.commit()
    flash("Case details saved. Due dates follow the new policy at once.", "success")
    return changed(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/reallocate", methods=["POST"])
@requires("manage_cases")
def reallocate(case_id: int) -> Any:
    case = _case(case_id, "manage_cases")
    form = ReallocateForm()
    workers = _manager_workers()
    _set_workers(form, [w for w in workers if w.id != case.worker_id], today())
    form.set_coworkers(workers)
    if case.closed_on is not None:
        abort(400)
    status = 400
    if form.validate_on_submit() and form.from_date.data and form.from_date.data < case.allocated_on:
        form.from_date.errors = ["The new allocation cannot start before the case was first allocated"]
    elif form.validate_on_submit():
        assert form.from_date.data is not None
        worker = form.workers[form.worker_id.data]
        blocked = _blocked(form, allocation_check(worker, form.from_date.data, case.case_type_code, case.section_47,
                                                  form.coworker))
        if blocked is None:
            services.reallocate(case, worker, form.from_date.data, coworker=form.coworker)
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

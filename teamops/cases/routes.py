"""The cases list, a case's page and the manager's changes. Each write is one service call and one commit."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops import charts
from teamops.access import authorize, can, cases_in_reach, requires, staff_in_reach
from teamops.cases import bp, services
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
from teamops.policy.services import interval_label
from teamops.scheduling import IN_TIMESCALE_DEFINITION, case_dues, load_policy
from teamops.web import changed, filter_keys, form_status, get_or_404, page_number, render


def _case(case_id: int, action: str = "view_case") -> Case:
    case = get_or_404(Case, case_id, services.WITH_CASE)
    authorize(action, case)
    return case


def _manager_workers() -> list[Any]:
    return services.workers_for(current_user, staff_in_reach(current_user))


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
    form.set_workers(_manager_workers())
    if form.validate_on_submit():
        worker = form.workers[form.worker_id.data]
        case = services.create_case(form.case_ref.data or "", form.case_type_code.data or "",
                                    bool(form.high_risk.data), worker, form.allocated_on.data)  # type: ignore[arg-type]
        db.session.commit()
        flash(f"Case {case.case_ref} added and allocated to {worker.name}.", "success")
        return changed(url_for("cases.show", case_id=case.id))
    return render("cases/new.html", form=form, case_ref_hint=form.case_ref_rule.form_hint, status=form_status())


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
    reallocate = forms.get("reallocate_form") or ReallocateForm(formdata=None)
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
    form.set_workers([w for w in _manager_workers() if w.id != case.worker_id])
    if case.closed_on is not None:
        abort(400)
    if form.validate_on_submit() and form.from_date.data and form.from_date.data < case.allocated_on:
        form.from_date.errors = ["The new allocation cannot start before the case was first allocated"]
    elif form.validate_on_submit():
        worker = form.workers[form.worker_id.data]
        services.reallocate(case, worker, form.from_date.data)  # type: ignore[arg-type]
        db.session.commit()
        flash(f"Case {case.case_ref} reallocated to {worker.name}. Its supervision history stays with it.",
              "success")
        return changed(url_for("cases.show", case_id=case.id))
    return _render_case(case, 400, reallocate_form=form)


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

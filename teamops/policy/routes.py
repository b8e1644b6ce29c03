"""The supervision policy: readable by everyone (it explains due dates), changed by admins only. A change
applies to every due date at once because due dates are derived, never stored."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from teamops.access import requires
from teamops.extensions import db
from teamops.navigation import nav_item
from teamops.policy.forms import CaseTypeForm, SettingsForm
from teamops.supervision import services
from teamops.supervision.models import CaseType, SupervisionSettings

bp = Blueprint("policy", __name__, url_prefix="/policy")
nav_item("Policy", "policy.index", "manage_policy", 85)


@bp.route("")
@requires("signed_in")
def index() -> Any:
    settings = db.session.get(SupervisionSettings, 1) or SupervisionSettings(
        case_cap_months=2, high_risk_cap_months=1, personal_interval_months=1)
    return render_template("policy/index.html", case_types=services.case_types(), settings=settings)


@bp.route("/case-types/<code>", methods=["GET", "POST"])
@requires("manage_policy")
def case_type(code: str) -> Any:
    row = db.session.get(CaseType, code)
    if row is None:
        abort(404)
    form = CaseTypeForm(obj=row)
    if form.validate_on_submit():
        services.save_case_type(row, label=form.label.data or "", interval_count=form.interval_count.data or 1,
                                interval_unit=form.interval_unit.data or "weeks",
                                first_due_on_allocation=bool(form.first_due_on_allocation.data),
                                source_note=form.source_note.data or "")
        flash(f"{row.label} ({row.code}) saved. Every due date now follows it.", "success")
        return redirect(url_for("policy.index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("policy/case_type.html", form=form, row=row), status


@bp.route("/settings", methods=["GET", "POST"])
@requires("manage_policy")
def settings() -> Any:
    current = db.session.get(SupervisionSettings, 1)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        services.save_settings(case_cap_months=form.case_cap_months.data or 2,
                               high_risk_cap_months=form.high_risk_cap_months.data or 1,
                               personal_interval_months=form.personal_interval_months.data or 1)
        flash("Supervision caps saved. Every due date now follows them.", "success")
        return redirect(url_for("policy.index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("policy/settings.html", form=form), status

"""The policy page, and the admin's forms for a case type's interval and for the caps."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for

from teamops.access import requires
from teamops.extensions import db
from teamops.policy import bp, services
from teamops.policy.forms import CaseTypeForm, SettingsForm
from teamops.policy.models import CaseType
from teamops.web import changed, form_status, get_or_404, render


@bp.route("")
@requires("signed_in")
def index() -> Any:
    return render("policy/index.html", case_types=services.case_types(), settings=services.settings())


@bp.route("/case-types/<code>", methods=["GET", "POST"])
@requires("manage_policy")
def case_type(code: str) -> Any:
    row = get_or_404(CaseType, code)
    form = CaseTypeForm(obj=row)
    if form.validate_on_submit():
        services.save_case_type(row, label=form.label.data or "", interval_count=form.interval_count.data or 1,
                                interval_unit=form.interval_unit.data or "weeks",
                                first_due_on_allocation=bool(form.first_due_on_allocation.data),
                                source_note=form.source_note.data or "")
        db.session.commit()
        flash(f"{row.label} ({row.code}) saved. Every due date now follows it.", "success")
        return changed(url_for("policy.index"))
    return render("policy/case_type.html", form=form, row=row, status=form_status())


@bp.route("/settings", methods=["GET", "POST"])
@requires("manage_policy")
def settings() -> Any:
    form = SettingsForm(obj=services.settings())
    if form.validate_on_submit():
        services.save_settings(case_cap_months=form.case_cap_months.data or 0,
                               high_risk_cap_months=form.high_risk_cap_months.data or 0,
                               personal_interval_months=form.personal_interval_months.data or 0)
        db.session.commit()
        flash("Supervision caps saved. Every due date now follows them.", "success")
        return changed(url_for("policy.index"))
    return render("policy/settings.html", form=form, status=form_status())

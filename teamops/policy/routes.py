"""The policy page with its history, and the admin's forms for a case type's interval and for the caps."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.dates import today
from teamops.extensions import db
from teamops.policy import bp, services
from teamops.policy.forms import CaseTypeForm, SettingsForm
from teamops.policy.models import CaseType, PolicyChange
from teamops.scheduling import Interval
from teamops.web import changed, form_status, get_or_404, render


@bp.route("")
@requires("signed_in")
def index() -> Any:
    on = today()
    policy = services.in_force(on)
    rows = [(row, policy.intervals[row.code]) for row in services.case_types() if row.code in policy.intervals]
    history = services.changes(on)
    return render("policy/index.html", rows=rows, policy=policy, interval_label=services.interval_label,
                  months_label=services.months_label, to_come=[r for r in history if not r.in_force],
                  history=[r for r in history if r.in_force], today=on)


def _saved(change: PolicyChange | None, what: str) -> str:
    if change is None:
        return f"{what} saved. The rule itself did not change."
    if change.effective_from == today():
        return f"{what} saved. Due dates from today follow it; figures for past days keep the rule in force then."
    return f"{what} saved. It takes effect on {change.effective_from:%-d %B %Y}."


@bp.route("/case-types/<code>", methods=["GET", "POST"])
@requires("manage_policy")
def case_type(code: str) -> Any:
    row = get_or_404(CaseType, code)
    interval = services.in_force().intervals[row.code]
    form = CaseTypeForm(label=row.label, source_note=row.source_note, interval_count=interval.count,
                        interval_unit=interval.unit, first_due_on_allocation=interval.first_due_on_allocation)
    if form.validate_on_submit():
        change = services.save_case_type(
            row, label=form.label.data or "", interval_count=form.interval_count.data or 1,
            interval_unit=form.interval_unit.data or "weeks",
            first_due_on_allocation=bool(form.first_due_on_allocation.data), source_note=form.source_note.data or "",
            effective_from=form.effective_from.data, by=current_user._get_current_object())
        db.session.commit()
        flash(_saved(change, f"{row.label} ({row.code})"), "success")
        return changed(url_for("policy.index"))
    return render("policy/case_type.html", form=form, row=row, status=form_status())


@bp.route("/settings", methods=["GET", "POST"])
@requires("manage_policy")
def settings() -> Any:
    policy = services.in_force()
    form = SettingsForm(case_cap_months=policy.case_cap_months, high_risk_cap_months=policy.high_risk_cap_months,
                        personal_interval_months=policy.personal_interval_months,
                        asye_interval_count=policy.asye_interval.count, asye_interval_unit=policy.asye_interval.unit)
    if form.validate_on_submit():
        change = services.save_settings(
            case_cap_months=form.case_cap_months.data or 0, high_risk_cap_months=form.high_risk_cap_months.data or 0,
            personal_interval_months=form.personal_interval_months.data or 0,
            asye_interval=Interval(form.asye_interval_count.data or 1, form.asye_interval_unit.data or "months"),
            effective_from=form.effective_from.data, by=current_user._get_current_object())
        db.session.commit()
        flash(_saved(change, "Supervision caps"), "success")
        return changed(url_for("policy.index"))
    return render("policy/settings.html", form=form, status=form_status())

"""The organisation's settings page (admins): the rule its case references follow, and the service a suggested
buddy has at least, when a return is due after a bank holiday, how many supervision records a month each team's
samplers aim to dip-sample."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for

from teamops.access import requires
from teamops.extensions import db
from teamops.org import bp
from teamops.org.forms import OrganisationSettingsForm
from teamops.org.settings import RULE_LABELS, case_ref_rule, save_case_ref_rule, settings
from teamops.web import form_status, render, see_other


@bp.route("/settings", methods=["GET", "POST"], endpoint="settings")
@requires("manage_settings")
def organisation_settings() -> Any:
    form = OrganisationSettingsForm(obj=settings())
    if form.validate_on_submit():
        rule = form.rule()
        save_case_ref_rule(rule, form.buddy_min_service_months.data, form.return_due_rule.data,
                           form.dip_samples_per_team.data, form.auditors_own_team.data)
        db.session.commit()
        flash(f"Settings saved. New case references follow the rule “{RULE_LABELS[rule.rule]}”; cases already in "
              "TeamOps keep their references.", "success")
        return see_other(url_for("org.settings"))
    return render("org/settings.html", form=form, current=case_ref_rule(), status=form_status())

"""The Access changes page: QAIT and admin roles waiting for a second person's approval, and recent decisions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org import bp, grants
from teamops.org.models import RoleGrant
from teamops.web import get_or_404, render, see_other


@bp.route("/access-changes")
@requires("approve_role_grant")
def access_changes() -> Any:
    return render("org/access_changes.html", pending=grants.pending_grants(), decided=grants.recent_decisions(),
                  action_form=ActionForm())


@bp.route("/access-changes/<int:grant_id>/<any(approve, refuse):decision>", methods=["POST"])
@requires("approve_role_grant")
def access_change_decide(grant_id: int, decision: str) -> Any:
    grant = get_or_404(RoleGrant, grant_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    authorize("approve_role_grant", grant)
    approve = decision == "approve"
    grants.decide(grant, current_user._get_current_object(), approve)
    db.session.commit()
    outcome = "approved" if approve else "refused"
    flash(f"The {grant.role_label} role for {grant.staff.name} was {outcome}. They have been told.", "success")
    return see_other(url_for("org.access_changes"))

"""The escalations queue (R-SUP-7): a service manager resolves disagreements about a case's next action."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.navigation import nav_item
from teamops.records import escalations
from teamops.records.forms import ResolveForm
from teamops.records.routes import bp, discussion_or_404

nav_item("Escalations", "records.escalations", "resolve_escalations", 45, roles=("service_manager",))


@bp.route("/escalations", endpoint="escalations")
@requires("resolve_escalations")
def escalations_queue() -> Any:
    user = current_user._get_current_object()
    return render_template("records/escalations.html", waiting=escalations.open_escalations(user),
                           resolved=escalations.recently_resolved(user))


@bp.route("/escalations/<int:discussion_id>", methods=["GET", "POST"])
@requires("resolve_escalations")
def resolve(discussion_id: int) -> Any:
    discussion = discussion_or_404(discussion_id)
    if not discussion.disagreement:
        abort(404)
    authorize("resolve_escalations", discussion.record)
    form = ResolveForm()
    if request.method == "POST" and discussion.resolved_at is not None:
        flash("This disagreement was already resolved.", "info")
        return redirect(url_for("records.resolve", discussion_id=discussion.id), 303)
    if form.validate_on_submit():
        escalations.resolve(discussion, current_user._get_current_object(), form.resolution.data or "")
        flash(f"Disagreement on case {discussion.case.case_ref} resolved.", "success")
        return redirect(url_for("records.escalations"), 303)
    return render_template("records/resolve.html", form=form, discussion=discussion,
                           record=discussion.record), 400 if request.method == "POST" else 200

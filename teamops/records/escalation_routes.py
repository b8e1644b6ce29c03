"""The escalations queue (R-SUP-7): a service manager resolves disagreements about a case's next action."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.extensions import db
from teamops.records import bp, escalations
from teamops.records.forms import ResolveForm
from teamops.records.models import CaseDiscussion
from teamops.web import changed, form_status, get_or_404, render, see_other


@bp.route("/escalations", endpoint="escalations")
@requires("resolve_escalations")
def escalations_queue() -> Any:
    user = current_user._get_current_object()
    return render("records/escalations.html", waiting=escalations.open_escalations(user),
                  resolved=escalations.recently_resolved(user))


@bp.route("/escalations/<int:discussion_id>", methods=["GET", "POST"])
@requires("resolve_escalations")
def resolve(discussion_id: int) -> Any:
    discussion = get_or_404(CaseDiscussion, discussion_id)
    if not discussion.disagreement:
        abort(404)
    authorize("resolve_escalations", discussion.record)
    form = ResolveForm()
    if request.method == "POST" and discussion.resolved_at is not None:
        flash("This disagreement was already resolved.", "info")
        return see_other(url_for("records.resolve", discussion_id=discussion.id))
    if form.validate_on_submit():
        escalations.resolve(discussion, current_user._get_current_object(), form.resolution.data or "")
        db.session.commit()
        flash(f"Disagreement on case {discussion.case.case_ref} resolved.", "success")
        return changed(url_for("records.escalations"))
    return render("records/resolve.html", form=form, discussion=discussion, record=discussion.record,
                  status=form_status())

"""The escalations queue (R-SUP-7): a service manager resolves disagreements about a case's next action, and
whoever manages a worker resolves the worker's disagreement with their own record (the service manager too,
once it has waited 7 days)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops.access import authorize, can, requires
from teamops.extensions import db
from teamops.records import bp, escalations, services, voice
from teamops.records.forms import ResolveForm
from teamops.records.loading import as_read, load, purged_meanwhile
from teamops.records.models import CaseDiscussion
from teamops.web import changed, form_status, get_or_404, render, see_other


@bp.route("/escalations", endpoint="escalations")
@requires("view_escalations")
def escalations_queue() -> Any:
    user = current_user._get_current_object()
    cases = can("resolve_escalations")
    return render("records/escalations.html", case_escalations=cases,
                  waiting=escalations.open_escalations(user) if cases else [],
                  resolved=escalations.recently_resolved(user) if cases else [],
                  disagreements=voice.waiting(user), disagreements_resolved=voice.recently_resolved(user))


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
        if purged := purged_meanwhile(discussion.record):
            return purged
        escalations.resolve(discussion, current_user._get_current_object(), form.resolution.data or "")
        db.session.commit()
        flash(f"Disagreement on case {discussion.case.case_ref} resolved.", "success")
        return changed(url_for("records.escalations"))
    return render("records/resolve.html", form=form, discussion=discussion, record=discussion.record,
                  status=form_status())


@bp.route("/records/<int:record_id>/disagreement", methods=["GET", "POST"])
@requires("resolve_disagreement")
def resolve_disagreement(record_id: int) -> Any:
    """The worker's disagreement with what their record says, and the resolution recorded for it."""
    record = load(record_id)
    if not record.worker_disagrees:
        abort(404)
    authorize("resolve_disagreement", record)
    here = url_for("records.resolve_disagreement", record_id=record.id)
    if request.method == "POST" and not record.disagreement_open:
        flash("This disagreement was already resolved.", "info")
        return see_other(here)
    form = ResolveForm()
    if form.validate_on_submit():
        if purged := purged_meanwhile(record):
            return purged
        services.resolve_disagreement(record, current_user._get_current_object(), form.resolution.data or "")
        voice.tell_worker_resolved(record)
        db.session.commit()
        change = (" If the record needs correcting, change it now: the worker acknowledges the new version."
                  if can("change_record", record) else "")
        flash(f"Disagreement resolved. {record.worker.name} can read your resolution on the record.{change}",
              "success")
        return changed(url_for("records.show", record_id=record.id))
    return render("records/resolve_disagreement.html", form=form, record=record, snap=as_read(record),
                  status=form_status())

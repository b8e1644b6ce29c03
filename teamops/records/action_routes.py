"""The actions page (R-SUP-4, R-SUP-6): open supervision actions, overdue ones first, and marking one done.
Records agree the actions; this page reads and closes them."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops.access import authorize, can, requires
from teamops.dates import today
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.records import actions as services
from teamops.records import bp
from teamops.records.forms import ActionFilterForm
from teamops.records.models import SupervisionAction
from teamops.web import announce, changed, filter_keys, get_or_404, page_number, paginate, render, wants_fragment

PER_PAGE = 50


def _me() -> Staff:
    return current_user._get_current_object()


def _row_context(me: Staff) -> dict[str, Any]:
    return {"today": today(), "action_form": ActionForm(), "me": me}


@bp.route("/actions")
@requires("view_record")
def actions() -> Any:
    """A worker sees their own; a manager everyone's in their teams, or one person's with ``?worker=``."""
    me = _me()
    form = ActionFilterForm(request.args)
    owner: Staff | None = None
    chosen = form.worker.data or 0
    if chosen < 0:
        abort(404)
    if chosen > 0:
        owner = get_or_404(Staff, chosen)
        authorize("view_record", owner)
    choose = can("view_team_actions")
    if not choose:
        owner = me
    people = services.owners_in_reach(me) if choose else []
    form.worker.choices = [(0, "Everyone in your teams")] + [(p.id, p.name) for p in people]
    page = paginate(services.open_actions(me, owner), page_number(request.args.get("page")), per_page=PER_PAGE,
                    keys=filter_keys(form))
    return render("records/actions.html", "records/_actions_results.html", page=page, owner=owner,
                  filter_form=form, show_owner=owner is None, own_only=not choose,
                  worker_param=str(owner.id) if owner else "", **_row_context(me))


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@requires("view_record")
def action_done(action_id: int) -> Any:
    me = _me()
    action = get_or_404(SupervisionAction, action_id)
    authorize("close_action", action)
    if not ActionForm().validate_on_submit():
        abort(400)
    already_done = action.status != "open"
    if not already_done:
        services.mark_done(action)
        db.session.commit()
    worker = request.args.get("worker", "")
    if wants_fragment():
        return announce(render("records/_action_row.html", action=action, worker_param=worker,
                               show_owner=not worker.isdigit(), **_row_context(me)))
    flash("That action was already closed." if already_done else f"Action marked done: {action.description}",
          "info" if already_done else "success")
    return changed(url_for("records.actions", worker=worker) if worker.isdigit() else url_for("records.actions"))

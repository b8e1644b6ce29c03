"""The actions page (R-SUP-4, R-SUP-6): open supervision actions, overdue ones first, and marking one done.
Records agree the actions; this page reads and closes them."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for

from teamops.access import authorize, can, requires, signed_in
from teamops.dates import today
from teamops.extensions import db
from teamops.forms import ActionForm, whole_number
from teamops.org.models import Staff
from teamops.records import actions as services
from teamops.records import bp
from teamops.records.forms import ActionFilterForm
from teamops.records.models import SupervisionAction
from teamops.web import announce, changed, filter_keys, get_or_404, page_number, paginate, render, wants_fragment

PER_PAGE = 50



def _row_context(me: Staff) -> dict[str, Any]:
    return {"today": today(), "action_form": ActionForm(), "me": me, "can_undo": services.can_undo}


def _owner(me: Staff, worker: str | None) -> Staff | None:
    """Whose actions a list shows: ``?worker=`` for a manager (in reach), else everyone in reach; a worker's
    own list is always their own."""
    number = whole_number(worker)
    if number < 0:
        abort(404)
    owner = get_or_404(Staff, number) if number > 0 else None
    if owner is not None:
        authorize("view_record", owner)
    return owner if can("view_team_actions") else me


@bp.route("/actions")
@requires("view_record")
def actions() -> Any:
    """A worker sees their own; a manager everyone's in their teams, or one person's with ``?worker=``."""
    me = signed_in()
    form = ActionFilterForm(request.args)
    if (form.worker.data or 0) < 0:
        abort(404)
    owner = _owner(me, request.args.get("worker"))
    choose = can("view_team_actions")
    people = services.owners_in_reach(me) if choose else []
    form.worker.choices = [(0, "Everyone in your teams")] + [(p.id, p.name) for p in people]
    page = paginate(services.open_actions(me, owner), page_number(request.args.get("page")), per_page=PER_PAGE,
                    keys=filter_keys(form))
    just_done = _just_done(request.args.get("done"))
    return render("records/actions.html", "records/_actions_results.html", page=page, owner=owner,
                  filter_form=form, show_owner=owner is None, own_only=not choose,
                  counts=services.counts(me, owner), just_done=just_done,
                  worker_param=str(owner.id) if owner else "", **_row_context(me))


def _just_done(value: str | None) -> SupervisionAction | None:
    """The action a page without JavaScript has just marked done (``?done=``), while it can still be undone."""
    number = whole_number(value)
    action = db.session.get(SupervisionAction, number) if number > 0 else None
    return action if action is not None and services.can_undo(action) and can("close_action", action) else None


def _changed_row(me: Staff, action: SupervisionAction, worker: str) -> Any:
    """An htmx answer to "Mark done" or "Undo": the row, and the list's counts swapped out of band."""
    owner = _owner(me, worker)
    return announce(render("records/_action_row.html", action=action, worker_param=worker, oob_counts=True,
                           counts=services.counts(me, owner), show_owner=not worker.isdigit(), **_row_context(me)))


def _posted_for(action_id: int) -> SupervisionAction:
    """The action a "Mark done" or "Undo" form was posted for, when this person may close it."""
    action = get_or_404(SupervisionAction, action_id)
    authorize("close_action", action)
    if not ActionForm().validate_on_submit():
        abort(400)
    return action


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@requires("view_record")
def action_done(action_id: int) -> Any:
    me, action = signed_in(), _posted_for(action_id)
    already_done = action.status != "open"
    if not already_done:
        services.mark_done(action)
        db.session.commit()
    worker = request.args.get("worker", "")
    if wants_fragment():
        return _changed_row(me, action, worker)
    if already_done:
        flash("That action was already closed.", "info")
    return changed(url_for("records.actions", worker=worker if worker.isdigit() else None,
                           done=None if already_done else action.id))


@bp.route("/actions/<int:action_id>/undo", methods=["POST"])
@requires("view_record")
def action_undo(action_id: int) -> Any:
    """Takes back "Mark done" the same day (issue 10 item 13)."""
    me, action = signed_in(), _posted_for(action_id)
    undone = services.can_undo(action)
    if undone:
        services.undo_done(action)
        db.session.commit()
    worker = request.args.get("worker", "")
    if wants_fragment():
        return _changed_row(me, action, worker)
    flash(f"Action open again: {action.description}" if undone else
          "That action can no longer be reopened here: it was closed before today.", "success" if undone else "info")
    return changed(url_for("records.actions", worker=worker if worker.isdigit() else None))

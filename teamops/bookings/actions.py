"""The actions page (issue 3 item 7): open supervision actions, overdue ones first, and marking one done.

It shares the bookings blueprint because both are the manager's and worker's planning view of supervision;
the records feature writes actions, this page only reads and closes them.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.bookings import action_services
from teamops.bookings.blueprint import bp
from teamops.bookings.forms import ActionFilterForm
from teamops.dates import today
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.navigation import nav_item
from teamops.org.models import Staff
from teamops.org.services import page_number, paginate
from teamops.supervision.models import SupervisionAction

nav_item("My actions", "bookings.actions", "view_record", 32, roles=("worker",))
PER_PAGE = 50


def _me() -> Staff:
    return current_user._get_current_object()


def _row_context(me: Staff) -> dict[str, Any]:
    return {"today": today(), "action_form": ActionForm(), "me": me,
            "may_mark_done": action_services.may_mark_done}


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
        owner = db.session.get(Staff, chosen)
        if owner is None:
            abort(404)
        authorize("view_record", owner)
    if me.role == "worker":
        owner = me
    people = action_services.owners_in_reach(me) if me.role != "worker" else []
    form.worker.choices = [(0, "Everyone in your teams")] + [(p.id, p.name) for p in people]
    page = paginate(action_services.open_actions(me, owner), page_number(request.args.get("page")), per_page=PER_PAGE)
    template = "bookings/_actions_results.html" if request.headers.get("HX-Request") else "bookings/actions.html"
    return render_template(template, page=page, owner=owner, filter_form=form, show_owner=owner is None,
                           worker_param=str(owner.id) if owner else "", **_row_context(me))


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@requires("view_record")
def action_done(action_id: int) -> Any:
    me = _me()
    action = db.session.get(SupervisionAction, action_id)
    if action is None:
        abort(404)
    if not action_services.may_mark_done(me, action):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    already_done = action.status != "open"
    if not already_done:
        action_services.mark_done(action)
    worker = request.args.get("worker", "")
    if request.headers.get("HX-Request"):
        return render_template("bookings/_action_row.html", action=action, worker_param=worker,
                               show_owner=not worker.isdigit(), **_row_context(me))
    flash("That action was already closed." if already_done else f"Action marked done: {action.description}",
          "info" if already_done else "success")
    return redirect(url_for("bookings.actions", worker=worker) if worker.isdigit() else url_for("bookings.actions"),
                    303)

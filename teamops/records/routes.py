"""Supervision records: the list, a record's page, sign-off, acknowledgement, versions and the copy for the
case file. Writing and changing a record live in write_routes, the escalations queue in escalation_routes;
both add their routes to this blueprint."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from teamops.access import authorize, can, requires
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.navigation import nav_item
from teamops.org.models import Staff
from teamops.org.services import page_number, paginate
from teamops.records import labels, queries, signoff
from teamops.records.forms import RecordFilterForm
from teamops.records.text import hydrate, readable, record_text, text_for
from teamops.supervision.models import KIND_LABELS, CaseDiscussion, SupervisionRecord

bp = Blueprint("records", __name__)
nav_item("Records", "records.index", "view_record", 40, roles=("worker", "team_manager", "service_manager", "qait"))


def load(record_id: int, action: str = "view_record") -> SupervisionRecord:
    """The record, or 404; 403 when it is out of the person's reach for ``action``."""
    record = queries.load_record(record_id)
    if record is None:
        abort(404)
    authorize(action, record)
    if action == "supervise" and record.worker_id == current_user.id:
        abort(403)  # a manager who is supervised cannot sign off or change their own record
    return record


def may_change(record: SupervisionRecord) -> bool:
    return can("supervise", record) and record.worker_id != current_user.id


@bp.route("/records")
@requires("view_record")
def index() -> Any:
    user = current_user._get_current_object()
    filters = RecordFilterForm(request.args)
    filters.set_workers(queries.staff_for_filter(user))
    filters.validate()
    query = queries.record_list(queries.records_in_reach(user), filters.worker.data or None,
                                filters.show.data or "all")
    page = paginate(query, page_number(request.args.get("page")))
    template = "records/_results.html" if request.headers.get("HX-Request") else "records/index.html"
    return render_template(template, page=page, filters=filters, kinds=KIND_LABELS)


def render_record(record: SupervisionRecord, status: int = 200, problem: str | None = None) -> Any:
    return render_template("records/show.html", record=record, snap=readable(record), problem=problem,
                           can_change=may_change(record), action_form=ActionForm(), kinds=KIND_LABELS,
                           labels=labels), status


@bp.route("/records/<int:record_id>")
@requires("view_record")
def show(record_id: int) -> Any:
    return render_record(load(record_id))


@bp.route("/records/<int:record_id>/sign-off", methods=["POST"])
@requires("supervise")
def sign_off(record_id: int) -> Any:
    record = load(record_id, "supervise")
    if ActionForm().validate_on_submit():
        if signoff.sign_off(record):
            flash(f"Record signed off. {record.worker.name} can now acknowledge it.", "success")
        else:
            flash("This record was already signed off.", "info")
    return redirect(url_for("records.show", record_id=record.id), 303)


@bp.route("/records/<int:record_id>/acknowledge", methods=["POST"])
@requires("view_record")
def acknowledge(record_id: int) -> Any:
    record = load(record_id)
    if record.worker_id != current_user.id:
        abort(403)  # only the person supervised acknowledges their record
    if not ActionForm().validate_on_submit():
        return redirect(url_for("records.show", record_id=record.id), 303)
    if record.status != "signed_off":
        return render_record(record, 400, "You can acknowledge this record once your manager has signed it off.")
    if signoff.acknowledge(record):
        flash("Thank you: you have acknowledged this record.", "success")
    else:
        flash("You had already acknowledged this version of the record.", "info")
    return redirect(url_for("records.show", record_id=record.id), 303)


@bp.route("/records/<int:record_id>/versions")
@requires("view_record")
def versions(record_id: int) -> Any:
    record = load(record_id)
    return render_template("records/versions.html", record=record, editors=_editors(record))


@bp.route("/records/<int:record_id>/versions/<int:version>")
@requires("view_record")
def version(record_id: int, version: int) -> Any:
    record = load(record_id)
    if version == record.version:
        return redirect(url_for("records.show", record_id=record.id), 303)
    kept = next((v for v in record.versions if v.version == version), None)
    if kept is None:
        abort(404)
    snap = hydrate(kept.snapshot)
    return render_template("records/version.html", record=record, kept=kept, snap=snap, text=record_text(snap),
                           editor=_editors(record).get(kept.created_by_id or 0), kinds=KIND_LABELS, labels=labels)


def _editors(record: SupervisionRecord) -> dict[int, str]:
    """Names of the people who changed the record, for its versions."""
    ids = {v.created_by_id for v in record.versions if v.created_by_id}
    if not ids:
        return {}
    return {person.id: person.name for person in db.session.scalars(select(Staff).where(Staff.id.in_(ids)))}


def _copy(record_id: int, discussion_id: int | None) -> tuple[SupervisionRecord, CaseDiscussion | None, str]:
    record = load(record_id)
    text = text_for(readable(record), discussion_id)
    if text is None:
        abort(404)
    discussion = next((d for d in record.discussions if d.id == discussion_id), None)
    return record, discussion, text


@bp.route("/records/<int:record_id>/copy")
@bp.route("/records/<int:record_id>/cases/<int:discussion_id>/copy")
@requires("view_record")
def copy(record_id: int, discussion_id: int | None = None) -> Any:
    record, discussion, text = _copy(record_id, discussion_id)
    return render_template("records/copy.html", record=record, discussion=discussion, text=text,
                           can_change=may_change(record), action_form=ActionForm())


@bp.route("/records/<int:record_id>/copy.txt")
@bp.route("/records/<int:record_id>/cases/<int:discussion_id>/copy.txt")
@requires("view_record")
def copy_text(record_id: int, discussion_id: int | None = None) -> Any:
    record, discussion, text = _copy(record_id, discussion_id)
    name = f"supervision-{record.held_on.isoformat()}-{discussion.case.case_ref if discussion else 'personal'}.txt"
    return Response(text, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/records/<int:record_id>/filed", methods=["POST"])
@requires("supervise")
def filed(record_id: int) -> Any:
    record = load(record_id, "supervise")
    discussion_id = request.args.get("discussion", type=int)
    back = (url_for("records.copy", record_id=record.id, discussion_id=discussion_id)
            if any(d.id == discussion_id for d in record.discussions) else url_for("records.show", record_id=record.id))
    if not ActionForm().validate_on_submit():
        return redirect(back, 303)
    if record.status != "signed_off":
        return render_record(record, 400, "Sign the record off before filing it on the case record.")
    if signoff.mark_filed(record):
        flash("Marked as filed in the case-recording system.", "success")
    else:
        flash("This record was already marked as filed.", "info")
    return redirect(back, 303)


def discussion_or_404(discussion_id: int) -> CaseDiscussion:
    discussion = db.session.get(CaseDiscussion, discussion_id)
    if discussion is None:
        abort(404)
    return discussion


from teamops.records import escalation_routes, write_routes  # noqa: E402, F401  (they add routes to bp)

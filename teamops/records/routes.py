"""Supervision records: the list, a record's page, sign-off, acknowledgement, versions and the copy for the
case file. Writing and changing a record, the actions page and the escalations queue have route modules of
their own on the same blueprint, imported here so that importing this module registers them all."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from teamops.access import can, records_in_reach, requires
from teamops.bookings.models import KIND_LABELS
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.quality import dips
from teamops.quality.models import RATINGS, RUBRIC
from teamops.records import action_routes, bp, escalation_routes, labels, queries, services, voice, write_routes
from teamops.records.forms import AcknowledgeForm, RecordFilterForm
from teamops.records.loading import as_read, load, purged_meanwhile
from teamops.records.models import CaseDiscussion, SupervisionRecord
from teamops.records.text import hydrate, record_text, text_for
from teamops.web import changed, filter_keys, page_number, paginate, render, see_other

__all__ = ["action_routes", "escalation_routes", "write_routes"]


@bp.route("/records")
@requires("view_record")
def index() -> Any:
    user = current_user._get_current_object()
    filters = RecordFilterForm(request.args)
    filters.set_workers(queries.staff_for_filter(user))
    filters.validate()
    query = queries.record_list(records_in_reach(user), filters.worker.data or None, filters.show.data or "all")
    page = paginate(query, page_number(request.args.get("page")), keys=filter_keys(filters))
    visible = queries.reachable_case_ids(user, (d.case_id for record in page.items for d in record.discussions))
    return render("records/index.html", "records/_results.html", page=page, filters=filters, kinds=KIND_LABELS,
                  visible_cases=visible)


def render_record(record: SupervisionRecord, status: int = 200, problem: str | None = None,
                  problems: list[str] | None = None, acknowledge_form: AcknowledgeForm | None = None,
                  confirm_sign_off: bool = False) -> Any:
    problems = problems or ([problem] if problem else [])
    samples = [sample for sample in dips.rated_samples_of(record) if can("view_dip_sample", sample)] \
        if can("view_dip_sample") else []
    dip_ratings = {sample.id: dips.ratings_of(sample) for sample in samples}
    return render("records/show.html", record=record, snap=as_read(record), confirm_sign_off=confirm_sign_off,
                  dip_samples=samples, dip_ratings=dip_ratings, rubric=RUBRIC, rating_labels=RATINGS,
                  problems=problems, acknowledge_form=acknowledge_form or AcknowledgeForm(formdata=None),
                  can_change=can("change_record", record), can_resolve=can("resolve_disagreement", record),
                  action_form=ActionForm(), kinds=KIND_LABELS, labels=labels, status=status)


@bp.route("/records/<int:record_id>")
@requires("view_record")
def show(record_id: int) -> Any:
    return render_record(load(record_id))


@bp.route("/records/<int:record_id>/sign-off", methods=["POST"])
@requires("supervise")
def sign_off(record_id: int) -> Any:
    record = load(record_id, "change_record")
    if ActionForm().validate_on_submit():
        missing = services.missing_core(record) if record.status == "draft" else []
        early = services.not_held_yet(record) if record.status == "draft" else None
        if early is not None:
            return render_record(record, 400, problems=[early])
        if missing:
            return render_record(record, 400, problems=[*missing, "Change the record, then sign it off"])
        if record.status == "draft" and request.form.get("confirm") != "y":
            return render_record(record, confirm_sign_off=True)
        _step(services.sign_off(record), f"Record signed off. {record.worker.name} can now acknowledge it.",
              "This record was already signed off.")
    return changed(url_for("records.show", record_id=record.id))


def _step(done: bool, success: str, already: str) -> None:
    """Commits a sign-off step and says so, or says it had already been taken (a second click)."""
    if done:
        db.session.commit()
        flash(success, "success")
    else:
        flash(already, "info")


@bp.route("/records/<int:record_id>/acknowledge", methods=["POST"])
@requires("acknowledge_record")
def acknowledge(record_id: int) -> Any:
    """The worker has read the record, says whether they agree with it, and may comment (R-SUP-7)."""
    record = load(record_id, "acknowledge_record")
    form = AcknowledgeForm()
    here = url_for("records.show", record_id=record.id)
    if record.status != "signed_off":
        return render_record(record, 400, "You can acknowledge this record once your manager has signed it off.")
    if record.imported:  # only its date and cases are in TeamOps: there is nothing written to acknowledge
        return render_record(record, 400, "This record was imported from the team's spreadsheet: TeamOps holds its "
                                          "date and cases, not what was written, so there is nothing to acknowledge.")
    if record.content_purged_on is not None:  # what it said is gone: a comment now would be new content on it
        return render_record(record, 400, "What this record said was removed under the retention policy, so there "
                                          "is nothing left to acknowledge.")
    if record.acknowledged_at is not None:
        flash("You had already acknowledged this version of the record.", "info")
        return see_other(here)
    if not form.validate_on_submit():
        if form.csrf_token.errors:  # the form had gone stale: show the page again, nothing written
            return see_other(here)
        return render_record(record, 400, acknowledge_form=form)
    if purged := purged_meanwhile(record):
        return purged
    services.acknowledge(record, form.disagrees, form.comment.data or "")
    if form.disagrees:
        voice.tell_about_disagreement(record)  # in the same transaction: sent once it commits
    db.session.commit()
    if form.disagrees:
        flash("Thank you: you have acknowledged this record and recorded that you disagree. Your manager will "
              "read your reasons and record how it is resolved; you will see it here.", "success")
    else:
        flash("Thank you: you have acknowledged this record.", "success")
    return changed(here)


@bp.route("/records/<int:record_id>/versions")
@requires("view_record")
def versions(record_id: int) -> Any:
    record = load(record_id)
    return render("records/versions.html", record=record, editors=_editors(record))


@bp.route("/records/<int:record_id>/versions/<int:version>")
@requires("view_record")
def version(record_id: int, version: int) -> Any:
    record = load(record_id)
    if version == record.version:
        return see_other(url_for("records.show", record_id=record.id))
    kept = next((v for v in record.versions if v.version == version), None)
    if kept is None:
        abort(404)
    snap = as_read(record, hydrate(kept.snapshot))
    return render("records/version.html", record=record, kept=kept, snap=snap, text=record_text(snap),
                  editor=_editors(record).get(kept.created_by_id or 0), kinds=KIND_LABELS, labels=labels)


def _editors(record: SupervisionRecord) -> dict[int, str]:
    """Names of the people who changed the record, for its versions."""
    ids = {v.created_by_id for v in record.versions if v.created_by_id}
    if not ids:
        return {}
    return {person.id: person.name for person in db.session.scalars(select(Staff).where(Staff.id.in_(ids)))}


def _copy(record_id: int, discussion_id: int | None) -> tuple[SupervisionRecord, CaseDiscussion | None, str]:
    record = load(record_id)
    text = text_for(as_read(record), discussion_id)
    if text is None:
        abort(404)
    discussion = next((d for d in record.discussions if d.id == discussion_id), None)
    return record, discussion, text


@bp.route("/records/<int:record_id>/copy")
@bp.route("/records/<int:record_id>/cases/<int:discussion_id>/copy")
@requires("view_record")
def copy(record_id: int, discussion_id: int | None = None) -> Any:
    record, discussion, text = _copy(record_id, discussion_id)
    return render("records/copy.html", record=record, discussion=discussion, text=text,
                  can_change=can("change_record", record), action_form=ActionForm())


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
    record = load(record_id, "change_record")
    discussion_id = request.args.get("discussion", type=int)
    back = (url_for("records.copy", record_id=record.id, discussion_id=discussion_id)
            if any(d.id == discussion_id for d in record.discussions) else url_for("records.show", record_id=record.id))
    if not ActionForm().validate_on_submit():
        return see_other(back)
    if record.status != "signed_off":
        return render_record(record, 400, "Sign the record off before filing it on the case record.")
    discussion = next((d for d in record.discussions if d.id == discussion_id), None)
    _step(services.mark_filed(record, discussion), "Marked as filed in the case-recording system.",
          "This was already marked as filed.")
    return changed(back)

"""Writing a record (choose the session, then fill in one section per case) and changing one."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for
from flask_login import current_user

from teamops.access import can, requires
from teamops.bookings.models import KIND_LABELS, Booking
from teamops.extensions import db
from teamops.records import bp, labels, layout, services
from teamops.records.forms import RecordForm, record_form
from teamops.records.loading import load, purged_meanwhile
from teamops.records.models import SupervisionRecord
from teamops.records.setup import SetupForm, booking_args, recorded_booking
from teamops.types import MAX_ID
from teamops.web import changed, form_status, format_date, go_to, render, see_other, wants_fragment

ALREADY_RECORDED = ("This supervision had already been recorded, so it was not saved a second time. "
                    "This is the record.")


def _already_recorded(record: SupervisionRecord) -> Any:
    flash(ALREADY_RECORDED, "info")
    return see_other(url_for("records.show", record_id=record.id))


@bp.route("/records/new")
@requires("supervise")
def new_record() -> Any:
    """Step 1: the worker, kind, date, cases and attendees (from a booking when there is one). A GET form,
    so it works without JavaScript; htmx refreshes it when the worker, kind or date changes."""
    user = current_user._get_current_object()
    args = request.args
    booking_id = args.get("booking", type=int) or 0
    booking = db.session.get(Booking, booking_id) if 0 < booking_id <= MAX_ID else None
    if booking is not None and can("record_booking", booking):
        recorded = recorded_booking(booking.id)
        if recorded is not None:
            return _already_recorded(recorded)
        if set(args) == {"booking"}:
            args = booking_args(booking)
    form = SetupForm(args if args else None, user=user)
    refresh = wants_fragment() and bool(args.get("refresh"))
    if args and form.validate() and form.setup is not None and not refresh and not args.get("change"):
        return go_to(url_for("records.write", **form.setup.args()))
    if refresh:
        for field in form:
            field.errors = []
    return render("records/new.html", "records/_setup.html", form=form, kinds=KIND_LABELS,
                  status=400 if form.errors else 200)


def _render_form(form: RecordForm, status: int, **context: Any) -> Any:
    return render("records/write.html", form=form, sections=form.sections, kinds=KIND_LABELS, labels=labels,
                  status=status, **context)


@bp.route("/records/new/write", methods=["GET", "POST"])
@requires("supervise")
def write() -> Any:
    """Step 2: the record itself. The session chosen in step 1 travels in the address and is checked again."""
    user = current_user._get_current_object()
    setup_form = SetupForm(request.args, user=user)
    if not setup_form.validate() or setup_form.setup is None:
        setup_form.step.data = "cases"
        return render("records/new.html", form=setup_form, kinds=KIND_LABELS, status=400)
    setup = setup_form.setup
    if setup.booking is not None or request.method == "POST":
        duplicate = services.find_duplicate(setup)
        if duplicate is not None and can("view_record", duplicate):
            return _already_recorded(duplicate)
    form = record_form(layout.new_sections(setup.kind, setup.worker, user, setup.cases, setup.held_on))()
    form.session_date = setup.held_on
    if form.validate_on_submit():
        record, created = services.create_record(setup, user, form.content())
        db.session.commit()
        if not created:
            return _already_recorded(record)
        flash("Record saved. Sign it off when it is complete.", "success")
        return changed(url_for("records.show", record_id=record.id))
    return _render_form(form, form_status(), setup=setup, record=None,
                        action=url_for("records.write", **setup.args()))


def _resolve_first(record: SupervisionRecord) -> Any:
    """A record the worker disagrees with changes once the disagreement is resolved: the resolution is kept
    with the version it was about (R-SUP-7), and the worker then acknowledges the new one."""
    name = record.worker.name
    if can("resolve_disagreement", record):
        flash(f"{name} disagrees with this record. Record how the disagreement is resolved first; then you can "
              "change the record, and they acknowledge the new version.", "info")
        return see_other(url_for("records.resolve_disagreement", record_id=record.id))
    flash(f"{name} disagrees with this record. It can be changed once their manager has recorded how the "
          "disagreement is resolved.", "info")
    return see_other(url_for("records.show", record_id=record.id))


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@requires("supervise")
def edit(record_id: int) -> Any:
    """Changes a record: in place before sign-off; afterwards as a new version, with a reason."""
    user = current_user._get_current_object()
    record = load(record_id, "change_record")
    if record.content_purged_on is not None:
        flash(f"This record cannot be changed: its content was removed on {format_date(record.content_purged_on)} "
              "under the retention policy.", "info")
        return see_other(url_for("records.show", record_id=record.id))
    if record.disagreement_open:
        return _resolve_first(record)
    sections, reviews = layout.record_sections(record)
    form_class = record_form(sections, editing=True, needs_reason=record.status == "signed_off")
    form = form_class(data=layout.record_data(record, sections, reviews))
    if form.validate_on_submit():
        if purged := purged_meanwhile(record):
            return purged
        versioned = record.status == "signed_off"
        updated = services.update_record(record, form.content(), user)
        db.session.commit()
        if not updated:
            flash("Nothing was changed, so the record keeps its version.", "info")
        elif versioned:
            flash(f"Record changed: this is version {record.version}, and every earlier version stays readable. "
                  f"{record.worker.name} needs to acknowledge it again.", "success")
        else:
            flash("Record changed.", "success")
        return changed(url_for("records.show", record_id=record.id))
    return _render_form(form, form_status(), setup=None, record=record,
                        action=url_for("records.edit", record_id=record.id))

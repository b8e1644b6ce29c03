"""Supervision bookings: managers book, move and cancel sessions with people in their teams; everyone sees
the sessions they are supervised in. Thin routes: parse, authorise, call ``services``, render."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.access import authorize, can, requires
from teamops.bookings import actions as _actions  # noqa: F401 - registers /actions on the same blueprint
from teamops.bookings import services
from teamops.bookings.blueprint import bp
from teamops.bookings.forms import BookingFilterForm, BookingForm, CancelForm, RescheduleForm, whole_number
from teamops.dates import LONDON, today, utcnow
from teamops.extensions import db
from teamops.navigation import nav_item
from teamops.org.models import Staff
from teamops.org.services import page_number, paginate
from teamops.scheduling import DUE_STATE_LABELS
from teamops.supervision.models import KIND_LABELS, Booking

__all__ = ["bp"]

nav_item("Bookings", "bookings.index", "supervise", 30)
nav_item("My sessions", "bookings.mine", "signed_in", 31, roles=("worker",))
RECORD_ENDPOINT = "records.new_record"


def _me() -> Staff:
    return current_user._get_current_object()


def _booking_or_404(booking_id: int) -> Booking:
    booking = db.session.scalar(
        select(Booking).where(Booking.id == booking_id)
        .options(selectinload(Booking.cases), selectinload(Booking.attendees),
                 selectinload(Booking.worker).selectinload(Staff.team))
    )
    if booking is None:
        abort(404)
    return booking


def _may_see(person: Staff, booking: Booking) -> bool:
    """Whoever may read the worker's records, and everyone taking part (a group session's attendees)."""
    return can("view_record", booking) or (person.role != "admin" and person.id in services.participant_ids(booking))


def _list(query: Any, template: str) -> Any:
    form = BookingFilterForm(request.args)
    show = form.show.data if form.validate() and form.show.data in services.SHOWS else "upcoming"
    form.show.data = show
    page = paginate(services.filter_bookings(query, show), page_number(request.args.get("page")))
    name = "bookings/_results.html" if request.headers.get("HX-Request") else template
    return render_template(name, page=page, filter_form=form, show=show, kinds=KIND_LABELS,
                           started_before=utcnow(), records=services.records_of(page.items))


@bp.route("/bookings", endpoint="index")
@requires("supervise")
def index() -> Any:
    return _list(services.bookings_for_teams(_me()), "bookings/index.html")


@bp.route("/bookings/mine")
@requires("signed_in")
def mine() -> Any:
    return _list(services.bookings_for_person(_me()), "bookings/mine.html")


# Booking -------------------------------------------------------------------------------------------

def _form_context(form: BookingForm, preselect: bool = False) -> dict[str, Any]:
    """What the booking form shows. ``preselect`` ticks the cases due by the session date (a fresh choice
    of worker, date or kind); otherwise the ticks are what the manager sent."""
    worker = form.chosen_worker()
    session_day = form.session_date.data or today()
    options = services.case_options(worker, session_day) if worker is not None else []
    if preselect:
        selected = {o.case.id for o in options if o.due_by_session} if form.kind.data != "personal" else set()
    else:
        selected = set(form.case_ids.data or [])
    return {"form": form, "worker": worker, "options": options, "selected": selected, "kinds": KIND_LABELS,
            "due_labels": DUE_STATE_LABELS}


def _render_form(form: BookingForm, status: int = 200, preselect: bool = False,
                 clashes: list[services.Clash] | None = None) -> Any:
    return render_template("bookings/new.html", clashes=clashes or [], **_form_context(form, preselect)), status


@bp.route("/bookings/new", methods=["GET", "POST"])
@requires("supervise")
def new() -> Any:
    me = _me()
    form = BookingForm(supervisor=me)
    if request.method == "GET":
        form.worker_id.data = whole_number(request.args.get("worker_id"))
        return _render_form(form, preselect=True)
    if "show_cases" in request.form:  # the picker without JavaScript: nothing is saved
        return _render_form(form, preselect=True)
    if not form.validate_on_submit() or form.worker is None or form.starts_at is None:
        return _render_form(form, 400)
    minutes = form.duration_minutes.data or 0
    clashes = services.find_clashes([me, form.worker, *form.attendees], form.starts_at, minutes)
    if clashes and not form.confirm_clash.data:
        return _render_form(form, 409, clashes=clashes)
    booking = services.create_booking(
        kind=form.kind.data or "case", worker=form.worker, supervisor=me, starts_at=form.starts_at,
        duration_minutes=minutes, location=form.location.data or "", online=bool(form.online.data),
        cases=form.cases, attendees=form.attendees)
    flash(f"Session with {booking.worker.name} booked for {_when(booking)}.", "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), 303)


@bp.route("/bookings/case-picker")
@requires("supervise")
def case_picker() -> Any:
    """The cases fragment: swapped in when the worker, date or kind changes (htmx)."""
    form = BookingForm(formdata=request.args, supervisor=_me())
    person = db.session.get(Staff, form.worker_id.data) if (form.worker_id.data or 0) > 0 else None
    if person is not None:
        authorize("supervise", person)
    if request.headers.get("HX-Request"):
        return render_template("bookings/_case_picker.html", **_form_context(form, preselect=True))
    return _render_form(form, preselect=True)


def _when(booking: Booking) -> str:
    return booking.starts_at.astimezone(LONDON).strftime("%-d %B %Y at %H:%M")


@bp.route("/bookings/<int:booking_id>")
@requires("signed_in")
def detail(booking_id: int) -> Any:
    booking = _booking_or_404(booking_id)
    if not _may_see(_me(), booking):
        abort(403)
    manages = can("supervise", booking)
    record_id = services.records_of([booking]).get(booking.id)
    # The records feature is built separately: link to it only where its pages exist. A record is written
    # by the session's supervisor, on the day or afterwards (R-SUP-5), once per booking.
    write_link = (RECORD_ENDPOINT in current_app.view_functions and record_id is None
                  and booking.status == "booked" and booking.supervisor_id == current_user.id
                  and booking.starts_at.astimezone(LONDON).date() <= today())
    read_link = record_id is not None and "records.show" in current_app.view_functions
    return render_template("bookings/detail.html", booking=booking, ends_at=services.ends_at(booking),
                           kinds=KIND_LABELS, manages=manages, write_link=write_link, read_link=read_link,
                           record_id=record_id, now_utc=utcnow())


# Changes -------------------------------------------------------------------------------------------

def _changeable(booking_id: int) -> Booking | None:
    """The booking when the manager may change it and it is still booked; None after a flash otherwise."""
    booking = _booking_or_404(booking_id)
    authorize("supervise", booking)
    if booking.status != "booked":
        flash(f"This session is {booking.status}: it can no longer be moved or cancelled.", "info")
        return None
    if services.records_of([booking]):
        flash("This session has its supervision record: it can no longer be moved or cancelled.", "info")
        return None
    return booking


@bp.route("/bookings/<int:booking_id>/reschedule", methods=["GET", "POST"])
@requires("supervise")
def reschedule(booking_id: int) -> Any:
    booking = _changeable(booking_id)
    if booking is None:
        return redirect(url_for("bookings.detail", booking_id=booking_id), 303)
    form = RescheduleForm()
    if request.method == "GET":
        local = booking.starts_at.astimezone(LONDON)
        form.session_date.data = local.date()
        form.start_time.data = local.strftime("%H:%M")
        form.duration_minutes.data = booking.duration_minutes
    clashes: list[services.Clash] = []
    if form.validate_on_submit() and form.starts_at is not None:
        minutes = form.duration_minutes.data or 0
        people = [booking.supervisor, booking.worker, *booking.attendees]
        clashes = services.find_clashes(people, form.starts_at, minutes, except_booking=booking)
        if not clashes or form.confirm_clash.data:
            services.reschedule(booking, form.starts_at, minutes, form.reason.data or "")
            flash(f"Session moved to {_when(booking)}.", "success")
            return redirect(url_for("bookings.detail", booking_id=booking.id), 303)
    status = 409 if clashes else (400 if request.method == "POST" else 200)
    return render_template("bookings/reschedule.html", form=form, booking=booking, clashes=clashes,
                           kinds=KIND_LABELS), status


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@requires("supervise")
def cancel(booking_id: int) -> Any:
    booking = _changeable(booking_id)
    if booking is None:
        return redirect(url_for("bookings.detail", booking_id=booking_id), 303)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(booking, form.reason.data or "")
        flash(f"Session on {_when(booking)} cancelled.", "success")
        return redirect(url_for("bookings.detail", booking_id=booking.id), 303)
    return render_template("bookings/cancel.html", form=form, booking=booking, kinds=KIND_LABELS), \
        400 if request.method == "POST" else 200

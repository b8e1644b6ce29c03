"""Supervision bookings: managers book, move and cancel sessions with people in their teams; everyone sees
the sessions they are supervised in. Thin routes: parse, authorise, call ``services``, render."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, request, url_for
from sqlalchemy.orm import selectinload

from teamops.access import authorize, can, requires, signed_in
from teamops.bookings import bp, invitations, services
from teamops.bookings.forms import BookingFilterForm, BookingForm, CancelForm, RescheduleForm
from teamops.bookings.models import KIND_LABELS, Booking
from teamops.dates import LONDON, today, utcnow
from teamops.extensions import db
from teamops.forms import whole_number
from teamops.org.models import Staff
from teamops.scheduling import DUE_STATE_LABELS
from teamops.web import changed, filter_keys, form_status, get_or_404, page_number, paginate, render, see_other

BOOKING_PAGE = (selectinload(Booking.cases), selectinload(Booking.attendees),
                selectinload(Booking.worker).selectinload(Staff.team))


def _booking_or_404(booking_id: int) -> Booking:
    return get_or_404(Booking, booking_id, BOOKING_PAGE)


def _list(query: Any, template: str) -> Any:
    form = BookingFilterForm(request.args)
    show = form.show.data if form.validate() and form.show.data in services.SHOWS else "upcoming"
    form.show.data = show
    page = paginate(services.filter_bookings(query, show), page_number(request.args.get("page")),
                    keys=filter_keys(form))
    return render(template, "bookings/_results.html", page=page, filter_form=form, show=show, kinds=KIND_LABELS,
                  started_before=utcnow(), records=services.records_of(page.items),
                  visible_cases=services.visible_case_ids(signed_in(), page.items))


@bp.route("/bookings", endpoint="index")
@requires("supervise")
def index() -> Any:
    return _list(services.bookings_for_teams(signed_in()), "bookings/index.html")


@bp.route("/bookings/mine")
@requires("signed_in")
def mine() -> Any:
    return _list(services.bookings_for_person(signed_in()), "bookings/mine.html")


# Booking -------------------------------------------------------------------------------------------

KIND_HINTS = {"personal": "Wellbeing, workload and learning: no cases",
              "case": "The worker's own cases",
              "group": "Several people, and the cases of each of them"}


def _form_context(form: BookingForm, preselect: bool = False, chosen: list[int] | None = None) -> dict[str, Any]:
    """What the booking form shows. ``preselect`` ticks the cases due by the session date (a fresh choice
    of worker, date or kind); ``chosen`` ticks the cases a link asked for (from a drill-down or a case page);
    otherwise the ticks are what the manager sent."""
    worker = form.chosen_worker()
    session_day = form.session_date.data or today()
    options = []
    if worker is not None:  # a group session offers its attendees' cases too
        people = [worker, *form.ticked_attendees()] if form.kind.data == "group" else [worker]
        options = services.case_options(people, session_day)
    if chosen:
        selected = {o.case.id for o in options if o.case.id in chosen}
    elif preselect:
        selected = {o.case.id for o in options if o.due_by_session} if form.kind.data != "personal" else set()
    else:
        selected = set(form.case_ids.data or [])
    return {"form": form, "worker": worker, "options": options, "selected": selected, "kinds": KIND_LABELS,
            "kind_hints": KIND_HINTS, "due_labels": DUE_STATE_LABELS}


def _render_form(form: BookingForm, status: int = 200, preselect: bool = False,
                 clashes: list[services.Clash] | None = None, chosen: list[int] | None = None) -> Any:
    return render("bookings/new.html", status=status, clashes=clashes or [],
                  **_form_context(form, preselect, chosen))


@bp.route("/bookings/new", methods=["GET", "POST"])
@requires("supervise")
def new() -> Any:
    me = signed_in()
    form = BookingForm(supervisor=me)
    if request.method == "GET":  # a link may choose the worker, the kind and the cases (a drill-down's "Book")
        form.worker_id.data = whole_number(request.args.get("worker_id"))
        if request.args.get("kind") in KIND_LABELS:
            form.kind.data = request.args["kind"]
        chosen = [n for n in (whole_number(v) for v in request.args.getlist("case_ids")) if n > 0]
        return _render_form(form, preselect=True, chosen=chosen)
    if "show_cases" in request.form:  # the picker without JavaScript: nothing is saved
        return _render_form(form, preselect=True)
    if not form.validate_on_submit() or form.worker is None or form.starts_at is None:
        return _render_form(form, 400)
    minutes = form.duration_minutes.data or 0
    clashes = services.find_clashes([me, form.worker, *form.attendees], form.starts_at, minutes)
    if clashes and not form.confirm_clash.data:
        return _render_form(form, 409, clashes=clashes)
    slot = (me.id, form.worker.id, form.starts_at)
    try:
        booking = services.create_booking(
            kind=form.kind.data or "case", worker=form.worker, supervisor=me, starts_at=form.starts_at,
            duration_minutes=minutes, location=form.location.data or "", online=bool(form.online.data),
            cases=form.cases, attendees=form.attendees)
    except services.AlreadyBooked:
        return _already_booked(*slot)
    invitations.send(booking, "booked")  # in the outbox, in the same transaction: sent once it commits
    db.session.commit()
    flash(f"Session with {booking.worker.name} booked for {_when(booking)}.", "success")
    return changed(url_for("bookings.detail", booking_id=booking.id))


def _already_booked(supervisor_id: int, worker_id: int, starts_at: datetime) -> Any:
    """A second booking of a booked slot (the form sent twice, or by two tabs at once) goes to the first."""
    db.session.rollback()
    existing = services.booked_slot(supervisor_id, worker_id, starts_at)
    if existing is None:  # cancelled since: the form can be sent again
        flash("This session changed at the same moment. Check the sessions and try again.", "error")
        return see_other(url_for("bookings.index"))
    flash("This session was already booked.", "info")
    return changed(url_for("bookings.detail", booking_id=existing))


@bp.route("/bookings/case-picker")
@requires("supervise")
def case_picker() -> Any:
    """The cases fragment: swapped in when the worker, date or kind changes (htmx)."""
    form = BookingForm(formdata=request.args, supervisor=signed_in())
    person = db.session.get(Staff, form.worker_id.data) if (form.worker_id.data or 0) > 0 else None
    if person is not None:
        authorize("supervise", person)
    return render("bookings/new.html", "bookings/_case_picker.html", clashes=[],
                  **_form_context(form, preselect=True))


def _when(booking: Booking) -> str:
    return booking.starts_at.astimezone(LONDON).strftime("%-d %B %Y at %H:%M")


@bp.route("/bookings/<int:booking_id>")
@requires("signed_in")
def detail(booking_id: int) -> Any:
    booking = _booking_or_404(booking_id)
    authorize("view_booking", booking)
    record_id = services.records_of([booking]).get(booking.id)
    # A record is written by the session's supervisor, on the day or afterwards (R-SUP-5), once per booking.
    write_link = (record_id is None and booking.status == "booked" and can("record_booking", booking)
                  and booking.starts_at.astimezone(LONDON).date() <= today())
    return render("bookings/detail.html", booking=booking, ends_at=services.ends_at(booking), kinds=KIND_LABELS,
                  manages=can("supervise", booking), write_link=write_link, read_link=record_id is not None,
                  record_id=record_id, now_utc=utcnow(),
                  visible_cases=services.visible_case_ids(signed_in(), [booking]))


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
        return see_other(url_for("bookings.detail", booking_id=booking_id))
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
            slot = (booking.supervisor_id, booking.worker_id, form.starts_at)
            try:
                services.reschedule(booking, form.starts_at, minutes, form.reason.data or "")
            except services.AlreadyBooked:
                return _already_booked(*slot)
            invitations.send(booking, "moved")
            db.session.commit()
            flash(f"Session moved to {_when(booking)}.", "success")
            return changed(url_for("bookings.detail", booking_id=booking.id))
    return render("bookings/reschedule.html", form=form, booking=booking, clashes=clashes, kinds=KIND_LABELS,
                  visible_cases=services.visible_case_ids(signed_in(), [booking]),
                  status=409 if clashes else form_status())


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@requires("supervise")
def cancel(booking_id: int) -> Any:
    booking = _changeable(booking_id)
    if booking is None:
        return see_other(url_for("bookings.detail", booking_id=booking_id))
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(booking, form.reason.data or "")
        invitations.send(booking, "cancelled")
        db.session.commit()
        flash(f"Session on {_when(booking)} cancelled.", "success")
        return changed(url_for("bookings.detail", booking_id=booking.id))
    return render("bookings/cancel.html", form=form, booking=booking, kinds=KIND_LABELS,
                  visible_cases=services.visible_case_ids(signed_in(), [booking]), status=form_status())

"""Choosing a buddy and shadowing hosts from ranked suggestions (R-IND-4, R-IND-11), the buddy's check-ins
(R-IND-14) and the manager marking a concern seen."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from teamops import dates
from teamops.access import authorize, requires, staff_in_reach
from teamops.extensions import db
from teamops.induction import bp, buddies, checkins
from teamops.induction.buddy_forms import ELSE, CheckinForm, ChooseForm, SeenForm
from teamops.induction.buddy_models import InductionCheckin
from teamops.induction.models import Induction, InductionDay
from teamops.org.models import Staff
from teamops.web import form_status, get_or_404, render, see_other


def _back(induction: Induction, anchor: str = "") -> str:
    return url_for("induction.show", induction_id=induction.id) + anchor


def _chosen(form: ChooseForm, shown: dict[str, Staff]) -> Staff | None:
    if form.choice.data == ELSE:
        email = (form.email.data or "").strip().lower()
        return db.session.scalar(select(Staff).where(func.lower(Staff.email) == email)) if email else None
    return shown.get(form.choice.data or "")


def _choose(induction: Induction, who: str) -> tuple[ChooseForm, Any, Any]:
    """The suggestions and the form for a buddy or a host; returns the form, the suggestions and the person
    chosen when the form was sent and passes every check (else None)."""
    on = dates.today()
    found = buddies.suggestions(induction, staff_in_reach(current_user), on)
    shown = {str(s.person.id): s.person for s in found}
    form = ChooseForm(choices=[(str(s.person.id), s.person.name) for s in found])
    chosen = None
    if form.validate_on_submit() and not form.email.errors:
        person = _chosen(form, shown)
        problem = buddies.refusal(induction, person, form.reason.data or "", on)
        if problem is not None:
            field = form.email if form.choice.data == ELSE or person is None else form.choice
            field.errors = [*field.errors, problem.replace("their own buddy", f"their own {who}")]
        else:
            chosen = person
    return form, found, chosen


@bp.route("/inductions/<int:induction_id>/buddy", methods=["GET", "POST"])
@requires("run_induction")
def buddy(induction_id: int) -> Any:
    induction = get_or_404(Induction, induction_id)
    authorize("run_induction", induction)
    form, found, chosen = _choose(induction, "buddy")
    if chosen is not None:
        buddies.name_buddy(induction, chosen, form.reason.data or "", current_user._get_current_object())
        db.session.commit()
        flash(f"{chosen.name} is {induction.staff.name}'s buddy from today. They have been told.", "success")
        return see_other(_back(induction, "#buddy"))
    return render("induction/buddy.html", form=form, induction=induction, suggestions=found,
                  current=buddies.current_buddy_row(induction), status=form_status())


@bp.route("/inductions/<int:induction_id>/days/<int:day_id>/host", methods=["GET", "POST"])
@requires("run_induction")
def host(induction_id: int, day_id: int) -> Any:
    induction = get_or_404(Induction, induction_id)
    authorize("run_induction", induction)
    day = get_or_404(InductionDay, day_id)
    if day.induction_id != induction.id or day.host_slot in (None, "buddy"):
        abort(404)
    form, found, chosen = _choose(induction, "host")
    if chosen is not None:
        named = buddies.name_host(induction, day, chosen, form.reason.data or "")
        db.session.commit()
        flash(f"{chosen.name} hosts {len(named)} day{'s' if len(named) != 1 else ''} of "
              f"{induction.staff.name}'s timetable.", "success")
        return see_other(_back(induction, "#timetable"))
    return render("induction/host.html", form=form, induction=induction, day=day, suggestions=found,
                  status=form_status())


@bp.route("/inductions/<int:induction_id>/check-ins/new", methods=["GET", "POST"])
@requires("log_checkin")
def checkin_form(induction_id: int) -> Any:
    induction = get_or_404(Induction, induction_id)
    authorize("log_checkin", induction)
    form = CheckinForm(starts_on=induction.starts_on)
    if form.validate_on_submit():
        assert form.held_on.data is not None
        try:
            checkin = checkins.log_checkin(
                induction, current_user._get_current_object(), held_on=form.held_on.data,
                mode=form.mode.data or "", doing=int(form.doing.data or 3), notes=form.notes.data or "",
                concern=(form.concern.data or "") if form.raise_concern.data else "")
        except checkins.AlreadyLogged as logged:
            db.session.rollback()
            if checkins.same_as_logged(induction, current_user._get_current_object(), form):  # sent twice
                flash(f"{logged}.", "info")
                return see_other(_back(induction, "#check-ins"))
            # Another check-in the same day: sent back with what was typed, nothing lost (a concern above all).
            form.held_on.errors = [f"{logged}: one check-in a day with your starter. Choose another day, or ask "
                                   "the manager to add this to the one logged"]
            return render("induction/checkin_form.html", form=form, induction=induction, status=400)
        db.session.commit()
        flash(f"Check-in of {checkin.held_on:%-d %B %Y} logged"
              + (": the concern is with the manager." if checkin.concern else "."), "success")
        return see_other(_back(induction, "#check-ins"))
    return render("induction/checkin_form.html", form=form, induction=induction, status=form_status())


@bp.route("/inductions/check-ins/<int:checkin_id>/seen", methods=["GET", "POST"])
@requires("resolve_induction_concern")
def concern_seen(checkin_id: int) -> Any:
    checkin = get_or_404(InductionCheckin, checkin_id)
    authorize("resolve_induction_concern", checkin)
    if checkin.concern is None:
        abort(404)
    form = SeenForm()
    if checkin.concern_seen_at is not None:  # seen already: the page says by whom; a form sent again does nothing
        if request.method == "POST":
            flash("That concern has been seen already.", "info")
            return see_other(_back(checkin.induction, "#check-ins"))
        return render("induction/concern_seen.html", form=None, checkin=checkin)
    if form.validate_on_submit():
        checkins.mark_seen(checkin, current_user._get_current_object(), form.response.data or "")
        db.session.commit()
        flash("The concern is marked as seen.", "success")
        return see_other(_back(checkin.induction, "#check-ins"))
    return render("induction/concern_seen.html", form=form, checkin=checkin, status=form_status())

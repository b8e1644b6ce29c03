"""Recording and changing a long absence (R-ORG-6), from the person's page on the team dashboard."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for
from flask_login import current_user

from teamops.access import authorize, can, requires
from teamops.extensions import db
from teamops.org import absences, bp
from teamops.org.forms import AbsenceForm
from teamops.org.models import Absence, Staff
from teamops.web import form_status, get_or_404, render, see_other


def _back(person: Staff) -> str:
    if can("view_team_dashboard", person):
        return url_for("dashboards.team_worker", staff_id=person.id)
    return url_for("home.index")


@bp.route("/people/<int:staff_id>/absences/new", methods=["GET", "POST"])
@requires("record_absence")
def absence_new(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    authorize("record_absence", person)
    form = AbsenceForm(person=person)
    if form.validate_on_submit():
        assert form.starts_on.data is not None and form.ends_on.data is not None
        absences.record_absence(person, form.kind.data or "other", form.starts_on.data, form.ends_on.data,
                                current_user._get_current_object())
        db.session.commit()
        flash(f"{person.name} is recorded as away from {form.starts_on.data:%-d %B %Y} to "
              f"{form.ends_on.data:%-d %B %Y}.", "success")
        return see_other(_back(person))
    return render("org/absence_form.html", form=form, person=person, absence=None, back=_back(person),
                  status=form_status())


@bp.route("/absences/<int:absence_id>/edit", methods=["GET", "POST"])
@requires("record_absence")
def absence_edit(absence_id: int) -> Any:
    absence = get_or_404(Absence, absence_id)
    person = absence.staff
    authorize("record_absence", person)
    form = AbsenceForm(obj=absence, person=person, absence_id=absence.id)
    if form.validate_on_submit():
        assert form.starts_on.data is not None and form.ends_on.data is not None
        absences.change_absence(absence, form.kind.data or "other", form.starts_on.data, form.ends_on.data)
        db.session.commit()
        flash(f"{person.name}'s absence is now from {absence.starts_on:%-d %B %Y} to {absence.ends_on:%-d %B %Y}.",
              "success")
        return see_other(_back(person))
    return render("org/absence_form.html", form=form, person=person, absence=absence, back=_back(person),
                  status=form_status())

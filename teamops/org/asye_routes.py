"""A newly qualified social worker's ASYE dates (R-ASYE-1), set by whoever supervises them, from their page."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for

from teamops.access import authorize, can, requires
from teamops.extensions import db
from teamops.org import asye, bp
from teamops.org.forms import AsyeForm
from teamops.org.models import Staff
from teamops.web import form_status, get_or_404, render, see_other


def _back(person: Staff) -> str:
    if can("view_team_dashboard", person):
        return url_for("dashboards.team_worker", staff_id=person.id)
    return url_for("org.staff_member", staff_id=person.id)


@bp.route("/people/<int:staff_id>/asye", methods=["GET", "POST"])
@requires("set_asye")
def asye_page(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    authorize("set_asye", person)
    form = AsyeForm(starts_on=person.asye_starts_on, ends_on=person.asye_ends_on)
    if form.validate_on_submit():
        asye.set_asye(person, form.starts_on.data, form.ends_on.data)
        db.session.commit()
        if person.asye_starts_on is None or person.asye_ends_on is None:
            flash(f"{person.name} has no ASYE recorded.", "success")
        else:
            flash(f"{person.name}'s ASYE runs from {person.asye_starts_on:%-d %B %Y} to "
                  f"{person.asye_ends_on:%-d %B %Y}.", "success")
        return see_other(_back(person))
    return render("org/asye_form.html", form=form, person=person, back=_back(person),
                  first_months_end=asye.first_six_months_end(person), status=form_status())

"""A leaver's hand-over page (R-ORG-4), from their page: everything they hold, handed over in one go."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for
from flask_login import current_user

from teamops.access import authorize, requires, staff_in_reach
from teamops.cases.services import workers_for
from teamops.dates import today
from teamops.extensions import db
from teamops.org import bp, handover
from teamops.org.handover_forms import build
from teamops.org.models import Staff
from teamops.web import form_status, get_or_404, render, see_other


def _people(user: Staff) -> list[Staff]:
    """Who may take on a case or a supervisee: everyone active and started in the hander's reach."""
    return workers_for(user, staff_in_reach(user).where(Staff.start_date <= today()))


@bp.route("/staff/<int:staff_id>/handover", methods=["GET", "POST"])
@requires("hand_over")
def handover_page(staff_id: int) -> Any:
    leaver = get_or_404(Staff, staff_id)
    authorize("hand_over", leaver)
    user = current_user._get_current_object()
    duties = handover.duties_of(leaver)
    form = build(leaver, duties, _people(user), request.form if request.method == "POST" else None)
    if duties and form.validate_on_submit():
        assert form.plan is not None
        handover.hand_over(duties, form.plan, user)
        db.session.commit()
        flash(f"Handed over from {leaver.name}: " + "; ".join(duties.summary()) + "."
              + (" Each case has a hand-over supervision due today." if duties.cases else ""), "success")
        return see_other(url_for("org.handover_page", staff_id=leaver.id))
    return render("org/handover.html", form=form, leaver=leaver, duties=duties,
                  status=409 if form.cautions else form_status())

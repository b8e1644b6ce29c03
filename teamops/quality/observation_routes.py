"""A worker's observations of practice (R-QA-7): read by the worker and everyone whose reach holds them;
recorded by those who supervise them."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for

from teamops.access import authorize, can, requires, signed_in
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.quality import bp, observations
from teamops.quality.models import OBSERVATION_FEEDBACK_MAX, OBSERVATION_SETTINGS
from teamops.quality.observation_forms import ObservationForm
from teamops.web import form_status, get_or_404, render, see_other


@bp.route("/observations/<int:staff_id>", methods=["GET", "POST"])
@requires("view_observations")
def observations_of(staff_id: int) -> Any:
    """The observations of one person's practice, the latest first, and for their supervisors the form to
    record one."""
    worker = get_or_404(Staff, staff_id)
    authorize("view_observations", worker)
    form = ObservationForm(worker=worker) if can("observe_practice", worker) else None
    if form is None and request.method == "POST":
        authorize("observe_practice", worker)  # a POST from someone who may only read: 403
    if form is not None and form.validate_on_submit():
        assert form.observed_on.data is not None
        observations.record(worker, signed_in(), form.observed_on.data, form.setting.data or "other",
                            form.feedback.data or "")
        db.session.commit()
        flash(f"Observation of {worker.name}'s practice on {form.observed_on.data:%-d %B %Y} recorded.", "success")
        return see_other(url_for("quality.observations_of", staff_id=worker.id))
    listed = list(db.session.scalars(observations.of_worker(worker.id)))
    back = (url_for("dashboards.team_worker", staff_id=worker.id) if can("view_team_dashboard", worker)
            else url_for("home.index"))
    return render("quality/observations.html", worker=worker, observations=listed, form=form,
                  settings=OBSERVATION_SETTINGS, limit=OBSERVATION_FEEDBACK_MAX, back=back,
                  own=worker.id == signed_in().id, status=form_status())

"""Naming and ending a cover for a team's manager (R-ORG-3), from the team's page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org import bp, covers
from teamops.org.forms import CoverForm
from teamops.org.models import Cover, Team
from teamops.web import form_status, get_or_404, render, see_other


@bp.route("/teams/<int:team_id>/covers/new", methods=["GET", "POST"])
@requires("arrange_cover")
def cover_new(team_id: int) -> Any:
    team = get_or_404(Team, team_id)
    authorize("arrange_cover", team)
    user = current_user._get_current_object()
    form = CoverForm(team=team, named_by=user)
    if form.validate_on_submit():
        assert form.person is not None and form.starts_on.data is not None and form.ends_on.data is not None
        cover = covers.name_cover(team, form.person, form.starts_on.data, form.ends_on.data, user)
        db.session.commit()
        flash(f"{cover.staff.name} covers {team.name} from {cover.starts_on:%-d %B %Y} to "
              f"{cover.ends_on:%-d %B %Y}.", "success")
        return see_other(url_for("org.team", team_id=team.id))
    return render("org/cover_form.html", form=form, team=team, status=form_status())


@bp.route("/covers/<int:cover_id>/end", methods=["POST"])
@requires("arrange_cover")
def cover_end(cover_id: int) -> Any:
    cover = get_or_404(Cover, cover_id)
    authorize("arrange_cover", cover.team)
    if not ActionForm().validate_on_submit():
        abort(400)
    if covers.end_cover(cover, current_user._get_current_object()):
        db.session.commit()
        flash(f"{cover.staff.name}'s cover of {cover.team.name} has ended.", "success")
    return see_other(url_for("org.team", team_id=cover.team_id))

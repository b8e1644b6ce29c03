"""The directory's home, its search, team entries, offices, a person's own details and the admins' list of
entries to check. Imports the sibling route modules so their routes join the blueprint."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for
from sqlalchemy.orm import selectinload

from teamops import dates
from teamops.access import authorize, requires, signed_in
from teamops.directory import (
    bp,
    champion_routes,
    champions,
    checking,
    contact_routes,
    network_routes,
    search,
)
from teamops.directory import teams as team_entries
from teamops.directory.champion_forms import DirectorySearchForm, MyDetailsForm, TeamEntryForm
from teamops.directory.champions import NEAREST, Place
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Team
from teamops.web import form_status, get_or_404, render, see_other

__all__ = ["champion_routes", "contact_routes", "network_routes"]


@bp.route("/")
@requires("read_directory")
def index() -> Any:
    me = signed_in()
    on = dates.today()
    return render("directory/index.html", search_form=DirectorySearchForm(), areas=champions.active_areas(),
                  nearest=champions.nearest_by_area(Place.of_person(me), on), labels=NEAREST,
                  my_base=champions.base_of(me))


@bp.route("/search")
@requires("read_directory")
def search_page() -> Any:
    form = DirectorySearchForm(request.args)
    found = search.search(form.q.data or "", dates.today()) if form.validate() else search.Results("")
    return render("directory/search.html", "directory/_search_results.html", search_form=form, found=found)


@bp.route("/teams")
@requires("read_directory")
def teams() -> Any:
    return render("directory/teams.html", services=team_entries.services_with_teams())


@bp.route("/teams/<int:team_id>")
@requires("read_directory")
def team(team_id: int) -> Any:
    team = get_or_404(Team, team_id, options=[selectinload(Team.other_bases)])
    on = dates.today()
    return render("directory/team.html", team=team, team_champions=champions.in_team(team.id, on),
                  stale=checking.is_stale(team, on), action_form=ActionForm())


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@requires("edit_team_entry")
def team_edit(team_id: int) -> Any:
    team = get_or_404(Team, team_id)
    authorize("edit_team_entry", team)
    form = TeamEntryForm(obj=team)
    if request.method == "GET":
        form.other_bases.data = "\n".join(base.name for base in team.other_bases)
    if form.validate_on_submit():
        team_entries.save_entry(team, remit=form.remit.data or "", phone=form.phone.data or "",
                                email=form.email.data or "", other_bases=form.bases(), by=signed_in())
        db.session.commit()
        flash(f"The directory entry for {team.name} is saved.", "success")
        return see_other(url_for("directory.team", team_id=team.id))
    return render("directory/team_form.html", form=form, team=team, status=form_status())


@bp.route("/teams/<int:team_id>/confirm", methods=["POST"])
@requires("edit_team_entry")
def team_confirm(team_id: int) -> Any:
    team = get_or_404(Team, team_id)
    authorize("edit_team_entry", team)
    checking.mark_checked(team, signed_in())
    db.session.commit()
    flash(f"Thank you: the entry for {team.name} is confirmed as correct today.", "success")
    return see_other(url_for("directory.team", team_id=team.id))


@bp.route("/offices")
@requires("read_directory")
def offices() -> Any:
    office = (request.args.get("office") or "").strip()[:120]
    return render("directory/offices.html", bases=champions.office_bases(), office=office,
                  teams_there=team_entries.teams_at(office) if office else [],
                  champions_there=champions.at_base(office, dates.today()) if office else [])


@bp.route("/me", methods=["GET", "POST"])
@requires("read_directory")
def my_details() -> Any:
    me = signed_in()
    form = MyDetailsForm(obj=me, bases=champions.office_bases(), team_base=me.team.office_base)
    if request.method == "GET":
        form.office_base.data = me.office_base or ""
    if form.validate_on_submit():
        team_entries.save_my_details(me, work_phone=form.work_phone.data or "",
                                     office_base=form.office_base.data or "")
        db.session.commit()
        flash("Your directory details are saved.", "success")
        return see_other(url_for("directory.index"))
    return render("directory/my_details.html", form=form, status=form_status())


@bp.route("/checks")
@requires("manage_directory")
def checks() -> Any:
    on = dates.today()
    return render("directory/checks.html", before=checking.stale_before(on), found=checking.to_check(on),
                  left_champions=champions.left_champions(), action_form=ActionForm())

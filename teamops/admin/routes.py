"""Services, teams and staff pages. Lists are scoped to the person's reach; changes are admin-only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.access import authorize, requires, staff_in_reach, teams_in_reach
from teamops.admin.forms import SearchForm, ServiceForm, StaffForm, TeamForm
from teamops.auth.services import issue_password_link
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.navigation import nav_item
from teamops.org import services
from teamops.org.models import Service, Staff, Team

bp = Blueprint("admin", __name__, url_prefix="/admin")
nav_item("Teams", "admin.teams", "view_team", 60, roles=("team_manager", "service_manager", "qait", "admin"))
nav_item("Staff", "admin.staff", "view_staff", 70, roles=("team_manager", "service_manager", "qait", "admin"))
nav_item("Services", "admin.services", "manage_organisation", 80)


def _list(template: str, fragment: str, query: Any, form: SearchForm, **context: Any) -> Any:
    page = services.paginate(query, services.page_number(request.args.get("page")))
    name = fragment if request.headers.get("HX-Request") else template
    return render_template(name, page=page, search=form, **context)


def _get_or_404(model: type, object_id: int) -> Any:
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _form_status() -> int:
    return 400 if request.method == "POST" else 200


# Services ------------------------------------------------------------------------------------------

@bp.route("/services", endpoint="services")
@requires("manage_organisation")
def services_list() -> Any:
    rows = db.session.scalars(select(Service).options(selectinload(Service.teams)).order_by(Service.name))
    return render_template("admin/services.html", services=list(rows), action_form=ActionForm())


@bp.route("/services/new", methods=["GET", "POST"])
@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def service_form(service_id: int | None = None) -> Any:
    service = _get_or_404(Service, service_id) if service_id else None
    form = ServiceForm(obj=service, service=service)
    if form.validate_on_submit():
        services.save_service(service, form.name.data or "")
        flash(f"Service “{form.name.data}” saved.", "success")
        return redirect(url_for("admin.services"), 303)
    return render_template("admin/service_form.html", form=form, service=service), _form_status()


# Teams ---------------------------------------------------------------------------------------------

@bp.route("/teams")
@requires("view_team")
def teams() -> Any:
    form = SearchForm(request.args)
    form.validate()
    query = services.search_teams(teams_in_reach(current_user), form.q.data or "", form.show.data or "active")
    return _list("admin/teams.html", "admin/_teams_results.html", query, form)


@bp.route("/teams/<int:team_id>")
@requires("view_team")
def team(team_id: int) -> Any:
    team = _get_or_404(Team, team_id)
    authorize("view_team", team)
    members = db.session.scalars(
        select(Staff).where(Staff.team_id == team.id).options(selectinload(Staff.line_manager))
        .order_by(Staff.active.desc(), Staff.name)
    ).all()
    return render_template("admin/team.html", team=team, members=members, action_form=ActionForm())


@bp.route("/teams/new", methods=["GET", "POST"])
@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def team_form(team_id: int | None = None) -> Any:
    team = _get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=team, team=team)
    if request.method == "GET" and team is not None and team.manager is not None:
        form.manager_email.data = team.manager.email
    if form.validate_on_submit():
        saved = services.save_team(team, service_id=form.service_id.data or 0, name=form.name.data or "",
                                   office_base=form.office_base.data or "",
                                   manager_id=form.manager.id if form.manager else None)
        flash(f"Team “{saved.name}” saved.", "success")
        return redirect(url_for("admin.team", team_id=saved.id), 303)
    return render_template("admin/team_form.html", form=form, team=team), _form_status()


@bp.route("/teams/<int:team_id>/active", methods=["POST"])
@requires("manage_organisation")
def team_active(team_id: int) -> Any:
    team = _get_or_404(Team, team_id)
    if ActionForm().validate_on_submit():
        activate = request.args.get("to") == "active"
        services.set_team_active(team, activate)
        flash(f"Team “{team.name}” {'reopened' if activate else 'closed'}.", "success")
    return redirect(url_for("admin.team", team_id=team.id), 303)


# Staff ---------------------------------------------------------------------------------------------

@bp.route("/staff")
@requires("view_staff")
def staff() -> Any:
    form = SearchForm(request.args)
    form.validate()
    query = services.search_staff(staff_in_reach(current_user), form.q.data or "", form.show.data or "active")
    return _list("admin/staff.html", "admin/_staff_results.html", query, form)


@bp.route("/staff/<int:staff_id>")
@requires("view_staff")
def staff_member(staff_id: int) -> Any:
    person = _get_or_404(Staff, staff_id)
    authorize("view_staff", person)
    return render_template("admin/staff_member.html", person=person, action_form=ActionForm(),
                           password_link=None)


@bp.route("/staff/new", methods=["GET", "POST"])
@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def staff_form(staff_id: int | None = None) -> Any:
    person = _get_or_404(Staff, staff_id) if staff_id else None
    form = StaffForm(obj=person, staff=person)
    if request.method == "GET" and person is not None and person.line_manager is not None:
        form.line_manager_email.data = person.line_manager.email
    if form.validate_on_submit():
        saved = services.save_staff(person, form.values())
        flash(f"{saved.name} saved.", "success")
        return redirect(url_for("admin.staff_member", staff_id=saved.id), 303)
    return render_template("admin/staff_form.html", form=form, person=person), _form_status()


@bp.route("/staff/<int:staff_id>/active", methods=["POST"])
@requires("manage_organisation")
def staff_active(staff_id: int) -> Any:
    person = _get_or_404(Staff, staff_id)
    if ActionForm().validate_on_submit():
        activate = request.args.get("to") == "active"
        if not activate and person.id == current_user.id:
            flash("You cannot deactivate your own account.", "info")
        else:
            services.set_staff_active(person, activate)
            outcome = "reactivated" if activate else "deactivated: they are signed out and cannot sign in"
            flash(f"{person.name} {outcome}.", "success")
    return redirect(url_for("admin.staff_member", staff_id=person.id), 303)


@bp.route("/staff/<int:staff_id>/password-link", methods=["POST"])
@requires("manage_organisation")
def staff_password_link(staff_id: int) -> Any:
    person = _get_or_404(Staff, staff_id)
    if not person.active or not ActionForm().validate_on_submit():
        abort(400)
    token = issue_password_link(person)
    base = current_app.config["TEAMOPS"].base_url.rstrip("/")
    link = base + url_for("auth.set_password", token=token)
    return render_template("admin/staff_member.html", person=person, action_form=ActionForm(),
                           password_link=link)

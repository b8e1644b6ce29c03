"""Dashboards: manager, worker, service manager and QAIT views of supervision, and the scaling trend.

Every page reads only. Tables refresh themselves when a write answers an htmx request with the
``supervision-changed`` event (``teamops.web.announce``), and every minute; a full reload always shows
current data as well.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from teamops import charts
from teamops.access import authorize, can, requires, teams_in_reach
from teamops.cases.models import Case
from teamops.dashboards import bp, context
from teamops.dashboards.forms import ServicePickForm, TeamPickForm
from teamops.extensions import db
from teamops.kept import kept
from teamops.org import absences, covers
from teamops.org.models import Service, Staff, Team
from teamops.web import get_or_404, render, wants_fragment


@bp.app_template_global()
def scaling_svg(points: Any, label: str = "Scaling scores", id_prefix: str = "scaling") -> Markup:
    return charts.scaling_svg(points, label, id_prefix)


@bp.app_template_global()
def scaling_series(points: Any) -> list[charts.Series]:
    return charts.series_of(points)


@bp.route("/dashboard/team")
@requires("view_team_dashboard")
@kept
def team() -> Any:
    """Team managers see their team; service managers, heads of service and QAIT pick any team in reach with
    ``?team=``; a practice supervisor sees the rows of the people they line-manage (R-ORG-2)."""
    team_id = request.args.get("team", type=int)
    team = get_or_404(Team, team_id) if team_id is not None else current_user.team
    authorize("view_team_dashboard", team)
    picker = None
    if can("pick_team"):
        teams = db.session.scalars(teams_in_reach(current_user).join(Team.service)
                                   .where(Team.active.is_(True)).order_by(Service.name, Team.name)).all()
        picker = TeamPickForm(teams=list(teams))
        picker.team.data = team.id
    user = current_user._get_current_object()
    values = context.team_dashboard(team, user, request.args)
    values["covering"] = covers.covers_held_by(user, team)
    return render("dashboards/team.html", "dashboards/_team_table_kept.html", picker=picker, **values)


@bp.route("/dashboard/team/worker/<int:staff_id>")
@requires("view_team_dashboard")
@kept
def team_worker(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    authorize("view_team_dashboard", person)
    whole_page = [] if wants_fragment() else absences.absences_of(person)  # the fragment shows none
    return render("dashboards/team_worker.html", "dashboards/_worker_cases.html",
                   absences=whole_page, **context.worker_cases(person))


@bp.route("/dashboard/me")
@requires("signed_in")
@kept
def me() -> Any:
    """Anyone's own supervision, except an admin's: admins configure TeamOps but do not read case content."""
    authorize("view_record", current_user._get_current_object())
    return render("dashboards/me.html", "dashboards/_me.html",
                   **context.worker_dashboard(current_user._get_current_object()))


@bp.route("/dashboard/service")
@requires("view_service_dashboard")
@kept
def service() -> Any:
    """A service manager's teams (those whose managers they line-manage, R-ORG-1); a head of service's own
    service; QAIT's own, or any service picked with ``?service=``."""
    user = current_user._get_current_object()
    service_id = request.args.get("service", type=int)
    if user.role == "service_manager" and service_id is None:
        return render("dashboards/service.html", "dashboards/_service_body.html", service=None, picker=None,
                      **context.managed_teams_dashboard(user))
    service = get_or_404(Service, service_id) if service_id is not None else user.team.service
    authorize("view_service", service)
    picker = None
    if can("pick_service"):
        services = db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name))
        picker = ServicePickForm(services=list(services))
        picker.service.data = service.id
    return render("dashboards/service.html", "dashboards/_service_body.html", service=service, picker=picker,
                   **context.service_dashboard(service.id, user))


@bp.route("/dashboard/qait")
@requires("view_all_teams")
@kept
def qait() -> Any:
    return render("dashboards/qait.html", "dashboards/_qait_body_kept.html", **context.qait_dashboard())


@bp.route("/dashboard/case/<int:case_id>/scaling")
@requires("view_case")
def scaling(case_id: int) -> Any:
    """The scaling trend of one case: the fragment for the case page (htmx), or a small page of its own."""
    case = get_or_404(Case, case_id)
    authorize("view_case", case)
    return render("dashboards/scaling.html", "dashboards/_scaling_panel.html", case=case,
                   points=charts.scaling_points(case.id))

"""Dashboards: manager, worker, service manager and QAIT views of supervision, and the scaling trend.

Every page reads only. Tables refresh themselves when another part of TeamOps answers an htmx request with
the ``supervision-changed`` event (``HX-Trigger``); a full reload always shows current data as well.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BuildError

from teamops import charts
from teamops.access import authorize, requires, teams_in_reach
from teamops.dashboards import context
from teamops.dashboards.forms import ServicePickForm, TeamPickForm
from teamops.extensions import db
from teamops.navigation import nav_item
from teamops.org.models import Service, Staff, Team
from teamops.supervision.models import Case

bp = Blueprint("dashboards", __name__)
nav_item("Dashboard", "dashboards.team", "view_team_dashboard", 10, roles=("team_manager",))
nav_item("Dashboard", "dashboards.service", "view_service_dashboard", 10, roles=("service_manager",))
nav_item("Dashboard", "dashboards.qait", "view_all_teams", 10, roles=("qait",))

SUPERVISION_CHANGED = "supervision-changed"  # the HX-Trigger event after which dashboard tables refresh
WRITES_SUPERVISION = frozenset({"cases", "bookings", "records", "policy", "imports"})


@bp.after_app_request
def announce_supervision_change(response: Response) -> Response:
    """After an htmx request that changed supervision data, tell the page so its dashboards refresh at once.
    (They also refresh every minute, for changes other people make.)"""
    if (request.method == "POST" and request.headers.get("HX-Request") and response.status_code < 400
            and request.blueprint in WRITES_SUPERVISION):
        response.headers["HX-Trigger"] = SUPERVISION_CHANGED
    return response


@bp.app_template_global()
def endpoint_url(endpoint: str, **values: Any) -> str | None:
    """A URL for a page of another package, or None while that page does not exist (yet) in this build."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.app_template_global()
def scaling_svg(points: Any, label: str = "Scaling scores", id_prefix: str = "scaling") -> Markup:
    return charts.scaling_svg(points, label, id_prefix)


def _render(page: str, fragment: str, **values: Any) -> Any:
    """The whole page, or for htmx only the fragment the page includes."""
    return render_template(fragment if request.headers.get("HX-Request") else page, **values)


def _get_or_404(model: type, object_id: int) -> Any:
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/dashboard/team")
@requires("view_team_dashboard")
def team() -> Any:
    """Team managers see their team; service managers and QAIT pick any team in reach with ``?team=``."""
    team_id = request.args.get("team", type=int)
    team = _get_or_404(Team, team_id) if team_id is not None else current_user.team
    authorize("view_team_dashboard", team)
    picker = None
    if current_user.role != "team_manager":
        teams = db.session.scalars(teams_in_reach(current_user).join(Team.service)
                                   .where(Team.active.is_(True)).order_by(Service.name, Team.name)).all()
        picker = TeamPickForm(teams=list(teams))
        picker.team.data = team.id
    values = context.team_dashboard(team, request.args)
    return _render("dashboards/team.html", "dashboards/_team_table.html", picker=picker, **values)


@bp.route("/dashboard/team/worker/<int:staff_id>")
@requires("view_team_dashboard")
def team_worker(staff_id: int) -> Any:
    person = _get_or_404(Staff, staff_id)
    authorize("view_team_dashboard", person)
    return _render("dashboards/team_worker.html", "dashboards/_worker_cases.html",
                   **context.worker_cases(person))


@bp.route("/dashboard/me")
@requires("signed_in")
def me() -> Any:
    """Anyone's own supervision, except an admin's: admins configure TeamOps but do not read case content."""
    authorize("view_record", current_user._get_current_object())
    return _render("dashboards/me.html", "dashboards/_me.html",
                   **context.worker_dashboard(current_user._get_current_object()))


@bp.route("/dashboard/service")
@requires("view_service_dashboard")
def service() -> Any:
    """A service manager's own service; QAIT may pick any service with ``?service=``."""
    service_id = request.args.get("service", type=int)
    service = _get_or_404(Service, service_id) if service_id is not None else current_user.team.service
    authorize("view_service", service)
    picker = None
    if current_user.role == "qait":
        services = db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name))
        picker = ServicePickForm(services=list(services))
        picker.service.data = service.id
    return _render("dashboards/service.html", "dashboards/_service_body.html", service=service, picker=picker,
                   **context.service_dashboard(service.id))


@bp.route("/dashboard/qait")
@requires("view_all_teams")
def qait() -> Any:
    return _render("dashboards/qait.html", "dashboards/_qait_body.html", **context.qait_dashboard())


@bp.route("/dashboard/case/<int:case_id>/scaling")
@requires("view_case")
def scaling(case_id: int) -> Any:
    """The scaling trend of one case: the fragment for the case page (htmx), or a small page of its own."""
    case = _get_or_404(Case, case_id)
    authorize("view_case", case)
    return _render("dashboards/scaling.html", "dashboards/_scaling_panel.html", case=case,
                   points=charts.scaling_points(case.id))

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from teamops.access import requires
from teamops.dashboards import context as dashboards
from teamops.dates import today
from teamops.home import services
from teamops.navigation import nav_item

bp = Blueprint("home", __name__)
nav_item("Home", "home.index", "signed_in", 0)


@bp.route("/")
@requires("signed_in")
def index() -> Any:
    """Each role's home starts with the dashboard it uses most: a worker's own supervision, a team
    manager's team table, a service manager's teams side by side; QAIT and admins keep the team list."""
    user = current_user._get_current_object()
    context: dict[str, Any] = {"user": user}
    if user.role == "admin":
        context["counts"] = services.organisation_counts()
    if user.role in ("admin", "qait"):
        context["teams"] = services.team_summaries(user)
    if user.role != "worker":
        context["starters"] = services.new_starters(user, today())
    if user.role == "worker":
        context.update(dashboards.worker_dashboard(user))
    elif user.role == "team_manager":
        context.update(dashboards.team_dashboard(user.team))
    elif user.role == "service_manager":
        context.update(dashboards.service_dashboard(user.team.service_id), service=user.team.service)
    return render_template(f"home/{user.role}.html", **context)


@bp.route("/health")
def health() -> Any:
    """For load balancers: the app answers and the database is reachable."""
    from sqlalchemy import text

    from teamops.extensions import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

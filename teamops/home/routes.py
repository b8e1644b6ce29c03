"""Each person's home page, and the health check for load balancers."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import text

from teamops.access import requires
from teamops.dates import today
from teamops.extensions import db
from teamops.home import bp, services
from teamops.kept import kept
from teamops.web import render


@bp.route("/")
@requires("signed_in")
@kept
def index() -> Any:
    """Each role's home starts with the dashboard it uses most: a worker's own supervision, a team
    manager's team table, a service manager's teams side by side; QAIT and admins keep the team list."""
    template, context = services.home_page(current_user._get_current_object(), today())
    return render(template, **context)


@bp.route("/health")
def health() -> Any:
    """For load balancers: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

"""QAIT's monthly supervision returns and caseload reviews (issue 13, DOMAIN.md R-QA-1..3): the return
calendar, each team's return pre-filled from what TeamOps knows and frozen at submission, QAIT's dashboard,
chases and exports, and the monthly caseload report with managers' commentary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint
from flask_login import current_user

if TYPE_CHECKING:
    from teamops.org.models import Staff

bp = Blueprint("returns", __name__, url_prefix="/returns")


def signed_in() -> Staff:
    """The signed-in member of staff (every returns route is behind the sign-in gate)."""
    person: Staff = current_user._get_current_object()
    return person

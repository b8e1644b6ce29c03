"""QAIT's monthly supervision returns and caseload reviews (issue 13, DOMAIN.md R-QA-1..3): the return
calendar, each team's return pre-filled from what TeamOps knows and frozen at submission, QAIT's dashboard,
chases and exports, and the monthly caseload report with managers' commentary."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("returns", __name__, url_prefix="/returns")

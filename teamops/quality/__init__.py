"""Quality, not only frequency (issue 14, DOMAIN.md R-QA-4..7): managers' observations of practice, and the
dip-sampling of supervision records by service managers and QAIT against a rubric drawn from the standards."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quality", __name__, url_prefix="/quality")

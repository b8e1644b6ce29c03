"""Quality, not only frequency (issue 14, DOMAIN.md R-QA-4..7): managers' observations of practice, and the
dip-sampling of supervision records by service managers and QAIT against a rubric drawn from the standards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint
from flask_login import current_user

if TYPE_CHECKING:
    from teamops.org.models import Staff

bp = Blueprint("quality", __name__, url_prefix="/quality")


def signed_in() -> Staff:
    """The signed-in member of staff (every quality route is behind the sign-in gate)."""
    person: Staff = current_user._get_current_object()
    return person

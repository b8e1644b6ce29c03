"""The directory (issue 12): champions, networks and groups, teams, specialist contacts and support services,
with one search across them, and the dates each entry was last checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint
from flask_login import current_user

if TYPE_CHECKING:
    from teamops.org.models import Staff

bp = Blueprint("directory", __name__, url_prefix="/directory")


def signed_in() -> Staff:
    """The signed-in member of staff (every directory route is behind the sign-in gate)."""
    person: Staff = current_user._get_current_object()
    return person

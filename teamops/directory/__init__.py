"""The directory (issue 12): champions, networks and groups, teams, specialist contacts and support services,
with one search across them, and the dates each entry was last checked."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")

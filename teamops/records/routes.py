from __future__ import annotations

from flask import Blueprint

bp = Blueprint("records", __name__)

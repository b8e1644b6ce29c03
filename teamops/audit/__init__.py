"""Audit trail: who did what, when, with field-level before and after."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

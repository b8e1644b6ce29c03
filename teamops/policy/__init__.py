"""The supervision policy: readable by everyone (it explains due dates), changed by admins only. A change
applies to every due date at once because due dates are derived, never stored."""

from flask import Blueprint

bp = Blueprint("policy", __name__, url_prefix="/policy")

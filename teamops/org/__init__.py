"""Organisation: services, teams and staff. Everyone in reach reads team and staff pages; admins change them."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/admin")

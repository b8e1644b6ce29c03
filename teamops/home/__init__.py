"""Home pages per role, and the health check."""

from flask import Blueprint

bp = Blueprint("home", __name__)

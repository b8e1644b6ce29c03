"""The read-only reporting API (CONTRACT.md "Reporting API")."""

from flask import Blueprint

from teamops.api.tokens import API_PREFIX

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)

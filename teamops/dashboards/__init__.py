"""Dashboards: manager, worker, service manager and QAIT views of supervision."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

"""CSV imports: the upload page with preview; the CLI command lives in teamops.cli."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/admin/import")

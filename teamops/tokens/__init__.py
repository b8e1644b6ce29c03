"""The API tokens pages: everyone's own tokens under /account/tokens, every token for admins under /admin/tokens.

The tokens themselves (the table, making, checking, revoking) belong to the reporting API (``teamops.api``):
the command line and deactivation use the same functions as these pages.
"""

from flask import Blueprint

bp = Blueprint("tokens", __name__)

"""Supervision records: writing one from a session, sign-off, acknowledgement, versions, the copy for the case
file, the actions they agree and the escalations queue for disagreements."""

from flask import Blueprint

bp = Blueprint("records", __name__)

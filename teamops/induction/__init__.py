"""Induction, buddies and the ASYE year: templates, a person's induction from its opening to its sign-off."""

from flask import Blueprint

bp = Blueprint("induction", __name__)

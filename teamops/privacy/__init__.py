"""A person's own data (issue 16 item 6): "Your data", the subject access export a signed-in person downloads for
themselves. What is in it, and what is left out and why, is in the README's "What TeamOps stores and why"."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

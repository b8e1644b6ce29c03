"""Accounts: sign-in, sign-out, passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

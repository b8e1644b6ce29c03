"""The bookings blueprint, on its own so that the bookings and the actions routes can both register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bookings", __name__)

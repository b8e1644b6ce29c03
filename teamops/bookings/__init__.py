"""Supervision bookings: planned sessions between a manager and a worker (or a group)."""

from flask import Blueprint

bp = Blueprint("bookings", __name__)

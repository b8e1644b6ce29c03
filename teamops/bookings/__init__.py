"""Supervision bookings: planned sessions between a manager and a worker."""

"""Supervision records, actions, escalations and record versions."""

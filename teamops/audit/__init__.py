"""Audit trail: who did what, when, with field-level before and after."""

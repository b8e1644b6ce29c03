"""The returns pages (the lead's branch adds them here); the exports join the blueprint from their own module."""

from teamops.returns import export_routes  # noqa: F401

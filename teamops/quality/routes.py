"""The quality pages (issue 14): each sibling module adds its routes to ``bp``."""

from teamops.quality import audit_routes  # noqa: F401

"""The quality pages; each module's routes join the blueprint."""

from teamops.quality import observation_routes  # noqa: F401

"""The quality pages: each part's routes join the blueprint from its own module."""

from teamops.quality import round_routes  # noqa: F401 - its routes join bp

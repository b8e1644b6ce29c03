"""The directory's routes: each part's route module joins the blueprint when imported here."""

from teamops.directory import network_routes  # noqa: F401

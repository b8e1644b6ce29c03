"""The directory's routes: each part's module adds its own to the blueprint."""

from teamops.directory import contact_routes  # noqa: F401

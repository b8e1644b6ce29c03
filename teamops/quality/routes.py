"""The quality pages: importing this module registers every route module of the blueprint."""

from __future__ import annotations

from teamops.quality import dip_routes, observation_routes, round_routes

__all__ = ["dip_routes", "observation_routes", "round_routes"]

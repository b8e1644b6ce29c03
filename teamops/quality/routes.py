"""The quality pages: importing this module registers every route module of the blueprint."""

from __future__ import annotations

from teamops.quality import audit_routes, dip_routes, findings_routes, observation_routes, round_routes

__all__ = ["audit_routes", "dip_routes", "findings_routes", "observation_routes", "round_routes"]

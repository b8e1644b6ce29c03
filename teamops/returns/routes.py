from teamops.returns import caseload_routes  # noqa: F401

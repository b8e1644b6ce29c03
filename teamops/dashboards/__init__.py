"""Dashboards: manager, worker, service manager and QAIT views of supervision."""

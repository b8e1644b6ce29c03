"""Administration of services, teams and staff (and read-only team and staff pages for managers)."""

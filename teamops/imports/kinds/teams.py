"""Kind ``teams`` (CONTRACT.md "CSV imports"): ``service``, ``team``, ``office_base``; key service + team.
A service named for the first time is created with its first team."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.imports.core import Change, Checker, Report, Scope, changed_fields, setter
from teamops.imports.csvfile import Row
from teamops.org.models import TEXT_MAX, Service, Team

TEAM_COLUMNS = ("service", "team", "office_base")


def plan_teams(rows: list[Row], report: Report, scope: Scope) -> None:
    services = {s.name.lower(): s for s in db.session.scalars(select(Service))}
    teams = {(t.service.name.lower(), t.name.lower()): t
             for t in db.session.scalars(select(Team).join(Team.service))}
    new_services: dict[str, Service] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        check = Checker(row, report.problems)
        service_name = check.text("service", TEXT_MAX)
        team_name = check.text("team", TEXT_MAX)
        office = check.text("office_base", TEXT_MAX)
        if service_name is None or team_name is None or office is None:
            continue
        key = (service_name.lower(), team_name.lower())
        if key in seen:
            check.fail("team", f"Same service and team as line {seen[key]}")
            continue
        seen[key] = row.line
        label = f"{service_name} / {team_name}"
        team = teams.get(key)
        if team is None:
            service = services.get(key[0]) or new_services.get(key[0])
            if service is None:
                service = new_services[key[0]] = Service(name=service_name)
            values = {"service": service, "name": team_name, "office_base": office}
            report.changes.append(Change(row.line, "create", label, {"office_base": (None, office)},
                                         setter(Team(), values)))
        else:
            diff = changed_fields(team, {"office_base": office})
            report.changes.append(Change(row.line, "update" if diff else "unchanged", label, diff,
                                         setter(team, {"office_base": office}) if diff else None))

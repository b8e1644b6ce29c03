"""Kind ``staff`` (CONTRACT.md "CSV imports"); key e-mail. A line manager may be another row of the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops import dates
from teamops.extensions import db
from teamops.forms import phone_problem
from teamops.imports.core import Change, Checker, Report, Scope, changed_fields, setter
from teamops.imports.csvfile import Problem, Row
from teamops.induction import services as induction
from teamops.org import grants
from teamops.org.models import EMPLOYMENT_TYPES, NAME_MAX, PHONE_MAX, ROLES, TEXT_MAX, Staff, Team

STAFF_COLUMNS = ("email", "name", "team", "job_role", "employment_type", "start_date")
STAFF_OPTIONAL = ("line_manager_email", "role", "work_phone")  # work_phone: an addition to the contract


@dataclass
class _PlannedPerson:
    row: Row
    email: str
    existing: Staff | None
    values: dict[str, Any]
    manager_email: str | None
    wanted_role: str | None = None  # QAIT or admin: asked for, applied only when a second person approves


def _applying(person: Staff, values: dict[str, Any], wanted_role: str | None,
              requested_by: Staff | None) -> Callable[[], None]:
    """Writes the row; a QAIT or admin role is asked for rather than given (``grants.request_role``)."""
    write = setter(person, values)

    def apply() -> None:
        write()
        if wanted_role is not None:
            grants.request_role(person, wanted_role, requested_by)

    return apply


def _opening(person: Staff, values: dict[str, Any], templates: dict[str, Any], team: Team,
             importer: Staff | None) -> tuple[str, Callable[[], None]] | None:
    """CONTRACT.md "Induction dates": importing someone whose start date is today or later, or within the last
    10 working days, opens their induction: what the preview says, and the write (after the person's row)."""
    start, template = values["start_date"], templates.get(values["employment_type"])
    if template is None or not dates.in_induction_window(start, dates.today()):
        return None
    first, last = dates.induction_day_date(start, 1), dates.induction_day_date(start, template.length_days)

    def write() -> None:
        induction.open_induction(person, team=team, kind="new_starter", template=template, start_date=start,
                                 opened_via="import", opened_by=importer)

    return f"opens: day 1 {first:%a %-d %b %Y}, last day {last:%a %-d %b %Y}", write


def _redating(person: Staff, team: Team, importer: Staff | None) -> Callable[[], None]:
    """A new start date moves a planned induction, or opens one for a re-hire (``start_date_changed``)."""
    def write() -> None:
        induction.start_date_changed(person, team, importer, "import")

    return write


def _team_for(check: Checker, teams_by_name: dict[str, list[Team]]) -> Team | None:
    """The one open team with that name, whatever its service; a closed or ambiguous name is a problem."""
    name = check.text("team", TEXT_MAX)
    if name is None:
        return None
    matches = teams_by_name.get(name.lower(), [])
    open_teams = [t for t in matches if t.active]
    if not matches:
        check.fail("team", f"No team called '{name}': import or add the team first")
    elif not open_teams:
        check.fail("team", f"Team '{name}' is closed")
    elif len(open_teams) > 1:
        services = ", ".join(sorted(t.service.name for t in open_teams))
        check.fail("team", f"More than one team is called '{name}' (in {services}): rename one first")
    else:
        return open_teams[0]
    return None


def _circles(planned: list[_PlannedPerson], people: dict[str, Staff], report: Report) -> None:
    """Refuses a file after which someone would be, through a chain of line managers, their own manager."""
    by_id = {person.id: email for email, person in people.items()}
    manager_of: dict[str, str | None] = {
        email: by_id.get(person.line_manager_id) if person.line_manager_id else None
        for email, person in people.items()
    }
    changed: dict[str, int] = {}
    for plan in planned:
        if plan.manager_email is not None:
            manager_of[plan.email] = plan.manager_email
            changed[plan.email] = plan.row.line
    done: set[str] = set()
    for start in changed:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in done and current not in path:
            path.append(current)
            current = manager_of.get(current)
        if current is not None and current in path:
            circle = path[path.index(current):]
            lines = [changed[email] for email in circle if email in changed]
            chain = " → ".join([*circle, circle[0]])
            report.problems.append(Problem(min(lines), "line_manager_email",
                                           f"Line management would go round in a circle: {chain}"))
        done.update(path)


def _shown(values: dict[str, Any], team_labels: dict[int, str]) -> dict[str, Any]:
    """Values as the preview shows them: the team's name and the line manager's e-mail, not ids."""
    shown: dict[str, Any] = {}
    for key, value in values.items():
        if key == "team_id":
            shown["team"] = team_labels.get(value, value)
        elif isinstance(value, Staff):
            shown[key] = value.email
        else:
            shown[key] = value
    return shown


def plan_staff(rows: list[Row], report: Report, scope: Scope) -> None:
    """Blank optional cells mean "not given": a new person gets role worker, no line manager and no work phone;
    an existing person keeps the role, line manager and work phone they have."""
    people = {s.email.lower(): s for s in db.session.scalars(select(Staff))}
    teams_by_name: dict[str, list[Team]] = {}
    team_labels: dict[int, str] = {}
    for known_team in db.session.scalars(select(Team).options(selectinload(Team.service))):
        teams_by_name.setdefault(known_team.name.lower(), []).append(known_team)
        team_labels[known_team.id] = known_team.label
    in_file = {row.cells.get("email", "").lower() for row in rows}
    planned: list[_PlannedPerson] = []
    seen: dict[str, int] = {}
    for row in rows:
        check = Checker(row, report.problems)
        before = report.problems.found
        email = check.email("email")
        existing = people.get(email) if email is not None else None
        values: dict[str, Any] = {
            "name": check.text("name", NAME_MAX),
            "job_role": check.text("job_role", TEXT_MAX),
            "employment_type": check.choice("employment_type", EMPLOYMENT_TYPES),
            "start_date": check.start_date("start_date"),
        }
        role = check.choice("role", ROLES, required=False)
        if role is not None or existing is None:
            values["role"] = role or "worker"
        if existing is not None and existing.id == scope.importer_id and role not in (None, existing.role):
            check.fail("role", "You cannot change your own role: ask another admin")
        wanted_role = None
        if role is not None and grants.needs_approval(role, existing.role if existing else None):
            wanted_role = role
            values["role"] = existing.role if existing is not None else "worker"
        phone = check.text("work_phone", PHONE_MAX, required=False)
        if phone is not None:
            problem = phone_problem(phone)
            if problem is not None:
                check.fail("work_phone", problem)
            else:
                values["work_phone"] = phone.strip()
        team = _team_for(check, teams_by_name)
        if team is not None:
            values["team_id"] = team.id
        manager_email = check.email("line_manager_email", required=False)
        if email is not None:
            if email in seen:
                check.fail("email", f"Same e-mail as line {seen[email]}")
            seen.setdefault(email, row.line)
        if manager_email is not None:
            manager = people.get(manager_email)
            if manager_email == email:
                check.fail("line_manager_email", "Someone cannot be their own line manager")
            elif manager is None and manager_email not in in_file:
                check.fail("line_manager_email", f"Nobody with e-mail {manager_email} in TeamOps or in this file")
            elif manager is not None and not manager.active:
                check.fail("line_manager_email", f"{manager_email} has left")
        if report.problems.found == before and email is not None:
            planned.append(_PlannedPerson(row, email, existing, values, manager_email, wanted_role))
    if report.problems:
        return
    _circles(planned, people, report)
    if report.problems:
        return

    created = {plan.email: Staff(email=plan.email, active=True) for plan in planned if plan.existing is None}
    templates = {kind: induction.active_template(kind) for kind in EMPLOYMENT_TYPES}
    teams_by_id = {team.id: team for teams in teams_by_name.values() for team in teams}
    importer = next((p for p in people.values() if p.id == scope.importer_id), None)
    for plan in planned:
        values = plan.values
        if plan.manager_email is not None:
            values["line_manager"] = people.get(plan.manager_email) or created[plan.manager_email]
        if plan.existing is None:
            person = created[plan.email]
            shown: dict[str, tuple[Any, Any]] = {k: (None, v) for k, v in _shown(values, team_labels).items()}
            if plan.wanted_role is not None:
                shown["role"] = (None, f"{values['role']} ({plan.wanted_role} once approved)")
            opens = _opening(person, values, templates, teams_by_id[values["team_id"]], importer)
            if opens is not None:
                shown["induction"] = (None, opens[0])
                report.writes.append(opens[1])
            report.changes.append(Change(plan.row.line, "create", plan.email, shown,
                                         _applying(person, values, plan.wanted_role, importer)))
            continue
        diff = changed_fields(plan.existing, values)
        before_values = _shown({k: old for k, (old, _) in diff.items()}, team_labels)
        after_values = _shown({k: new for k, (_, new) in diff.items()}, team_labels)
        shown = {k: (before_values[k], after_values[k]) for k in after_values}
        if plan.wanted_role is not None:
            shown["role"] = (plan.existing.role, f"{plan.wanted_role} once approved")
        changes = bool(diff) or plan.wanted_role is not None
        if "start_date" in diff:
            report.writes.append(_redating(plan.existing, teams_by_id[values["team_id"]], importer))
        report.changes.append(Change(plan.row.line, "update" if changes else "unchanged", plan.email, shown,
                                     _applying(plan.existing, values, plan.wanted_role, importer)
                                     if changes else None))

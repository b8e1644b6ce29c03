"""The import machinery (CONTRACT.md "CSV imports"): validate every row, then write all or nothing.

Each kind is a function that checks the rows against the database and the file itself and returns the
planned changes; ``run_import`` applies them in one transaction only when no row has a problem.
Later features add kinds (cases, supervisions) to ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from wtforms.validators import Email, ValidationError

from teamops.dates import parse_iso_date
from teamops.extensions import db
from teamops.imports.csvfile import Problem, Row, read_rows
from teamops.org.models import EMAIL_MAX, EMPLOYMENT_TYPES, NAME_MAX, ROLES, TEXT_MAX, Service, Staff, Team


@dataclass
class Change:
    line: int
    action: str  # create, update or unchanged
    key: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    apply: Callable[[], None] | None = None


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


class Checker:
    """Collects problems for one row; each check returns the clean value or None."""

    def __init__(self, row: Row, problems: list[Problem]) -> None:
        self.row, self.problems = row, problems

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.row.line, column, message))

    def text(self, column: str, limit: int, required: bool = True) -> str | None:
        value = self.row.cells.get(column, "")
        if not value:
            if required:
                self.fail(column, "Required: enter a value")
            return None
        if len(value) > limit:
            self.fail(column, f"Must be {limit} characters or fewer")
            return None
        return value

    def email(self, column: str, required: bool = True) -> str | None:
        value = self.text(column, EMAIL_MAX, required)
        if value is None:
            return None
        try:
            Email()(None, _Value(value))
        except ValidationError:
            self.fail(column, f"'{value}' is not an e-mail address")
            return None
        return value.lower()

    def date(self, column: str) -> date | None:
        value = self.text(column, 10)
        if value is None:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as error:
            self.fail(column, f"'{value}': {error}")
            return None

    def choice(self, column: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.row.cells.get(column, "").lower() or default
        if value not in choices:
            self.fail(column, f"'{self.row.cells.get(column, '')}' must be one of: {', '.join(choices)}")
            return None
        return value


class _Value:
    """Lets the WTForms e-mail validator check a plain string."""

    def __init__(self, data: str) -> None:
        self.data = data


def _diff(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def _setter(obj: Any, values: dict[str, Any]) -> Callable[[], None]:
    def apply() -> None:
        for key, value in values.items():
            setattr(obj, key, value)
        db.session.add(obj)

    return apply


# Teams -------------------------------------------------------------------------------------------

TEAM_COLUMNS = ("service", "team", "office_base")


def plan_teams(rows: list[Row], report: Report) -> None:
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
                                         _setter(Team(), values)))
        else:
            diff = _diff(team, {"office_base": office})
            report.changes.append(Change(row.line, "update" if diff else "unchanged", label, diff,
                                         _setter(team, {"office_base": office}) if diff else None))


# Staff -------------------------------------------------------------------------------------------

STAFF_COLUMNS = ("email", "name", "team", "job_role", "employment_type", "start_date")
STAFF_OPTIONAL = ("line_manager_email", "role")


def _shown(value: Any) -> Any:
    return value.email if isinstance(value, Staff) else value


def plan_staff(rows: list[Row], report: Report) -> None:
    people = {s.email: s for s in db.session.scalars(select(Staff))}
    teams_by_name: dict[str, list[Team]] = {}
    for team in db.session.scalars(select(Team)):
        teams_by_name.setdefault(team.name.lower(), []).append(team)
    file_emails: dict[str, int] = {}
    for row in rows:
        address = row.cells.get("email", "").strip().lower()
        if address and address not in file_emails:
            file_emails[address] = row.line
    planned: list[tuple[Row, Staff, dict[str, Any], str | None]] = []
    seen: dict[str, int] = {}
    for row in rows:
        check = Checker(row, report.problems)
        before = len(report.problems)
        email = check.email("email")
        values: dict[str, Any] = {
            "name": check.text("name", NAME_MAX),
            "job_role": check.text("job_role", TEXT_MAX),
            "employment_type": check.choice("employment_type", EMPLOYMENT_TYPES),
            "start_date": check.date("start_date"),
            "role": check.choice("role", ROLES, default="worker"),
        }
        team_name = check.text("team", TEXT_MAX)
        if team_name is not None:
            matches = teams_by_name.get(team_name.lower(), [])
            active = [t for t in matches if t.active]
            if not matches:
                check.fail("team", f"No team called '{team_name}': import or add the team first")
            elif not active:
                check.fail("team", f"Team '{team_name}' is closed")
            elif len(active) > 1:
                check.fail("team", f"More than one team is called '{team_name}'")
            else:
                values["team_id"] = active[0].id
        manager_email = check.email("line_manager_email", required=False)
        if email is not None:
            if email in seen:
                check.fail("email", f"Same e-mail as line {seen[email]}")
            seen[email] = row.line
        if manager_email is not None:
            existing_manager = people.get(manager_email)
            if manager_email == email:
                check.fail("line_manager_email", "Someone cannot be their own line manager")
            elif existing_manager is None and manager_email not in file_emails:
                check.fail("line_manager_email", f"Nobody with e-mail {manager_email} in TeamOps or in this file")
            elif existing_manager is not None and not existing_manager.active and manager_email not in file_emails:
                check.fail("line_manager_email", f"{manager_email} has left")
        if len(report.problems) > before or email is None:
            continue
        planned.append((row, people.get(email) or Staff(email=email, active=True), values, manager_email))

    if report.problems:
        return
    created = {email: person for person in (p for _, p, _, _ in planned) if person.id is None
               for email in [person.email]}
    for row, person, values, manager_email in planned:
        manager = people.get(manager_email) if manager_email else None
        if manager_email and manager is None:
            manager = created[manager_email]
        values["line_manager"] = manager
        if person.id is None:
            shown = {k: (None, _shown(v)) for k, v in values.items() if v is not None}
            report.changes.append(Change(row.line, "create", person.email, shown, _setter(person, values)))
            continue
        diff = _diff(person, values)
        shown = {k: (_shown(old), _shown(new)) for k, (old, new) in diff.items()}
        report.changes.append(Change(row.line, "update" if diff else "unchanged", person.email, shown,
                                     _setter(person, values) if diff else None))


@dataclass(frozen=True)
class Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    plan: Callable[[list[Row], Report], None]
    label: str


KINDS: dict[str, Kind] = {
    "teams": Kind(TEAM_COLUMNS, (), plan_teams, "Teams"),
    "staff": Kind(STAFF_COLUMNS, STAFF_OPTIONAL, plan_staff, "Staff"),
}


def run_import(kind: str, data: bytes, dry_run: bool = False) -> Report:
    """Checks every row; writes everything in one transaction only if there is no problem at all."""
    spec = KINDS[kind]
    report = Report()
    rows, report.problems = read_rows(data, spec.required, spec.optional)
    if report.problems:
        return report
    with db.session.no_autoflush:
        spec.plan(rows, report)
    if report.problems:
        report.changes = []
        db.session.rollback()
        return report
    if dry_run:
        db.session.rollback()
        return report
    try:
        with db.session.no_autoflush:
            for change in report.changes:
                if change.apply is not None:
                    change.apply()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report

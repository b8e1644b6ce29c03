"""The import machinery (CONTRACT.md "CSV imports"): validate every row, then write all or nothing.

Each kind is a function that checks the rows against the database and the file itself and returns the
planned changes; ``run_import`` applies them in one transaction only when no row has a problem.
Later features add kinds (cases, supervisions) to ``KINDS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import selectinload

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
        if not is_email(value):
            self.fail(column, f"'{value}' is not an e-mail address")
            return None
        return value.lower()

    def date(self, column: str) -> date | None:
        value = self.text(column, 40)
        if value is None:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as error:
            self.fail(column, f"'{value}': {error}")
            return None

    def choice(self, column: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        """One of ``choices`` in any case; blank is a problem when required, else None ("not given")."""
        given = self.row.cells.get(column, "")
        if not given:
            if required:
                self.fail(column, f"Required: enter one of: {', '.join(choices)}")
            return None
        if given.lower() not in choices:
            self.fail(column, f"'{given}' must be one of: {', '.join(choices)}")
            return None
        return given.lower()


# The common shape of a work address, checked by a pattern; its domain (one per organisation, usually) is
# checked once by email-validator, which also judges every address that does not fit the pattern.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT})*)@([A-Za-z0-9.-]+)")


def _validates(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@lru_cache(maxsize=256)
def _domain_validates(domain: str) -> bool:
    return _validates(f"postmaster@{domain}")


def is_email(address: str) -> bool:
    """Whether email-validator accepts the address; fast for 10,000 addresses sharing a few domains."""
    plain = _PLAIN_ADDRESS.fullmatch(address)
    if plain is not None and len(plain.group(1)) <= 64:
        return _domain_validates(plain.group(2).lower())
    return _validates(address)


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


@dataclass
class _PlannedPerson:
    row: Row
    email: str
    existing: Staff | None
    values: dict[str, Any]
    manager_email: str | None


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


def plan_staff(rows: list[Row], report: Report) -> None:
    """Blank optional cells mean "not given": a new person gets role worker and no line manager; an
    existing person keeps the role and line manager they have."""
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
        before = len(report.problems)
        email = check.email("email")
        existing = people.get(email) if email is not None else None
        values: dict[str, Any] = {
            "name": check.text("name", NAME_MAX),
            "job_role": check.text("job_role", TEXT_MAX),
            "employment_type": check.choice("employment_type", EMPLOYMENT_TYPES),
            "start_date": check.date("start_date"),
        }
        role = check.choice("role", ROLES, required=False)
        if role is not None or existing is None:
            values["role"] = role or "worker"
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
        if len(report.problems) == before and email is not None:
            planned.append(_PlannedPerson(row, email, existing, values, manager_email))
    if report.problems:
        return
    _circles(planned, people, report)
    if report.problems:
        return

    created = {plan.email: Staff(email=plan.email, active=True) for plan in planned if plan.existing is None}
    for plan in planned:
        values = plan.values
        if plan.manager_email is not None:
            values["line_manager"] = people.get(plan.manager_email) or created[plan.manager_email]
        if plan.existing is None:
            person = created[plan.email]
            shown = {k: (None, v) for k, v in _shown(values, team_labels).items()}
            report.changes.append(Change(plan.row.line, "create", plan.email, shown, _setter(person, values)))
            continue
        diff = _diff(plan.existing, values)
        before_values = _shown({k: old for k, (old, _) in diff.items()}, team_labels)
        after_values = _shown({k: new for k, (_, new) in diff.items()}, team_labels)
        shown = {k: (before_values[k], after_values[k]) for k in after_values}
        report.changes.append(Change(plan.row.line, "update" if diff else "unchanged", plan.email, shown,
                                     _setter(plan.existing, values) if diff else None))


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

"""What every import kind shares: the planned changes and the report, the per-row checker, and the reach
of the person importing (a manager's file may only touch their own teams).

Each kind (``teamops.imports.kinds``) checks the rows against the database and the file itself and plans
its changes; ``teamops.imports.services.run_import`` applies them in one transaction only when no row has a
problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email

from teamops.dates import EVENT_YEARS, START_YEARS, month_first_reading, other_reading, parse_import_date
from teamops.extensions import db
from teamops.imports.csvfile import Problem, Problems, Row
from teamops.org.models import EMAIL_MAX, Staff

# Dates before or after these years are typing mistakes (1900, 2206…), not history or plans.
FIRST_YEAR, LAST_YEAR = EVENT_YEARS
Day = date  # the type, for annotations inside Checker, whose ``date`` method hides the name


@dataclass
class Change:
    line: int
    action: str  # create, update or unchanged
    key: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    apply: Callable[[], None] | None = None


@dataclass
class Report:
    """The planned changes and the problems found. A change's own ``apply`` writes it alone (an update, through
    the same service as the web page); ``writes`` write many planned changes at once (new rows, in bulk)."""

    changes: list[Change] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    writes: list[Callable[[], None]] = field(default_factory=list)
    # Rows accepted that break a practice rule (a case for a permanent starter during their induction, R-IND-3):
    # the file is the case system's record, so they are imported, and each is reported for its line.
    warnings: list[Problem] = field(default_factory=list)

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


@dataclass(frozen=True)
class Scope:
    """Whose import this is. ``team_ids`` None: anyone (the command line, an admin); otherwise the ids of
    the teams the manager runs, and every row must stay inside them. ``importer_id``: the person importing on
    the upload page (None on the command line), who may not import their own supervision.

    In a manager's import, a person or case outside their teams reads exactly like one that does not exist
    (issue 7 item 12): the messages must not let a manager find out who works elsewhere or which case
    references another team holds. The one exception is a new case whose reference is taken: references are
    unique, so that row has to fail, but its message says nothing about whose the case is.
    """

    team_ids: frozenset[int] | None = None
    importer_id: int | None = None

    def reaches(self, team_id: int) -> bool:
        return self.team_ids is None or team_id in self.team_ids

    @property
    def where(self) -> str:
        return "in TeamOps" if self.team_ids is None else "in the teams you manage"

    def nobody(self, email: str) -> str:
        """The message for an e-mail address nobody in reach has."""
        advice = ": import the staff first" if self.team_ids is None else ""
        return f"Nobody with e-mail {email} {self.where}{advice}"

    def no_case(self, ref: str) -> str:
        """The message for a case reference no case in reach has (the reference as the file gives it)."""
        advice = ": import the cases first" if self.team_ids is None else ""
        return f"No case {ref} {self.where}{advice}"


EVERYONE = Scope()
# A new case whose reference another team's case has: uniqueness forces a refusal, but not whose it is.
REFERENCE_TAKEN = "is already in TeamOps, in a team you do not manage"


class Checker:
    """Collects problems for one row; each check returns the clean value or None."""

    def __init__(self, row: Row, problems: Problems) -> None:
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

    def date(self, column: str, required: bool = True) -> date | None:
        value = self.text(column, 40, required)
        if value is None:
            return None
        try:
            parsed = parse_import_date(value)
        except ValueError as error:
            us = month_first_reading(value)
            self.fail(column, f"'{value}' has the month first (US order): write {us:%d/%m/%Y} or {us.isoformat()}"
                      if us is not None else f"'{value}': {error}")
            return None
        other = other_reading(value) if self.row.month_first is not None else None
        if other is not None and self.row.month_first is not None:
            line, example = self.row.month_first
            self.fail(column, f"'{value}' could be {parsed:%-d %B %Y} or {other:%-d %B %Y}: line {line} has the month "
                      f"first ('{example}'), so this file's order is unclear. Write every date as DD/MM/YYYY or "
                      "YYYY-MM-DD")
            return None
        return parsed

    def start_date(self, column: str) -> Day | None:
        """A start date between 1950 and 2100, as the staff form takes (a start in 1900 is a typing slip)."""
        value = self.date(column)
        low, high = START_YEARS
        if value is not None and not low <= value.year <= high:
            self.fail(column, f"'{value.isoformat()}': enter a date from {low} to {high}")
            return None
        return value

    def past_date(self, column: str, today: Day, required: bool = True) -> Day | None:
        """A date that has happened: between 2000 and today (an allocation, a closure, a session held)."""
        value = self.date(column, required)
        if value is None:
            return None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(column, f"'{value.isoformat()}': enter a date from {FIRST_YEAR} to {LAST_YEAR}")
            return None
        if value > today:
            self.fail(column, f"'{value.isoformat()}' is in the future: import only what has happened")
            return None
        return value

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


def changed_fields(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def setter(obj: Any, values: dict[str, Any]) -> Callable[[], None]:
    def apply() -> None:
        for key, value in values.items():
            setattr(obj, key, value)
        db.session.add(obj)

    return apply


def chunks(values: list[Any], size: int = 1000) -> list[list[Any]]:
    """Keeps ``IN (...)`` lists well inside every database's limit on bound parameters."""
    return [values[i:i + size] for i in range(0, len(values), size)]


def known_person(check: Checker, people: dict[str, Staff], column: str,
                 scope: Scope = EVERYONE) -> tuple[str, Staff] | None:
    """The e-mail in ``column`` and the person in ``scope`` it names, or None after saying which problem the row
    has. Someone outside the scope gets the message of nobody at all, and no check that would tell them apart
    (such as "has left") runs before this one."""
    email = check.email(column)
    if email is None:
        return None
    person = people.get(email)
    if person is None or not scope.reaches(person.team_id):
        check.fail(column, scope.nobody(email))
        return None
    return email, person

"""Strict parsing of the API's query parameters.

Reporting tools build these URLs by program, so anything other than the documented form is refused with a 400
that names the parameter, rather than guessed at: a silently ignored typo would give a quietly wrong report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from teamops.dates import add_months, month_label, month_start, parse_iso_date, today
from teamops.types import MAX_ID

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
MAX_PAGE = 1_000_000  # keeps the row offset well inside a 32-bit integer on every database
FORMATS = ("json", "csv")
EARLIEST_YEAR, LATEST_YEAR = 1901, 2199
# The same limits as patterns, for the OpenAPI document: a request the document calls valid is accepted.
AS_OF_PATTERN = r"^(190[1-9]|19[1-9][0-9]|20[0-9]{2}|21[0-9]{2})-[0-9]{2}-[0-9]{2}$"
EMAIL_PATTERN = r"^[^\s@]+@[^\s@]+\.[^\s@]+$"
EMAIL_MAX = 254
MAX_TEAM_ID = MAX_ID  # team ids are 32-bit integers on every database
# Months and years of the returns endpoints: a sane range for a reporting tool, stated in the document.
RETURNS_EARLIEST_YEAR, RETURNS_LATEST_YEAR = 2000, 2100
_DIGITS = re.compile(r"[0-9]{1,10}")


class ApiError(Exception):
    """An answer other than 200: the status, a plain message and, for a bad parameter, its name."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def bad(field: str, message: str) -> ApiError:
    return ApiError(400, message, field)


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _whole_number(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = args.get(name)
    if text is None:
        return default
    if not _DIGITS.fullmatch(text) or not low <= int(text) <= high:
        raise bad(name, f"{name} must be a whole number from {low} to {high}")
    return int(text)


def paging(args: MultiDict[str, str]) -> Paging:
    return Paging(_whole_number(args, "page", 1, 1, MAX_PAGE),
                  _whole_number(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def output_format(args: MultiDict[str, str]) -> str:
    value = args.get("format", "json")
    if value not in FORMATS:
        raise bad("format", "format must be json or csv")
    return value


def as_of(args: MultiDict[str, str], name: str = "as_of") -> date:
    """The date the answer describes (or, for ``from``, where it starts); today (in England) when not given."""
    text = args.get(name)
    if text is None:
        return today()
    try:
        value = parse_iso_date(text)
    except ValueError as error:
        raise bad(name, str(error)) from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise bad(name, f"{name} must be a date between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def include_closed(args: MultiDict[str, str]) -> bool:
    value = args.get("include_closed", "false").lower()
    if value not in ("true", "false"):
        raise bad("include_closed", "include_closed must be true or false")
    return value == "true"


def team_id(args: MultiDict[str, str], name: str = "team") -> int | None:
    text = args.get(name)
    if text is None:
        return None
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_TEAM_ID:
        raise bad(name, f"{name} must be a team id (a whole number, as /teams lists)")
    return int(text)


def round_id(args: MultiDict[str, str]) -> int | None:
    """The ``round`` parameter of ``/audits``: an audit round's id."""
    text = args.get("round")
    if text is None:
        return None
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ID:
        raise bad("round", "round must be an audit round's id (a whole number)")
    return int(text)


AREA_MAX = 120  # a champion area's name at most (teamops.directory.models.NAME_MAX)


def area(args: MultiDict[str, str]) -> str | None:
    """The ``area`` parameter of ``/champions`` as sent: a name or id, 1 to 120 characters (which area it names is
    the service's to find: 404 for none)."""
    text = args.get("area")
    if text is None:
        return None
    if not text.strip() or len(text) > AREA_MAX:
        raise bad("area", f"area must be a champion area's name or id, 1 to {AREA_MAX} characters")
    return text


def worker_email(args: MultiDict[str, str]) -> str | None:
    text = args.get("worker")
    if text is None:
        return None
    value = text.strip().lower()
    if len(value) > EMAIL_MAX or not re.fullmatch(EMAIL_PATTERN, value):
        raise bad("worker", "worker must be a member of staff's e-mail address")
    return value


def _any_of(values: list[str]) -> str:
    return "(" + "|".join(values) + ")"


def month_pattern(last: date | None = None) -> str:
    """The ``month`` parameter as a pattern: YYYY-MM from January of the earliest year to December of the latest,
    or, with ``last``, to that month (the document then calls only the months accepted valid)."""
    if last is None:
        return r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
    whole_years = [str(year) for year in range(RETURNS_EARLIEST_YEAR, last.year)]
    months = [f"{number:02d}" for number in range(1, last.month + 1)]
    recent = f"{last.year}-{_any_of(months)}"
    if not whole_years:
        return f"^{recent}$"
    return f"^({_any_of(whole_years)}-(0[1-9]|1[0-2])|{recent})$"


def last_ended_month(on: date) -> date:
    """The latest month that has ended by ``on`` (its first day)."""
    return add_months(date(on.year, on.month, 1), -1)


def month(args: MultiDict[str, str], *, ended: bool = False) -> date:
    """The required ``month`` (YYYY-MM, years 2000 to 2100) as its first day; with ``ended``, a month that has
    ended: its figures are a snapshot at its last day, which a month still running has not reached."""
    text = args.get("month")
    if text is None or not text.strip():
        raise bad("month", "month is required: give a month as YYYY-MM, for example 2026-03")
    try:
        value = month_start(text)
    except ValueError as error:
        raise bad("month", str(error)) from None
    if not RETURNS_EARLIEST_YEAR <= value.year <= RETURNS_LATEST_YEAR:
        raise bad("month", f"month must be between {RETURNS_EARLIEST_YEAR}-01 and {RETURNS_LATEST_YEAR}-12")
    if ended and value > last_ended_month(today()):
        raise bad("month", f"{month_label(value)} has not ended yet: its figures are taken at its last day")
    return value


def year(args: MultiDict[str, str]) -> int:
    """The required ``year`` (YYYY, 2000 to 2100)."""
    text = args.get("year")
    low, high = RETURNS_EARLIEST_YEAR, RETURNS_LATEST_YEAR
    if text is None or not re.fullmatch(r"[0-9]{4}", text) or not low <= int(text) <= high:
        raise bad("year", f"year is required: a year from {low} to {high}, for example 2026")
    return int(text)

"""Networks' meeting patterns: the friendly form's fields (how often, which weekday or day of the month, only in
some months, from a first date to an optional end date, local start and end times) as an RFC 5545 RRULE and back,
in plain words, and the next meetings with their exceptions applied.

Every time here is local wall-clock time in Europe/London: the pattern is expanded from a naive local start, so a
meeting at 14:00 stays at 14:00 when the clocks change (14:00Z in March, 13:00Z in April). Nobody types an RRULE:
the form's fields make one of the few shapes ``to_rule`` writes, and ``from_rule`` reads back only those shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]  # no stubs in the environment

from teamops.dates import add_months

WEEKLY, MONTHLY_WEEKDAY, MONTHLY_DAY = "weekly", "monthly_weekday", "monthly_day"
FREQUENCIES = {
    "": "It does not meet on a regular pattern",
    WEEKLY: "Weekly, or every few weeks",
    MONTHLY_WEEKDAY: "Monthly on a weekday, such as the third Tuesday",
    MONTHLY_DAY: "Monthly on a day of the month, such as the 15th",
}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MOST_INTERVAL = 12  # every 12 weeks or every 12 months at most
WINDOW_YEARS = 2  # a pattern must have a meeting within this many years of its first date
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")  # 14:30, or 14.30 as many write it
TIME_MESSAGE = "Enter a time as HH:MM in the 24-hour clock, for example 14:30"
_PART = re.compile(r"^(FREQ|INTERVAL|BYDAY|BYMONTHDAY|BYMONTH)=([A-Z0-9,+-]+)$")
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


class PatternProblem(ValueError):
    """A pattern refused, with the form field its message belongs next to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Pattern:
    """What the friendly form asks: ``weekday`` 0 is Monday; ``position`` 1 to 5 or -1 (last); ``months`` the
    months it meets in (empty: every month)."""

    frequency: str
    interval: int = 1
    weekday: int | None = None
    position: int | None = None
    month_day: int | None = None
    months: tuple[int, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """One meeting as it will happen: local day and times; ``moved_from`` the pattern's day for a moved one."""

    on: date
    starts_at: time
    ends_at: time | None
    moved_from: date | None = None
    note: str = ""

    @property
    def starts(self) -> datetime:
        """The local (naive, Europe/London wall-clock) start."""
        return datetime.combine(self.on, self.starts_at)


def parse_time(text: str) -> time:
    match = TIME_PATTERN.match(text.strip())
    if match is None:
        raise ValueError(TIME_MESSAGE)
    return time(int(match.group(1)), int(match.group(2)))


# The RRULE and back -------------------------------------------------------------------------------------------

def to_rule(pattern: Pattern) -> str:
    """The RFC 5545 RRULE value (without ``UNTIL``: the end date is kept in its own column)."""
    parts = ["FREQ=WEEKLY" if pattern.frequency == WEEKLY else "FREQ=MONTHLY"]
    if pattern.interval != 1:
        parts.append(f"INTERVAL={pattern.interval}")
    if pattern.frequency == WEEKLY:
        assert pattern.weekday is not None
        parts.append(f"BYDAY={WEEKDAY_CODES[pattern.weekday]}")
    elif pattern.frequency == MONTHLY_WEEKDAY:
        assert pattern.weekday is not None and pattern.position is not None
        parts.append(f"BYDAY={pattern.position}{WEEKDAY_CODES[pattern.weekday]}")
    else:
        parts.append(f"BYMONTHDAY={pattern.month_day}")
    if pattern.months:
        parts.append("BYMONTH=" + ",".join(str(month) for month in sorted(set(pattern.months))))
    return ";".join(parts)


def from_rule(rule: str) -> Pattern:
    """The form's fields for a rule ``to_rule`` wrote; ``ValueError`` for any other shape."""
    values: dict[str, str] = {}
    for part in rule.upper().split(";"):
        match = _PART.match(part.strip())
        if match is None or match.group(1) in values:
            raise ValueError(f"A meeting pattern the form does not make: {rule}")
        values[match.group(1)] = match.group(2)
    interval = int(values.get("INTERVAL", "1"))
    months = tuple(int(month) for month in values["BYMONTH"].split(",")) if "BYMONTH" in values else ()
    if not 1 <= interval <= MOST_INTERVAL or any(not 1 <= month <= 12 for month in months):
        raise ValueError(f"A meeting pattern the form does not make: {rule}")
    byday = _BYDAY.match(values.get("BYDAY", ""))
    if values.get("FREQ") == "WEEKLY" and byday and byday.group(1) is None and "BYMONTHDAY" not in values:
        return Pattern(WEEKLY, interval, WEEKDAY_CODES.index(byday.group(2)), months=months)
    if values.get("FREQ") == "MONTHLY" and byday and byday.group(1) and int(byday.group(1)) in POSITIONS \
            and "BYMONTHDAY" not in values:
        return Pattern(MONTHLY_WEEKDAY, interval, WEEKDAY_CODES.index(byday.group(2)), int(byday.group(1)),
                       months=months)
    if values.get("FREQ") == "MONTHLY" and "BYDAY" not in values and values.get("BYMONTHDAY", "").isdigit() \
            and 1 <= int(values["BYMONTHDAY"]) <= 31:
        return Pattern(MONTHLY_DAY, interval, month_day=int(values["BYMONTHDAY"]), months=months)
    raise ValueError(f"A meeting pattern the form does not make: {rule}")


# Plain words --------------------------------------------------------------------------------------------------

def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _how_often(unit: str, interval: int) -> str:
    if interval == 1:
        return "Weekly" if unit == "week" else "Monthly"
    if interval == 2 and unit == "month":
        return "Every other month"
    return f"Every {interval} {unit}s"


def describe(pattern: Pattern, starts_at: time | None = None, ends_at: time | None = None,
             until: date | None = None) -> str:
    """"Monthly on the third Tuesday, 14:00 to 17:00", "Every 2 weeks on Wednesday, 10:00 to 11:00"."""
    if pattern.frequency == WEEKLY:
        assert pattern.weekday is not None
        words = f"{_how_often('week', pattern.interval)} on {WEEKDAY_NAMES[pattern.weekday]}"
    elif pattern.frequency == MONTHLY_WEEKDAY:
        assert pattern.weekday is not None and pattern.position is not None
        words = (f"{_how_often('month', pattern.interval)} on the {POSITIONS[pattern.position]} "
                 f"{WEEKDAY_NAMES[pattern.weekday]}")
    else:
        assert pattern.month_day is not None
        words = f"{_how_often('month', pattern.interval)} on the {_ordinal(pattern.month_day)}"
        if pattern.month_day > 28:
            words += " (not in months without one)"
    if pattern.months:
        words += ", only in " + _listed([MONTH_NAMES[month - 1] for month in sorted(set(pattern.months))])
    if starts_at is not None:
        words += f", {starts_at:%H:%M}" + (f" to {ends_at:%H:%M}" if ends_at is not None else "")
    if until is not None:
        words += f", until {until.day} {until:%B %Y}"
    return words


def rule_in_words(network: Any) -> str:
    """A network's pattern in plain words, or that it has none."""
    if not network.rule:
        return "No regular meetings"
    try:
        return describe(from_rule(network.rule), network.starts_at, network.ends_at, network.until)
    except ValueError:
        return str(network.rule)  # a rule made outside the form: shown as it is


# Expanding ----------------------------------------------------------------------------------------------------

def _expanded(rule: str, first_on: date, until: date | None, at: time | None) -> rrule:
    """The rule from a naive local start: occurrences keep the wall-clock time whatever the clocks do."""
    expanded: rrule = rrulestr(rule, dtstart=datetime.combine(first_on, at or time(0)))
    if until is not None:
        expanded = expanded.replace(until=datetime.combine(until, time.max))
    return expanded


def meeting_days(rule: str, first_on: date, until: date | None, from_day: date, to_day: date) -> list[date]:
    """The pattern's days from ``from_day`` to ``to_day`` (both included), exceptions not applied."""
    expanded = _expanded(rule, first_on, until, None)
    return [moment.date() for moment in expanded.between(
        datetime.combine(from_day, time(0)), datetime.combine(to_day, time.max), inc=True)]


def first_meeting(rule: str, first_on: date, until: date | None = None) -> date | None:
    found = _expanded(rule, first_on, until, None).after(datetime.combine(first_on, time(0)), inc=True)
    return found.date() if found is not None else None


def is_meeting_day(network: Any, day: date) -> bool:
    if not network.rule or network.first_on is None:
        return False
    return bool(meeting_days(network.rule, network.first_on, network.until, day, day))


def _pattern_days(network: Any, from_day: date) -> Any:
    """The pattern's meetings from ``from_day`` on, lazily (dateutil's own iterator)."""
    expanded = _expanded(network.rule, network.first_on, network.until, network.starts_at)
    return expanded.xafter(datetime.combine(from_day, time(0)), inc=True)


def next_meetings(network: Any, from_day: date, count: int = 3) -> list[Meeting]:
    """The next ``count`` meetings on or after ``from_day``: a cancelled one skipped, a moved one at its new day
    and time, in date order. ``network.exceptions`` is read (load it with the network)."""
    if not network.rule or network.first_on is None or network.starts_at is None:
        return []
    exceptions = {exception.original_on: exception for exception in network.exceptions}
    found: list[Meeting] = []
    for moment in _pattern_days(network, from_day):
        if len(found) >= count:
            break
        if moment.date() not in exceptions:
            found.append(Meeting(moment.date(), network.starts_at, network.ends_at))
    for exception in exceptions.values():
        if exception.moved_on is not None and exception.moved_on >= from_day:
            found.append(Meeting(exception.moved_on, exception.moved_starts_at or network.starts_at,
                                 exception.moved_ends_at, moved_from=exception.original_on, note=exception.note))
    return sorted(found, key=lambda meeting: (meeting.starts, meeting.on))[:count]


# Checking the form --------------------------------------------------------------------------------------------

def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def check(pattern: Pattern, first_on: date, until: date | None, starts_at: time, ends_at: time) -> None:
    """Refuses a pattern with no meeting in the first ``WINDOW_YEARS`` years from its first date (the fifth Monday
    of February alone comes only in some leap years), an end date before the first date, an end time not after
    the start time. Raises ``PatternProblem`` naming the field."""
    if until is not None and until < first_on:
        raise PatternProblem("The end date must be the same as or after the first date", "until")
    if ends_at <= starts_at:
        raise PatternProblem("The end time must be after the start time", "ends_at")
    rule = to_rule(pattern)
    window_ends = add_months(first_on, 12 * WINDOW_YEARS)
    first = first_meeting(rule, first_on)
    field = "months" if pattern.months else "position" if pattern.frequency == MONTHLY_WEEKDAY else \
        "month_day" if pattern.frequency == MONTHLY_DAY else "frequency"
    if first is None or first > window_ends:
        later = f": the first would not be until {_long_date(first)}" if first is not None else ""
        raise PatternProblem(f"This pattern has no meeting in the {WINDOW_YEARS} years from "
                             f"{_long_date(first_on)}{later}. Choose another day or other months", field)
    if until is not None and first > until:
        raise PatternProblem(f"No meeting falls between the first date and the end date: the first is on "
                             f"{_long_date(first)}", "until")

"""Every date rule in TeamOps, in one place: working days, bank holidays, interval arithmetic, deadlines.

Bank holidays for England and Wales come from the maintained ``holidays`` library, never a hand list.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
# The years a date typed into TeamOps may fall in: cases, sessions and imports (things that happened), action
# due dates, and staff start dates. Anything outside is a typing slip, refused with these numbers.
EVENT_YEARS = (2000, 2099)
DUE_YEARS = (2000, 2100)
START_YEARS = (1950, 2100)
FRIDAY = 4


# The one clock. ``freeze`` moves it (tests); every module reads the time through utcnow() and today().
_offset = timedelta(0)


def utcnow() -> datetime:
    """Timezone-aware now in UTC: the only clock for stored timestamps."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date where the service runs (England), not on the server's clock."""
    return utcnow().astimezone(LONDON).date()


def local_now() -> datetime:
    """Now on the wall clock in England (Europe/London, clock changes included): what "open now" reads."""
    return utcnow().astimezone(LONDON)


@contextmanager
def freeze(day: date) -> Iterator[None]:
    """Makes ``day`` today for the whole app (every module reads this clock), from noon in England: the clock
    still runs, so "within the last minute" and the order of timestamps behave as they do in real use, and
    no test run reaches midnight. The offset is taken in UTC, so a summer day frozen on a winter evening (or
    the other way round) is still that day in England."""
    global _offset
    before = _offset
    noon = datetime.combine(day, time(12, 0), tzinfo=LONDON)
    _offset = noon.astimezone(UTC) - datetime.now(UTC)
    try:
        yield
    finally:
        _offset = before


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_number(start: date, n: int) -> date:
    """Working day ``n`` counting ``start`` (moved to a working day if needed) as working day 1."""
    if n < 1:
        raise ValueError("working days are counted from 1")
    day = next_working_day(start)
    for _ in range(n - 1):
        day = next_working_day(day + timedelta(days=1))
    return day


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=8192)
def induction_day_date(start: date, n: int) -> date:
    """The date of an induction's working day ``n`` (day 1 is the start date, or the next working day)."""
    return working_day_number(start, n)


def induction_deadline(start: date, length_days: int, deadline: str) -> date:
    """When a checklist item is due (R-IND-15): before the start is the last working day before day 1; week 1
    is working day 5 whatever the length; within 6 weeks is the last working day of the 6 weeks that begin on
    day 1; the end of induction is its last working day."""
    day_1 = induction_day_date(start, 1)
    if deadline == "before_start":
        return previous_working_day(day_1 - timedelta(days=1))
    if deadline == "within_6_weeks":
        return previous_working_day(day_1 + timedelta(days=41))
    numbers = {"day_1": 1, "within_3_days": 3, "week_1": 5, "end_of_induction": length_days}
    return induction_day_date(start, numbers[deadline])


def working_days_between(first: date, last: date) -> int:
    """How many working days lie in ``first``..``last`` inclusive (0 when ``last`` is before ``first``)."""
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


@lru_cache(maxsize=8192)
def add_months(day: date, months: int) -> date:
    """Same day ``months`` calendar months on, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def start_of_day(day: date) -> datetime:
    """Midnight in England at the start of ``day``, in UTC: a date a person picks, as a stored moment."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(days=7 * weeks)


@lru_cache(maxsize=8192)
def induction_ends_on(start: date, employment_type: str) -> date:
    """Last day of formal induction: working day 10 (permanent) or 5 (agency). R-IND-1."""
    return working_day_number(start, 5 if employment_type == "agency" else 10)


def in_induction(start: date, employment_type: str, on: date) -> bool:
    """Whether ``on`` falls within someone's formal induction: from their start to working day 10 (5 for
    agency staff), R-IND-1. The one definition the dashboards and the API share."""
    return start <= on <= induction_ends_on(start, employment_type)


def in_induction_window(start: date, on: date) -> bool:
    """Whether a start date is today or later, or within the last 10 working days (CONTRACT.md)."""
    return start >= induction_window_opens(on)


@lru_cache(maxsize=64)
def induction_window_opens(on: date) -> date:
    """The earliest start date inside ``on``'s induction window: the day after the 10th working day before
    ``on`` (a start then or later has fewer than 10 working days before ``on``). Lists filter on it in SQL."""
    day, counted = on, 0
    while counted < 10:
        day -= timedelta(days=1)
        counted += is_working_day(day)
    return day + timedelta(days=1)


def first_friday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(FRIDAY - first.weekday()) % 7)


# R-QA-2: when the first Friday is not a working day, the return moves to the next working day (the default) or,
# if the organisation chooses, the working day before, unless that falls inside the month being reported.
RETURN_NEXT = "next"
RETURN_BEFORE = "before"
RETURN_RULES = (RETURN_NEXT, RETURN_BEFORE)


def return_first_friday(year: int, month: int) -> date:
    """The first Friday of the month after ``year``-``month``: when that month's return is due, before any move."""
    following = add_months(date(year, month, 1), 1)
    return first_friday(following.year, following.month)


def return_due_on(year: int, month: int, rule: str = RETURN_NEXT) -> date:
    """A month's QAIT return is due the first Friday of the next month (R-QA-1); on a bank holiday, the next
    working day (R-QA-2), or with ``rule`` "before" the working day before, except where that day falls inside
    the month reported: then the next working day after all (CONTRACT.md "Scheduling rules")."""
    friday = return_first_friday(year, month)
    if rule == RETURN_BEFORE and not is_working_day(friday):
        before = previous_working_day(friday)
        if (before.year, before.month) != (year, month):
            return before
    return next_working_day(friday)


def return_rule_falls_back(year: int, month: int, rule: str) -> bool:
    """Whether "the working day before" would fall inside the month reported, so the next working day holds."""
    friday = return_first_friday(year, month)
    return (rule == RETURN_BEFORE and not is_working_day(friday)
            and (previous_working_day(friday).year, previous_working_day(friday).month) == (year, month))


def working_days_late(due_on: date, on: date) -> int:
    """Working days after ``due_on`` up to and including ``on`` (0 on or before the due date)."""
    return working_days_between(due_on + timedelta(days=1), on)


def working_days_left(on: date, due_on: date) -> int:
    """Working days from ``on`` up to and including ``due_on`` (the due day counts; 0 once it has passed)."""
    return working_days_between(on, due_on)


def first_working_day(year: int, month: int) -> date:
    """The month's first working day: when the caseload report is made (R-QA-3)."""
    return next_working_day(date(year, month, 1))


CASELOAD_COMMENTARY_DAYS = 7  # R-QA-3: managers have a week to add commentary and return the report


def caseload_commentary_due_on(made_on: date) -> date:
    """When a caseload report's commentary is due: 7 days after it was made, rolled to a working day (R-QA-3)."""
    return next_working_day(made_on + timedelta(days=CASELOAD_COMMENTARY_DAYS))


def month_start(month: str) -> date:
    """``YYYY-MM`` to the month's first day; ValueError with a plain message for anything else (2026-13)."""
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise ValueError("Give a month as YYYY-MM, for example 2026-03")
    year, number = int(month[:4]), int(month[5:])
    if not 1 <= number <= 12 or not 1900 < year < 2200:
        raise ValueError("Give a real month, for example 2026-03")
    return date(year, number, 1)


def month_label(month: date) -> str:
    """"March 2026"."""
    return f"{calendar.month_name[month.month]} {month.year}"


def month_code(month: date) -> str:
    """"2026-03"."""
    return f"{month.year:04d}-{month.month:02d}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_iso_date(text: str) -> date:
    """Strict ``YYYY-MM-DD``; raises ValueError with a plain message otherwise (2026-02-30 included)."""
    value = text.strip()
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError("Enter a date as YYYY-MM-DD, for example 2026-03-31")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("Enter a real date, for example 2026-03-31") from None


def parse_import_date(text: str) -> date:
    """A date in a CSV import (CONTRACT.md "CSV imports"): ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` (as HR and
    case-system exports and Excel in England write it; the day may be one digit, 1/3/2026 is 1 March).
    Raises ValueError with a plain message otherwise."""
    value = text.strip()
    parts = value.split("/")
    if len(parts) != 3:
        try:
            return parse_iso_date(value)
        except ValueError as error:
            if "real date" in str(error):
                raise
            raise ValueError("Enter a date as YYYY-MM-DD or DD/MM/YYYY, for example 2026-03-31 or "
                             "31/03/2026") from None
    day, month, year = parts
    if not (1 <= len(day) <= 2 and 1 <= len(month) <= 2 and len(year) == 4
            and (day + month + year).isascii() and (day + month + year).isdigit()):
        raise ValueError("Enter a date as DD/MM/YYYY or YYYY-MM-DD, for example 31/03/2026 or 2026-03-31")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError("Enter a real date, for example 31/03/2026") from None


def _slash_parts(text: str) -> tuple[int, int, int] | None:
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts) or len(parts[2]) != 4 \
            or not all(1 <= len(part) <= 2 for part in parts[:2]):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_first_reading(text: str) -> date | None:
    """The date a slash date means month first (US order) when day first it is no date at all: "12/31/2026"."""
    parts = _slash_parts(text)
    if parts is None or _real(parts[2], parts[1], parts[0]) is not None:
        return None
    return _real(parts[2], parts[0], parts[1])


def other_reading(text: str) -> date | None:
    """For a slash date that is real both ways and differently so ("03/12/2026": 3 December, or 12 March month
    first), the month-first date; None when it can be read only one way."""
    parts = _slash_parts(text)
    if parts is None or parts[0] == parts[1] or _real(parts[2], parts[1], parts[0]) is None:
        return None
    return _real(parts[2], parts[0], parts[1])


FILING_DAYS = 7  # R-SUP-5: a case supervision is on the child's record no later than 7 days after the session


def london_date(moment: datetime) -> date:
    """The UK calendar day of a moment."""
    return moment.astimezone(LONDON).date()


def days_to_file(held_on: date, filed_at: datetime | None, on: date | None = None) -> int:
    """Days from the session to its filing on the child's record or, not filed yet, to ``on`` (today)."""
    return ((london_date(filed_at) if filed_at is not None else (on or today())) - held_on).days


def filed_late(held_on: date, filed_at: datetime | None, on: date | None = None) -> bool:
    """R-SUP-5: filed more than 7 days after the session; not filed yet, once more than 7 days have passed."""
    return days_to_file(held_on, filed_at, on) > FILING_DAYS


DISAGREEMENT_DAYS = 7  # R-SUP-7: a worker's disagreement with their record, unresolved this long, goes up the line


def disagreement_escalates_on(recorded_at: datetime) -> date:
    """The day a worker's disagreement with what their record says, if still unresolved, also reaches the team's
    service manager (R-SUP-7): 7 days after the day the worker recorded it (recorded on the 1st: the 8th)."""
    return london_date(recorded_at) + timedelta(days=DISAGREEMENT_DAYS)


def disagreements_escalated_by(on: date) -> datetime:
    """The moment before which a disagreement was recorded if it has reached the service manager by ``on``
    (``disagreement_escalates_on`` as one bound, so a list filters on it in SQL)."""
    return start_of_day(on - timedelta(days=DISAGREEMENT_DAYS - 1))

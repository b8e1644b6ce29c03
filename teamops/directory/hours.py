"""Opening hours: the friendly text people type (one period a line), the rows it becomes, the same text back for
editing, plain words for reading, and whether a contact is open at a moment on the wall clock in England.

A line is days and two times (``Monday to Thursday 08:30-17:00``; a closing time before the opening time runs
past midnight: ``Monday to Friday 17:00-08:30`` closes the next morning) or one day and time to another
(``Friday 17:00 to Monday 08:30``). Days are full or three-letter names, ranges (``Friday to Monday`` wraps the
week), lists (``Monday, Wednesday and Friday``), ``every day``, ``weekdays`` or ``weekends``; times are the
24-hour clock, ``08:30`` or ``8.30`` (``24:00`` closes at the end of the day).

Whether a contact is open reads the Europe/London wall clock, so a period is as long as its clock times say on
the nights the clocks change (Saturday 22:00 to Sunday 02:00 is over at 02:30 BST, which is 01:30 UTC)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from teamops.dates import LONDON, is_bank_holiday

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_WORDS: dict[str, int] = {
    **{name.lower(): n for n, name in enumerate(DAYS)},
    **{name[:3].lower(): n for n, name in enumerate(DAYS)},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}
DAY_SETS: dict[str, tuple[int, ...]] = {"weekdays": (0, 1, 2, 3, 4), "weekends": (5, 6), "weekend": (5, 6),
                                        "daily": tuple(range(7))}
SUNDAY = 6
LOOK_AHEAD_DAYS = 22  # a service open one day a week can be shut for two weeks over Christmas and New Year
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
MOST_LINES = 28
ALWAYS_OPEN = "Open 24 hours, every day"
EXAMPLE = "like Monday to Friday 09:00-17:00"
TIME_LIKE = re.compile(r"^\d{1,2}[:.]\d{1,2}$")
TOKEN = re.compile(r"\d+[:.]\d+|\d+|[A-Za-z]+|[,-]|\S")


@dataclass(frozen=True, order=True)
class Period:
    """One opening in the week, in local time: from ``opens_day`` (Monday 0) at ``opens_at`` to ``closes_day`` at
    ``closes_at``."""

    opens_day: int
    opens_at: time
    closes_day: int
    closes_at: time

    @property
    def starts(self) -> int:
        """Minutes from Monday 00:00."""
        return self.opens_day * DAY_MINUTES + _minutes(self.opens_at)

    @property
    def ends(self) -> int:
        """Minutes from Monday 00:00 of the week it starts in: after ``starts``, up to a week later."""
        end = self.closes_day * DAY_MINUTES + _minutes(self.closes_at)
        return end if end > self.starts else end + WEEK_MINUTES


class HoursError(ValueError):
    """What is wrong with the text, a message a line (``Line 2: 25:00 is not a time``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(". ".join(problems))
        self.problems = list(problems)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: int) -> time:
    minutes %= DAY_MINUTES
    return time(minutes // 60, minutes % 60)


def period_of(row: Any) -> Period:
    """A ``ContactHours`` row (or anything with its four fields) as a period."""
    return Period(row.opens_day, row.opens_at, row.closes_day, row.closes_at)


# Reading the text ------------------------------------------------------------------------------------------

class _LineError(Exception):
    pass


def _time(token: str | None, closing: bool = False) -> tuple[int, bool]:
    """Minutes past midnight, and whether it was ``24:00`` (allowed only as a closing time)."""
    if token is None:
        raise _LineError(f"give the opening and closing times, {EXAMPLE}")
    if not TIME_LIKE.match(token):
        if token.isdigit():
            raise _LineError(f"{token} is not a time: write hours and minutes, like 08:30")
        raise _LineError(f"'{token}' is not a time: use the 24-hour clock, like 08:30")
    hours_text, minutes_text = re.split(r"[:.]", token)
    hours, minutes = int(hours_text), int(minutes_text)
    if closing and hours == 24 and minutes == 0 and len(minutes_text) == 2:
        return DAY_MINUTES, True
    if hours > 23 or minutes > 59 or len(minutes_text) != 2:
        raise _LineError(f"{token} is not a time")
    return hours * 60 + minutes, False


def _day(token: str | None) -> int:
    if token is None or token.lower() not in DAY_WORDS:
        if token is not None and TIME_LIKE.match(token):
            raise _LineError(f"start with the day, {EXAMPLE}")
        raise _LineError(f"'{token}' is not a day of the week" if token else f"give the days and times, {EXAMPLE}")
    return DAY_WORDS[token.lower()]


class _Tokens:
    """The words, times and signs of a line, as typed; ``peek`` reads the next in lower case."""

    def __init__(self, line: str) -> None:
        text = line.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
        self.items = TOKEN.findall(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.items[self.at].lower() if self.at < len(self.items) else None

    def take(self) -> str | None:
        token = self.items[self.at] if self.at < len(self.items) else None
        self.at += 1
        return token

    def skip(self, *words: str) -> bool:
        if self.peek() in words:
            self.at += 1
            return True
        return False


def _days(tokens: _Tokens) -> tuple[list[int], bool]:
    """The days a line starts with, and whether they are one day named alone (the start of a day-to-day
    period)."""
    if tokens.skip("every"):
        if not tokens.skip("day"):
            raise _LineError(f"say which days, {EXAMPLE}, or Every day 09:00-17:00")
        return list(range(7)), False
    word = tokens.peek()
    if word in DAY_SETS:
        tokens.take()
        return list(DAY_SETS[word or ""]), False
    days: list[int] = []
    single = True
    while True:
        first = _day(tokens.take())
        at = tokens.at
        if tokens.skip("to", "-", "until") and tokens.peek() in DAY_WORDS:
            last = _day(tokens.take())
            days.extend((first + n) % 7 for n in range((last - first) % 7 + 1))
            single = False
        else:
            tokens.at = at
            days.append(first)
        if tokens.skip(",", "and"):
            single = False
            continue
        return days, single and len(days) == 1


def _line_periods(line: str) -> list[Period]:
    tokens = _Tokens(line)
    days, single = _days(tokens)
    tokens.skip("from")
    opens, _ = _time(tokens.take())
    if not tokens.skip("to", "-", "until"):
        raise _LineError(f"give the opening and closing times, {EXAMPLE}" if tokens.peek() is None
                         else f"did not understand '{tokens.peek()}': write the times {EXAMPLE}")
    if tokens.peek() in DAY_WORDS:  # one day and time to another
        if not single:
            raise _LineError("a period over several days runs from one day and time to another, like Friday 17:00 "
                             "to Monday 08:30")
        closes_day = _day(tokens.take())
        closes, _ = _time(tokens.take(), closing=True)
        start = days[0] * DAY_MINUTES + opens
        end = closes_day * DAY_MINUTES + closes
        if end % WEEK_MINUTES == start:
            raise _LineError("the period opens and closes at the same time: for a service open all the time, "
                             f"tick '{ALWAYS_OPEN}'")
        _finished(tokens)
        return [Period(days[0], _clock(opens), (end // DAY_MINUTES) % 7, _clock(end))]
    closes, _ = _time(tokens.take(), closing=True)
    _finished(tokens)
    if closes == opens:
        raise _LineError(f"the period opens and closes at {_clock(opens):%H:%M}: it is empty")
    late = closes < opens or closes == DAY_MINUTES  # closes the next day
    return [Period(day, _clock(opens), (day + late) % 7, _clock(closes)) for day in sorted(set(days))]


def _finished(tokens: _Tokens) -> None:
    if tokens.peek() is not None:
        raise _LineError(f"did not understand '{' '.join(tokens.items[tokens.at:])}'")


def parse_hours(text: str) -> list[Period]:
    """The periods of the text, in week order; ``HoursError`` naming each line that is wrong, or that overlaps
    another."""
    problems: list[str] = []
    found: list[tuple[int, Period]] = []
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(lines) > MOST_LINES:
        raise HoursError([f"Give at most {MOST_LINES} lines of opening hours"])
    for n, line in lines:
        try:
            found.extend((n, period) for period in _line_periods(line))
        except _LineError as problem:
            problems.append(f"Line {n}: {problem}")
    if not problems:
        problems.extend(_overlaps(found))
    if problems:
        raise HoursError(problems)
    return sorted(period for _, period in found)


def _overlaps(found: list[tuple[int, Period]]) -> list[str]:
    problems: list[str] = []
    for i, (n, one) in enumerate(found):
        for m, other in found[i + 1:]:
            if any(one.starts + shift < other.ends and other.starts < one.ends + shift
                   for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES)):
                where = f"line {n}" if n != m else "itself"
                message = f"Line {m}: it overlaps {where} on {DAYS[max(one, other).opens_day]}"
                if message not in problems:
                    problems.append(message)
    return problems


# Writing it back -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Group:
    days: tuple[int, ...]
    period: Period  # the first day's


def _same_day_shape(period: Period) -> bool:
    """Whether the period reads as days and two times: it closes the same day, or by the next morning."""
    offset = (period.closes_day - period.opens_day) % 7
    if offset == 0:
        return period.closes_at > period.opens_at
    return offset == 1 and (period.closes_at < period.opens_at or period.closes_at == time(0))


def _groups(periods: Iterable[Period]) -> list[_Group]:
    shapes: dict[tuple[time, time, int], list[Period]] = {}
    groups: list[_Group] = []
    for period in sorted(periods):
        if _same_day_shape(period):
            key = (period.opens_at, period.closes_at, (period.closes_day - period.opens_day) % 7)
            shapes.setdefault(key, []).append(period)
        else:
            groups.append(_Group((period.opens_day,), period))
    for shaped in shapes.values():
        groups.append(_Group(tuple(p.opens_day for p in shaped), shaped[0]))
    return sorted(groups, key=lambda group: (group.period.opens_day, group.period.opens_at))


def _day_runs(days: Sequence[int]) -> str:
    if len(days) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]} and {DAYS[run[1]]}" if len(run) == 2
             else f"{DAYS[run[0]]} to {DAYS[run[-1]]}" for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _closing(period: Period) -> str:
    if period.closes_at == time(0) and period.opens_at == time(0):
        return "24:00"
    return f"{period.closes_at:%H:%M}"


def hours_text(periods: Iterable[Period]) -> str:
    """The periods as the text that reads back into them: what the edit form shows."""
    lines = []
    for group in _groups(periods):
        period = group.period
        if _same_day_shape(period):
            lines.append(f"{_day_runs(group.days)} {period.opens_at:%H:%M}-{_closing(period)}")
        else:
            lines.append(f"{DAYS[period.opens_day]} {period.opens_at:%H:%M} to "
                         f"{DAYS[period.closes_day]} {period.closes_at:%H:%M}")
    return "\n".join(lines)


def hours_words(periods: Iterable[Period], always_open: bool = False) -> str:
    """Plain words for reading: "Monday to Thursday 08:30 to 17:00; Friday 08:30 to 16:30"; empty when no hours
    are published."""
    if always_open:
        return ALWAYS_OPEN
    parts = []
    for group in _groups(periods):
        period = group.period
        if not _same_day_shape(period):
            parts.append(f"{DAYS[period.opens_day]} {period.opens_at:%H:%M} to "
                         f"{DAYS[period.closes_day]} {period.closes_at:%H:%M}")
        elif period.opens_at == time(0) and period.closes_at == time(0):
            parts.append(f"{_day_runs(group.days)} all day")
        else:
            late = " the next day" if period.closes_day != period.opens_day and period.closes_at != time(0) else ""
            until = "midnight" if period.closes_at == time(0) else f"{period.closes_at:%H:%M}"
            parts.append(f"{_day_runs(group.days)} {period.opens_at:%H:%M} to {until}{late}")
    return "; ".join(parts)


# Open now ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenStatus:
    """Open or closed, and until when: "Open now, until 17:00", "Closed, opens Monday 08:30"."""

    open: bool
    detail: str = ""  # "until 17:00", "opens Monday 08:30"

    @property
    def label(self) -> str:
        return "Open now" if self.open else "Closed"

    @property
    def text(self) -> str:
        return f"{self.label}, {self.detail}" if self.detail else self.label


def _containing(periods: Sequence[Period], minute: int) -> Period | None:
    for period in periods:
        if period.starts <= minute < period.ends or period.starts <= minute + WEEK_MINUTES < period.ends:
            return period
    return None


def _schedule_day(day: date) -> int:
    """The day of the week whose hours ``day`` keeps: its own, or Sunday's on a bank holiday."""
    return SUNDAY if is_bank_holiday(day) else day.weekday()


def _open(periods: Sequence[Period], day: date, minute: int) -> bool:
    """Open at ``minute`` past midnight on ``day`` (wall clock): a bank holiday keeps Sunday's hours, minute by
    minute, so the out-of-hours team (all weekend) is open all day and the service desk (weekdays) is closed."""
    return _containing(periods, _schedule_day(day) * DAY_MINUTES + minute) is not None


def _when(day: date, minute: int, today: date) -> str:
    """A moment as people say it from ``today``: "17:00", "tomorrow 08:30", "Monday 08:30"."""
    clock = f"{_clock(minute):%H:%M}"
    days_on = (day - today).days
    if days_on == 0:
        return clock
    if days_on == 1:
        return f"tomorrow {clock}"
    if days_on >= 7:  # "Friday" would be this week's: say which
        return f"{DAYS[day.weekday()]} {day:%-d %B} {clock}"
    return f"{DAYS[day.weekday()]} {clock}"


def status_at(periods: Sequence[Period], always_open: bool, moment: datetime) -> OpenStatus | None:
    """Open or closed at ``moment`` (any time zone; read on the Europe/London wall clock) and until when; None
    when no hours are published. A bank holiday in England and Wales keeps Sunday's hours (``teamops.dates``)."""
    if always_open:
        return OpenStatus(True, "24 hours")
    if not periods:
        return None
    local = moment.astimezone(LONDON)
    today, now = local.date(), local.hour * 60 + local.minute
    is_open = _open(periods, today, now)
    # The state changes only where a period opens or closes on the clock, or at midnight (a bank holiday starts
    # or ends): the first such moment ahead with the other state is when it opens or closes.
    boundaries = sorted({0, *(p.starts % DAY_MINUTES for p in periods), *(p.ends % DAY_MINUTES for p in periods)})
    for days_on in range(LOOK_AHEAD_DAYS):
        day = today + timedelta(days=days_on)
        for minute in boundaries:
            if (days_on or minute > now) and _open(periods, day, minute) is not is_open:
                when = _when(day, minute, today)
                if is_open:
                    return OpenStatus(True, f"until {when}")
                holiday = is_bank_holiday(today) and any(  # on an ordinary day it would be open now, or later today
                    _containing(periods, today.weekday() * DAY_MINUTES + minute)
                    for minute in (now, *boundaries) if minute >= now)
                return OpenStatus(False, f"{'bank holiday, ' if holiday else ''}opens "
                                         f"{'at ' if when[0].isdigit() else ''}{when}")
    return OpenStatus(is_open)


def open_at(contact: Any, moment: datetime) -> bool:
    """Whether the contact is open at ``moment``: always-open services always are; no hours published is never
    "open" (and the pages show no indicator)."""
    status = status_at([period_of(row) for row in contact.hours], contact.always_open, moment)
    return status is not None and status.open


def contact_status(contact: Any, moment: datetime) -> OpenStatus | None:
    return status_at([period_of(row) for row in contact.hours], contact.always_open, moment)

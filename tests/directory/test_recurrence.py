"""Meeting patterns (issue 12 item 3): the friendly form's fields to an RRULE and back, plain words, the next
meetings with exceptions applied, local wall-clock times across the clock changes, and the refusals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from teamops.dates import LONDON
from teamops.directory import recurrence
from teamops.directory.recurrence import MONTHLY_DAY, MONTHLY_WEEKDAY, WEEKLY, Pattern, PatternProblem

MON, TUE, WED = 0, 1, 2
THIRD_TUESDAY = Pattern(MONTHLY_WEEKDAY, 1, TUE, 3)


@dataclass
class Exception_:
    original_on: date
    moved_on: date | None = None
    moved_starts_at: time | None = None
    moved_ends_at: time | None = None
    note: str = ""


@dataclass
class FakeNetwork:
    rule: str | None
    first_on: date | None
    until: date | None = None
    starts_at: time | None = time(14, 0)
    ends_at: time | None = time(17, 0)
    exceptions: list[Any] = field(default_factory=list)


def network(pattern: Pattern, first_on: date = date(2026, 1, 1), **values: Any) -> FakeNetwork:
    return FakeNetwork(recurrence.to_rule(pattern), first_on, **values)


def test_the_third_tuesday_across_a_year() -> None:
    days = recurrence.meeting_days(recurrence.to_rule(THIRD_TUESDAY), date(2026, 1, 1), None, date(2026, 1, 1),
                                   date(2026, 12, 31))
    assert days == [date(2026, 1, 20), date(2026, 2, 17), date(2026, 3, 17), date(2026, 4, 21), date(2026, 5, 19),
                    date(2026, 6, 16), date(2026, 7, 21), date(2026, 8, 18), date(2026, 9, 15), date(2026, 10, 20),
                    date(2026, 11, 17), date(2026, 12, 15)]
    assert all(day.weekday() == TUE and 15 <= day.day <= 21 for day in days)


def test_a_fifth_tuesday_rule_skips_the_months_without_one() -> None:
    rule = recurrence.to_rule(Pattern(MONTHLY_WEEKDAY, 1, TUE, 5))
    days = recurrence.meeting_days(rule, date(2026, 1, 1), None, date(2026, 1, 1), date(2026, 12, 31))
    # 2026's months with five Tuesdays: March, June, September and December.
    assert days == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 29), date(2026, 12, 29)]


@pytest.mark.parametrize(("pattern", "rule", "words"), [
    (THIRD_TUESDAY, "FREQ=MONTHLY;BYDAY=3TU", "Monthly on the third Tuesday, 14:00 to 17:00"),
    (Pattern(WEEKLY, 2, WED), "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "Every 2 weeks on Wednesday, 14:00 to 17:00"),
    (Pattern(WEEKLY, 1, MON), "FREQ=WEEKLY;BYDAY=MO", "Weekly on Monday, 14:00 to 17:00"),
    (Pattern(MONTHLY_WEEKDAY, 2, MON, 1), "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
     "Every other month on the first Monday, 14:00 to 17:00"),
    (Pattern(MONTHLY_WEEKDAY, 1, 3, -1), "FREQ=MONTHLY;BYDAY=-1TH", "Monthly on the last Thursday, 14:00 to 17:00"),
    (Pattern(MONTHLY_DAY, 3, month_day=15), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
     "Every 3 months on the 15th, 14:00 to 17:00"),
    (Pattern(MONTHLY_DAY, 1, month_day=31), "FREQ=MONTHLY;BYMONTHDAY=31",
     "Monthly on the 31st (not in months without one), 14:00 to 17:00"),
    (Pattern(MONTHLY_WEEKDAY, 1, TUE, 3, months=(9, 1, 5)), "FREQ=MONTHLY;BYDAY=3TU;BYMONTH=1,5,9",
     "Monthly on the third Tuesday, only in January, May and September, 14:00 to 17:00"),
])
def test_patterns_as_rules_words_and_back(pattern: Pattern, rule: str, words: str) -> None:
    assert recurrence.to_rule(pattern) == rule
    assert recurrence.from_rule(rule) == Pattern(pattern.frequency, pattern.interval, pattern.weekday,
                                                 pattern.position, pattern.month_day, tuple(sorted(pattern.months)))
    assert recurrence.describe(pattern, time(14), time(17)) == words


def test_an_end_date_is_in_the_words_and_stops_the_meetings() -> None:
    assert recurrence.describe(THIRD_TUESDAY, time(14), time(17), date(2026, 6, 30)) == (
        "Monthly on the third Tuesday, 14:00 to 17:00, until 30 June 2026")
    ended = network(THIRD_TUESDAY, until=date(2026, 6, 16))
    assert [m.on for m in recurrence.next_meetings(ended, date(2026, 5, 1))] == [date(2026, 5, 19), date(2026, 6, 16)]


@pytest.mark.parametrize("rule", ["FREQ=DAILY", "FREQ=MONTHLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=3TU", "RRULE:X",
                                  "FREQ=MONTHLY;BYDAY=3TU;BYDAY=2TU", "FREQ=MONTHLY;BYMONTHDAY=32",
                                  "FREQ=MONTHLY;BYDAY=3TU;COUNT=4", "FREQ=MONTHLY;INTERVAL=13;BYDAY=1MO"])
def test_a_rule_the_form_does_not_make_is_not_read_as_one(rule: str) -> None:
    with pytest.raises(ValueError, match="the form does not make"):
        recurrence.from_rule(rule)


def test_the_next_three_meetings_with_one_cancelled_and_one_moved() -> None:
    cancelled = Exception_(date(2026, 4, 21))
    moved = Exception_(date(2026, 5, 19), date(2026, 5, 20), time(10, 0), time(13, 0), "Room needed")
    found = recurrence.next_meetings(network(THIRD_TUESDAY, exceptions=[cancelled, moved]), date(2026, 4, 1))
    assert [(m.on, m.starts_at, m.ends_at, m.moved_from) for m in found] == [
        (date(2026, 5, 20), time(10, 0), time(13, 0), date(2026, 5, 19)),
        (date(2026, 6, 16), time(14, 0), time(17, 0), None),
        (date(2026, 7, 21), time(14, 0), time(17, 0), None),
    ]
    assert found[0].note == "Room needed"


def test_a_meeting_moved_earlier_than_another_comes_in_date_order() -> None:
    moved = Exception_(date(2026, 6, 16), date(2026, 5, 5), time(9, 0), time(10, 0))
    found = recurrence.next_meetings(network(THIRD_TUESDAY, exceptions=[moved]), date(2026, 5, 1))
    assert [m.on for m in found] == [date(2026, 5, 5), date(2026, 5, 19), date(2026, 7, 21)]


def test_a_meeting_moved_before_the_day_asked_from_is_not_next() -> None:
    moved = Exception_(date(2026, 5, 19), date(2026, 4, 28), time(14, 0), time(17, 0))
    found = recurrence.next_meetings(network(THIRD_TUESDAY, exceptions=[moved]), date(2026, 5, 1))
    assert [m.on for m in found] == [date(2026, 6, 16), date(2026, 7, 21), date(2026, 8, 18)]


def test_a_14_00_meeting_stays_at_14_00_when_the_clocks_change() -> None:
    """The clocks go forward on 29 March 2026: the March meeting is 14:00 GMT, April's 14:00 BST (13:00Z)."""
    march, april = recurrence.next_meetings(network(THIRD_TUESDAY), date(2026, 3, 1), 2)
    assert (march.starts.isoformat(), april.starts.isoformat()) == ("2026-03-17T14:00:00", "2026-04-21T14:00:00")
    assert march.starts.replace(tzinfo=LONDON).astimezone(UTC) == datetime(2026, 3, 17, 14, tzinfo=UTC)
    assert april.starts.replace(tzinfo=LONDON).astimezone(UTC) == datetime(2026, 4, 21, 13, tzinfo=UTC)
    october, november = recurrence.next_meetings(network(THIRD_TUESDAY), date(2026, 10, 1), 2)
    assert (october.starts_at, november.starts_at) == (time(14), time(14))


def test_weekly_every_other_week_from_the_first_date() -> None:
    found = recurrence.next_meetings(network(Pattern(WEEKLY, 2, WED), date(2026, 1, 7)), date(2026, 1, 8))
    assert [m.on for m in found] == [date(2026, 1, 21), date(2026, 2, 4), date(2026, 2, 18)]


def test_no_pattern_has_no_meetings() -> None:
    assert recurrence.next_meetings(FakeNetwork(None, None), date(2026, 1, 1)) == []
    assert recurrence.rule_in_words(FakeNetwork(None, None)) == "No regular meetings"


# Refusals -----------------------------------------------------------------------------------------------------

def test_the_fifth_monday_of_february_alone_is_refused_plainly() -> None:
    """Only a leap year whose February starts on a Monday has one: after 2016, not until 2044."""
    with pytest.raises(PatternProblem) as refused:
        recurrence.check(Pattern(MONTHLY_WEEKDAY, 1, MON, 5, months=(2,)), date(2026, 1, 1), None, time(14),
                         time(15))
    assert refused.value.field == "months"
    assert str(refused.value) == ("This pattern has no meeting in the 2 years from Thursday 1 January 2026: the "
                                  "first would not be until Monday 29 February 2044. Choose another day or other "
                                  "months")


def test_the_fifth_monday_of_february_is_allowed_when_one_comes_within_two_years() -> None:
    recurrence.check(Pattern(MONTHLY_WEEKDAY, 1, MON, 5, months=(2,)), date(2043, 1, 1), None, time(14), time(15))


@pytest.mark.parametrize(("pattern", "field"), [
    (Pattern(MONTHLY_DAY, 1, month_day=30, months=(2,)), "months"),  # never
    (Pattern(MONTHLY_WEEKDAY, 2, MON, 1, months=(2,)), "months"),  # every other month from January: never February
    (Pattern(MONTHLY_WEEKDAY, 12, MON, 5), "position"),  # every January's fifth Monday from 2026: not until 2029
])
def test_a_pattern_with_no_meeting_in_two_years_is_refused(pattern: Pattern, field: str) -> None:
    with pytest.raises(PatternProblem, match="no meeting in the 2 years") as refused:
        recurrence.check(pattern, date(2026, 1, 1), None, time(14), time(15))
    assert refused.value.field == field


def test_an_end_date_before_the_first_date_is_refused() -> None:
    with pytest.raises(PatternProblem, match="end date must be the same as or after the first date") as refused:
        recurrence.check(THIRD_TUESDAY, date(2026, 5, 1), date(2026, 4, 30), time(14), time(17))
    assert refused.value.field == "until"


def test_an_end_date_before_the_first_meeting_is_refused() -> None:
    with pytest.raises(PatternProblem, match="No meeting falls between") as refused:
        recurrence.check(THIRD_TUESDAY, date(2026, 5, 1), date(2026, 5, 10), time(14), time(17))
    assert refused.value.field == "until"


@pytest.mark.parametrize("ends", [time(14), time(13, 59)])
def test_an_end_time_not_after_the_start_is_refused(ends: time) -> None:
    with pytest.raises(PatternProblem, match="end time must be after the start time") as refused:
        recurrence.check(THIRD_TUESDAY, date(2026, 1, 1), None, time(14), ends)
    assert refused.value.field == "ends_at"


@pytest.mark.parametrize("text", ["", "2pm", "25:00", "14:60", "14", "14:00:00", "fourteen", "1400"])
def test_times_that_are_not_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="24-hour clock"):
        recurrence.parse_time(text)


@pytest.mark.parametrize(("text", "expected"), [("14:00", time(14)), ("9:30", time(9, 30)), ("17.15", time(17, 15))])
def test_times_as_people_write_them(text: str, expected: time) -> None:
    assert recurrence.parse_time(text) == expected

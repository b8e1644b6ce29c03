"""Opening hours: the friendly text read line by line (and each wrong line named), written back for editing and
in plain words, and "open now" on the Europe/London wall clock across midnight, weekends and the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from types import SimpleNamespace

import pytest

from teamops.dates import LONDON
from teamops.directory.hours import (
    ALWAYS_OPEN,
    HoursError,
    Period,
    hours_text,
    hours_words,
    open_at,
    parse_hours,
    status_at,
)

OUT_OF_HOURS = "Monday to Thursday 17:00-08:30\nFriday 17:00 to Monday 08:30"
DESK = "Monday to Thursday 08:30-17:00\nFriday 08:30-16:30"


def contact(text: str = "", always_open: bool = False) -> SimpleNamespace:
    return SimpleNamespace(hours=parse_hours(text), always_open=always_open)


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


# Reading -------------------------------------------------------------------------------------------------

def test_days_and_times_become_one_period_a_day():
    assert parse_hours(DESK) == [
        *(Period(day, time(8, 30), day, time(17, 0)) for day in range(4)), Period(4, time(8, 30), 4, time(16, 30))]


def test_a_closing_time_before_the_opening_time_closes_the_next_day_and_sunday_wraps_to_monday():
    assert parse_hours("Monday to Friday 17:00-08:30")[0] == Period(0, time(17), 1, time(8, 30))
    assert parse_hours("Sunday 20:00-02:00") == [Period(6, time(20), 0, time(2))]
    assert parse_hours("Friday 22:00-24:00") == [Period(4, time(22), 5, time(0))]


def test_one_day_and_time_to_another_runs_over_the_weekend():
    assert parse_hours("Friday 17:00 to Monday 08:30") == [Period(4, time(17), 0, time(8, 30))]


@pytest.mark.parametrize("text", [
    "Mon-Thu 8.30-17.00\nFri 08:30 - 16:30",
    "monday TO thursday 08:30 to 17:00\n\n  Friday 08:30\u201316:30  ",
    "Mon to Thu 08:30-17:00; Friday 08:30-16:30".replace("; ", "\n"),
])
def test_full_or_short_day_names_dots_dashes_and_blank_lines_are_read_alike(text):
    assert parse_hours(text) == parse_hours(DESK)


def test_lists_and_named_sets_of_days():
    assert [p.opens_day for p in parse_hours("Monday, Wednesday and Friday 10:00-12:00")] == [0, 2, 4]
    assert [p.opens_day for p in parse_hours("Weekdays 09:00-17:00")] == [0, 1, 2, 3, 4]
    assert [p.opens_day for p in parse_hours("Weekends 10:00-14:00")] == [5, 6]
    assert len(parse_hours("Every day 07:00-19:00")) == 7
    assert [p.opens_day for p in parse_hours("Saturday to Monday 10:00-12:00")] == [0, 5, 6]


@pytest.mark.parametrize(("text", "message"), [
    ("Monday 25:00-17:00", "Line 1: 25:00 is not a time"),
    ("Monday 09:00-17:00\nTuesday 09:00-17:60", "Line 2: 17:60 is not a time"),
    ("Monday 09:00-17:00\nTuesday 9-5", "Line 2: 9 is not a time: write hours and minutes, like 08:30"),
    ("Monday noon-17:00", "Line 1: 'noon' is not a time: use the 24-hour clock, like 08:30"),
    ("Monday 09:00-17:00\n\nFunday 09:00-17:00", "Line 3: 'Funday' is not a day of the week"),
    ("09:00-17:00", "Line 1: start with the day"),
    ("Monday", "Line 1: give the opening and closing times"),
    ("Monday 09:00", "Line 1: give the opening and closing times"),
    ("Monday 09:00-09:00", "Line 1: the period opens and closes at 09:00: it is empty"),
    ("Monday 09:00 to Monday 09:00", "Line 1: the period opens and closes at the same time"),
    ("Monday 24:00-09:00", "Line 1: 24:00 is not a time"),
    ("Monday to Friday 17:00 to Saturday 10:00", "Line 1: a period over several days runs from one day"),
    ("Monday 09:00-17:00 please", "Line 1: did not understand 'please'"),
    ("Monday 09:00-17:00\nMonday 16:00-18:00", "Line 2: it overlaps line 1 on Monday"),
    ("Monday to Friday 17:00-08:30\nFriday 17:00 to Monday 08:30", "Line 2: it overlaps line 1 on Friday"),
])
def test_a_wrong_line_is_named_with_what_is_wrong(text, message):
    with pytest.raises(HoursError) as refused:
        parse_hours(text)
    assert message in str(refused.value)


def test_every_wrong_line_is_named():
    with pytest.raises(HoursError) as refused:
        parse_hours("Monday 25:00-17:00\nTuesday 09:00-17:00\nSomeday 09:00-10:00")
    assert refused.value.problems == ["Line 1: 25:00 is not a time", "Line 3: 'Someday' is not a day of the week"]


def test_no_text_is_no_hours():
    assert parse_hours("") == [] and parse_hours(" \n \n") == []


# Writing back ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    DESK, OUT_OF_HOURS, "Monday 09:00-17:00", "Monday, Wednesday and Friday 10:00-12:00", "Every day 07:00-19:00",
    "Saturday and Sunday 10:00-14:00", "Friday 22:00-00:00", "Every day 00:00-24:00",
    "Monday 09:00-12:00\nMonday 13:00-17:00", "Friday 17:00 to Monday 08:30",
])
def test_the_text_for_editing_reads_back_into_the_same_hours(text):
    assert hours_text(parse_hours(text)) == text
    assert parse_hours(hours_text(parse_hours(text))) == parse_hours(text)


def test_plain_words_group_identical_days():
    assert hours_words(parse_hours(DESK)) == "Monday to Thursday 08:30 to 17:00; Friday 08:30 to 16:30"
    assert hours_words(parse_hours(OUT_OF_HOURS)) == (
        "Monday to Thursday 17:00 to 08:30 the next day; Friday 17:00 to Monday 08:30")
    assert hours_words(parse_hours("Mon, Wed, Fri 10:00-12:00")) == "Monday, Wednesday and Friday 10:00 to 12:00"
    assert hours_words(parse_hours("Friday 22:00-24:00")) == "Friday 22:00 to midnight"
    assert hours_words([], always_open=True) == ALWAYS_OPEN
    assert hours_words([]) == ""


# Open now --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("moment", "is_open", "text"), [
    (london(2027, 3, 2, 23, 0), True, "Open now, until tomorrow 08:30"),  # Tuesday night
    (london(2027, 3, 2, 9, 0), False, "Closed, opens at 17:00"),  # Tuesday morning
    (london(2027, 3, 6, 12, 0), True, "Open now, until Monday 08:30"),  # Saturday noon
    (london(2027, 3, 7, 23, 59), True, "Open now, until tomorrow 08:30"),  # Sunday night
    (london(2027, 3, 8, 8, 0), True, "Open now, until 08:30"),  # Monday early
    (london(2027, 3, 8, 8, 45), False, "Closed, opens at 17:00"),  # Monday, the offices open
    (london(2027, 3, 5, 16, 59), False, "Closed, opens at 17:00"),  # Friday afternoon
    (london(2027, 3, 5, 17, 0), True, "Open now, until Monday 08:30"),  # Friday 17:00
])
def test_the_out_of_hours_team_is_open_across_midnight_and_the_weekend(moment, is_open, text):
    out_of_hours = contact(OUT_OF_HOURS)
    assert open_at(out_of_hours, moment) is is_open
    status = status_at(out_of_hours.hours, False, moment)
    assert status is not None and status.text == text


def test_the_service_desk_says_when_it_opens_next():
    desk = parse_hours(DESK)
    assert status_at(desk, False, london(2027, 3, 5, 16, 45)).text == "Closed, opens Monday 08:30"  # Friday
    assert status_at(desk, False, london(2027, 3, 4, 18, 0)).text == "Closed, opens tomorrow 08:30"  # Thursday
    assert status_at(desk, False, london(2027, 3, 4, 12, 0)).text == "Open now, until 17:00"


def test_periods_that_meet_are_open_until_the_last_one_closes():
    joined = parse_hours("Monday 09:00-17:00\nMonday 17:00 to Tuesday 09:00")
    assert status_at(joined, False, london(2027, 3, 1, 10, 0)).text == "Open now, until tomorrow 09:00"


def test_always_open_is_always_open_and_no_hours_is_no_indicator():
    assert open_at(contact(always_open=True), london(2027, 3, 7, 3, 0))
    assert status_at([], True, london(2027, 3, 7, 3, 0)).text == "Open now, 24 hours"
    assert not open_at(contact(), london(2027, 3, 7, 3, 0))
    assert status_at([], False, london(2027, 3, 7, 3, 0)) is None


def test_the_night_the_clocks_go_forward():
    """28 March 2027: at 01:00 UTC the clocks go from 01:00 GMT to 02:00 BST."""
    late = contact("Saturday 22:00 to Sunday 02:00")
    assert open_at(late, datetime(2027, 3, 27, 21, 59, tzinfo=UTC)) is False  # 21:59 GMT
    assert open_at(late, datetime(2027, 3, 28, 0, 30, tzinfo=UTC)) is True  # 00:30 GMT
    assert open_at(late, datetime(2027, 3, 28, 0, 59, tzinfo=UTC)) is True  # 00:59 GMT
    assert open_at(late, datetime(2027, 3, 28, 1, 30, tzinfo=UTC)) is False  # 02:30 BST
    # Tuesday 30 March 08:30 BST is 07:30 UTC (the Monday is Easter Monday: a bank holiday, below).
    desk = contact(DESK)
    assert open_at(desk, datetime(2027, 3, 30, 7, 29, tzinfo=UTC)) is False
    assert open_at(desk, datetime(2027, 3, 30, 7, 30, tzinfo=UTC)) is True


def test_the_night_the_clocks_go_back():
    """31 October 2027: at 01:00 UTC the clocks go from 02:00 BST back to 01:00 GMT, so 01:00-02:00 happens twice
    on the wall clock, and a period to 01:30 is open in both."""
    late = contact("Saturday 22:00 to Sunday 01:30")
    assert open_at(late, datetime(2027, 10, 30, 20, 59, tzinfo=UTC)) is False  # 21:59 BST
    assert open_at(late, datetime(2027, 10, 30, 21, 0, tzinfo=UTC)) is True  # 22:00 BST
    assert open_at(late, datetime(2027, 10, 31, 0, 15, tzinfo=UTC)) is True  # 01:15 BST
    assert open_at(late, datetime(2027, 10, 31, 0, 45, tzinfo=UTC)) is False  # 01:45 BST
    assert open_at(late, datetime(2027, 10, 31, 1, 15, tzinfo=UTC)) is True  # 01:15 GMT, the second time
    assert open_at(late, datetime(2027, 10, 31, 1, 30, tzinfo=UTC)) is False  # 01:30 GMT
    desk = contact(DESK)  # Monday 1 November 08:30 GMT is 08:30 UTC
    assert open_at(desk, datetime(2027, 11, 1, 7, 45, tzinfo=UTC)) is False
    assert open_at(desk, datetime(2027, 11, 1, 8, 30, tzinfo=UTC)) is True


# Easter 2027: Good Friday 26 March and Easter Monday 29 March are bank holidays in England and Wales.
@pytest.mark.parametrize(("hours", "moment", "text"), [
    (DESK, london(2027, 3, 25, 12, 0), "Open now, until 17:00"),  # Thursday before Easter
    (DESK, london(2027, 3, 25, 18, 0), "Closed, opens Tuesday 08:30"),  # not Good Friday, nor Easter Monday
    (DESK, london(2027, 3, 26, 10, 0), "Closed, bank holiday, opens Tuesday 08:30"),  # Good Friday
    (DESK, london(2027, 3, 29, 10, 0), "Closed, bank holiday, opens tomorrow 08:30"),  # Easter Monday
    (DESK, london(2027, 3, 29, 20, 0), "Closed, opens tomorrow 08:30"),  # closed at 20:00 on any Monday
    (OUT_OF_HOURS, london(2027, 3, 25, 23, 0), "Open now, until Tuesday 08:30"),  # from Thursday night on
    (OUT_OF_HOURS, london(2027, 3, 26, 12, 0), "Open now, until Tuesday 08:30"),  # Good Friday noon
    (OUT_OF_HOURS, london(2027, 3, 29, 12, 0), "Open now, until tomorrow 08:30"),  # Easter Monday noon
    (OUT_OF_HOURS, london(2027, 3, 30, 12, 0), "Closed, opens at 17:00"),  # Tuesday: a working day again
    (DESK, london(2027, 3, 29, 7, 0), "Closed, bank holiday, opens tomorrow 08:30"),  # it would open at 08:30
    ("Sunday 10:00-16:00", london(2026, 12, 28, 11, 0), "Open now, until 16:00"),  # Boxing Day's Monday
    # Open on Mondays only: 28 December 2026 is a bank holiday (Boxing Day's), so the next is 11 days away.
    ("Monday 10:00-12:00", london(2026, 12, 24, 12, 0), "Closed, opens Monday 4 January 10:00"),
])
def test_a_bank_holiday_keeps_sunday_s_hours(hours, moment, text):
    """A bank holiday in England and Wales (the holidays library, teamops.dates) keeps Sunday's hours: the
    out-of-hours team, open all weekend, is open all day; the service desk, open on weekdays, is closed."""
    status = status_at(parse_hours(hours), False, moment)
    assert status is not None and status.text == text
    assert open_at(contact(hours), moment) is text.startswith("Open")

"""Date rules from DOMAIN.md and CONTRACT.md, with the documents' own examples."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from teamops import dates


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert dates.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "employment", "ends"),
    [
        (date(2026, 12, 22), "permanent", date(2027, 1, 7)),
        (date(2026, 12, 22), "agency", date(2026, 12, 30)),
        (date(2026, 11, 21), "agency", date(2026, 11, 27)),  # a Saturday start begins on Monday
    ],
)
def test_induction_end_counts_working_days(start, employment, ends):
    assert dates.induction_ends_on(start, employment) == ends


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [
        (2026, 3, date(2026, 4, 7)),  # Good Friday 3 April and Easter Monday 6 April
        (2026, 12, date(2027, 1, 4)),  # New Year's Day is the first Friday
        (2026, 10, date(2026, 11, 6)),
        (2026, 4, date(2026, 5, 1)),
    ],
)
def test_return_due_on_first_friday_or_next_working_day(year, month, due):
    assert dates.return_due_on(year, month) == due


def test_bank_holidays_come_from_the_library():
    assert dates.is_bank_holiday(date(2026, 12, 28))  # Boxing Day substitute
    assert not dates.is_working_day(date(2026, 8, 31))  # Summer bank holiday (England and Wales)
    assert dates.is_working_day(date(2026, 11, 30))


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "30/01/2026", "2026-1-5", "", "tomorrow"])
def test_parse_iso_date_refuses(text):
    with pytest.raises(ValueError):
        dates.parse_iso_date(text)


def test_a_frozen_day_is_today_whatever_the_season_and_the_hour():
    """dates.freeze sets the day in England: a summer day frozen on a winter evening is not the next day (the
    offset is UTC, not wall-clock arithmetic across a clock change)."""
    from teamops import dates

    for day in (date(2026, 6, 15), date(2026, 12, 31), date(2027, 3, 28), date(2026, 10, 25)):
        with dates.freeze(day):
            assert dates.today() == day
            assert dates.utcnow().astimezone(dates.LONDON).hour == 12


def test_the_induction_window_is_ten_working_days_back_across_bank_holidays():
    """CONTRACT.md "Induction dates": a start date today or later, or within the last 10 working days, opens an
    induction. Checked against counting the working days one by one, around Christmas and New Year 2026."""
    from datetime import timedelta

    from teamops.dates import in_induction_window, working_days_between

    for on in (date(2026, 12, 24) + timedelta(days=n) for n in range(20)):
        for start in (on - timedelta(days=n) for n in range(-3, 30)):
            counted = start >= on or working_days_between(start, on - timedelta(days=1)) < 10
            assert in_induction_window(start, on) == counted, (start, on)
    # 4 January 2027 (a Monday): the 10 working days before it reach back over three bank holidays (25 and
    # 28 December, 1 January) to 16 December, so a start on the 17th is still inside and the 16th is not.
    assert in_induction_window(date(2026, 12, 17), date(2027, 1, 4))
    assert not in_induction_window(date(2026, 12, 16), date(2027, 1, 4))


@pytest.mark.parametrize(
    ("recorded", "escalates_on"),
    [
        ((2026, 3, 2, 9, 0), date(2026, 3, 9)),  # a Monday morning: the Monday after
        ((2026, 3, 28, 23, 30), date(2026, 4, 4)),  # late in England on the 28th (GMT), the clocks change after
        ((2026, 6, 30, 23, 30), date(2026, 7, 8)),  # 23:30 UTC is already 1 July in England (BST)
    ],
)
def test_a_workers_disagreement_reaches_the_service_manager_7_days_after_the_day_recorded(recorded, escalates_on):
    """R-SUP-7: the day counts in England, and the list's bound agrees with the day, to the minute."""
    moment = datetime(*recorded, tzinfo=UTC)
    assert dates.disagreement_escalates_on(moment) == escalates_on
    assert moment < dates.disagreements_escalated_by(escalates_on)
    assert not moment < dates.disagreements_escalated_by(escalates_on - timedelta(days=1))


@pytest.mark.parametrize(("text", "month_first", "other"), [
    ("12/31/2026", date(2026, 12, 31), None),  # only real month first
    ("03/12/2026", None, date(2026, 3, 12)),  # 3 December, or 12 March month first
    ("3/3/2026", None, None),  # the same either way
    ("25/12/2026", None, None),  # only real day first
    ("2026-03-12", None, None),
    ("31/31/2026", None, None),
])
def test_the_two_readings_of_a_slash_date(text, month_first, other):
    """Issue 10 item 14: what an import needs to refuse a date that could be read two ways."""
    assert dates.month_first_reading(text) == month_first
    assert dates.other_reading(text) == other

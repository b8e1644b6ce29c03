"""CONTRACT.md "Scheduling rules", written from the contract's words (not from the code)."""

from __future__ import annotations

from datetime import date

import pytest

from teamops.scheduling import (
    DUE_SOON,
    OK,
    OVERDUE,
    Interval,
    Policy,
    case_next_due_on,
    days_overdue,
    due_state,
    percentage,
    personal_next_due_on,
)

CONTRACT = Policy({
    "CP": Interval(4, "weeks"), "CIN": Interval(8, "weeks"), "EH": Interval(8, "weeks", True),
    "YJ": Interval(1, "months"), "CLA": Interval(2, "months"), "CL": Interval(2, "months"),
    "PF": Interval(2, "months"),
}, case_cap_months=2, high_risk_cap_months=1, personal_interval_months=1)


@pytest.mark.parametrize(
    ("case_type", "high_risk", "allocated", "last", "expected"),
    [
        ("CP", False, date(2025, 6, 1), date(2026, 1, 1), date(2026, 1, 29)),
        ("CP", False, date(2026, 1, 10), None, date(2026, 2, 7)),
        ("CIN", False, date(2025, 6, 1), date(2026, 1, 1), date(2026, 2, 26)),
        ("EH", False, date(2026, 3, 4), None, date(2026, 3, 4)),  # first due on the allocation day
        ("EH", False, date(2026, 3, 4), date(2026, 3, 4), date(2026, 4, 29)),
        ("YJ", False, date(2025, 6, 1), date(2026, 1, 31), date(2026, 2, 28)),
        ("YJ", False, date(2025, 6, 1), date(2028, 1, 31), date(2028, 2, 29)),  # 29 February
        ("CLA", False, date(2025, 6, 1), date(2025, 12, 31), date(2026, 2, 28)),
        ("CL", False, date(2026, 1, 15), None, date(2026, 3, 15)),
        ("PF", False, date(2025, 6, 1), date(2026, 10, 31), date(2026, 12, 31)),
        # High risk: capped at a month, the earliest candidate wins.
        ("CIN", True, date(2025, 6, 1), date(2026, 1, 15), date(2026, 2, 15)),
        ("CP", True, date(2025, 6, 1), date(2026, 1, 1), date(2026, 1, 29)),
        ("CLA", True, date(2026, 1, 31), None, date(2026, 2, 28)),
        ("EH", True, date(2026, 3, 4), None, date(2026, 3, 4)),
    ],
)
def test_case_next_due_on(case_type, high_risk, allocated, last, expected):
    assert case_next_due_on(CONTRACT, case_type, high_risk, allocated, last) == expected


def test_every_case_is_capped_at_two_months_whatever_its_interval():
    policy = Policy({"CIN": Interval(12, "weeks")}, case_cap_months=2)
    assert case_next_due_on(policy, "CIN", False, date(2025, 1, 1), date(2026, 1, 31)) == date(2026, 3, 31)


def test_caps_are_settings():
    policy = Policy(CONTRACT.intervals, case_cap_months=3, high_risk_cap_months=2)
    assert case_next_due_on(policy, "CLA", True, date(2025, 1, 1), date(2026, 1, 10)) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("start", "last", "expected"),
    [
        (date(2026, 1, 31), None, date(2026, 2, 28)),
        (date(2020, 1, 6), date(2026, 10, 31), date(2026, 11, 30)),
    ],
)
def test_personal_next_due_on(start, last, expected):
    assert personal_next_due_on(CONTRACT, start, last) == expected


@pytest.mark.parametrize(
    ("next_due", "on", "state", "overdue_days"),
    [
        (date(2026, 11, 21), date(2026, 11, 22), OVERDUE, 1),
        (date(2026, 11, 22), date(2026, 11, 22), DUE_SOON, 0),
        (date(2026, 11, 29), date(2026, 11, 22), DUE_SOON, 0),
        (date(2026, 11, 30), date(2026, 11, 22), OK, 0),
        (date(2026, 10, 23), date(2026, 11, 22), OVERDUE, 30),
    ],
)
def test_due_state_and_days_overdue(next_due, on, state, overdue_days):
    assert due_state(next_due, on) == state
    assert days_overdue(next_due, on) == overdue_days


@pytest.mark.parametrize(
    ("part", "whole", "pct"),
    [(2, 3, 66.7), (1, 16, 6.3), (0, 5, 0.0), (5, 5, 100.0), (0, 0, None), (1, 8, 12.5)],
)
def test_percentage_rounds_half_up_to_one_decimal(part, whole, pct):
    assert percentage(part, whole) == pct

"""Helpers for booking and action tests: dates relative to today (so the tests never go stale), a filled-in
booking form, and shorthands for tests.factories' cases, bookings and actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.dates import LONDON, today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import SupervisionAction
from tests import factories


def in_days(days: int) -> date:
    return today() + timedelta(days=days)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def count_bookings() -> int:
    return db.session.scalar(select(func.count(Booking.id))) or 0


def booking_form(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"kind": "personal", "worker_id": str(org["worker"].id),
                              "session_date": in_days(14).isoformat(), "start_time": "10:00",
                              "duration_minutes": "60", "location": "Riverside House, room 2"}
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def new_case(worker: Staff, case_type: str = "CIN", allocated_days_ago: int = 1, high_risk: bool = False,
             closed: bool = False) -> Case:
    return factories.case(None, case_type, high_risk, worker, today() - timedelta(days=allocated_days_ago),
                          today() - timedelta(days=1) if closed else None)


def new_booking(worker: Staff, supervisor: Staff, starts_at: datetime, minutes: int = 60, kind: str = "personal",
                cases: list[Case] | None = None, attendees: list[Staff] | None = None,
                status: str = "booked") -> Booking:
    return factories.booking(worker, supervisor, starts_at, minutes, kind, cases, attendees, status,
                             location="Riverside House")


def new_action(owner: Staff, supervisor: Staff, due_on: date, description: str = "Visit the family",
               case: Case | None = None, status: str = "open") -> SupervisionAction:
    return factories.action(owner, supervisor, due_on, description, case, status)


@pytest.fixture
def manager(as_role: Any) -> Any:
    return as_role("team_manager")

"""Helpers for record tests: cases, bookings, the address of the record form, and complete form data."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from teamops.bookings.models import Booking
from teamops.dates import LONDON, today
from teamops.extensions import db
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord
from tests import factories

QUESTION = "0 = the children must be removed, 10 = the case can close"  # what the score of 6 answers


def days_ago(n: int) -> Any:
    return today() - timedelta(days=n)


def count_records() -> int:
    return db.session.scalar(select(func.count(SupervisionRecord.id)))


def count_actions() -> int:
    return db.session.scalar(select(func.count(SupervisionAction.id)))


def write_url(worker, kind="case", held_on=None, cases=(), attendees=(), booking=None) -> str:
    params: list[tuple[str, Any]] = [("worker", worker.id), ("kind", kind),
                                     ("held_on", (held_on or days_ago(1)).isoformat())]
    params += [("case", c.id) for c in cases] + [("attendee", p.id) for p in attendees]
    if booking is not None:
        params.append(("booking", booking.id))
    return "/records/new/write?" + urlencode(params)


def case_data(case, *, owner=None, due=None, **overrides: Any) -> dict[str, Any]:
    """A complete discussion of ``case`` with one action."""
    p = f"c{case.id}"
    data = {
        f"{p}_significant_events": "Strategy meeting held; school attendance improved.",
        f"{p}_decisions_and_plan": "Plan is working; keep weekly visits.",
        f"{p}_reflective_analysis": "Worker reflected on the impact of the new partner.",
        f"{p}_childs_voice": "Said they feel safer at home now.",
        f"{p}_scaling": "6",
        f"{p}_scaling_question": QUESTION,
        f"{p}_new1_description": "Visit weekly and update the plan",
        f"{p}_new1_owner": str(owner.id if owner else case.worker_id),
        f"{p}_new1_due_on": (due or today() + timedelta(days=14)).isoformat(),
    }
    for n in (2, 3):
        data[f"{p}_new{n}_owner"] = str(case.worker_id)
    data.update({f"{p}_{key}": value for key, value in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


def personal_data(worker, **overrides: Any) -> dict[str, Any]:
    data = {"p_wellbeing": "Feeling well supported.", "p_workload": "Twelve cases; manageable.",
            "p_learning": "Booked on the Signs of Safety refresher.",
            "p_new1_description": "Complete the refresher", "p_new1_owner": str(worker.id),
            "p_new1_due_on": (today() + timedelta(days=30)).isoformat()}
    for n in (2, 3):
        data[f"p_new{n}_owner"] = str(worker.id)
    data.update({f"p_{key}": value for key, value in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def case_of(org):
    """``case_of(worker, "CP-1")`` makes an open case allocated a year ago."""

    def make(worker=None, ref="CP-1001", case_type="CP", allocated_on=None, closed_on=None, high_risk=False):
        return factories.case(ref, case_type, high_risk, worker or org["worker"], allocated_on or days_ago(365),
                              closed_on)

    return make


@pytest.fixture
def booking_for(org):
    """``booking_for(worker, supervisor, days=-1, cases=[...])``: a booked session ``days`` from today."""

    def make(worker=None, supervisor=None, days=-1, kind="case", cases=(), attendees=(), status="booked"):
        day = today() + timedelta(days=days)
        starts = datetime.combine(day, time(10, 0), tzinfo=LONDON).astimezone(UTC)
        booking = Booking(kind=kind, worker=worker or org["worker"], supervisor=supervisor or org["team_manager"],
                          starts_at=starts, duration_minutes=60, status=status)
        booking.cases = list(cases)
        booking.attendees = list(attendees)
        db.session.add(booking)
        db.session.commit()
        return booking

    return make


@pytest.fixture
def saved_record(as_role, org, case_of):
    """A case supervision of the north worker's case, written by the team manager through the app."""

    def make(case=None, held_on=None, client=None, extra=None, **overrides):
        case = case or case_of()
        client = client or as_role("team_manager")
        response = client.post_form(write_url(org["worker"], "case", held_on, [case]),
                                    {**case_data(case, **overrides), **(extra or {})})
        assert response.status_code == 303, response.get_data(as_text=True)[:3000]
        record_id = int(response.headers["Location"].rsplit("/", 1)[1])
        return db.session.get(SupervisionRecord, record_id)

    return make


def discussion_of(record) -> CaseDiscussion:
    return db.session.scalar(select(CaseDiscussion).where(CaseDiscussion.record_id == record.id))

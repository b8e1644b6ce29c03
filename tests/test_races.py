"""Races (issue 16 item 4): 20 identical submissions sent at the same moment to TeamOps served by gunicorn with
several workers, on SQLite and on PostgreSQL, leave exactly one row, never answer 5xx, and every other answer
is what a single duplicate gets (a redirect to the item, or the page saying it is already there)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import func, select

from teamops import dates
from teamops.bookings.models import Booking
from teamops.extensions import db
from teamops.induction import buddies
from teamops.induction.buddy_models import InductionCheckin
from teamops.org.models import Staff
from teamops.quality.audit_models import AuditAction, CaseAudit
from teamops.records.models import SupervisionRecord
from teamops.reminders.models import OutboxMail
from teamops.returns.models import ReturnVersion, SupervisionReturn
from tests import factories
from tests.quality.audit_world import complete, world
from tests.served import Server, at_once, served, signed_in

AT_ONCE = 20


@pytest.fixture
def server(org: dict[str, Any], database_url: str, tmp_path: Path) -> Iterator[Server]:
    """Three gunicorn workers on this test's database; the ``org`` is committed before it starts."""
    db.session.commit()
    with served(database_url, tmp_path / "gunicorn.log", workers=3) as running:
        yield running


def count(model: Any, *where: Any) -> int:
    db.session.rollback()  # a fresh snapshot: the rows the server committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def statuses(answers: list[requests.Response], server: Server) -> Counter[int]:
    found = Counter(answer.status_code for answer in answers)
    assert not [s for s in found if s >= 500], f"{found}\n{server.log_tail()}"
    return found


def test_one_return_is_submitted_when_a_manager_submits_it_20_times_at_once(
        org: dict[str, Any], make: Any, server: Server) -> None:
    today = dates.today()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    factories.case("RACE-1", "CIN", False, org["worker"], month - timedelta(days=200))
    team = org["teams"]["north"]
    url = f"/returns/{team.id}/{dates.month_code(month)}"
    notes = {f"note_{person.id}": "Supervision booked." for person in db.session.scalars(
        select(Staff).where(Staff.team_id == team.id))}
    manager = signed_in(server, org["team_manager"].email)

    answers = at_once(AT_ONCE, lambda: manager.post(url, {**notes, "team_commentary": "One case.",
                                                            "action": "submit"}))

    assert statuses(answers, server) == {303: AT_ONCE}
    assert {answer.headers["Location"] for answer in answers} == {url}
    assert count(SupervisionReturn) == 1 and count(ReturnVersion) == 1
    page = manager.get(url).text
    assert "Version 1" in page and "Version 2" not in page


def test_one_record_is_written_when_its_form_is_saved_20_times_at_once(
        org: dict[str, Any], server: Server) -> None:
    """A record written from a booking is the booking's record: there is only one."""
    today = dates.today()
    case = factories.case("RACE-2", "CP", False, org["worker"], today - timedelta(days=365))
    starts = datetime.combine(today - timedelta(days=2), time(10), tzinfo=dates.LONDON).astimezone(UTC)
    booking = Booking(kind="case", worker=org["worker"], supervisor=org["team_manager"], starts_at=starts,
                      duration_minutes=60, status="booked", cases=[case])
    db.session.add(booking)
    db.session.commit()
    url = "/records/new/write?" + urlencode([("worker", org["worker"].id), ("kind", "case"),
                                             ("held_on", (today - timedelta(days=2)).isoformat()),
                                             ("case", case.id), ("booking", booking.id)])
    p = f"c{case.id}"
    form = {f"{p}_significant_events": "Strategy meeting held.", f"{p}_decisions_and_plan": "Weekly visits.",
            f"{p}_reflective_analysis": "Reflected on the new partner.", f"{p}_childs_voice": "Feels safer.",
            f"{p}_scaling": "6", f"{p}_scaling_question": "0 = the children must be removed, 10 = the case can close",
            f"{p}_new1_description": "Visit weekly", f"{p}_new1_due_on": (today + timedelta(days=14)).isoformat(),
            **{f"{p}_new{n}_owner": str(org["worker"].id) for n in (1, 2, 3)}}
    manager = signed_in(server, org["team_manager"].email)

    answers = at_once(AT_ONCE, lambda: manager.post(url, form))

    assert statuses(answers, server) == {303: AT_ONCE}, [a.text[:300] for a in answers if a.status_code != 303]
    record = db.session.scalars(select(SupervisionRecord)).one()
    assert {answer.headers["Location"] for answer in answers} == {f"/records/{record.id}"}
    assert record.booking_id == booking.id and count(SupervisionRecord) == 1


def test_one_check_in_is_logged_when_the_buddy_logs_it_20_times_at_once(
        org: dict[str, Any], make: Any, database_url: str, tmp_path: Path) -> None:
    today = dates.today()
    starter = make.staff("worker", org["teams"]["north"], email="nico@example.org", name="Nico Fraser",
                         start_date=today - timedelta(days=3))
    induction = make.induction(starter)
    buddies.name_buddy(induction, org["worker"], "", None)
    db.session.commit()
    url = f"/inductions/{induction.id}/check-ins/new"
    form = {"mode": "in_person", "doing": "3", "notes": "Good first days", "held_on-day": str(today.day),
            "held_on-month": str(today.month), "held_on-year": str(today.year)}
    with served(database_url, tmp_path / "gunicorn.log") as server:
        buddy = signed_in(server, org["worker"].email)

        answers = at_once(AT_ONCE, lambda: buddy.post(url, form))

        assert statuses(answers, server) == {303: AT_ONCE}
        assert len({answer.headers["Location"] for answer in answers}) == 1
        assert count(InductionCheckin) == 1
        again = buddy.post(url, form)  # one more, afterwards: the same answer, and the page says why
        assert again.status_code == 303
        assert "already logged" in buddy.follow(again).text
    assert count(InductionCheckin) == 1


def test_one_session_is_booked_when_a_manager_books_the_same_slot_20_times_at_once(
        org: dict[str, Any], server: Server) -> None:
    day = dates.today() + timedelta(days=14)
    form = {"kind": "personal", "worker_id": str(org["worker"].id), "session_date": day.isoformat(),
            "start_time": "10:00", "duration_minutes": "60", "location": "Riverside House, room 2"}
    manager = signed_in(server, org["team_manager"].email)

    answers = at_once(AT_ONCE, lambda: manager.post("/bookings/new", form))

    found = statuses(answers, server)
    assert set(found) <= {303, 409}, found  # booked, or already booked / warned of the clash with it
    assert count(Booking) == 1
    booking = db.session.scalars(select(Booking)).one()
    assert booking.status == "booked"
    assert all(a.headers["Location"] == f"/bookings/{booking.id}" for a in answers if a.status_code == 303)
    assert all("overlaps" in a.text for a in answers if a.status_code == 409)
    # even told to book anyway, the same slot is not booked twice
    again = at_once(AT_ONCE, lambda: manager.post("/bookings/new", {**form, "confirm_clash": "y"}))
    assert statuses(again, server) == {303: AT_ONCE}
    assert {a.headers["Location"] for a in again} == {f"/bookings/{booking.id}"}
    assert count(Booking) == 1


def test_an_audit_is_submitted_once_when_its_auditor_submits_it_20_times_at_once(
        org: dict[str, Any], database_url: str, tmp_path: Path) -> None:
    w = world(org)
    due = dates.today() + timedelta(days=7)
    form = complete(w, **{"action_due_on-day": str(due.day), "action_due_on-month": str(due.month),
                          "action_due_on-year": str(due.year)})
    url = f"/quality/audits/{w['audit'].id}"
    mails_before = count(OutboxMail)
    with served(database_url, tmp_path / "gunicorn.log") as server:
        auditor = signed_in(server, org["south_manager"].email)
        draft = {key: value for key, value in form.items() if not key.startswith("action_")}
        assert auditor.post(url, {**draft, "do": "save"}).status_code == 303  # its answers saved: no insert left

        answers = at_once(AT_ONCE, lambda: auditor.post(url, form))

        assert statuses(answers, server) == {303: AT_ONCE}
        assert {answer.headers["Location"] for answer in answers} == {url}
        assert count(CaseAudit, CaseAudit.submitted_at.is_not(None)) == 1
        assert count(AuditAction) == 1  # the new action of the one submission that counted
        assert count(OutboxMail) - mails_before == 1  # the North team's manager is told once

"""Booking, moving and cancelling a session e-mails everyone in it an iCalendar invitation (issue 15 item 5),
read back with ``icalendar`` from what a real SMTP server received: METHOD REQUEST then CANCEL, one stable UID, a
SEQUENCE that goes up, local times with TZID Europe/London and its VTIMEZONE (10:00 stays 10:00 on either side
of the clock change), the people and a link, never a case."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

from icalendar import Calendar
from sqlalchemy import select

from teamops.bookings.models import Booking
from teamops.extensions import db
from tests.bookings.conftest import booking_form, in_days, last_sunday, new_case
from tests.reminders.smtp import Mailbox
from tests.reminders.test_send_reminders import BASE, smtp  # noqa: F401 (the fixture)


def _calendar(mail: EmailMessage) -> Calendar:
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_content())


def _event(mail: EmailMessage):
    return _calendar(mail).walk("VEVENT")[0]


def _to(box: Mailbox, address: str) -> list[EmailMessage]:
    return box.to(address)


def test_booking_moving_and_cancelling_send_request_request_cancel(as_role, org, smtp):  # noqa: F811
    manager = as_role("team_manager")
    case = new_case(org["worker"])
    response = manager.post_form("/bookings/new", booking_form(org, kind="case", case_ids=str(case.id)))
    assert response.status_code == 303
    booking = db.session.scalars(select(Booking)).one()
    assert sorted(a for item in smtp.received for a in item.rcpt_tos) == ["tm@example.org", "worker@example.org"]
    booked = _to(smtp, "worker@example.org")[0]
    assert booked["Subject"].startswith("Supervision booked: Case supervision: Wren Worker with Tia Manager")
    calendar = _calendar(booked)
    assert str(calendar["method"]) == "REQUEST" and calendar.walk("VTIMEZONE")
    event = _event(booked)
    uid = str(event["uid"])
    assert uid == f"booking-{booking.id}@teamops.example.org" and int(event["sequence"]) == 0
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and event["dtstart"].params["TZID"] == "Europe/London"
    assert (start.hour, start.minute) == (10, 0) and start.date() == in_days(14)
    assert str(event["organizer"]) == "mailto:tm@example.org"
    assert [str(a) for a in ([event["attendee"]] if not isinstance(event["attendee"], list) else event["attendee"])] \
        == ["mailto:worker@example.org"]
    assert f"{BASE}/bookings/{booking.id}" in str(event["description"])
    everything = booked.as_string()
    assert case.case_ref not in everything  # people, time, place and a link; never a case
    assert any(p.get_filename() == "invite.ics" for p in booked.walk())

    manager.post_form(f"/bookings/{booking.id}/reschedule",
                      {"session_date": in_days(15).isoformat(), "start_time": "14:15", "duration_minutes": "90",
                       "reason": "Court hearing moved"})
    moved = _event(_to(smtp, "worker@example.org")[1])
    assert str(moved["uid"]) == uid and int(moved["sequence"]) == 1
    assert moved.decoded("dtstart").hour == 14 and moved.decoded("dtend").hour == 15
    assert _to(smtp, "worker@example.org")[1]["Subject"].startswith("Supervision moved")

    manager.post_form(f"/bookings/{booking.id}/cancel", {"reason": "Worker on leave"})
    cancelled = _to(smtp, "worker@example.org")[2]
    assert str(_calendar(cancelled)["method"]) == "CANCEL"
    event = _event(cancelled)
    assert str(event["uid"]) == uid and int(event["sequence"]) == 2 and str(event["status"]) == "CANCELLED"
    assert "Worker on leave" not in cancelled.as_string()  # the reason stays in TeamOps
    assert len(_to(smtp, "tm@example.org")) == 3  # the supervisor's calendar follows too


def test_a_session_after_the_clocks_go_back_stays_at_its_local_time(as_role, org, smtp):  # noqa: F811
    winter = last_sunday(in_days(0).year + 1, 10)  # the day the clocks go back next year: GMT from 02:00
    as_role("team_manager").post_form("/bookings/new", booking_form(org, session_date=winter.isoformat()))
    event = _event(_to(smtp, "worker@example.org")[0])
    start = event.decoded("dtstart")
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(UTC) == datetime(winter.year, winter.month, winter.day, 10, 0, tzinfo=UTC)  # GMT

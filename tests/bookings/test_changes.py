"""Moving and cancelling a session: a reason every time, the same time rules, clash warnings again."""

from __future__ import annotations

import pytest

from teamops.bookings.models import Booking
from teamops.extensions import db
from tests.bookings.conftest import in_days, last_sunday, new_booking, utc
from tests.dates_typed import date_shown


@pytest.fixture
def booking(org):
    return new_booking(org["worker"], org["team_manager"], utc(in_days(7), 10))


def move_form(**overrides):
    values = {"session_date": in_days(8).isoformat(), "start_time": "14:15", "duration_minutes": "90",
              "reason": "Court hearing moved"}
    values.update(overrides)
    return values


def reread(booking) -> Booking:
    return db.session.get(Booking, booking.id)


def test_reschedule_form_starts_with_the_current_time(manager, booking):
    page = manager.get(f"/bookings/{booking.id}/reschedule").get_data(as_text=True)
    assert date_shown(page, "session_date") == in_days(7).isoformat()
    assert 'value="10:00"' in page and 'value="60"' in page


def test_reschedule_moves_the_session_and_keeps_the_reason(manager, booking):
    response = manager.post_form(f"/bookings/{booking.id}/reschedule", move_form())
    assert response.status_code == 303
    moved = reread(booking)
    assert moved.starts_at == utc(in_days(8), 14, 15) and moved.duration_minutes == 90
    assert moved.change_reason == "Court hearing moved" and moved.status == "booked"
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Session moved to" in page and "Moved. Reason: Court hearing moved" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "Enter the reason for moving the session"),
        ({"reason": "x" * 501}, "reason", "500"),
        ({"session_date": "1900-06-01"}, "session_date", "between 2000 and 2099"),
        ({"session_date": "2100-06-01"}, "session_date", "between 2000 and 2099"),
        ({"session_date": "2020-06-01"}, "session_date", "This time has passed"),
        ({"start_time": "9am"}, "start_time", "HH:MM"),
        ({"duration_minutes": "500"}, "duration_minutes", "between 15 and 480"),
    ],
)
def test_bad_reschedule_is_refused(manager, booking, overrides, field, message):
    response = manager.post_form(f"/bookings/{booking.id}/reschedule", move_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and f'id="{field}-error"' in page
    unchanged = reread(booking)
    assert unchanged.starts_at == utc(in_days(7), 10) and unchanged.change_reason is None


def test_reschedule_to_a_time_the_clocks_skip_is_refused(manager, booking):
    day = last_sunday(in_days(0).year + 1, 3)
    response = manager.post_form(f"/bookings/{booking.id}/reschedule",
                                 move_form(session_date=day.isoformat(), start_time="01:15"))
    assert response.status_code == 400 and "the clocks go forward" in response.get_data(as_text=True)


def test_reschedule_warns_on_clash_then_moves_anyway(manager, booking, org):
    new_booking(org["worker"], org["service_manager"], utc(in_days(8), 14), 60)
    response = manager.post_form(f"/bookings/{booking.id}/reschedule", move_form())
    assert response.status_code == 409 and "Move anyway" in response.get_data(as_text=True)
    assert reread(booking).starts_at == utc(in_days(7), 10)
    response = manager.post_form(f"/bookings/{booking.id}/reschedule", move_form(confirm_clash="y"))
    assert response.status_code == 303 and reread(booking).starts_at == utc(in_days(8), 14, 15)


def test_a_session_does_not_clash_with_itself(manager, booking):
    response = manager.post_form(f"/bookings/{booking.id}/reschedule",
                                 move_form(session_date=in_days(7).isoformat(), start_time="10:30"))
    assert response.status_code == 303


def test_cancel_needs_a_reason(manager, booking):
    response = manager.post_form(f"/bookings/{booking.id}/cancel", {"reason": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter the reason for cancelling" in page
    assert reread(booking).status == "booked"


def test_cancelled_session_stays_visible_as_cancelled(manager, as_role, booking):
    response = manager.post_form(f"/bookings/{booking.id}/cancel", {"reason": "Worker on leave"})
    assert response.status_code == 303
    cancelled = reread(booking)
    assert cancelled.status == "cancelled" and cancelled.change_reason == "Worker on leave"
    assert "Cancelled. Reason: Worker on leave" in manager.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert f"/bookings/{booking.id}\"" in manager.get("/bookings?show=cancelled").get_data(as_text=True)
    assert f"/bookings/{booking.id}\"" not in manager.get("/bookings").get_data(as_text=True)
    worker = as_role("worker")
    assert "Worker on leave" in worker.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert f"/bookings/{booking.id}\"" in worker.get("/bookings/mine?show=cancelled").get_data(as_text=True)


def test_cancelled_session_cannot_be_moved_or_cancelled_again(manager, booking):
    manager.post_form(f"/bookings/{booking.id}/cancel", {"reason": "Worker on leave"})
    for action in ("reschedule", "cancel"):
        response = manager.post_form(f"/bookings/{booking.id}/{action}", move_form(reason="Again"))
        assert response.status_code == 303
    assert reread(booking).change_reason == "Worker on leave"
    page = manager.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "can no longer be moved or cancelled" in page and "Move this session" not in page


def test_worker_cannot_move_or_cancel(as_role, booking):
    client = as_role("worker")
    assert client.post_form(f"/bookings/{booking.id}/reschedule", move_form()).status_code == 403
    assert client.post_form(f"/bookings/{booking.id}/cancel", {"reason": "No"}).status_code == 403
    assert reread(booking).status == "booked"

"""Who sees which bookings: lists scoped to reach, detail pages by id, the record link, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teamops.bookings.models import Booking
from teamops.dates import utcnow
from teamops.extensions import db
from tests import factories
from tests.bookings.conftest import in_days, new_booking, new_case, utc
from tests.conftest import sign_in


@pytest.fixture
def bookings(org, make):
    north, south = org["worker"], org["south_worker"]
    return {
        "soon": new_booking(north, org["team_manager"], utc(in_days(3), 10)),
        "later": new_booking(north, org["team_manager"], utc(in_days(9), 14), kind="case",
                             cases=[new_case(north)]),
        "past": new_booking(north, org["team_manager"], utc(in_days(-5), 10)),
        "cancelled": new_booking(north, org["team_manager"], utc(in_days(4), 10), status="cancelled"),
        "south": new_booking(south, org["south_manager"], utc(in_days(2), 10)),
    }


def row_order(page, *markers):
    return [page.index(marker) for marker in markers]


def test_manager_list_shows_upcoming_soonest_first(manager, bookings):
    page = manager.get("/bookings").get_data(as_text=True)
    soon, later = bookings["soon"], bookings["later"]
    assert f"/bookings/{soon.id}\"" in page and f"/bookings/{later.id}\"" in page
    first, second = row_order(page, f"/bookings/{soon.id}\"", f"/bookings/{later.id}\"")
    assert first < second
    for hidden in ("past", "cancelled", "south"):
        assert f"/bookings/{bookings[hidden].id}\"" not in page
    assert "Wren Worker" in page and "Sid South" not in page


@pytest.mark.parametrize(("show", "key"), [("past", "past"), ("cancelled", "cancelled")])
def test_filters_past_and_cancelled(manager, bookings, show, key):
    page = manager.get(f"/bookings?show={show}").get_data(as_text=True)
    assert f"/bookings/{bookings[key].id}\"" in page
    assert f"/bookings/{bookings['soon'].id}\"" not in page
    assert "<html" in page


def test_htmx_filter_answers_the_results_only(manager, bookings):
    response = manager.get("/bookings?show=cancelled", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and "teamops-results" in page
    assert "Cancelled" in page and "HX-Request" in response.headers["Vary"]


def test_unknown_filter_falls_back_to_upcoming(manager, bookings):
    response = manager.get("/bookings?show=everything")
    assert response.status_code == 200
    assert f"/bookings/{bookings['soon'].id}\"" in response.get_data(as_text=True)


def test_worker_sees_their_sessions(as_role, bookings, org):
    client = as_role("worker")
    page = client.get("/bookings/mine").get_data(as_text=True)
    assert "My supervision sessions" in page
    assert f"/bookings/{bookings['soon'].id}\"" in page and f"/bookings/{bookings['south'].id}\"" not in page
    assert client.get(f"/bookings/{bookings['soon'].id}").status_code == 200
    assert client.get("/bookings").status_code == 403
    assert client.get("/bookings/new").status_code == 403


def test_group_attendee_sees_the_session(app, org, make):
    colleague = make.staff(team=org["teams"]["north"], name="Cole League")
    booking = new_booking(org["worker"], org["team_manager"], utc(in_days(3), 10), kind="group",
                          attendees=[colleague])
    client = app.test_client()
    sign_in(client, colleague)
    assert f"/bookings/{booking.id}\"" in client.get("/bookings/mine").get_data(as_text=True)
    assert client.get(f"/bookings/{booking.id}").status_code == 200


def test_a_group_session_shows_each_person_only_the_cases_they_may_see(app, as_role, org):
    """The service manager books a group session of a North worker and a South worker about both their cases:
    like the session's record (tests/records/test_group_access.py), each sees only the cases in their reach."""
    north_case = factories.case("NORTH-CASE-1", "CP", False, org["worker"], in_days(-30))
    south_case = factories.case("SOUTH-CASE-1", "CP", False, org["south_worker"], in_days(-30))
    booking = new_booking(org["worker"], org["service_manager"], utc(in_days(1), 10), kind="group",
                          cases=[north_case, south_case], attendees=[org["south_worker"]])
    north, south = ("NORTH-CASE-1", "SOUTH-CASE-1"), ("SOUTH-CASE-1", "NORTH-CASE-1")  # (seen, not seen)
    pages = {"worker": (north, ["/", "/dashboard/me", "/bookings/mine", f"/bookings/{booking.id}"]),
             "team_manager": (north, ["/bookings", f"/bookings/{booking.id}", f"/bookings/{booking.id}/reschedule",
                                      f"/bookings/{booking.id}/cancel"]),
             "south_worker": (south, ["/bookings/mine", f"/bookings/{booking.id}"])}
    for role, ((seen, hidden), paths) in pages.items():
        client = as_role(role)
        for path in paths:
            page = client.get(path).get_data(as_text=True)
            assert seen in page and hidden not in page, (role, path)
    page = as_role("service_manager").get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "NORTH-CASE-1, SOUTH-CASE-1" in page


@pytest.mark.parametrize("role", ["south_manager", "south_worker", "yj_worker", "admin"])
def test_another_teams_booking_by_id_is_refused(as_role, bookings, role):
    client = as_role(role)
    booking = bookings["soon"]
    assert client.get(f"/bookings/{booking.id}").status_code == 403
    if role == "south_manager":
        assert client.get(f"/bookings/{booking.id}/reschedule").status_code == 403
        assert client.post_form(f"/bookings/{booking.id}/cancel", {"reason": "x"}).status_code == 403
        assert client.post_form(f"/bookings/{booking.id}/reschedule", {"reason": "x"}).status_code == 403


def test_service_manager_and_qait_read_the_booking(as_role, bookings):
    for role in ("service_manager", "qait"):
        assert as_role(role).get(f"/bookings/{bookings['soon'].id}").status_code == 200


def test_unknown_booking_is_not_found(manager):
    assert manager.get("/bookings/999999").status_code == 404


def test_menu_items_by_role(as_role):
    manager_page = as_role("team_manager").get("/").get_data(as_text=True)
    worker_page = as_role("worker").get("/").get_data(as_text=True)
    assert 'href="/bookings"' in manager_page and 'href="/bookings/mine"' not in manager_page
    assert 'href="/bookings/mine"' in worker_page and 'href="/actions"' in worker_page
    assert 'href="/bookings"' not in worker_page


def test_write_the_record_link_only_for_the_supervisor_once_the_day_has_come(as_role, org):
    started = new_booking(org["worker"], org["team_manager"], utcnow() - timedelta(minutes=5))
    future = new_booking(org["worker"], org["team_manager"], utc(in_days(3), 10))
    client = as_role("team_manager")
    assert "Write the record" in client.get(f"/bookings/{started.id}").get_data(as_text=True)
    assert "Write the record" not in client.get(f"/bookings/{future.id}").get_data(as_text=True)
    for role in ("worker", "service_manager"):
        assert "Write the record" not in as_role(role).get(f"/bookings/{started.id}").get_data(as_text=True)


def test_write_the_record_link_points_at_the_records_feature(as_role, org):
    started = new_booking(org["worker"], org["team_manager"], utcnow() - timedelta(minutes=5))
    page = as_role("team_manager").get(f"/bookings/{started.id}").get_data(as_text=True)
    assert "Write the record" in page and f"/records/new?booking={started.id}" in page


def test_recorded_booking_shows_its_record_and_can_no_longer_change(as_role, org):
    booking = new_booking(org["worker"], org["team_manager"], utc(in_days(-1), 10))
    record = factories.record("personal", in_days(-1), org["worker"], org["team_manager"])
    record.booking = booking
    db.session.commit()
    client = as_role("team_manager")
    page = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "Recorded" in page and "Write the record" not in page and "Move this session" not in page
    assert f"/records/{record.id}\"" in page
    response = client.post_form(f"/bookings/{booking.id}/cancel", {"reason": "Too late"})
    assert response.status_code == 303
    assert db.session.get(Booking, booking.id).status == "booked"
    assert "has its supervision record" in client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "Recorded" in client.get("/bookings?show=past").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/bookings", "/bookings?show=past", "/bookings/mine"])
def test_list_query_count_does_not_grow_with_bookings(as_role, org, make, count_queries, path):
    client = as_role("worker" if path.endswith("mine") else "team_manager")

    def add(n, days):
        for i in range(n):
            colleague = make.staff(team=org["teams"]["north"])
            new_booking(org["worker"], org["team_manager"], utc(in_days(days + i), 10), kind="group",
                        cases=[new_case(org["worker"])], attendees=[colleague])

    add(2, 1 if "past" not in path else -30)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add(8, 5 if "past" not in path else -20)
    with count_queries() as many:
        page = client.get(path).get_data(as_text=True)
    assert page.count("/bookings/") >= 10
    assert many.count == few.count

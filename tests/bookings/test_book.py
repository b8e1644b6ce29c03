"""Booking a session: the happy paths, UK local time, the case picker and clash warnings."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from teamops.bookings.models import Booking
from teamops.extensions import db
from tests.bookings.conftest import booking_form, count_bookings, in_days, new_booking, new_case, utc


def only_booking() -> Booking:
    return db.session.scalars(select(Booking)).one()


def test_manager_books_a_personal_session(manager, org):
    response = manager.post_form("/bookings/new", booking_form(org))
    assert response.status_code == 303
    booking = only_booking()
    assert (booking.kind, booking.worker_id, booking.supervisor_id, booking.status) == (
        "personal", org["worker"].id, org["team_manager"].id, "booked")
    assert booking.duration_minutes == 60 and booking.location == "Riverside House, room 2"
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Session with Wren Worker booked" in page and "Personal supervision with Wren Worker" in page


def test_start_time_is_uk_local_and_stored_as_utc(manager, org):
    summer, winter = in_days(1), in_days(1)
    # Find one date in British Summer Time and one in GMT within the next year.
    for offset in range(1, 366):
        day = in_days(offset)
        if utc(day, 12).hour == 11:
            summer = day
        else:
            winter = day
    manager.post_form("/bookings/new", booking_form(org, session_date=summer.isoformat(), start_time="09:30"))
    manager.post_form("/bookings/new", booking_form(org, session_date=winter.isoformat(), start_time="09:30"))
    starts = {b.starts_at.date(): b.starts_at for b in db.session.scalars(select(Booking))}
    assert starts[summer] == datetime(summer.year, summer.month, summer.day, 8, 30, tzinfo=UTC)
    assert starts[winter] == datetime(winter.year, winter.month, winter.day, 9, 30, tzinfo=UTC)
    booking = db.session.scalars(select(Booking).order_by(Booking.id)).first()
    page = manager.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "09:30" in page  # shown in UK time again


def test_online_session_needs_no_place(manager, org):
    response = manager.post_form("/bookings/new", booking_form(org, location="", online="y"))
    assert response.status_code == 303
    assert only_booking().online is True


def test_case_session_with_the_workers_cases(manager, org):
    first, second = new_case(org["worker"]), new_case(org["worker"])
    response = manager.post_form("/bookings/new", booking_form(
        org, kind="case", case_ids=[str(first.id), str(second.id)]))
    assert response.status_code == 303
    assert {c.id for c in only_booking().cases} == {first.id, second.id}


def test_group_session_with_attendees(manager, org, make):
    colleague = make.staff(team=org["teams"]["north"], name="Cole League")
    case = new_case(org["worker"])
    response = manager.post_form("/bookings/new", booking_form(
        org, kind="group", case_ids=str(case.id), attendee_ids=str(colleague.id)))
    assert response.status_code == 303
    booking = only_booking()
    assert [p.id for p in booking.attendees] == [colleague.id]
    assert "Cole League" in manager.get(f"/bookings/{booking.id}").get_data(as_text=True)


def test_service_manager_books_in_any_team_of_their_service(as_role, org):
    client = as_role("service_manager")
    response = client.post_form("/bookings/new", booking_form(org, worker_id=str(org["south_worker"].id)))
    assert response.status_code == 303
    assert only_booking().worker_id == org["south_worker"].id


def test_worker_list_offers_only_active_people_in_reach(manager, org, make):
    make.staff(team=org["teams"]["north"], name="Lee Leaver", active=False)
    page = manager.get("/bookings/new").get_data(as_text=True)
    assert "Wren Worker" in page
    assert "Lee Leaver" not in page and "Sid South" not in page and "Tia Manager</option>" not in page


# The case picker ----------------------------------------------------------------------------------

def picker_cases(org):
    overdue = new_case(org["worker"], "CP", allocated_days_ago=40)  # due 12 days ago
    later = new_case(org["worker"], "CIN", allocated_days_ago=1)  # due in 55 days
    closed = new_case(org["worker"], "CP", allocated_days_ago=40, closed=True)
    others = new_case(org["south_worker"], "CP", allocated_days_ago=40)
    return overdue, later, closed, others


def checked(page: str, case_id: int) -> bool:
    start = page.index(f'name="case_ids" type="checkbox" value="{case_id}"')
    return "checked" in page[start:page.index(">", start)]


def test_htmx_picker_lists_open_cases_and_ticks_those_due_by_the_session(manager, org):
    overdue, later, closed, others = picker_cases(org)
    response = manager.get(f"/bookings/case-picker?worker_id={org['worker'].id}&kind=case"
                           f"&session_date={in_days(14).isoformat()}", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert overdue.case_ref in page and later.case_ref in page
    assert closed.case_ref not in page and others.case_ref not in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page and "In timescale" in page
    assert "&lt;strong" not in page
    assert checked(page, overdue.id) and not checked(page, later.id)
    # A session far enough ahead: the other case falls due before it and is ticked too.
    response = manager.get(f"/bookings/case-picker?worker_id={org['worker'].id}&kind=case"
                           f"&session_date={in_days(60).isoformat()}", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert checked(page, overdue.id) and checked(page, later.id)


def test_picker_without_javascript_posts_the_form_back(manager, org):
    overdue, later, _, _ = picker_cases(org)
    response = manager.post_form("/bookings/new", booking_form(org, kind="case", show_cases="y"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in page
    assert checked(page, overdue.id) and not checked(page, later.id)
    assert "There is a problem" not in page and count_bookings() == 0
    assert 'value="Riverside House, room 2"' in page  # what was typed is kept


def test_picker_refuses_a_worker_out_of_reach(manager, org):
    response = manager.get(f"/bookings/case-picker?worker_id={org['south_worker'].id}",
                           headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_new_form_can_start_with_a_worker(manager, org):
    overdue, _, _, _ = picker_cases(org)
    page = manager.get(f"/bookings/new?worker_id={org['worker'].id}").get_data(as_text=True)
    assert checked(page, overdue.id)


# Clashes -----------------------------------------------------------------------------------------

def test_clash_for_the_worker_warns_then_books_anyway(manager, org):
    day = in_days(10)
    new_booking(org["worker"], org["service_manager"], utc(day, 10), 60)
    form = booking_form(org, session_date=day.isoformat(), start_time="10:30")
    response = manager.post_form("/bookings/new", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "overlaps" in page and "(clashes for Wren Worker)" in page and "Book anyway" in page
    assert count_bookings() == 1
    response = manager.post_form("/bookings/new", {**form, "confirm_clash": "y"})
    assert response.status_code == 303 and count_bookings() == 2


def test_clash_for_the_manager_warns(manager, org, make):
    day = in_days(10)
    other = make.staff(team=org["teams"]["north"])
    new_booking(other, org["team_manager"], utc(day, 9, 30), 60)
    response = manager.post_form("/bookings/new", booking_form(org, session_date=day.isoformat(),
                                                                start_time="10:00"))
    assert response.status_code == 409 and "(clashes for you)" in response.get_data(as_text=True)


def test_back_to_back_and_cancelled_sessions_do_not_clash(manager, org):
    day = in_days(10)
    new_booking(org["worker"], org["team_manager"], utc(day, 9), 60)
    new_booking(org["worker"], org["team_manager"], utc(day, 11), 60, status="cancelled")
    for start in ("10:00", "11:00"):
        response = manager.post_form("/bookings/new", booking_form(org, session_date=day.isoformat(),
                                                                    start_time=start))
        assert response.status_code == 303, start


def test_attendee_clash_warns(manager, org, make):
    day = in_days(10)
    colleague = make.staff(team=org["teams"]["north"], name="Cole League")
    new_booking(colleague, org["service_manager"], utc(day, 10), 120)
    case = new_case(org["worker"])
    response = manager.post_form("/bookings/new", booking_form(
        org, kind="group", case_ids=str(case.id), attendee_ids=str(colleague.id),
        session_date=day.isoformat(), start_time="11:00"))
    assert response.status_code == 409 and "(clashes for Cole League)" in response.get_data(as_text=True)


def test_long_session_earlier_in_the_day_clashes(manager, org):
    day = in_days(10)
    new_booking(org["worker"], org["service_manager"], utc(day, 8), 480)
    response = manager.post_form("/bookings/new", booking_form(org, session_date=day.isoformat(),
                                                                start_time="15:59"))
    assert response.status_code == 409

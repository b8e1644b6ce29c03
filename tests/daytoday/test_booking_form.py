"""Issue 10 items 7 and 8: the booking form asks only what the kind of session needs, and a group session offers
every attendee's cases. What a part hidden for the chosen kind holds is ignored, as GOV.UK's conditional reveal
does (the hiding itself is CSS: tests/browser/test_booking_keyboard.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from teamops.bookings.models import Booking
from teamops.extensions import db
from tests.bookings.conftest import booking_form, count_bookings, in_days, new_case
from tests.dates_typed import date_boxes


def _typed(org, **overrides):
    """The form as a person fills it now: the date in its three boxes."""
    values = booking_form(org, **overrides)
    return {**{k: v for k, v in values.items() if k != "session_date"},
            **date_boxes("session_date", values["session_date"])}


def _only_booking() -> Booking:
    booking = db.session.scalar(select(Booking))
    assert booking is not None
    return booking


@pytest.mark.parametrize("kind", ["personal", "case"])
def test_a_booking_ignores_what_its_kind_hides(as_role, org, make, kind):
    """A personal session ignores cases and attendees ticked under another kind; a case session, attendees."""
    colleague = make.staff(team=org["teams"]["north"])
    case = new_case(org["worker"])
    response = as_role("team_manager").post_form("/bookings/new", _typed(
        org, kind=kind, case_ids=str(case.id), attendee_ids=str(colleague.id)))
    assert response.status_code == 303
    booking = _only_booking()
    assert booking.kind == kind and booking.attendees == []
    assert booking.cases == ([] if kind == "personal" else [case])


def test_the_picker_offers_every_attendees_cases_for_a_group_but_none_out_of_reach(as_role, org, make):
    colleague = make.staff(team=org["teams"]["north"], name="Cole League")
    own, theirs = new_case(org["worker"]), new_case(colleague)
    elsewhere = new_case(org["south_worker"])
    manager = as_role("team_manager")
    url = (f"/bookings/case-picker?worker_id={org['worker'].id}&kind=group&attendee_ids={colleague.id}"
           f"&attendee_ids={org['south_worker'].id}")
    page = manager.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert own.case_ref in page and theirs.case_ref in page and "Cole League" in page
    assert elsewhere.case_ref not in page  # Sid South is not someone this manager supervises
    case_only = manager.get(url.replace("kind=group", "kind=case"), headers={"HX-Request": "true"})
    assert theirs.case_ref not in case_only.get_data(as_text=True)


def test_a_group_booking_discusses_an_attendees_case_but_not_a_stranger_s(as_role, org, make):
    colleague = make.staff(team=org["teams"]["north"])
    bystander = make.staff(team=org["teams"]["north"])
    theirs, not_in_session = new_case(colleague), new_case(bystander)
    manager = as_role("team_manager")
    refused = manager.post_form("/bookings/new", _typed(
        org, kind="group", attendee_ids=str(colleague.id), case_ids=str(not_in_session.id)))
    assert refused.status_code == 400 and count_bookings() == 0
    assert "not allocated to anyone in this session" in refused.get_data(as_text=True)
    booked = manager.post_form("/bookings/new", _typed(
        org, kind="group", attendee_ids=str(colleague.id), case_ids=str(theirs.id)))
    assert booked.status_code == 303
    booking = _only_booking()
    assert booking.cases == [theirs] and booking.attendees == [colleague]


def test_the_form_offers_the_kind_as_radios_and_keeps_the_date_in_boxes(as_role, org):
    manager = as_role("team_manager")
    page = manager.get("/bookings/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="kind"[^>]*type="radio"[^>]*value="personal"', page)
    assert 'class="teamops-for-group"' in page and 'class="teamops-for-cases"' in page
    assert 'type="date"' not in page and 'type="time"' not in page
    refused = manager.post_form("/bookings/new", {
        **_typed(org, session_date=in_days(3).isoformat()), "session_date-month": "13"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Date must be a real date" in text
    month_box = re.search(r'<input[^>]*name="session_date-month"[^>]*>', text)
    assert month_box and 'value="13"' in month_box.group(0) and "govuk-input--error" in month_box.group(0)
    day_box = re.search(r'<input[^>]*name="session_date-day"[^>]*>', text)
    assert day_box and "govuk-input--error" not in day_box.group(0)  # only the wrong box is marked

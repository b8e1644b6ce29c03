"""Each person's secret calendar feed (issue 15 item 6), read back with ``icalendar``: their sessions (cancelled
ones marked so), their induction timetable, no case; a new address revokes the old one; a stopped, unknown,
malformed or deactivated person's address answers 404, never 500; the address is shown once."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from teamops.extensions import db
from teamops.reminders.models import CalendarFeed
from tests import factories
from tests.bookings.conftest import in_days, utc
from tests.conftest import sign_in

ADDRESS = re.compile(r"https?://[^/\s<]+(/calendar/[A-Za-z0-9_-]+\.ics)")


def _make(client) -> str:
    page = client.post_form("/calendar").get_data(as_text=True)
    found = ADDRESS.search(page)
    assert found is not None and "shown only this once" in page
    return found.group(1)


def _events(app, path: str) -> list:
    response = app.test_client().get(path)  # a calendar program: signed in to nothing
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    assert "no-store" in response.headers["Cache-Control"]
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_the_feed_brings_your_sessions_without_their_cases(app, as_role, org):
    case = factories.case("N-FEED-1", "CP", False, org["worker"], in_days(-30))
    kept = factories.booking(org["worker"], org["team_manager"], utc(in_days(3), 10), kind="case", cases_=[case])
    gone = factories.booking(org["worker"], org["team_manager"], utc(in_days(4), 10), status="cancelled")
    factories.booking(org["south_worker"], org["south_manager"], utc(in_days(3), 11))  # someone else's
    path = _make(as_role("worker"))
    events = {str(event["uid"]).split("@")[0]: event for event in _events(app, path)}
    assert set(events) == {f"booking-{kept.id}", f"booking-{gone.id}"}
    assert str(events[f"booking-{gone.id}"]["status"]) == "CANCELLED"
    assert events[f"booking-{kept.id}"].decoded("dtstart").hour == 10
    assert events[f"booking-{kept.id}"]["dtstart"].params["TZID"] == "Europe/London"
    body = app.test_client().get(path).get_data(as_text=True)
    assert "N-FEED-1" not in body and "Wren Worker" in body
    # The supervisor's own feed has the session too.
    assert f"booking-{kept.id}" in {str(e["uid"]).split("@")[0] for e in _events(app, _make(as_role("team_manager")))}


def test_a_starters_feed_has_their_induction_timetable(app, make, org):
    starter = make.staff("worker", org["teams"]["north"], email="starter@example.org", name="Sky Starter",
                         start_date=in_days(-2))
    starter.line_manager = org["team_manager"]
    db.session.commit()
    induction = factories.induction(starter)
    client = app.test_client()
    sign_in(client, starter)
    events = _events(app, _make(client))
    days = [e for e in events if str(e["uid"]).startswith(f"induction-{induction.id}-day-")]
    assert len(days) == len(induction.days) and all(str(e["summary"]).startswith("Induction day") for e in days)


def test_a_new_address_revokes_the_old_one_and_stopping_ends_it(app, as_role, org):
    worker = as_role("worker")
    first = _make(worker)
    second = _make(worker)
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    page = worker.get("/calendar").get_data(as_text=True)
    assert "You have a feed" in page and second not in page  # never shown again
    assert worker.post_form("/calendar/stop").status_code == 303
    assert app.test_client().get(second).status_code == 404
    assert db.session.query(CalendarFeed).count() == 0


@pytest.mark.parametrize("token", ["nothing-here", "a" * 43, "a" * 5000, "%00", "..%2F..%2Fetc", "é"])
def test_any_other_address_answers_404(app, token):
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 404


def test_a_deactivated_persons_feed_answers_404(app, as_role, org):
    path = _make(as_role("worker"))
    org["worker"].active = False
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_only_your_own_feed_is_made_and_the_form_needs_its_token(app, as_role, org):
    worker = as_role("worker")
    assert worker.post("/calendar", data={}).status_code == 400  # no CSRF token: nothing made
    assert db.session.query(CalendarFeed).count() == 0
    _make(worker)
    feeds = db.session.query(CalendarFeed).all()
    assert [feed.staff_id for feed in feeds] == [org["worker"].id]
    assert len(feeds[0].token_hash) == 64  # only the hash is kept

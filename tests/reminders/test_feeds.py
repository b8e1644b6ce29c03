"""Each person's secret calendar feed (issue 15 item 6), read back with ``icalendar``: their sessions (cancelled
ones marked so), their induction timetable, no case; a new address revokes the old one; a stopped, unknown,
malformed or deactivated person's address answers 404, never 500; the address is shown once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from teamops.audit.models import AuditEvent
from teamops.directory import networks
from teamops.extensions import db
from teamops.reminders.models import CalendarFeed, FeedNetwork
from tests import factories
from tests.bookings.conftest import in_days, utc
from tests.conftest import sign_in
from tests.directory.conftest import make_network

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


# Network meetings a person chose (issue 15 item 6) ------------------------------------------------------------

def _choose(client, network, chosen: str, **query):
    url = f"/calendar/networks/{network.id}" + ("?back=calendar" if query.get("back") else "")
    return client.post_form(url, {"chosen": chosen})


def test_a_network_you_choose_brings_its_meetings_across_the_clock_change(app, as_role, org):
    """The third Tuesday at 14:00 stays 14:00 in London in March (GMT) and April (BST) when a calendar program
    expands the series; a moved meeting is its own event with the series' UID."""
    network = make_network(org["admin"], contacts=((org["south_worker"], "chair"),))
    networks.add_exception(network, date(2027, 5, 18), date(2027, 5, 19), time(10), time(12), "Room needed")
    db.session.commit()
    worker = as_role("worker")
    path = _make(worker)
    assert _choose(worker, network, "1").headers["Location"].endswith(f"/directory/networks/{network.id}")
    series, moved = [e for e in _events(app, path) if str(e["uid"]).startswith(f"network-{network.id}@")]
    assert series["dtstart"].params["TZID"] == "Europe/London" and series["summary"] == "Diversity advocates"
    starts = rrulestr(series["rrule"].to_ical().decode(), dtstart=series["dtstart"].dt)
    march, april = starts.between(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 30, tzinfo=UTC))
    assert march.astimezone(UTC) == datetime(2027, 3, 16, 14, tzinfo=UTC)  # GMT
    assert april.astimezone(UTC) == datetime(2027, 4, 20, 13, tzinfo=UTC)  # BST: still 14:00 in London
    assert moved["recurrence-id"].dt.replace(tzinfo=None) == datetime(2027, 5, 18, 14)
    assert moved["dtstart"].dt.replace(tzinfo=None) == datetime(2027, 5, 19, 10)
    assert "Sid South" not in app.test_client().get(path).get_data(as_text=True)  # nobody's name from it
    page = worker.get("/calendar").get_data(as_text=True)
    assert "Diversity advocates" in page
    # Taken out from the calendar page: gone from the feed, and back to that page.
    answer = _choose(worker, network, "0", back=True)
    assert answer.headers["Location"].endswith("/calendar")
    assert not [e for e in _events(app, path) if str(e["uid"]).startswith("network-")]


def test_a_network_that_closes_leaves_the_feed(app, as_role, org):
    network = make_network(org["admin"])
    worker = as_role("worker")
    path = _make(worker)
    _choose(worker, network, "1")
    network.active = False
    db.session.commit()
    assert not [e for e in _events(app, path) if str(e["uid"]).startswith("network-")]
    assert _choose(worker, network, "1").status_code == 404  # a closed network cannot be chosen


def test_who_chose_a_network_is_seen_by_nobody_else(app, as_role, org):
    """Not a membership list (the standards' privacy rule): the network's page shows each person their own
    choice only; its keepers and admins see no list, and the audit trail records nothing of it."""
    network = make_network(org["admin"], contacts=((org["team_manager"], "chair"),))
    worker = as_role("worker")
    audited = db.session.query(AuditEvent).count()
    _choose(worker, network, "1")
    assert db.session.query(AuditEvent).count() == audited  # the audit trail records nothing of it
    assert "Take them out of my calendar feed" in worker.get(f"/directory/networks/{network.id}").get_data(
        as_text=True)
    for role in ("team_manager", "admin"):
        client = as_role(role)
        page = client.get(f"/directory/networks/{network.id}").get_data(as_text=True)
        assert "Add them to my calendar feed" in page and "Wren Worker" not in page
        assert "Wren Worker" not in client.get(f"/directory/networks/{network.id}/contacts").get_data(as_text=True)
    assert db.session.query(FeedNetwork).count() == 1


def test_choosing_needs_the_form_token_and_a_real_network(as_role, org):
    network = make_network(org["admin"])
    worker = as_role("worker")
    assert worker.post(f"/calendar/networks/{network.id}", data={"chosen": "1"}).status_code == 400
    assert worker.post_form("/calendar/networks/999999", {"chosen": "1"}).status_code == 404
    assert db.session.query(FeedNetwork).count() == 0


def test_choosing_a_network_keeps_to_a_query_budget_however_many_are_chosen(app, as_role, org, count_queries):
    """The write route redirects (tests/test_query_budget.py measures the GET pages): choosing the sixth network
    costs what choosing the first did."""
    chosen = [make_network(org["admin"], name=f"Reading group {n}") for n in range(6)]
    worker = as_role("worker")
    token = worker.csrf_token()
    used = []
    for network in chosen:
        with count_queries() as counter:
            answer = worker.post(f"/calendar/networks/{network.id}", data={"csrf_token": token, "chosen": "1"})
        assert answer.status_code == 303
        used.append(counter.count)
    assert len(set(used)) == 1 and used[0] <= 8, used
    assert db.session.query(FeedNetwork).count() == 6

"""A network's .ics file (issue 12 item 3), parsed back with icalendar: the repeating event with its RRULE and
local times (TZID Europe/London, with a VTIMEZONE), EXDATE for a cancelled meeting, an event with RECURRENCE-ID for
a moved one, stable UIDs, and nothing about who belongs to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from teamops import dates
from teamops.directory import networks
from teamops.directory.models import Network
from teamops.extensions import db
from tests.directory.conftest import TODAY


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with dates.freeze(TODAY):
        yield


def _calendar(client: Any, network: Network) -> Calendar:
    response = client.get(f"/directory/networks/{network.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="network-{network.id}.ics"' in response.headers["Content-Disposition"]
    return Calendar.from_ical(response.get_data())


def test_the_ics_repeats_on_the_pattern_with_its_changes(as_role: Any, network: Network) -> None:
    networks.add_exception(network, date(2026, 4, 21))
    networks.add_exception(network, date(2026, 5, 19), date(2026, 5, 20), time(10), time(13), "Room needed")
    db.session.commit()
    calendar = _calendar(as_role("south_worker"), network)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    series, moved = calendar.walk("VEVENT")
    assert series["UID"] == moved["UID"] == f"network-{network.id}@127.0.0.1"
    assert series["SUMMARY"] == "Diversity advocates"
    assert series["LOCATION"] == "Riverside House, online"
    assert series["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=3TU"
    start = series["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt.replace(tzinfo=None) == datetime(2026, 1, 20, 14)  # the first real meeting
    assert series["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 1, 20, 17)
    exdates = [value.dt for value in series["EXDATE"].dts]
    assert [moment.replace(tzinfo=None) for moment in exdates] == [datetime(2026, 4, 21, 14)]
    assert exdates[0].astimezone(UTC) == datetime(2026, 4, 21, 13, tzinfo=UTC)  # 14:00 BST
    assert moved["RECURRENCE-ID"].dt.replace(tzinfo=None) == datetime(2026, 5, 19, 14)
    assert moved["RECURRENCE-ID"].params["TZID"] == "Europe/London"
    assert moved["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 5, 20, 10)
    assert moved["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 5, 20, 13)
    assert "Room needed" in moved["DESCRIPTION"]
    text = calendar.to_ical().decode()
    assert "Wren Worker" not in text and "worker@example.org" not in text  # no people in it


def test_a_march_and_an_april_meeting_are_both_at_14_00_local(as_role: Any, network: Network) -> None:
    """Expanded by a calendar program: the RRULE with the TZID start keeps 14:00 across the clock change."""
    series = _calendar(as_role("worker"), network).walk("VEVENT")[0]
    starts = rrulestr(series["RRULE"].to_ical().decode(), dtstart=series["DTSTART"].dt)
    march, april = starts.between(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC))
    assert march.astimezone(UTC) == datetime(2026, 3, 17, 14, tzinfo=UTC)
    assert april.astimezone(UTC) == datetime(2026, 4, 21, 13, tzinfo=UTC)


def test_an_end_date_is_until_in_utc(as_role: Any, network: Network) -> None:
    network.until = date(2026, 6, 30)
    db.session.commit()
    series = _calendar(as_role("worker"), network).walk("VEVENT")[0]
    assert series["RRULE"]["UNTIL"] == [datetime(2026, 6, 30, 22, 59, 59, tzinfo=UTC)]


def test_a_network_without_a_pattern_has_an_empty_calendar(as_role: Any, org: dict[str, Any]) -> None:
    network = networks.save_network(None, networks.Details(name="Mentoring scheme", kind="scheme"),
                                    networks.Schedule(), org["admin"])
    db.session.commit()
    calendar = _calendar(as_role("worker"), network)
    assert calendar.walk("VEVENT") == [] and calendar["X-WR-CALNAME"] == "Mentoring scheme"


def test_the_uid_is_stable(as_role: Any, network: Network) -> None:
    first, second = (_calendar(as_role("worker"), network).walk("VEVENT")[0]["UID"] for _ in range(2))
    assert first == second

"""A network's meetings as a calendar file (.ics) that Outlook, Google Calendar and Apple Calendar open: one
repeating event (RRULE from the stored pattern, local times with TZID Europe/London and its VTIMEZONE), EXDATE for
each cancelled meeting and an event with RECURRENCE-ID for each moved one. Only what the directory page shows to
everyone: the name, where, what it is for and a link to the page; never who belongs to it."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import url_for
from icalendar import Event, vRecur

from teamops.calendars import base_url, london_timezone, new_calendar, uid_host
from teamops.dates import LONDON, utcnow
from teamops.directory import recurrence
from teamops.directory.models import Network


def _local(day: object, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON)  # type: ignore[arg-type]


def _event(network: Network, uid: str, page: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", network.name)
    where = ", ".join(part for part in (network.place, "online" if network.online else "") if part)
    if where:
        event.add("location", where)
    event.add("description", (f"{network.purpose}\n\n" if network.purpose else "") + page)
    event.add("url", page)
    return event


def network_ics(network: Network) -> bytes:
    calendar = new_calendar("Directory", network.name)
    events = network_events(network)
    if events:
        calendar.add_component(london_timezone())
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def network_events(network: Network) -> list[Event]:
    """The network's meetings as events in Europe/London (the calendar adds the VTIMEZONE): the repeating series
    and one event per moved meeting; none when it does not meet on a pattern."""
    if not network.rule or network.first_on is None or network.starts_at is None:
        return []
    first = recurrence.first_meeting(network.rule, network.first_on, network.until)
    if first is None:
        return []
    page = base_url() + url_for("directory.network", network_id=network.id)
    uid, stamp = f"network-{network.id}@{uid_host()}", utcnow()
    ends_at = network.ends_at or network.starts_at
    series = _event(network, uid, page, stamp)
    series.add("dtstart", _local(first, network.starts_at))  # the first real meeting: RFC 5545 wants it so
    series.add("dtend", _local(first, ends_at))
    rule = vRecur.from_ical(network.rule)
    if network.until is not None:  # with a TZID start, UNTIL is in UTC
        rule["UNTIL"] = _local(network.until, time(23, 59, 59)).astimezone(UTC)
    series.add("rrule", rule)
    cancelled = [_local(e.original_on, network.starts_at) for e in network.exceptions if e.moved_on is None]
    if cancelled:
        series.add("exdate", cancelled)
    events = [series]
    for exception in network.exceptions:
        if exception.moved_on is None:
            continue
        starts_at = exception.moved_starts_at or network.starts_at
        moved = _event(network, uid, page, stamp)
        moved.add("recurrence-id", _local(exception.original_on, network.starts_at))
        moved.add("dtstart", _local(exception.moved_on, starts_at))
        moved.add("dtend", _local(exception.moved_on, exception.moved_ends_at or starts_at))
        if exception.note:
            moved["description"] = f"{exception.note}\n\n{moved['description']}"
        events.append(moved)
    return events

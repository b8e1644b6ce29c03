"""A network's meetings as a calendar file (.ics) that Outlook, Google Calendar and Apple Calendar open: one
repeating event (RRULE from the stored pattern, local times with TZID Europe/London and its VTIMEZONE), EXDATE for
each cancelled meeting and an event with RECURRENCE-ID for each moved one. Only what the directory page shows to
everyone: the name, where, what it is for and a link to the page; never who belongs to it."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from flask import current_app, url_for
from icalendar import Calendar, Event, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Timezone as VTimezone

from teamops.dates import LONDON, utcnow
from teamops.directory import recurrence
from teamops.directory.models import Network


def _london_timezone() -> VTimezone:
    """Europe/London by its yearly rule (the last Sundays of March and October), good for any year."""
    zone = VTimezone()
    zone.add("tzid", "Europe/London")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 2, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    standard.add("tzoffsetfrom", LONDON.utcoffset(datetime(2000, 7, 1)))
    standard.add("tzoffsetto", LONDON.utcoffset(datetime(2000, 1, 1)))
    standard.add("tzname", "GMT")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 1, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    daylight.add("tzoffsetfrom", LONDON.utcoffset(datetime(2000, 1, 1)))
    daylight.add("tzoffsetto", LONDON.utcoffset(datetime(2000, 7, 1)))
    daylight.add("tzname", "BST")
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


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
    base = current_app.config["TEAMOPS"].base_url.rstrip("/")
    host = urlsplit(base).hostname or "teamops"
    page = base + url_for("directory.network", network_id=network.id)
    calendar = Calendar()
    calendar.add("prodid", "-//TeamOps//Directory//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", network.name)
    calendar.add("x-wr-timezone", "Europe/London")
    if not network.rule or network.first_on is None or network.starts_at is None:
        return calendar.to_ical()
    first = recurrence.first_meeting(network.rule, network.first_on, network.until)
    if first is None:
        return calendar.to_ical()
    calendar.add_component(_london_timezone())
    uid, stamp = f"network-{network.id}@{host}", utcnow()
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
    calendar.add_component(series)
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
        calendar.add_component(moved)
    return calendar.to_ical()

"""What every calendar TeamOps makes shares (RFC 5545, read back with ``icalendar``): the calendar's opening
lines, the host part of stable UIDs, links built from ``TEAMOPS_BASE_URL``, and Europe/London as a VTIMEZONE so
that local times stay put across the clock changes in Outlook, Google Calendar and Apple Calendar."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, TimezoneDaylight, TimezoneStandard
from icalendar import Timezone as VTimezone

from teamops.dates import LONDON


def base_url() -> str:
    return str(current_app.config["TEAMOPS"].base_url).rstrip("/")


def uid_host() -> str:
    """The right-hand side of every UID: the service's host name, so UIDs are unique to this TeamOps."""
    return urlsplit(base_url()).hostname or "teamops"


def new_calendar(product: str, name: str | None = None, method: str = "PUBLISH") -> Calendar:
    """A calendar with its required properties; ``name`` is what a subscribing program calls it."""
    calendar = Calendar()
    calendar.add("prodid", f"-//TeamOps//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name is not None:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/London")
    return calendar


def london_timezone() -> VTimezone:
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

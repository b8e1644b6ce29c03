"""A person's induction timetable as a calendar file (.ics) that Outlook, Google Calendar and Apple Calendar
open: one all-day event per timetable item, with who hosts it. No check-ins, notes or checklist in it: a
calendar is read by whoever the file is shared with."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from icalendar import Event

from teamops.calendars import base_url, new_calendar, uid_host
from teamops.dates import utcnow
from teamops.induction.models import Induction, InductionDay
from teamops.org.models import Staff


def _host(day: InductionDay, induction: Induction, buddy: Staff | None) -> str | None:
    if day.host is not None:
        return day.host.name
    if day.host_slot == "buddy" and buddy is not None:
        return buddy.name
    if day.host_slot == "manager" and induction.staff.line_manager is not None:
        return induction.staff.line_manager.name
    return None


def timetable_ics(induction: Induction, buddy: Staff | None) -> bytes:
    calendar = new_calendar("Induction")
    calendar.add("x-wr-calname", f"Induction: {induction.staff.name}")
    for event in timetable_events(induction, buddy):
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def timetable_events(induction: Induction, buddy: Staff | None) -> list[Event]:
    """One all-day event per timetable day (the timetable's file's, and its person's calendar feed's)."""
    host = uid_host()
    page = base_url() + url_for("induction.show", induction_id=induction.id)
    stamp = utcnow()
    events = []
    for day in induction.days:
        event = Event()
        event.add("uid", f"induction-{induction.id}-day-{day.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day.on_date)
        event.add("dtend", day.on_date + timedelta(days=1))  # all-day events end the next day (Outlook needs it)
        event.add("summary", f"Induction day {day.day_number}: {day.description}")
        who = _host(day, induction, buddy)
        event.add("description", f"{day.kind_label}" + (f", with {who}" if who else "") + f". {page}")
        event.add("url", page)
        event.add("transp", "TRANSPARENT")
        events.append(event)
    return events

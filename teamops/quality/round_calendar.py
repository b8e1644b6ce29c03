"""A round's briefings as a calendar file (.ics) that Outlook, Google Calendar and Apple Calendar open: one
event for the briefing before the round and one for the briefing after, each an hour from its start (a round
keeps only when they start). Only the round's name, the place and a link: no case is named in a calendar."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from icalendar import Event

from teamops.calendars import base_url, new_calendar, uid_host
from teamops.dates import utcnow
from teamops.quality.audit_models import AuditRound

BRIEFING_LENGTH = timedelta(hours=1)


def briefings_ics(round_: AuditRound) -> bytes:
    host = uid_host()
    page = base_url() + url_for("quality.audits")
    calendar = new_calendar("Audit briefings")
    calendar.add("x-wr-calname", f"Audit briefings: {round_.name}")
    stamp = utcnow()
    for kind, starts_at in (("before", round_.briefing_before_at), ("after", round_.briefing_after_at)):
        if starts_at is None:
            continue
        event = Event()
        event.add("uid", f"audit-round-{round_.id}-briefing-{kind}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts_at)
        event.add("dtend", starts_at + BRIEFING_LENGTH)
        event.add("summary", f"Audit briefing {kind} the round: {round_.name}")
        if round_.briefing_place:
            event.add("location", round_.briefing_place)
        event.add("description", f"The {kind} briefing of the {round_.name} case audits. {page}")
        event.add("url", page)
        calendar.add_component(event)
    return bytes(calendar.to_ical())

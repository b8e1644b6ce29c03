"""Calendar invitations for supervision sessions (issue 15 item 5, RFC 5546): booking sends METHOD:REQUEST,
moving sends REQUEST again with the same UID and a higher SEQUENCE (Outlook moves the meeting), cancelling sends
METHOD:CANCEL (Outlook removes it). Times are local with TZID Europe/London and its VTIMEZONE, so a session stays
at 10:00 across the clock change. The invitation and the e-mail name the people, the time, the place and a link;
never a case or anything discussed."""

from __future__ import annotations

from flask import url_for
from icalendar import Event, vCalAddress, vText

from teamops.bookings.models import KIND_LABELS, Booking
from teamops.bookings.services import ends_at
from teamops.calendars import base_url, london_timezone, new_calendar, uid_host
from teamops.dates import LONDON, utcnow
from teamops.org.models import Staff
from teamops.reminders import outbox

REQUEST, CANCEL = "REQUEST", "CANCEL"
WHAT = {"booked": "booked", "moved": "moved", "cancelled": "cancelled"}


def _address(person: Staff, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    if role is not None:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def people(booking: Booking) -> list[Staff]:
    """Everyone in the session: the supervisor, the worker and any attendees, each once."""
    found: dict[int, Staff] = {}
    for person in (booking.supervisor, booking.worker, *booking.attendees):
        found.setdefault(person.id, person)
    return list(found.values())


def summary(booking: Booking) -> str:
    if booking.kind == "group":
        return f"{KIND_LABELS[booking.kind]} with {booking.supervisor.name}"
    return f"{KIND_LABELS[booking.kind]}: {booking.worker.name} with {booking.supervisor.name}"


def where(booking: Booking) -> str:
    return ", ".join(part for part in (booking.location, "online" if booking.online else "") if part)


def event_of(booking: Booking) -> Event:
    """The session as a calendar event (an invitation's, and a calendar feed's)."""
    page = base_url() + url_for("bookings.detail", booking_id=booking.id)
    event = Event()
    event.add("uid", f"booking-{booking.id}@{uid_host()}")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", booking.starts_at.astimezone(LONDON))
    event.add("dtend", ends_at(booking).astimezone(LONDON))
    event.add("summary", summary(booking))
    event.add("organizer", _address(booking.supervisor))
    for person in people(booking):
        if person.id != booking.supervisor_id:
            event.add("attendee", _address(person, "REQ-PARTICIPANT"))
    if where(booking):
        event.add("location", where(booking))
    event.add("description", f"The session in TeamOps: {page}")
    event.add("url", page)
    event.add("status", "CANCELLED" if booking.status == "cancelled" else "CONFIRMED")
    return event


def invitation(booking: Booking) -> tuple[str, bytes]:
    """The session as an invitation: (method, calendar)."""
    method = CANCEL if booking.status == "cancelled" else REQUEST
    calendar = new_calendar("Supervision", method=method)
    calendar.add_component(london_timezone())
    calendar.add_component(event_of(booking))
    return method, calendar.to_ical()


def send(booking: Booking, change: str) -> None:
    """E-mails everyone in the session the invitation for ``change`` ("booked", "moved" or "cancelled"), through
    the outbox: sent once the change commits, and again by the next run if the relay fails; the booking stands."""
    method, calendar = invitation(booking)
    when = booking.starts_at.astimezone(LONDON)
    end = ends_at(booking).astimezone(LONDON)
    page = base_url() + url_for("bookings.detail", booking_id=booking.id)
    subject = f"Supervision {WHAT[change]}: {summary(booking)}, {when:%-d %B %Y at %H:%M}"
    place = f" ({where(booking)})" if where(booking) else ""
    text = (f"{summary(booking)} on {when:%A %-d %B %Y}, {when:%H:%M} to {end:%H:%M}{place}, has been "
            f"{WHAT[change]}.\n\n"
            + ("It has been removed from your calendar.\n\n" if method == CANCEL else
               "Accept the invitation to put it in your calendar.\n\n")
            + f"The session in TeamOps: {page}\n")
    for person in people(booking):
        outbox.queue(person, subject, text, invitation=(method, calendar))

"""A person's calendar feed (issue 15 item 6): a secret address to subscribe to in Outlook, which brings their
supervision sessions (as the worker, the supervisor or an attendee; cancelled ones marked cancelled so the
calendar removes them), their own induction timetable and the meetings of the networks they chose (each a series
in Europe/London, with its cancelled and moved meetings, as the network's own .ics file has it). No case and
nothing discussed: a feed is read by a calendar program, and by anyone the address reaches.

The token is 32 random bytes; only its SHA-256 is kept. An address is looked up by that hash (an index seek on a
value the asker cannot steer) and then compared with ``hmac.compare_digest``; an unknown or replaced address
answers 404, whatever it looks like.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from teamops.bookings.invitations import event_of
from teamops.bookings.models import Booking, booking_attendees
from teamops.calendars import london_timezone, new_calendar
from teamops.dates import utcnow
from teamops.directory.calendar import network_events
from teamops.directory.models import Network
from teamops.extensions import db
from teamops.induction.buddies import current_buddy_row
from teamops.induction.calendar import timetable_events
from teamops.induction.models import Induction, InductionDay
from teamops.org.models import Staff
from teamops.reminders.models import CalendarFeed, FeedNetwork

TOKEN_BYTES = 32
TOKEN_MAX = 64  # longer than any token made: a longer address is not looked up at all
PAST = timedelta(days=60)  # sessions this far back stay in the calendar
AHEAD = timedelta(days=400)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(person: Staff) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.staff_id == person.id))


def make(person: Staff) -> str:
    """A new address for the person's feed, replacing any before (which stops working): the token, shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = feed_of(person)
    if feed is None:
        db.session.add(CalendarFeed(staff_id=person.id, token_hash=_digest(token), created_at=utcnow()))
    else:
        feed.token_hash, feed.created_at = _digest(token), utcnow()
    db.session.flush()
    return token


def stop(person: Staff) -> bool:
    """Ends the person's feed; False when they had none."""
    feed = feed_of(person)
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def owner_of(token: str) -> Staff | None:
    """The active person whose feed this token opens, or None."""
    if not token or len(token) > TOKEN_MAX:
        return None
    wanted = _digest(token)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == wanted)
                             .options(joinedload(CalendarFeed.staff)))
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted) or not feed.staff.active:
        return None
    return feed.staff


def chosen_networks(person: Staff) -> list[Network]:
    """The active networks whose meetings the person chose for their feed, by name, with their changes."""
    return list(db.session.scalars(
        select(Network).join(FeedNetwork, FeedNetwork.network_id == Network.id)
        .where(FeedNetwork.staff_id == person.id, Network.active.is_(True))
        .options(selectinload(Network.exceptions)).order_by(Network.name)))


def has_chosen(person: Staff, network: Network) -> bool:
    return db.session.get(FeedNetwork, (person.id, network.id)) is not None


def choose(person: Staff, network: Network, chosen: bool) -> bool:
    """Adds the network's meetings to the person's feed (or takes them out); False when nothing changes."""
    row = db.session.get(FeedNetwork, (person.id, network.id))
    if chosen == (row is not None):
        return False
    if row is None:
        db.session.add(FeedNetwork(staff_id=person.id, network_id=network.id, added_at=utcnow()))
    else:
        db.session.delete(row)
    db.session.flush()
    return True


def calendar_of(person: Staff, now: datetime) -> bytes:
    """The person's feed: their sessions from two months back to a year ahead, their induction timetable and the
    meetings of the networks they chose."""
    as_attendee = select(booking_attendees.c.booking_id).where(booking_attendees.c.staff_id == person.id)
    bookings = db.session.scalars(
        select(Booking)
        .where(or_(Booking.worker_id == person.id, Booking.supervisor_id == person.id, Booking.id.in_(as_attendee)),
               Booking.starts_at >= now - PAST, Booking.starts_at <= now + AHEAD)
        .options(joinedload(Booking.worker), joinedload(Booking.supervisor), selectinload(Booking.attendees))
        .order_by(Booking.starts_at))
    calendar = new_calendar("Calendar feed", f"TeamOps: {person.name}")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(london_timezone())
    for booking in bookings:
        calendar.add_component(event_of(booking))
    induction = db.session.scalar(
        select(Induction).where(Induction.staff_id == person.id, Induction.signed_off_at.is_(None),
                                Induction.cancelled_at.is_(None))
        .options(selectinload(Induction.days).joinedload(InductionDay.host),
                 joinedload(Induction.staff).joinedload(Staff.line_manager)))
    if induction is not None:
        buddy = current_buddy_row(induction)
        for event in timetable_events(induction, buddy.buddy if buddy is not None else None):
            calendar.add_component(event)
    for network in chosen_networks(person):
        for event in network_events(network):
            calendar.add_component(event)
    return bytes(calendar.to_ical())

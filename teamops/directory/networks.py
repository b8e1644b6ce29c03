"""Networks and groups: saving an entry with its meeting pattern, listing and removing contacts (only with their
agreement), cancelling or moving one meeting, confirming the entry is still correct. Services flush; the route
commits. No membership lists: a network shows only the contacts who agreed to be listed, and its mailbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from teamops.dates import today
from teamops.directory import checking, recurrence
from teamops.directory.models import CONTACT_ROLES, NETWORK_KINDS, Network, NetworkContact, NetworkException
from teamops.extensions import db
from teamops.org.models import Staff

NOT_AGREED = "A contact is listed only with their agreement: tick that they agreed, and give the date"


class NetworkProblem(ValueError):
    """A refused change, with the form field its message belongs next to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Schedule:
    """A network's meeting pattern as it is stored: no ``pattern`` means it does not meet on one."""

    pattern: recurrence.Pattern | None = None
    first_on: date | None = None
    until: date | None = None
    starts_at: time | None = None
    ends_at: time | None = None


@dataclass(frozen=True)
class Details:
    name: str
    kind: str = "network"
    purpose: str = ""
    audience: str = ""
    mailbox: str | None = None
    link: str | None = None
    place: str = ""
    online: bool = False
    notes: str = ""


# Reading ------------------------------------------------------------------------------------------------------

def with_everything() -> tuple[Any, ...]:
    """Loader options for a network's page: its contacts with their staff, its exceptions, who checked it."""
    return (selectinload(Network.contacts).joinedload(NetworkContact.staff), selectinload(Network.exceptions),
            joinedload(Network.checked_by))


def networks_query() -> Select[tuple[Network]]:
    """The active networks by name, each with its exceptions (for the next meeting)."""
    return (select(Network).where(Network.active.is_(True)).options(selectinload(Network.exceptions))
            .order_by(Network.name, Network.id))


def shown_contacts(network: Network) -> list[NetworkContact]:
    """The contacts a page shows: never someone who has left."""
    return [contact for contact in network.contacts if contact.staff.active]


def contact_email(network: Network) -> str | None:
    """Whom to write to: the first listed contact still here, else the shared mailbox."""
    shown = shown_contacts(network)
    return shown[0].staff.email if shown else network.mailbox


def needs_contact(network: Network) -> bool:
    """A listed contact has left, or nobody (and no mailbox) can be contacted: whoever keeps it lists someone."""
    left = any(not contact.staff.active for contact in network.contacts)
    return left or (not shown_contacts(network) and not network.mailbox)


def schedule_of(network: Network) -> Schedule:
    """The stored pattern as the form's values (``ValueError`` for a rule the form does not make)."""
    if not network.rule:
        return Schedule()
    return Schedule(recurrence.from_rule(network.rule), network.first_on, network.until, network.starts_at,
                    network.ends_at)


def name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(Network.id).where(func.lower(Network.name) == name.strip().lower())
    if except_id is not None:
        query = query.where(Network.id != except_id)
    return db.session.scalar(query) is not None


# Writing ------------------------------------------------------------------------------------------------------

def save_network(network: Network | None, details: Details, schedule: Schedule, by: Staff) -> Network:
    """Creates or updates a network; saving checks it (it was read and found correct)."""
    if not details.name.strip():
        raise NetworkProblem("Enter the network's name", "name")
    if name_taken(details.name, network.id if network is not None else None):
        raise NetworkProblem("A network or group already has that name", "name")
    if details.kind not in NETWORK_KINDS:
        raise NetworkProblem("Choose whether it is a staff network, a group or a scheme", "kind")
    if schedule.pattern is not None:
        assert schedule.first_on is not None and schedule.starts_at is not None and schedule.ends_at is not None
        recurrence.check(schedule.pattern, schedule.first_on, schedule.until, schedule.starts_at, schedule.ends_at)
    if network is None:
        network = Network(checked_on=today())
        db.session.add(network)
    network.name, network.kind = details.name.strip(), details.kind
    network.purpose, network.audience = details.purpose.strip(), details.audience.strip()
    network.mailbox = (details.mailbox or "").strip().lower() or None
    network.link = (details.link or "").strip() or None
    network.place, network.online, network.notes = details.place.strip(), details.online, details.notes.strip()
    pattern = schedule.pattern
    network.rule = recurrence.to_rule(pattern) if pattern is not None else None
    network.first_on = schedule.first_on if pattern is not None else None
    network.until = schedule.until if pattern is not None else None
    network.starts_at = schedule.starts_at if pattern is not None else None
    network.ends_at = schedule.ends_at if pattern is not None else None
    checking.mark_checked(network, by)
    db.session.flush()
    return network


def add_contact(network: Network, person: Staff, role: str, agreed: bool, agreed_on: date | None) -> NetworkContact:
    """Lists a member of staff as a contact: only with their agreement and its date, never someone who has left,
    never twice."""
    if not agreed or agreed_on is None:
        raise NetworkProblem(NOT_AGREED, "agreed" if not agreed else "agreed_on")
    if agreed_on > today():
        raise NetworkProblem("The date they agreed cannot be in the future", "agreed_on")
    if not person.active:
        raise NetworkProblem("Enter the work e-mail of someone who works here now", "email")
    if role not in CONTACT_ROLES:
        raise NetworkProblem("Choose their role", "role")
    if any(contact.staff_id == person.id for contact in network.contacts):
        raise NetworkProblem(f"{person.name} is already listed", "email")
    position = max((contact.position for contact in network.contacts), default=0) + 1
    contact = NetworkContact(network=network, staff=person, role=role, agreed_on=agreed_on, position=position)
    db.session.add(contact)
    db.session.flush()
    return contact


def remove_contact(contact: NetworkContact) -> None:
    contact.network.contacts.remove(contact)
    db.session.delete(contact)
    db.session.flush()


def add_exception(network: Network, original_on: date, moved_on: date | None = None,
                  moved_starts_at: time | None = None, moved_ends_at: time | None = None,
                  note: str = "") -> NetworkException:
    """Cancels one meeting of the pattern (no ``moved_on``) or moves it to another day and time; blank times keep
    the usual ones."""
    if not network.rule or not recurrence.is_meeting_day(network, original_on):
        raise NetworkProblem(f"There is no meeting on {original_on:%A} {original_on.day} {original_on:%B %Y} in "
                             "this pattern: enter the day of one of its meetings", "original_on")
    if any(exception.original_on == original_on for exception in network.exceptions):
        raise NetworkProblem("That meeting is already cancelled or moved: remove that change first", "original_on")
    if moved_on is not None:
        moved_starts_at = moved_starts_at or network.starts_at
        moved_ends_at = moved_ends_at if moved_ends_at is not None else (
            network.ends_at if moved_starts_at == network.starts_at else None)
        if moved_ends_at is not None and moved_starts_at is not None and moved_ends_at <= moved_starts_at:
            raise NetworkProblem("The end time must be after the start time", "moved_end")
        if moved_on == original_on and moved_starts_at == network.starts_at and moved_ends_at == network.ends_at:
            raise NetworkProblem("Enter a different day or time to move the meeting to", "moved_on")
    else:
        moved_starts_at = moved_ends_at = None
    exception = NetworkException(network=network, original_on=original_on, moved_on=moved_on,
                                 moved_starts_at=moved_starts_at, moved_ends_at=moved_ends_at, note=note.strip())
    db.session.add(exception)
    db.session.flush()
    return exception


def remove_exception(exception: NetworkException) -> None:
    exception.network.exceptions.remove(exception)
    db.session.delete(exception)
    db.session.flush()


def confirm(network: Network, by: Staff) -> None:
    """"Still correct": the entry was read and is right today."""
    checking.mark_checked(network, by)
    db.session.flush()

"""Specialist contacts and support services: saving one with its opening hours (which checks it), confirming it
is still correct, the lists in "who is mine?" order, and the entries that name someone who has left.

A contact is for a service area (``service_id``) or for everyone. "Who is mine?" lists the reader's own service
area's entries first, then the entries for everyone, then other areas'. A contact may name a member of staff;
once they leave (``Staff.active`` false) the entry never shows them, keeps its own phone and e-mail, and is
listed for whoever keeps it as needing a new contact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from teamops.directory import checking
from teamops.directory.hours import OpenStatus, Period, hours_words, period_of, status_at
from teamops.directory.models import Contact, ContactHours
from teamops.extensions import db
from teamops.forms import link_problem
from teamops.org.models import Service, Staff, Team

# The fields a contact's form sets, besides its hours and the person it names.
FIELDS = ("name", "summary", "service_id", "phone", "email", "link", "org_code", "confidential", "referral",
          "always_open", "hours_note", "active")
OPTIONAL = ("phone", "email", "link", "org_code")  # empty is stored as no value
SHOWN = (joinedload(Contact.service), joinedload(Contact.staff), joinedload(Contact.checked_by),
         selectinload(Contact.hours))


def periods(contact: Contact) -> list[Period]:
    return sorted(period_of(row) for row in contact.hours)


def save_contact(contact: Contact | None, kind: str, values: dict[str, Any], hours: Sequence[Period], by: Staff,
                 staff: Staff | None | bool = False) -> Contact:
    """Creates or changes a contact with its opening hours, and marks it checked by ``by`` today (saving an edit
    is checking it). ``staff`` is the person it names (None: nobody); False leaves whoever it names. Hours that
    did not change keep their rows, so the audit trail shows only what changed."""
    if contact is None:
        contact = Contact(kind=kind)
        db.session.add(contact)
    for name in FIELDS:
        if name in values:
            value = values[name]
            if name in OPTIONAL:
                value = (value or "").strip() or None
            elif isinstance(value, str):
                value = value.strip()
            setattr(contact, name, value)
    if contact.email:
        contact.email = contact.email.lower()
    if staff is not False:
        contact.staff = staff if isinstance(staff, Staff) else None
    wanted = [] if contact.always_open else sorted(hours)
    if wanted != periods(contact):
        contact.hours = [ContactHours(opens_day=p.opens_day, opens_at=p.opens_at, closes_day=p.closes_day,
                                      closes_at=p.closes_at) for p in wanted]
    checking.mark_checked(contact, by)
    db.session.flush()
    return contact


def confirm(contact: Contact, by: Staff) -> None:
    """"Still correct": checked today by ``by``."""
    checking.mark_checked(contact, by)
    db.session.flush()


def listed(kind: str, viewer: Staff, service_id: int | None = None) -> Select[tuple[Contact]]:
    """The contacts of a kind in "who is mine?" order: the viewer's service area's, then those for everyone, then
    other areas' by name. With ``service_id``, only that area's and those for everyone. Loads what the list
    shows (one statement, and one for every entry's hours)."""
    own_service = select(Team.service_id).where(Team.id == viewer.team_id).scalar_subquery()
    area = aliased(Service)
    query = (select(Contact).outerjoin(area, Contact.service_id == area.id)
             .where(Contact.kind == kind, Contact.active)
             .options(*SHOWN))
    if service_id is not None:
        query = query.where(or_(Contact.service_id == service_id, Contact.service_id.is_(None)))
    mine = case((Contact.service_id == own_service, 0), (Contact.service_id.is_(None), 1), else_=2)
    return query.order_by(mine, area.name, Contact.name, Contact.id)


def load(contact_id: int) -> Contact | None:
    return db.session.get(Contact, contact_id, options=SHOWN)


def named_person(contact: Contact) -> Staff | None:
    """The member of staff the entry names, while they work here (never someone who has left)."""
    return contact.staff if contact.staff is not None and contact.staff.active else None


def needs_new_contact(contact: Contact) -> bool:
    return contact.staff_id is not None and contact.staff is not None and not contact.staff.active


@dataclass(frozen=True)
class Reach:
    """How to reach a contact as shown: its own phone and e-mail, else the named person's while they work here."""

    phone: str | None
    email: str | None
    person: Staff | None


def reach(contact: Contact) -> Reach:
    person = named_person(contact)
    phone = contact.phone or (person.work_phone if person is not None else None)
    email = contact.email or (person.email if person is not None else None)
    return Reach(phone, email, person)


@dataclass(frozen=True)
class Shown:
    """One entry as a page shows it: how to reach it, its hours in words and whether it is open now."""

    contact: Contact
    reach: Reach
    hours: str
    status: OpenStatus | None
    stale: bool
    needs_new_contact: bool

    @property
    def link(self) -> str | None:
        """The web link, only ever http(s): a ``javascript:`` value that reached the table another way never
        becomes a link."""
        value = self.contact.link
        return value if value and link_problem(value) is None else None


def shown(contact: Contact, now: datetime) -> Shown:
    found = periods(contact)
    return Shown(contact, reach(contact), hours_words(found, contact.always_open),
                 status_at(found, contact.always_open, now), checking.is_stale(contact, now.date()),
                 needs_new_contact(contact))


def services_for_filter(kind: str) -> list[Service]:
    """The service areas that have entries of this kind listed: what the list's filter offers."""
    has_entries = select(Contact.id).where(Contact.service_id == Service.id, Contact.kind == kind,
                                           Contact.active).exists()
    return list(db.session.scalars(select(Service).where(has_entries).order_by(Service.name, Service.id)))

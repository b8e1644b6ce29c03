"""What the directory holds. Nothing here is about children or cases, and nothing lists who belongs to a staff
network (special-category data): a network lists only the contacts who agreed to be listed, or a shared mailbox.
Every entry carries the day it was last checked (``checked_on``) and who checked it."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.extensions import Model
from teamops.org.models import EMAIL_MAX, PHONE_MAX, Service, Staff
from teamops.types import UTCDateTime

NAME_MAX = 120
SHORT_MAX = 300  # a note, a purpose in a line
LONG_MAX = 2000  # purposes, notes, what a service offers
LINK_MAX = 500
CODE_MAX = 40
RULE_MAX = 200  # an RFC 5545 RRULE value

# A champion's reach: who they champion for (DOMAIN.md "Champions"), nearest first.
SCOPES = {"team": "Their team", "office": "Their office base", "service": "Their service", "county": "County-wide"}
CHAMPION_STATES = {"proposed": "Waiting for approval", "active": "Champion", "declined": "Not approved",
                   "ended": "Stepped down"}
NETWORK_KINDS = {"network": "Staff network", "group": "Group", "scheme": "Scheme"}
CONTACT_ROLES = {"chair": "Chair", "co_chair": "Co-chair", "vice_chair": "Vice chair", "secretary": "Secretary",
                 "contact": "Contact"}
# Specialist contacts people ask for (DOMAIN.md "Specialist contacts") and support services.
CONTACT_KINDS = {"specialist": "Specialist contact", "support": "Support service"}
CURRENT = text("state IN ('proposed', 'active')")


class ChampionArea(Model):
    """What a champion champions (admin-managed; seeded by migration 0020)."""

    __audited__ = "champion_area"
    __tablename__ = "champion_areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<ChampionArea {self.name}>"


class Champion(Model):
    """A member of staff championing an area for a scope from ``starts_on``. A manager appoints (active at once);
    a volunteer is ``proposed`` until their manager approves or declines. Stepping down ends it and keeps it.
    The champion's team, base and service are their own, read live, so a move carries their role with them."""

    __audited__ = "champion"
    __tablename__ = "champions"
    __table_args__ = (
        CheckConstraint(f"scope IN {tuple(SCOPES)!r}", name="scope"),
        CheckConstraint(f"state IN {tuple(CHAMPION_STATES)!r}", name="state"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),
        # One current (proposed or active) role per person per area.
        Index("uq_champions_current", "staff_id", "area_id", unique=True, sqlite_where=CURRENT,
              postgresql_where=CURRENT),
        Index("ix_champions_area_id_state", "area_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("champion_areas.id"))
    scope: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="active")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_on: Mapped[date] = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    area: Mapped[ChampionArea] = relationship()
    proposed_by: Mapped[Staff | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Staff | None] = relationship(foreign_keys=[decided_by_id])
    checked_by: Mapped[Staff | None] = relationship(foreign_keys=[checked_by_id])


class Network(Model):
    """A staff network, group or scheme: what it is for and for whom, how to reach it, and when it meets.
    ``rule`` is an RFC 5545 RRULE (``FREQ=MONTHLY;BYDAY=3TU``) from ``first_on``, local times ``starts_at`` to
    ``ends_at`` in Europe/London; no rule means it does not meet on a pattern."""

    __audited__ = "network"
    __tablename__ = "networks"
    __table_args__ = (
        CheckConstraint(f"kind IN {tuple(NETWORK_KINDS)!r}", name="kind"),
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="times"),
        CheckConstraint("until IS NULL OR first_on IS NULL OR until >= first_on", name="until"),
        CheckConstraint("(rule IS NULL) = (first_on IS NULL)", name="rule_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="network")
    purpose: Mapped[str] = mapped_column(String(LONG_MAX), default="")
    audience: Mapped[str] = mapped_column(String(SHORT_MAX), default="")  # who it is for
    mailbox: Mapped[str | None] = mapped_column(String(EMAIL_MAX))  # a shared mailbox
    link: Mapped[str | None] = mapped_column(String(LINK_MAX))  # its intranet page
    place: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(String(LONG_MAX), default="")
    rule: Mapped[str | None] = mapped_column(String(RULE_MAX))
    first_on: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_on: Mapped[date] = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    contacts: Mapped[list[NetworkContact]] = relationship(
        back_populates="network", order_by="NetworkContact.position", cascade="all, delete-orphan")
    exceptions: Mapped[list[NetworkException]] = relationship(
        back_populates="network", order_by="NetworkException.original_on", cascade="all, delete-orphan")
    checked_by: Mapped[Staff | None] = relationship(foreign_keys=[checked_by_id])

    def __repr__(self) -> str:
        return f"<Network {self.name}>"


class NetworkContact(Model):
    """Someone a network lists as its contact: a member of staff who agreed to be listed (``agreed_on``), in a
    role. Never a member list. A contact who leaves disappears from the page and flags the network for a new
    contact."""

    __audited__ = "network_contact"
    __tablename__ = "network_contacts"
    __table_args__ = (
        CheckConstraint(f"role IN {tuple(CONTACT_ROLES)!r}", name="role"),
        UniqueConstraint("network_id", "staff_id", name="uq_network_contacts_network_id_staff_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="contact")
    agreed_on: Mapped[date] = mapped_column(Date)  # the day they agreed to be listed
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    network: Mapped[Network] = relationship(back_populates="contacts")
    staff: Mapped[Staff] = relationship()


class NetworkException(Model):
    """One meeting of the pattern cancelled, or moved to another day and time (local, Europe/London)."""

    __audited__ = "network_exception"
    __tablename__ = "network_exceptions"
    __table_args__ = (
        UniqueConstraint("network_id", "original_on", name="uq_network_exceptions_network_id_original_on"),
        CheckConstraint("(moved_on IS NULL) = (moved_starts_at IS NULL)", name="moved"),
        CheckConstraint("moved_ends_at IS NULL OR moved_ends_at > moved_starts_at", name="moved_times"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    original_on: Mapped[date] = mapped_column(Date)  # the meeting's day in the pattern
    moved_on: Mapped[date | None] = mapped_column(Date)  # empty: cancelled
    moved_starts_at: Mapped[time | None] = mapped_column(Time)
    moved_ends_at: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(SHORT_MAX), default="")

    network: Mapped[Network] = relationship(back_populates="exceptions")


class Contact(Model):
    """A specialist contact (the allegations officer, the virtual school, "my" advanced practitioner …) or a
    support service (the counselling line, the service desk …). ``service_id`` is the service area it is for
    (empty: everyone); ``staff_id`` a named member of staff when it is a person. Opening hours are its
    ``hours`` rows, or ``always_open``; no rows and not always open means no hours are published."""

    __audited__ = "contact"
    __tablename__ = "contacts"
    __table_args__ = (CheckConstraint(f"kind IN {tuple(CONTACT_KINDS)!r}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    summary: Mapped[str] = mapped_column(String(LONG_MAX), default="")  # what it does or offers
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    link: Mapped[str | None] = mapped_column(String(LINK_MAX))
    org_code: Mapped[str | None] = mapped_column(String(CODE_MAX))  # to sign in to a portal
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    referral: Mapped[str] = mapped_column(String(SHORT_MAX), default="")  # e.g. "No referral needed"
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    hours_note: Mapped[str] = mapped_column(String(SHORT_MAX), default="")  # e.g. "Closed on bank holidays"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_on: Mapped[date] = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    service: Mapped[Service | None] = relationship()
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])
    checked_by: Mapped[Staff | None] = relationship(foreign_keys=[checked_by_id])
    hours: Mapped[list[ContactHours]] = relationship(
        back_populates="contact", order_by="(ContactHours.opens_day, ContactHours.opens_at)",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Contact {self.name}>"


class ContactHours(Model):
    """One opening period in the week, local time (Europe/London): from ``opens_day`` (Monday 0) at ``opens_at``
    to ``closes_day`` at ``closes_at``. A period may run past midnight (the out-of-hours team: Monday 17:00 to
    Tuesday 08:30) or over the weekend (Friday 17:00 to Monday 08:30); a period ending where it starts lasts a
    whole week."""

    __audited__ = "contact_hours"
    __tablename__ = "contact_hours"
    __table_args__ = (
        CheckConstraint("opens_day BETWEEN 0 AND 6", name="opens_day"),
        CheckConstraint("closes_day BETWEEN 0 AND 6", name="closes_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    opens_day: Mapped[int] = mapped_column(SmallInteger)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_day: Mapped[int] = mapped_column(SmallInteger)
    closes_at: Mapped[time] = mapped_column(Time)

    contact: Mapped[Contact] = relationship(back_populates="hours")


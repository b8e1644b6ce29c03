"""Keeping the directory true: every entry shows when it was last checked and by whom; whoever keeps an entry
confirms it ("still correct") or edits it, which checks it too; entries not checked for ``STALE_MONTHS`` are
listed for admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, not_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from teamops.dates import add_months, today
from teamops.directory.models import Champion, Contact, Network, NetworkContact
from teamops.extensions import db
from teamops.org.models import Staff, Team

STALE_MONTHS = 6


def stale_before(on: date) -> date:
    """Entries last checked before this day need checking again."""
    return add_months(on, -STALE_MONTHS)


def mark_checked(entry: Any, by: Staff, on: date | None = None) -> None:
    """Records that ``by`` checked the entry (a champion, network, contact or team) today."""
    entry.checked_on = on or today()
    entry.checked_by_id = by.id


def is_stale(entry: Any, on: date) -> bool:
    checked = getattr(entry, "checked_on", None)
    return checked is None or checked < stale_before(on)


@dataclass
class ToCheck:
    """The admins' list: entries not checked for ``STALE_MONTHS`` (or never), and entries whose named person has
    left and needs replacing."""

    teams: list[Team]
    networks: list[Network]
    contacts: list[Contact]
    champions: list[Champion]
    networks_left: list[Network]
    contacts_left: list[Contact]

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in (self.teams, self.networks, self.contacts, self.champions,
                                          self.networks_left, self.contacts_left))


def networks_needing_contact() -> Select[tuple[Network]]:
    """Active networks that need a new contact: a listed contact has left, or nobody here is listed and there is
    no shared mailbox (``networks.needs_contact`` in SQL)."""
    left = exists().where(NetworkContact.network_id == Network.id, NetworkContact.staff_id == Staff.id,
                          Staff.active.is_(False))
    here = exists().where(NetworkContact.network_id == Network.id, NetworkContact.staff_id == Staff.id,
                          Staff.active.is_(True))
    return (select(Network).where(Network.active.is_(True), or_(left, and_(not_(here), Network.mailbox.is_(None))))
            .order_by(Network.name, Network.id))


def to_check(on: date) -> ToCheck:
    before = stale_before(on)
    return ToCheck(
        teams=list(db.session.scalars(
            select(Team).where(Team.active.is_(True), or_(Team.checked_on.is_(None), Team.checked_on < before))
            .order_by(Team.checked_on.is_not(None), Team.checked_on, Team.name))),
        networks=list(db.session.scalars(
            select(Network).where(Network.active.is_(True), Network.checked_on < before)
            .order_by(Network.checked_on, Network.name))),
        contacts=list(db.session.scalars(
            select(Contact).where(Contact.active.is_(True), Contact.checked_on < before)
            .order_by(Contact.checked_on, Contact.name))),
        champions=list(db.session.scalars(
            select(Champion).join(Champion.staff).where(Champion.state == "active", Champion.checked_on < before,
                                                        Staff.active.is_(True))
            .options(contains_eager(Champion.staff), selectinload(Champion.area))
            .order_by(Champion.checked_on, Staff.name))),
        networks_left=list(db.session.scalars(networks_needing_contact())),
        contacts_left=list(db.session.scalars(
            select(Contact).join(Contact.staff).where(Staff.active.is_(False), Contact.active.is_(True))
            .options(contains_eager(Contact.staff)).order_by(Contact.name))),
    )

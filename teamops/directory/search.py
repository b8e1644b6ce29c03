"""One search across the directory: champions (by name or area), networks, teams, specialist contacts and
support services. Each kind is one statement of at most ``PER_KIND`` rows, matched without case on the words
people type (every word must match somewhere in the entry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from teamops.directory import champions
from teamops.directory.champions import ChampionStaff, ChampionTeam
from teamops.directory.models import CONTACT_KINDS, ChampionArea, Contact, Network
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team, TeamBase

PER_KIND = 20
MAX_WORDS = 6


@dataclass
class Results:
    query: str
    champions: list[Any] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.champions) + len(self.networks) + len(self.teams) + len(self.contacts)


def words_of(text: str) -> list[str]:
    """The words searched for: printable, lower case, at most ``MAX_WORDS``, LIKE's wildcards taken literally."""
    cleaned = "".join(c if c.isprintable() else " " for c in text).lower()
    return [w for w in cleaned.split() if w][:MAX_WORDS]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _every_word(words: list[str], *columns: Any) -> ColumnElement[bool]:
    return and_(*(or_(*(func.lower(column).like(_like(word), escape="\\") for column in columns))
                  for word in words))


def search(text: str, on: date) -> Results:
    words = words_of(text)
    results = Results(query=text)
    if not words:
        return results
    results.champions = list(db.session.scalars(
        champions.current(on).where(_every_word(words, ChampionStaff.name, ChampionArea.name, ChampionTeam.name,
                                                func.coalesce(ChampionStaff.office_base, ChampionTeam.office_base)))
        .order_by(ChampionArea.name, ChampionStaff.name).limit(PER_KIND)).unique())
    results.networks = list(db.session.scalars(
        select(Network).where(Network.active.is_(True), _every_word(words, Network.name, Network.purpose,
                                                                     Network.audience))
        .order_by(Network.name).limit(PER_KIND)))
    other_bases = (select(func.coalesce(func.group_concat(TeamBase.name), "")) if db.engine.dialect.name == "sqlite"
                   else select(func.coalesce(func.string_agg(TeamBase.name, " "), "")))
    results.teams = list(db.session.scalars(
        select(Team).join(Team.service).where(Team.active.is_(True), _every_word(
            words, Team.name, Team.remit, Team.office_base, Service.name,
            other_bases.where(TeamBase.team_id == Team.id).scalar_subquery()))
        .order_by(Team.name).limit(PER_KIND)))
    results.contacts = list(db.session.scalars(
        select(Contact).outerjoin(Contact.service).outerjoin(Staff, Contact.staff_id == Staff.id)
        .where(Contact.active.is_(True), _every_word(words, Contact.name, Contact.summary,
                                                      func.coalesce(Service.name, ""),
                                                      func.coalesce(Staff.name, "")))
        .options(selectinload(Contact.service)).order_by(Contact.kind, Contact.name).limit(PER_KIND)))
    return results


KIND_LABELS = CONTACT_KINDS

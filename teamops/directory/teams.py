"""A team's directory entry (issue 12 item 4): what it does, the bases it works from, its manager and how to
reach it; and a person's own directory details (a work phone, their office base)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.directory.checking import mark_checked
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team, TeamBase


def save_entry(team: Team, *, remit: str, phone: str, email: str, other_bases: list[str], by: Staff) -> None:
    """Changes what the directory says about a team; saving checks it."""
    team.remit = remit.strip()
    team.phone = phone.strip() or None
    team.email = email.strip().lower() or None
    wanted = [name for name in other_bases if name.lower() != team.office_base.lower()]
    kept = {base.name.lower(): base for base in team.other_bases}
    team.other_bases = [kept.get(name.lower()) or TeamBase(name=name) for name in wanted]
    mark_checked(team, by)
    db.session.flush()


def save_my_details(person: Staff, *, work_phone: str, office_base: str) -> None:
    person.work_phone = work_phone.strip() or None
    person.office_base = office_base.strip() or None
    db.session.flush()


def services_with_teams() -> list[Service]:
    """Active services with their active teams, their managers and other bases: the directory's team list."""
    return list(db.session.scalars(
        select(Service).where(Service.active.is_(True)).order_by(Service.name)
        .options(selectinload(Service.teams).selectinload(Team.manager),
                 selectinload(Service.teams).selectinload(Team.other_bases))))


def teams_at(base: str) -> list[Team]:
    """Active teams that work from a base (their main one or another)."""
    key = base.strip().lower()
    return list(db.session.scalars(
        select(Team).where(Team.active.is_(True)).where(
            (db.func.lower(Team.office_base) == key)
            | Team.id.in_(select(TeamBase.team_id).where(db.func.lower(TeamBase.name) == key)))
        .order_by(Team.name)))

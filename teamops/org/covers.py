"""Cover (R-ORG-3): a team manager on leave names someone to stand in (another manager or a senior
practitioner) from a date to a date. While a cover runs the person reaches the team as its manager does
(``teamops.access``); it ends by itself after its last day, or earlier when ended by hand. Every cover is audited
(the ``cover`` entries of the audit trail) and listed on the team's page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import selectinload

from teamops.dates import today, utcnow
from teamops.extensions import db
from teamops.org.models import MANAGER_ROLES, Cover, Staff, Team

SENIOR_JOB_WORDS = ("senior", "team leader", "practice supervisor", "manager")
LONGEST_DAYS = 366


def running_on(on: date) -> ColumnElement[bool]:
    """The covers that run on a day: started, not past their last day, not ended by hand."""
    return and_(Cover.starts_on <= on, Cover.ends_on >= on, Cover.ended_at.is_(None))


def covered_team_ids(person_id: int, on: date | None = None) -> Select[tuple[int]]:
    """Ids of the teams this person covers today (or on ``on``), as a subquery."""
    return select(Cover.team_id).where(Cover.staff_id == person_id, running_on(on or today()))


def may_cover(person: Staff) -> bool:
    """Who may stand in for a team manager: another manager, or a senior practitioner or team leader."""
    job = person.job_role.lower()
    return person.role in MANAGER_ROLES or any(word in job for word in SENIOR_JOB_WORDS)


def covers_of(team: Team) -> list[Cover]:
    """The team's covers, latest first: running, to come and past, all kept."""
    return list(db.session.scalars(
        select(Cover).where(Cover.team_id == team.id)
        .options(selectinload(Cover.staff), selectinload(Cover.manager), selectinload(Cover.named_by))
        .order_by(Cover.starts_on.desc(), Cover.id.desc())))


def covers_held_by(person: Staff, team: Team | None = None) -> list[Cover]:
    """The covers this person holds today (of one team, when given), with their teams, for the banner; no
    question asked of someone who has never been named a cover (``has_covers``)."""
    if not person.has_covers:
        return []
    query = select(Cover).where(Cover.staff_id == person.id, running_on(today()))
    query = query if team is None else query.where(Cover.team_id == team.id)
    return list(db.session.scalars(
        query.options(selectinload(Cover.team), selectinload(Cover.manager)).order_by(Cover.ends_on)))


def name_cover(team: Team, person: Staff, starts_on: date, ends_on: date, named_by: Staff) -> Cover:
    cover = Cover(team=team, staff=person, manager=team.manager, starts_on=starts_on, ends_on=ends_on,
                  named_by=named_by)
    db.session.add(cover)
    db.session.flush()
    return cover


def end_cover(cover: Cover, ended_by: Staff) -> bool:
    """Ends a cover now (it stays in the history); False when it had already ended."""
    if cover.ended_at is not None or cover.ends_on < today():
        return False
    cover.ended_at = utcnow()
    cover.ended_by = ended_by
    db.session.flush()
    return True


def state(cover: Cover, on: date | None = None) -> str:
    """"running", "to come", "ended" (by hand) or "over"."""
    on = on or today()
    if cover.ended_at is not None:
        return "ended"
    if cover.ends_on < on:
        return "over"
    return "to come" if cover.starts_on > on else "running"

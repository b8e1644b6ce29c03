"""Dated team membership (issue 9 item 6): a person's team is kept over time, so a month-end figure counts
each case for the team its worker belonged to that day (CONTRACT.md "Scheduling rules") and a move does not
rewrite the old team's past months.

Every write of a person goes through the ORM (the staff form, the staff import, the demo), so one hook before
each flush keeps the history: a new person belongs to their team from their start date; a change of team is a
move dated today (the day it is recorded: for an import, the day of the import, as CONTRACT.md says)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import ColumnElement, Select, and_, event, inspect, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from teamops.dates import today
from teamops.org.models import Staff, Team, TeamMembership


def init_app(app: Flask) -> None:
    if not event.contains(FlaskSession, "before_flush", _keep_history):
        event.listen(FlaskSession, "before_flush", _keep_history)


def held_on(day: date | ColumnElement[date] | InstrumentedAttribute[date]) -> ColumnElement[bool]:
    """The memberships that hold on a day (or on a date column's day: a record's ``held_on``)."""
    return and_(TeamMembership.from_date <= day,
                or_(TeamMembership.to_date.is_(None), TeamMembership.to_date > day))


def members_on(team_ids: Select[tuple[int]] | list[int], day: date) -> Select[tuple[int, int]]:
    """(person id, team id) of everyone who belonged to one of these teams on ``day``."""
    return select(TeamMembership.staff_id, TeamMembership.team_id).where(
        TeamMembership.team_id.in_(team_ids), held_on(day))


def _team_now(person: Staff) -> tuple[Team | None, int | None]:
    """The person's team as it will be flushed: the object when set through the relationship, else its id."""
    state: Any = inspect(person)
    if state.attrs.team.history.added:
        team = state.attrs.team.history.added[0]
        return team, team.id
    return None, person.team_id


def _old_team_id(person: Staff) -> int | None:
    state: Any = inspect(person)
    for key in ("team", "team_id"):
        deleted = state.attrs[key].history.deleted
        if deleted and deleted[0] is not None:
            return deleted[0].id if isinstance(deleted[0], Team) else deleted[0]
    return None


def _keep_history(session: Session, flush_context: Any, instances: Any) -> None:
    moved = []
    for obj in list(session.new):
        if isinstance(obj, Staff):
            team, team_id = _team_now(obj)
            if team is not None or team_id is not None:
                session.add(_membership(obj, team, team_id, obj.start_date or today()))
    for obj in list(session.dirty):
        if isinstance(obj, Staff) and obj not in session.new:
            old = _old_team_id(obj)
            team, team_id = _team_now(obj)
            if old is not None and (team_id if team is None else team.id) != old:
                moved.append((obj, team, team_id))
    if not moved:
        return
    on = today()
    with session.no_autoflush:  # one query for everyone moved in this flush (an import moves many)
        open_ones: dict[int, list[TeamMembership]] = {}
        for membership in session.scalars(select(TeamMembership).where(
                TeamMembership.staff_id.in_([person.id for person, _, _ in moved]), TeamMembership.to_date.is_(None))):
            open_ones.setdefault(membership.staff_id, []).append(membership)
        for person, team, team_id in moved:
            current = open_ones.get(person.id, [])
            starts = on
            for membership in current:
                if membership.from_date >= on:  # joined today or not started yet: the move replaces it
                    starts = membership.from_date
                    session.delete(membership)
                else:
                    membership.to_date = on
            session.add(_membership(person, team, team_id, starts))


def _membership(person: Staff, team: Team | None, team_id: int | None, from_date: date) -> TeamMembership:
    if team is not None:
        return TeamMembership(staff=person, team=team, from_date=from_date)
    return TeamMembership(staff=person, team_id=team_id, from_date=from_date)

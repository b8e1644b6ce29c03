"""What each role's home page shows: real figures from the database, scoped to the person's reach."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, joinedload

from teamops.access import manages_anyone, staff_in_reach, teams_in_reach
from teamops.dashboards import context as dashboards
from teamops.dates import induction_ends_on, induction_window_opens
from teamops.extensions import db
from teamops.induction.models import Induction
from teamops.org import covers
from teamops.org.models import MANAGER_ROLES, Service, Staff, Team
from teamops.records.waiting import SHOWN, waiting_for


def new_starters(user: Staff, today: date) -> list[dict[str, Any]]:
    """Active staff in reach whose induction window is open (CONTRACT.md "Induction dates"), with their open
    induction when they have one (its own last day; else the contract's). Admins get no link to it: they never
    read a starter's induction."""
    recent = db.session.execute(
        staff_in_reach(user).add_columns(Induction)
        .outerjoin(Induction, and_(Induction.staff_id == Staff.id, Induction.signed_off_at.is_(None),
                                   Induction.cancelled_at.is_(None)))
        .where(Staff.active.is_(True), Staff.start_date >= induction_window_opens(today))
        .options(joinedload(Staff.team)).order_by(Staff.start_date.desc(), Staff.name)
    ).all()
    return [{"staff": person, "induction": induction if user.role != "admin" else None,
             "ends_on": induction.ends_on if induction is not None
             else induction_ends_on(person.start_date, person.employment_type)}
            for person, induction in recent]


def own_induction(user: Staff) -> Induction | None:
    """The person's own open induction, for their home page."""
    return db.session.scalar(select(Induction).where(
        Induction.staff_id == user.id, Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None)))


def team_summaries(user: Staff) -> list[dict[str, Any]]:
    """Teams in reach with their active headcount, in one query."""
    headcount = (
        select(Staff.team_id, func.count(Staff.id).label("n"))
        .where(Staff.active.is_(True)).group_by(Staff.team_id).subquery()
    )
    rows = db.session.execute(
        teams_in_reach(user).add_columns(func.coalesce(headcount.c.n, 0))
        .outerjoin(headcount, headcount.c.team_id == Team.id)
        .join(Team.service).options(joinedload(Team.manager), contains_eager(Team.service))
        .where(Team.active.is_(True)).order_by(Service.name, Team.name)
    ).all()
    return [{"team": team, "headcount": count} for team, count in rows]


def organisation_counts() -> dict[str, int]:
    return {
        "services": db.session.scalar(select(func.count(Service.id))) or 0,
        "teams": db.session.scalar(select(func.count(Team.id)).where(Team.active.is_(True))) or 0,
        "staff": db.session.scalar(select(func.count(Staff.id)).where(Staff.active.is_(True))) or 0,
        "without_password": db.session.scalar(
            select(func.count(Staff.id)).where(Staff.active.is_(True), Staff.password_hash.is_(None))
        ) or 0,
    }


def home_page(user: Staff, on: date) -> tuple[str, dict[str, Any]]:
    """Each role's home page and what it shows. A choice of what to show, not of what is allowed: every
    figure comes from queries scoped to the person's reach."""
    context: dict[str, Any] = {"user": user, "covering": covers.covers_held_by(user)}
    if user.role == "admin":
        context["counts"] = organisation_counts()
    if user.role in ("admin", "qait"):
        context["teams"] = team_summaries(user)
    if user.role != "worker":
        context["starters"] = new_starters(user, on)
    if user.role in MANAGER_ROLES or (user.role == "worker" and manages_anyone(user)):
        context.update(waiting=waiting_for(user), shown=SHOWN)
    if user.role != "admin":
        context.update(own_induction=own_induction(user), home_day=on)
    if user.role == "worker":
        context.update(dashboards.worker_dashboard(user))
    elif user.role == "team_manager":
        context.update(dashboards.team_dashboard(user.team, user))
    elif user.role == "service_manager":
        context.update(dashboards.managed_teams_dashboard(user), service=None)
    elif user.role == "head_of_service":
        context.update(dashboards.service_dashboard(user.team.service_id, user), service=user.team.service)
    return f"home/{user.role}.html", context

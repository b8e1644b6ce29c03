"""What each role's home page shows: real figures from the database, scoped to the person's reach."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from teamops.access import inductions_in_reach, manages_anyone, staff_in_reach, teams_in_reach
from teamops.dashboards import context as dashboards
from teamops.dates import induction_ends_on, induction_window_opens
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy
from teamops.induction.checkins import open_concerns
from teamops.induction.models import Induction, InductionDay
from teamops.org import covers
from teamops.org.models import MANAGER_ROLES, Service, Staff, Team
from teamops.quality import audits, dips
from teamops.records.waiting import SHOWN, waiting_for
from teamops.returns import caseload
from teamops.returns.services import returns_at_home

HOSTED_SHOWN = 5  # the next timetable days a person hosts, on their home page


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


def inductions_at_home(user: Staff, on: date) -> dict[str, Any]:
    """The person's own open induction and those they buddy now, each buddied one with its next check-in (one
    statement), and the timetable days they host from today (one more)."""
    next_checkin = (select(func.min(InductionDay.on_date))
                    .where(InductionDay.induction_id == Induction.id, InductionDay.kind == "buddy_checkin",
                           InductionDay.on_date >= on).scalar_subquery())
    buddies_now = exists().where(InductionBuddy.induction_id == Induction.id, InductionBuddy.buddy_id == user.id,
                                 InductionBuddy.to_date.is_(None))
    rows = db.session.execute(
        select(Induction, next_checkin).join(Staff, Staff.id == Induction.staff_id)
        .options(contains_eager(Induction.staff))
        .where(Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None),
               or_(Induction.staff_id == user.id, buddies_now))
        .order_by(Induction.starts_on, Staff.name)).all()
    hosted = db.session.execute(
        select(InductionDay, Staff.name).join(Induction, Induction.id == InductionDay.induction_id)
        .join(Staff, Staff.id == Induction.staff_id)
        .where(InductionDay.host_id == user.id, InductionDay.on_date >= on, Induction.signed_off_at.is_(None),
               Induction.cancelled_at.is_(None))
        .order_by(InductionDay.on_date, InductionDay.position).limit(HOSTED_SHOWN)).all()
    return {"own_induction": next((i for i, _ in rows if i.staff_id == user.id), None),
            "buddying": [(i, upcoming) for i, upcoming in rows if i.staff_id != user.id],
            "hosting": hosted, "home_day": on}


def buddy_concerns(user: Staff) -> list[Any]:
    """Buddies' concerns waiting for this manager: on the inductions of people they supervise (not their own)."""
    return list(db.session.execute(open_concerns(
        inductions_in_reach(user).where(Induction.staff_id != user.id)).options(contains_eager(Induction.staff))))


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
        context.update(waiting=waiting_for(user), shown=SHOWN, dips_unread=dips.unread_count(user))
    if user.role != "admin":
        context.update(inductions_at_home(user, on))
    context.update(audits.at_home(user))  # case audits: findings to read, open actions (R-QA-5)
    if user.role in MANAGER_ROLES or (user.role == "worker" and manages_anyone(user)):
        context["buddy_concerns"] = buddy_concerns(user)
    if user.role == "team_manager" or user.has_covers:
        context["returns_due"] = returns_at_home(user, on)
        if "waiting" in context:
            context["caseload_waiting"] = caseload.reviews_waiting(user, on)
    if user.role == "worker":
        context.update(dashboards.worker_dashboard(user))
    elif user.role == "team_manager":
        context.update(dashboards.team_dashboard(user.team, user))
    elif user.role == "service_manager":
        context.update(dashboards.managed_teams_dashboard(user), service=None)
    elif user.role == "head_of_service":
        context.update(dashboards.service_dashboard(user.team.service_id, user), service=user.team.service)
    return f"home/{user.role}.html", context

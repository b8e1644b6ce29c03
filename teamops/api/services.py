"""The rows each endpoint answers with, scoped to the account and computed by teamops.scheduling.

Every list starts from the ``*_in_reach`` query of teamops.access, so the API can never show more than the
pages do. A page costs a fixed number of queries however many rows it has: one count, one select that joins
in the names it needs, and the scheduling module's batch look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from teamops.access import cases_in_reach, inductions_in_reach, staff_in_reach, teams_in_reach
from teamops.api.params import ApiError, Paging
from teamops.cases.models import Case
from teamops.dates import in_induction
from teamops.directory import champions as directory_champions
from teamops.directory import networks, recurrence
from teamops.directory.champions import ChampionStaff, Place
from teamops.directory.models import Champion, ChampionArea, Network, NetworkContact
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction, InductionDay
from teamops.induction.reading import overdue_at
from teamops.induction.reading import status as induction_status
from teamops.org.models import Service, Staff, Team
from teamops.scheduling import (
    absence_end_on,
    case_due,
    last_case_supervision_on,
    last_personal_supervision_on,
    load_policy,
    person_due,
    reallocated_on,
)

Item = dict[str, Any]


@dataclass(frozen=True)
class Page:
    items: list[Item]
    page: int
    per_page: int
    total: int


def _count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _rows(query: Select[Any], paging: Paging) -> list[Any]:
    return list(db.session.execute(query.limit(paging.per_page).offset(paging.offset)).all())


def team_in_reach(user: Staff, team_id: int) -> int:
    """The ``team`` parameter checked: 404 for an id no team has, 403 for a team the account does not see."""
    if db.session.get(Team, team_id) is None:
        raise ApiError(404, f"No team has id {team_id}")
    if db.session.scalar(teams_in_reach(user).where(Team.id == team_id).with_only_columns(Team.id)) is None:
        raise ApiError(403, "That team is outside what this account may see")
    return team_id


WORKER_NOT_IN_REACH = "No member of staff with that e-mail address is within what this account may see"


def worker_in_reach(user: Staff, email: str) -> int:
    """The ``worker`` parameter checked, in one query: an e-mail address of someone out of reach answers
    exactly as one nobody has (403, same message), so the API cannot be used to find out who works here.
    A team's id (404 when unknown) reveals nothing: ids are sequential and the teams list shows names."""
    worker_id = db.session.scalar(
        staff_in_reach(user).where(func.lower(Staff.email) == email).with_only_columns(Staff.id))
    if worker_id is None:
        raise ApiError(403, WORKER_NOT_IN_REACH)
    return worker_id


def teams_page(user: Staff, paging: Paging) -> Page:
    """The open teams the account oversees (a worker: their own team)."""
    manager = aliased(Staff)
    query = (
        teams_in_reach(user)
        .join(Service, Service.id == Team.service_id)
        .outerjoin(manager, manager.id == Team.manager_id)
        .where(Team.active.is_(True))
        .with_only_columns(Team.id, Service.name, Team.name, Team.office_base, manager.email)
        .order_by(Service.name, Team.name, Team.id)
    )
    items = [{"id": team_id, "service": service, "team": name, "office_base": office, "manager_email": email}
             for team_id, service, name, office, email in _rows(query, paging)]
    return Page(items, paging.page, paging.per_page, _count(query))


def staff_page(user: Staff, paging: Paging, on: date, team_id: int | None = None) -> Page:
    """People on the staff at ``on`` (started by then; active, or left after it), with their personal
    supervision at ``on``."""
    query = (
        staff_in_reach(user)
        .join(Team, Team.id == Staff.team_id)
        .where(or_(Staff.active.is_(True), Staff.left_on > on), Staff.start_date <= on)
        .order_by(Staff.name, Staff.email)
    )
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    # Each person's last personal supervision in the same query: no list of the page's ids.
    rows = _rows(query.add_columns(Team.name, last_personal_supervision_on(on), absence_end_on(on)), paging)
    policy = load_policy(on)
    items = []
    for person, team_name, last_on, absence_end in rows:
        due = person_due(policy, person, on, last_on, absence_end)
        items.append({
            "email": person.email, "name": person.name, "team": team_name, "job_role": person.job_role,
            "employment_type": person.employment_type, "start_date": person.start_date, "role": person.role,
            "last_personal_supervision_on": due.last_personal_on, "next_personal_due_on": due.next_due_on,
            "due_state": due.due_state, "in_induction": in_induction(person.start_date, person.employment_type, on),
        })
    return Page(items, paging.page, paging.per_page, _count(query))


@dataclass(frozen=True)
class CaseFilter:
    on: date
    team_id: int | None = None
    worker_id: int | None = None
    include_closed: bool = False


def cases_page(user: Staff, paging: Paging, wanted: CaseFilter) -> Page:
    """Cases allocated by ``on``: those still open then, plus closed ones when asked, with their due dates at
    ``on``. Admins see none (they configure TeamOps but do not read case content)."""
    query = (
        cases_in_reach(user)
        .join(Team, Team.id == Staff.team_id)
        .where(Case.allocated_on <= wanted.on)
        .order_by(Case.case_ref)
    )
    if not wanted.include_closed:
        query = query.where(or_(Case.closed_on.is_(None), Case.closed_on > wanted.on))
    if wanted.team_id is not None:
        query = query.where(Staff.team_id == wanted.team_id)
    if wanted.worker_id is not None:
        query = query.where(Case.worker_id == wanted.worker_id)
    rows = _rows(query.add_columns(Staff.email, Team.name, last_case_supervision_on(wanted.on),
                                   reallocated_on(wanted.on)), paging)
    policy = load_policy(wanted.on)
    items = []
    for case, worker_email, team_name, last_on, moved_on in rows:
        due = case_due(policy, case, wanted.on, last_on, moved_on)
        items.append({
            "case_ref": case.case_ref, "case_type": case.case_type_code, "high_risk": case.high_risk,
            "worker_email": worker_email, "team": team_name, "allocated_on": case.allocated_on,
            "closed_on": case.closed_on, "last_supervised_on": due.last_supervised_on,
            "next_due_on": due.next_due_on, "due_state": due.due_state,
        })
    return Page(items, paging.page, paging.per_page, _count(query))


def inductions_page(user: Staff, paging: Paging, on: date, team_id: int | None = None) -> Page:
    """Inductions in reach (not cancelled), latest start first, each at ``on``: its buddy then, the check-ins
    expected and logged by then, and its status then. One statement for the page, one for the count."""
    buddy = aliased(Staff)
    buddy_email = (select(buddy.email).join(InductionBuddy, InductionBuddy.buddy_id == buddy.id)
                   .where(InductionBuddy.induction_id == Induction.id, InductionBuddy.from_date <= on,
                          or_(InductionBuddy.to_date.is_(None), InductionBuddy.to_date > on))
                   .order_by(InductionBuddy.from_date.desc()).limit(1).scalar_subquery())
    expected = (select(func.count(func.distinct(InductionDay.on_date)))
                .where(InductionDay.induction_id == Induction.id, InductionDay.kind == "buddy_checkin",
                       InductionDay.on_date <= on).scalar_subquery())
    logged = (select(func.count(InductionCheckin.id))
              .where(InductionCheckin.induction_id == Induction.id, InductionCheckin.held_on <= on)
              .scalar_subquery())
    overdue = overdue_at(on)
    query = inductions_in_reach(user).where(Induction.cancelled_at.is_(None)).order_by(
        Induction.start_date.desc(), Staff.email, Induction.id)
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    items = []
    for induction, email, buddy_at, expected_n, logged_n, late in _rows(
            query.add_columns(Staff.email, buddy_email, expected, logged, overdue), paging):
        items.append({
            "email": email, "employment_type": induction.employment_type, "start_date": induction.start_date,
            "ends_on": induction.ends_on, "buddy_email": buddy_at, "checkins_expected": expected_n,
            "checkins_logged": logged_n, "status": induction_status(induction, on, bool(late)),
        })
    return Page(items, paging.page, paging.per_page, _count(query))


def champion_area_id(name_or_id: str | None) -> int | None:
    """The ``area`` parameter: an area's name (any case) or id; 404 for one no area has."""
    if name_or_id is None:
        return None
    text = " ".join(name_or_id.split())
    area = db.session.scalar(select(ChampionArea.id).where(
        or_(func.lower(ChampionArea.name) == text.lower(),
            ChampionArea.id == (int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1))))
    if area is None:
        raise ApiError(404, "No champion area has that name or id")
    return area


def champions_page(paging: Paging, on: date, area_id: int | None, near_team_id: int | None) -> Page:
    """Champions serving at ``on`` (approved, started, not stepped down, not left), by area and name; with a
    team, nearest to it first (the team, its office base, its service, the rest). Everyone reads the directory,
    so the list is the same for every account."""
    query = directory_champions.current(on)
    if area_id is not None:
        query = query.where(Champion.area_id == area_id)
    if near_team_id is not None:
        team = db.session.get(Team, near_team_id)
        if team is None:
            raise ApiError(404, f"No team has id {near_team_id}")
        query = query.order_by(directory_champions.rank_from(Place.of_team(team)))
    query = query.order_by(ChampionArea.name, ChampionStaff.name, Champion.id)
    items = [{
        "name": champion.staff.name, "email": champion.staff.email, "area": champion.area.name,
        "team": champion.staff.team.name,
        "office_base": (champion.staff.office_base or "").strip() or champion.staff.team.office_base,
        "scope": champion.scope,
    } for champion in db.session.scalars(query.limit(paging.per_page).offset(paging.offset)).unique()]
    return Page(items, paging.page, paging.per_page, _count(query))


def networks_page(paging: Paging, on: date) -> Page:
    """Every active network and group, by name (the directory is everyone's to read), with the next 3 meetings
    on or after ``on`` as local ISO date-times. One statement for the page, one each for its contacts and
    exceptions, one for the count."""
    query = networks.networks_query().options(selectinload(Network.contacts).joinedload(NetworkContact.staff))
    items = []
    for network in db.session.scalars(query.limit(paging.per_page).offset(paging.offset)):
        items.append({
            "name": network.name, "purpose": network.purpose, "contact_email": networks.contact_email(network),
            "meeting_rule": recurrence.rule_in_words(network),
            "next_meetings": [meeting.starts.isoformat() for meeting in recurrence.next_meetings(network, on, 3)],
        })
    return Page(items, paging.page, paging.per_page, _count(query))

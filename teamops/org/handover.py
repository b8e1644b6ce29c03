"""Leavers (R-ORG-4): what someone must hand over before they leave, and the hand-over in one go.

A person's duties are their open cases, the people they line-manage, the teams they are the manager of, the
covers they hold (running or to come), the new starters they buddy and the induction days to come they host.
Deactivating an account that still has any is refused with the list (``teamops.org.routes``). The hand-over
reallocates each case from today, so each keeps its supervision clock and has a hand-over supervision due today
(R-ORG-5, ``teamops.scheduling``), gives each supervisee a new line manager, names the teams' new managers (or
none for now), ends the covers, and ends their buddying and hosting (each starter's manager names someone
else). Services flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from teamops.access import line_reports
from teamops.cases.models import Case
from teamops.cases.services import current_allocation, reallocate
from teamops.dates import today
from teamops.extensions import db
from teamops.induction import buddies
from teamops.induction.models import Induction, InductionDay
from teamops.org.covers import end_cover
from teamops.org.models import Cover, Staff, Team


@dataclass
class Duties:
    cases: list[Case] = field(default_factory=list)
    supervisees: list[Staff] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    buddying: list[Induction] = field(default_factory=list)  # open inductions they buddy now (R-IND-4)
    hosting: list[InductionDay] = field(default_factory=list)  # timetable days to come they host (R-IND-11)

    def __bool__(self) -> bool:
        return bool(self.cases or self.supervisees or self.teams or self.covers or self.buddying or self.hosting)

    def summary(self) -> list[str]:
        """What is left to hand over, in plain words, for the refusal and the page."""
        found = []
        if self.cases:
            found.append(_count(len(self.cases), "open case", "open cases") + " allocated to them")
        if self.supervisees:
            found.append(_count(len(self.supervisees), "person", "people") + " they line-manage")
        found.extend(f"the manager of {team.name}" for team in self.teams)
        found.extend(f"covering for the manager of {cover.team.name} until {cover.ends_on:%-d %B %Y}"
                     for cover in self.covers)
        found.extend(f"the buddy of {induction.staff.name}" for induction in self.buddying)
        if self.hosting:
            found.append(_count(len(self.hosting), "induction day", "induction days") + " to come that they host")
        return found


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def duties_of(person: Staff) -> Duties:
    """Everything this person holds that someone else must take on (six small queries)."""
    on = today()
    cases = list(db.session.scalars(
        select(Case).where(Case.worker_id == person.id, or_(Case.closed_on.is_(None), Case.closed_on > on))
        .options(selectinload(Case.case_type)).order_by(Case.case_ref)))
    supervisees = list(db.session.scalars(
        select(Staff).where(Staff.line_manager_id == person.id, Staff.active.is_(True))
        .options(selectinload(Staff.team)).order_by(Staff.name)))
    teams = list(db.session.scalars(
        select(Team).where(Team.manager_id == person.id, Team.active.is_(True)).order_by(Team.name)))
    covers = list(db.session.scalars(
        select(Cover).where(Cover.staff_id == person.id, Cover.ends_on >= on, Cover.ended_at.is_(None))
        .options(selectinload(Cover.team)).order_by(Cover.starts_on)))
    buddying = list(db.session.scalars(buddies.buddying(person.id).options(joinedload(Induction.staff))
                                       .order_by(Induction.starts_on)))
    hosting = list(db.session.scalars(
        select(InductionDay).join(Induction, Induction.id == InductionDay.induction_id)
        .where(InductionDay.host_id == person.id, InductionDay.on_date >= on, Induction.signed_off_at.is_(None),
               Induction.cancelled_at.is_(None)).order_by(InductionDay.on_date)))
    return Duties(cases, supervisees, teams, covers, buddying, hosting)


def would_loop(person: Staff, new_manager: Staff) -> bool:
    """Whether ``new_manager`` is line-managed by ``person``, directly or through a chain."""
    below = db.session.scalar(select(Staff.id).where(Staff.id == new_manager.id,
                                                     Staff.id.in_(line_reports(person.id, chain=True))))
    return below is not None


@dataclass
class Plan:
    """Who takes on what: by case id, by supervisee id, by team id (None: no manager for now)."""

    workers: dict[int, Staff]
    line_managers: dict[int, Staff]
    team_managers: dict[int, Staff | None]
    coworkers: dict[int, Staff | None] = field(default_factory=dict)  # by case id: the co-worker who stays


def kept_coworker(case: Case, leaver: Staff, worker: Staff) -> Staff | None:
    """A case's co-worker stays with it (R-ASYE-2) unless they are the new worker or the leaver."""
    allocation = current_allocation(case)
    coworker = allocation.coworker if allocation is not None else None
    return coworker if coworker is not None and coworker.id not in (leaver.id, worker.id) else None


def hand_over(duties: Duties, plan: Plan, by: Staff) -> None:
    on = today()
    for case in duties.cases:
        reallocate(case, plan.workers[case.id], on, flush=False, coworker=plan.coworkers.get(case.id))
    for person in duties.supervisees:
        person.line_manager = plan.line_managers[person.id]
    for team in duties.teams:
        team.manager = plan.team_managers[team.id]
    db.session.flush()
    for cover in duties.covers:  # running or to come: both end now, and stay in the history
        end_cover(cover, by)
    for induction in duties.buddying:  # the buddy ends today (kept in the history); the manager names another
        buddies.end_buddy(induction, on)
    for day in duties.hosting:  # the day needs a new host, chosen on the induction's page
        day.host, day.host_reason = None, None
    db.session.flush()

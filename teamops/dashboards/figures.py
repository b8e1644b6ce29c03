"""Team figures for the dashboards: one row per worker, team totals, and the same totals for many teams.

Every due date, due state and "% in timescale" comes from teamops.scheduling, so a dashboard says what the
returns and the API say. Figures for any number of teams are built in a fixed number of queries: the
people, the policy, the open cases now and at last month's end, personal supervisions and open actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from teamops import dates, scheduling
from teamops.extensions import db
from teamops.org.models import Staff, Team
from teamops.records.models import SupervisionAction
from teamops.scheduling import Compliance, PersonDue, Policy

NONE_OPEN = Compliance(0, 0)


@dataclass(frozen=True)
class WorkerRow:
    """What a manager needs to know about one worker, as of one day."""

    staff: Staff
    personal: PersonDue
    open_cases: int
    overdue: int
    due_soon: int
    open_actions: int
    in_induction: bool
    induction_ends_on: date
    now: Compliance
    last_month: Compliance


@dataclass
class TeamFigures:
    """A team's rows and totals. ``now`` is the month-to-date snapshot; ``last_month`` last month's end."""

    team: Team
    rows: list[WorkerRow] = field(default_factory=list)
    open_cases: int = 0
    overdue: int = 0
    due_soon: int = 0
    now: Compliance = NONE_OPEN
    last_month: Compliance = NONE_OPEN

    @property
    def workers(self) -> int:
        return len(self.rows)

    @property
    def personal_overdue(self) -> int:
        return sum(row.personal.due_state == scheduling.OVERDUE for row in self.rows)


def last_month_end(on: date) -> date:
    """The last day of the month before ``on``'s month: the latest complete "% in timescale" snapshot."""
    previous = dates.add_months(date(on.year, on.month, 1), -1)
    return dates.month_end(previous.year, previous.month)


def _open_actions_by_owner(owner_ids: list[int]) -> dict[int, int]:
    if not owner_ids:
        return {}
    rows = db.session.execute(
        select(SupervisionAction.owner_id, func.count(SupervisionAction.id))
        .where(SupervisionAction.status == "open", SupervisionAction.owner_id.in_(owner_ids))
        .group_by(SupervisionAction.owner_id)
    )
    return {owner_id: count for owner_id, count in rows}


def _shows_as_row(person: Staff, holds_cases: bool) -> bool:
    """Active workers always have a row; anyone else in the team (a manager, say) only while holding cases,
    so every open case of the team is counted in some row."""
    return person.active and (person.role == "worker" or holds_cases)


def figures_for_teams(teams: Iterable[Team], on: date, policy: Policy | None = None) -> dict[int, TeamFigures]:
    """Rows and totals for each team as of ``on``. A case counts for the team of the worker it is allocated
    to on the day of the snapshot (CONTRACT.md), by that worker's current team."""
    figures = {team.id: TeamFigures(team) for team in teams}
    if not figures:
        return {}
    members = list(db.session.scalars(
        select(Staff).where(Staff.team_id.in_(list(figures))).order_by(Staff.name, Staff.id)))
    member_ids = [person.id for person in members]
    policy = policy or scheduling.load_policy()

    month_end = last_month_end(on)
    open_on = scheduling.open_cases_on([on, month_end], member_ids, policy)
    open_now, open_at_end = open_on[on], open_on[month_end]
    now_by_worker = scheduling.compliance_by_worker(open_now)
    end_by_worker = scheduling.compliance_by_worker(open_at_end)

    states: dict[int, list[str | None]] = {}
    for row in open_now:
        states.setdefault(row.worker_id, []).append(row.due.due_state)
    shown = [person for person in members if _shows_as_row(person, person.id in states)]
    personal = scheduling.person_dues(shown, on, policy)
    actions = _open_actions_by_owner([person.id for person in shown])

    for person in members:
        team = figures[person.team_id]
        team.now = scheduling.total([team.now, now_by_worker.get(person.id, NONE_OPEN)])
        team.last_month = scheduling.total([team.last_month, end_by_worker.get(person.id, NONE_OPEN)])
        worker_states = states.get(person.id, [])
        team.open_cases += len(worker_states)
        team.overdue += worker_states.count(scheduling.OVERDUE)
        team.due_soon += worker_states.count(scheduling.DUE_SOON)
        if person.id not in personal:
            continue
        team.rows.append(WorkerRow(
            staff=person, personal=personal[person.id], open_cases=len(worker_states),
            overdue=worker_states.count(scheduling.OVERDUE), due_soon=worker_states.count(scheduling.DUE_SOON),
            open_actions=actions.get(person.id, 0),
            in_induction=dates.in_induction(person.start_date, person.employment_type, on),
            induction_ends_on=dates.induction_ends_on(person.start_date, person.employment_type),
            now=now_by_worker.get(person.id, NONE_OPEN), last_month=end_by_worker.get(person.id, NONE_OPEN),
        ))
    return figures


def team_figures(team: Team, on: date) -> TeamFigures:
    return figures_for_teams([team], on)[team.id]


@dataclass(frozen=True)
class Totals:
    """Figures added up over several teams: a service's line on the QAIT dashboard."""

    workers: int
    open_cases: int
    overdue: int
    due_soon: int
    personal_overdue: int
    now: Compliance
    last_month: Compliance


def add_up(figures: Iterable[TeamFigures]) -> Totals:
    items = list(figures)
    return Totals(
        workers=sum(f.workers for f in items), open_cases=sum(f.open_cases for f in items),
        overdue=sum(f.overdue for f in items), due_soon=sum(f.due_soon for f in items),
        personal_overdue=sum(f.personal_overdue for f in items),
        now=scheduling.total(f.now for f in items), last_month=scheduling.total(f.last_month for f in items),
    )

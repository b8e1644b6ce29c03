"""Team figures for the dashboards: one row per worker, team totals, and the same totals for many teams.

Every due date, due state and "% in timescale" comes from teamops.scheduling, so a dashboard says what the
returns and the API say. Figures for any number of teams are built in a fixed number of queries: the
people, the policy, the open cases now and at last month's end, personal supervisions and open actions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from markupsafe import Markup
from sqlalchemy import ScalarSelect, Select, func, or_, select

from teamops import dates, scheduling
from teamops.bookings.models import Booking
from teamops.dashboards import versions
from teamops.dashboards.models import EVERY_TEAM
from teamops.dates import start_of_day
from teamops.extensions import db
from teamops.org import asye, memberships
from teamops.org.models import Staff, Team, TeamMembership
from teamops.quality import observations
from teamops.records.models import SupervisionAction
from teamops.scheduling import Compliance, PersonDue

NONE_OPEN = Compliance(0, 0)


@dataclass(frozen=True)
class Member:
    """A row's person as the table shows them: plain values, so cached figures hold no database objects."""

    id: int
    name: str
    email: str
    line_manager_id: int | None  # for "only my supervisees"


@dataclass(frozen=True)
class WorkerRow:
    """What a manager needs to know about one worker, as of one day."""

    staff: Member
    personal: PersonDue
    open_cases: int
    overdue: int
    due_soon: int
    open_actions: int
    in_induction: bool
    induction_ends_on: date
    now: Compliance
    last_month: Compliance
    next_session: date | None = None  # the next session booked with them, from the day on (issue 10 item 2)
    asye_ends_on: date | None = None  # the last day of their ASYE year, while it runs (R-ASYE-1)
    asye_lead_until: date | None = None  # the last day they lead CP or Section 47 work only with a co-worker
    last_observed_on: date | None = None  # the last observation of their practice (R-QA-7)


@dataclass
class Figures:
    """One team's rows and totals for one day. ``now`` is the month-to-date snapshot; ``last_month`` last
    month's end. What the cache keeps, never changed once built."""

    rows: list[WorkerRow] = field(default_factory=list)
    open_cases: int = 0
    overdue: int = 0
    due_soon: int = 0
    now: Compliance = NONE_OPEN
    last_month: Compliance = NONE_OPEN


@dataclass(kw_only=True)
class TeamFigures(Figures):
    """A team's figures with the team, for pages."""

    team: Team
    # What the figures were kept under (team, versions, day); None when they cannot be kept. Pages built only
    # from the figures may be kept under it too (the team table's HTML).
    key: tuple[int, int, int, date] | None = None

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


def _open_actions_by_owner(members: Select[tuple[int]]) -> dict[int, int]:
    rows = db.session.execute(
        select(SupervisionAction.owner_id, func.count(SupervisionAction.id))
        .where(SupervisionAction.status == "open", SupervisionAction.owner_id.in_(members))
        .group_by(SupervisionAction.owner_id)
    )
    return {owner_id: count for owner_id, count in rows}


def _shows_as_row(person: Staff, holds_cases: bool, on: date) -> bool:
    """Active workers who have started have a row; anyone else in the team (a manager, someone not started
    yet, issue 9 item 10) only while holding cases, so every open case of the team is counted in some row."""
    return person.active and ((person.role == "worker" and person.start_date <= on) or holds_cases)


# Figures built, by (team id, team version, version of everything, day). Only versions read from the database
# that request make a key, so every worker and app server sees a write the moment it is committed. Bounded:
# the least recently used go first.
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Values kept in this process under keys made of data versions (a key never names stale data): at most
    ``size``, the least recently used going first, safe across threads. ``forget_figures`` empties them all."""

    every: ClassVar[list[Kept[Any, Any]]] = []

    def __init__(self, size: int = 5000) -> None:
        self._values: OrderedDict[K, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        Kept.every.append(self)

    def get(self, keys: Iterable[K]) -> dict[K, V]:
        """Those of ``keys`` kept, with their values."""
        with self._lock:
            found = {key: self._values[key] for key in keys if key in self._values}
            for key in found:
                self._values.move_to_end(key)
        return found

    def put(self, values: Mapping[K, V]) -> None:
        with self._lock:
            self._values.update(values)
            while len(self._values) > self._size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_CACHE: Kept[tuple[int, int, int, date], Figures] = Kept()
# Fewer stale teams than this are rebuilt by their ids; more, through the query of all the teams asked about.
FEW = 20


def figures_for_teams(teams: Iterable[Team], on: date,
                      team_ids: Select[tuple[int]] | None = None) -> dict[int, TeamFigures]:
    """Rows and totals for each team as of ``on``. A case counts for the worker it is allocated to on the day
    of the snapshot and for the team that worker belonged to that day (CONTRACT.md: membership is dated).
    ``team_ids`` is the teams as a query (every active team, a service's), so the SQL has the same few
    parameters however many there are; without it the teams' ids are sent (one team, a handful).

    A team whose version has not moved since its figures were built today is not built again; the rest are
    built together in a fixed number of queries."""
    teams = list(teams)
    if not teams:
        return {}
    ids_query = team_ids if team_ids is not None else [team.id for team in teams]
    known = versions.versions(ids_query)
    everything = known.get(EVERY_TEAM)
    # No row 0 yet: nothing has been written since the database was made, and nothing is kept.
    keys = {team.id: (team.id, known.get(team.id, 0), everything, on) for team in teams
            if everything is not None}
    kept = _CACHE.get(keys.values())
    built = {team_id: kept[key] for team_id, key in keys.items() if key in kept}
    stale = [team.id for team in teams if team.id not in built]
    if stale:
        fresh = _build(stale if len(stale) < FEW or team_ids is None else team_ids, on)
        built.update((team_id, fresh.get(team_id, _EMPTY)) for team_id in stale)
        _CACHE.put({keys[team_id]: built[team_id] for team_id in stale if team_id in keys})
    return {team.id: TeamFigures(team=team, key=keys.get(team.id),
                                 **{name.name: getattr(built[team.id], name.name) for name in fields(Figures)})
            for team in teams}


_EMPTY = Figures()


def forget_figures() -> None:
    """Empties this process's caches, the returns' too (tests that count a page's queries, benchmarks of a cold
    dashboard)."""
    for kept in Kept.every:
        kept.clear()


# HTML made from one team's figures alone (the manager's table, as sorted and filtered), by the figures' key and
# what else the HTML depends on: kept and dropped with the figures.
_HTML: Kept[tuple[Any, ...], Markup] = Kept()


def kept_html(key: tuple[Any, ...] | None, make: Callable[[], Markup]) -> Markup:
    """``make()``, or what it gave before under ``key``: the keys of the figures the HTML is made from and
    whatever else it depends on (sorting, filtering); None (figures that cannot be kept) always makes it."""
    if key is None:
        return make()
    found = _HTML.get([key])
    if found:
        return found[key]
    made = make()
    _HTML.put({key: made})
    return made


def _build(team_ids: Select[tuple[int]] | list[int], on: date) -> dict[int, Figures]:
    """The figures of these teams, in a fixed number of queries: the people with their last personal
    supervision, the policy, the open cases now and at last month's end, and open actions."""
    in_teams = Staff.team_id.in_(team_ids)
    members = select(Staff.id).where(in_teams)
    people = db.session.execute(
        select(Staff, scheduling.last_personal_supervision_on(on), scheduling.absence_end_on(on),
               _next_session_from(on), observations.last_observed_on(on))
        .where(in_teams).order_by(Staff.name, Staff.id)
    ).tuples().all()
    history = scheduling.load_history()
    policy = history.on(on)

    # Last month counts each case for the team its worker belonged to at the month's end (team membership is
    # dated), so someone who moved since still counts for their old team's past month, not their new one's.
    month_end = last_month_end(on)
    members_then = memberships.members_on(team_ids, month_end)
    team_then = dict(db.session.execute(members_then).tuples().all())
    workers = select(Staff.id).where(or_(in_teams, Staff.id.in_(members_then.with_only_columns(
        TeamMembership.staff_id))))
    open_on = scheduling.open_cases_on([on, month_end], workers, history)
    open_now, open_at_end = open_on[on], open_on[month_end]
    now_by_worker = scheduling.compliance_by_worker(open_now)
    end_by_worker = scheduling.compliance_by_worker(open_at_end)

    states: dict[int, list[str | None]] = {}
    for row in open_now:
        states.setdefault(row.worker_id, []).append(row.due.due_state)
    actions = _open_actions_by_owner(members)

    teams: dict[int, Figures] = {}
    for person_id, team_id in team_then.items():
        then = teams.setdefault(team_id, Figures())
        then.last_month = scheduling.total([then.last_month, end_by_worker.get(person_id, NONE_OPEN)])
    for person, last_personal_on, absence_end, next_session, last_observed in people:
        team = teams.setdefault(person.team_id, Figures())
        team.now = scheduling.total([team.now, now_by_worker.get(person.id, NONE_OPEN)])
        worker_states = states.get(person.id, [])
        team.open_cases += len(worker_states)
        team.overdue += worker_states.count(scheduling.OVERDUE)
        team.due_soon += worker_states.count(scheduling.DUE_SOON)
        if not _shows_as_row(person, person.id in states, on):
            continue
        team.rows.append(WorkerRow(
            staff=Member(person.id, person.name, person.email, person.line_manager_id),
            personal=scheduling.person_due(policy, person, on, last_personal_on, absence_end),
            open_cases=len(worker_states),
            overdue=worker_states.count(scheduling.OVERDUE), due_soon=worker_states.count(scheduling.DUE_SOON),
            open_actions=actions.get(person.id, 0),
            in_induction=dates.in_induction(person.start_date, person.employment_type, on),
            induction_ends_on=dates.induction_ends_on(person.start_date, person.employment_type),
            now=now_by_worker.get(person.id, NONE_OPEN), last_month=end_by_worker.get(person.id, NONE_OPEN),
            next_session=dates.london_date(next_session) if next_session is not None else None,
            asye_ends_on=person.asye_ends_on if asye.in_asye(person, on) else None,
            asye_lead_until=asye.first_six_months_end(person) if asye.in_first_six_months(person, on) else None,
            last_observed_on=last_observed,
        ))
    return teams


def _next_session_from(day: date) -> ScalarSelect[datetime]:
    """The outer query's person's next booked session as the worker, from the start of ``day`` (the figures are
    kept for a day, so a session earlier today still counts as in the diary)."""
    return (select(func.min(Booking.starts_at))
            .where(Booking.worker_id == Staff.id, Booking.status == "booked", Booking.starts_at >= start_of_day(day))
            .correlate(Staff).scalar_subquery())


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

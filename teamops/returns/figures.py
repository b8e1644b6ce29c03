"""A month's supervision figures per team and worker, as a return states them (issue 13 item 2).

Everything comes from teamops.scheduling, so a return says what the dashboards and the API say (CONTRACT.md
"Scheduling rules"): "in timescale" is a snapshot at the month's last day E, each case counted for the worker
it was allocated to at E and for the team that worker belonged to at E (team membership is dated), with the
policy in force at E. Figures for any number of teams cost a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select

from teamops import dates, scheduling
from teamops.dashboards import versions
from teamops.dashboards.figures import FEW, Kept
from teamops.dashboards.models import EVERY_TEAM, FiguresVersion
from teamops.extensions import db
from teamops.org import memberships
from teamops.org.models import Staff, TeamMembership
from teamops.records.models import CaseDiscussion, SupervisionRecord
from teamops.scheduling import Compliance


@dataclass(frozen=True)
class WorkerLine:
    """One worker's line of a return: what TeamOps knows, for the manager to check and explain."""

    staff_id: int
    name: str
    email: str
    cases_open: int
    cases_in_timescale: int
    case_supervisions: int  # case discussions held in the month
    personal_last_on: date | None  # the last personal supervision on or before the month's end
    personal_state: str  # at the month's end: overdue, due_soon, ok or absent (R-ORG-6)
    filed_late: int  # the month's case discussions filed on the child's record after 7 days (R-SUP-5)
    not_filed: int  # ... not filed yet

    @property
    def pct_in_timescale(self) -> float | None:
        return scheduling.percentage(self.cases_in_timescale, self.cases_open)

    @property
    def needs_explaining(self) -> bool:
        """Whether the line shows anything out of timescale: what the manager's commentary is for."""
        return (self.cases_in_timescale < self.cases_open or self.personal_state == scheduling.OVERDUE
                or self.filed_late > 0 or self.not_filed > 0)


@dataclass
class TeamMonth:
    """A team's lines and totals for a month."""

    team_id: int
    month: date
    lines: list[WorkerLine] = field(default_factory=list)

    @property
    def total(self) -> Compliance:
        return scheduling.total(Compliance(line.cases_open, line.cases_in_timescale) for line in self.lines)

    @property
    def cases_open(self) -> int:
        return self.total.cases_open

    @property
    def cases_in_timescale(self) -> int:
        return self.total.cases_in_timescale

    @property
    def pct_in_timescale(self) -> float | None:
        return self.total.pct_in_timescale

    @property
    def case_supervisions(self) -> int:
        return sum(line.case_supervisions for line in self.lines)

    @property
    def personal_overdue(self) -> int:
        return sum(line.personal_state == scheduling.OVERDUE for line in self.lines)

    @property
    def filed_late(self) -> int:
        return sum(line.filed_late for line in self.lines)

    @property
    def not_filed(self) -> int:
        return sum(line.not_filed for line in self.lines)


# Figures built, by (team id, team version, version of everything, month, day): kept as the dashboards keep
# theirs (teamops.dashboards.figures), under the versions every write that changes them moves, so a list of the
# month's returns (QAIT's, the API's) is not worked out again for every team on every load. Bounded: the least
# recently used go first. Never changed once built.
_CACHE: Kept[tuple[int, int, int, date, date], TeamMonth] = Kept()


def month_figures(team_ids: Select[tuple[int]] | list[int], month: date,
                  on: date | None = None) -> dict[int, TeamMonth]:
    """Each team's figures for ``month`` (its first day). ``on`` is the day filing is judged on (today: a
    discussion not filed yet). Figures built before under the teams' current versions are used again; the rest
    are built together (``_build``). In a transaction that has written something the figures read, nothing is
    kept or used: what it wrote is not committed, and may never be."""
    on = on or dates.today()
    if versions.wrote_figures(db.session()):
        return _build(team_ids, month, on)
    ids, known = _versions_of(team_ids)
    everything = known.get(EVERY_TEAM)
    if everything is None:  # nothing written since the database was made: nothing is kept
        return _build(team_ids, month, on)
    keys = {team_id: (team_id, known.get(team_id) or 0, everything, month, on) for team_id in ids}
    kept = _CACHE.get(keys.values())
    found = {team_id: kept[key] for team_id, key in keys.items() if key in kept}
    stale = [team_id for team_id in ids if team_id not in found]
    if stale:
        built = _build(stale if len(stale) < FEW else team_ids, month, on)
        found.update((team_id, built.get(team_id) or TeamMonth(team_id, month)) for team_id in stale)
        _CACHE.put({keys[team_id]: found[team_id] for team_id in stale})
    return found


def _versions_of(team_ids: Select[tuple[int]] | list[int]) -> tuple[list[int], dict[int, int | None]]:
    """The teams asked about and the versions of each and of everything (key 0), in one statement."""
    if isinstance(team_ids, list):
        return team_ids, dict(versions.versions(team_ids))
    asked = team_ids.subquery()
    rows = db.session.execute(
        select(asked.c[0], FiguresVersion.version).outerjoin(FiguresVersion, FiguresVersion.team_id == asked.c[0])
        .union_all(select(FiguresVersion.team_id, FiguresVersion.version)
                   .where(FiguresVersion.team_id == EVERY_TEAM))).tuples().all()
    return [team_id for team_id, _ in rows if team_id != EVERY_TEAM], dict(rows)


def _build(team_ids: Select[tuple[int]] | list[int], month: date, on: date) -> dict[int, TeamMonth]:
    """The figures worked out, in five queries: the members at the month's end, the people with their last
    personal supervision and absences, the policy, the open cases at the end, and the month's case
    discussions."""
    end = dates.month_end(month.year, month.month)
    members = memberships.members_on(team_ids, end)
    team_of = dict(db.session.execute(members).tuples().all())
    member_ids = members.with_only_columns(TeamMembership.staff_id)
    people = db.session.execute(
        select(Staff, scheduling.last_personal_supervision_on(end), scheduling.absence_end_on(end))
        .where(Staff.id.in_(member_ids)).order_by(Staff.name, Staff.id)
    ).tuples().all()
    history = scheduling.load_history()
    policy = history.on(end)
    open_at_end = scheduling.open_cases_at(end, member_ids, history)
    by_worker = scheduling.compliance_by_worker(open_at_end)
    held, late, unfiled = _discussions(member_ids, month, end, on)

    teams = {team_id: TeamMonth(team_id, month) for team_id in set(team_of.values())}
    for person, last_on, absence_end in people:
        counts = by_worker.get(person.id, Compliance(0, 0))
        if not _has_line(person, counts.cases_open > 0, end):
            continue
        due = scheduling.person_due(policy, person, end, last_on, absence_end)
        teams[team_of[person.id]].lines.append(WorkerLine(
            staff_id=person.id, name=person.name, email=person.email, cases_open=counts.cases_open,
            cases_in_timescale=counts.cases_in_timescale, case_supervisions=held[person.id],
            personal_last_on=last_on, personal_state=due.due_state, filed_late=late[person.id],
            not_filed=unfiled[person.id]))
    return teams


def team_month(team_id: int, month: date, on: date | None = None) -> TeamMonth:
    return month_figures([team_id], month, on).get(team_id) or TeamMonth(team_id, month)


def _has_line(person: Staff, holds_cases: bool, end: date) -> bool:
    """Workers who had started by the month's end have a line; anyone else in the team (a manager) only while
    holding cases, so every open case of the team is in some line (as on the dashboards)."""
    return (person.role == "worker" and person.start_date <= end) or holds_cases


def _discussions(member_ids: Select[tuple[int]], month: date, end: date,
                 on: date) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """Per worker: case discussions held in the month, filed late, and not filed yet (R-SUP-5)."""
    rows = db.session.execute(
        select(SupervisionRecord.worker_id, CaseDiscussion.held_on, CaseDiscussion.filed_at)
        .join(SupervisionRecord, SupervisionRecord.id == CaseDiscussion.record_id)
        .where(SupervisionRecord.worker_id.in_(member_ids), CaseDiscussion.held_on >= month,
               CaseDiscussion.held_on <= end)
    ).tuples()
    held: Counter[int] = Counter()
    late: Counter[int] = Counter()
    unfiled: Counter[int] = Counter()
    for worker_id, held_on, filed_at in rows:
        held[worker_id] += 1
        if filed_at is None:
            unfiled[worker_id] += 1
        elif dates.filed_late(held_on, filed_at, on):
            late[worker_id] += 1
    return held, late, unfiled

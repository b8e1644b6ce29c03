"""QAIT supervision returns: the calendar, each team's return and its workflow, the month across teams, chases.

The workflow (issue 13 item 3): not started (no row) -> draft (the manager saved commentary) -> submitted (a
frozen version, on time or late against the due date) -> accepted by QAIT, or returned with a comment -> the
manager edits and resubmits (a new version; every version stays readable). One return per team per month and
one version per number are database constraints, so two people submitting at once leave one submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, false, func, or_, select, union
from sqlalchemy.orm import joinedload, selectinload

from teamops import dates, scheduling
from teamops.access import reach_team_ids
from teamops.extensions import db
from teamops.notify import notify
from teamops.org import covers
from teamops.org.models import Cover, Service, Staff, Team
from teamops.org.settings import settings
from teamops.returns.figures import TeamMonth, WorkerLine, month_figures, team_month
from teamops.returns.models import (
    ACCEPTED,
    CHASE_LEVELS,
    DRAFT,
    NOT_STARTED,
    RETURNED,
    SUBMITTED,
    ReturnChase,
    ReturnNote,
    ReturnRow,
    ReturnVersion,
    SupervisionReturn,
)

TREND_MONTHS = 12
CALENDAR_AHEAD = 12


class ReturnRefused(ValueError):
    """What the person asked cannot be done to the return as it stands; the message says why."""


# The calendar (R-QA-1, R-QA-2) ------------------------------------------------------------------------------

def due_rule() -> str:
    return settings().return_due_rule


def due_on(month: date, rule: str | None = None) -> date:
    """When ``month``'s return is due under the organisation's rule."""
    return dates.return_due_on(month.year, month.month, rule or due_rule())


@dataclass(frozen=True)
class DueDate:
    month: date  # the month reported (its first day)
    due_on: date
    moved: bool  # the first Friday is not a working day
    fell_back: bool  # "the working day before" would fall inside the month reported: the next working day holds


def calendar_for_year(year: int, rule: str | None = None) -> list[DueDate]:
    """The due dates of the returns for the months of ``year``."""
    rule = rule or due_rule()
    return [_due_date(date(year, number, 1), rule) for number in range(1, 13)]


def coming_due_dates(on: date, count: int = CALENDAR_AHEAD, rule: str | None = None) -> list[DueDate]:
    """The next ``count`` due dates from ``on`` (a due date today included)."""
    rule = rule or due_rule()
    month = dates.add_months(date(on.year, on.month, 1), -2)
    found: list[DueDate] = []
    while len(found) < count:
        due = _due_date(month, rule)
        if due.due_on >= on:
            found.append(due)
        month = dates.add_months(month, 1)
    return found


def _due_date(month: date, rule: str) -> DueDate:
    friday = dates.return_first_friday(month.year, month.month)
    return DueDate(month, dates.return_due_on(month.year, month.month, rule), not dates.is_working_day(friday),
                   dates.return_rule_falls_back(month.year, month.month, rule))


def last_month(on: date) -> date:
    """The latest month that has ended by ``on``: the one whose return is being prepared."""
    return dates.add_months(date(on.year, on.month, 1), -1)


def has_ended(month: date, on: date) -> bool:
    return dates.month_end(month.year, month.month) < on


def parse_month(text: str | None, on: date) -> date:
    """``YYYY-MM`` (default: the last month ended) to the month's first day; ReturnRefused with a plain
    message for anything else."""
    if not text:
        return last_month(on)
    try:
        return dates.month_start(text)
    except ValueError as error:
        raise ReturnRefused(str(error)) from None


# One team's return ------------------------------------------------------------------------------------------

def find(team_id: int, month: date) -> SupervisionReturn | None:
    return db.session.scalar(select(SupervisionReturn).where(SupervisionReturn.team_id == team_id,
                                                             SupervisionReturn.month == month))


def status_of(ret: SupervisionReturn | None) -> str:
    return ret.status if ret is not None else NOT_STARTED


def may_change(ret: SupervisionReturn | None) -> bool:
    """Whether the working copy may be edited: not started, a draft, or returned by QAIT."""
    return status_of(ret) in (NOT_STARTED, DRAFT, RETURNED)


def notes_of(ret: SupervisionReturn | None) -> dict[int, str]:
    return {note.staff_id: note.commentary for note in ret.notes} if ret is not None else {}


def start(team: Team, month: date, by: Staff, on: date) -> SupervisionReturn:
    """The team's return for the month, made a draft now if it was not started."""
    if not has_ended(month, on):
        raise ReturnRefused(f"{dates.month_label(month)} has not ended yet: its return can be prepared from "
                            f"{dates.add_months(month, 1):%-d %B %Y}")
    ret = find(team.id, month)
    if ret is None:
        ret = SupervisionReturn(team=team, month=month, status=DRAFT, started_by=by)
        db.session.add(ret)
        db.session.flush()
    return ret


def save_draft(ret: SupervisionReturn, team_commentary: str, notes: dict[int, str]) -> None:
    """Keeps the manager's commentary (per worker, for the team) on the working copy."""
    if not may_change(ret):
        raise ReturnRefused(_locked_message(ret))
    ret.team_commentary = team_commentary.strip()
    current = {note.staff_id: note for note in ret.notes}
    for staff_id, text in notes.items():
        text = text.strip()
        if staff_id in current:
            current[staff_id].commentary = text
        elif text:
            ret.notes.append(ReturnNote(staff_id=staff_id, commentary=text))
    db.session.flush()


def submit(ret: SupervisionReturn, by: Staff, on: date) -> ReturnVersion:
    """Freezes the figures as they are now, with the commentary, as the next version: on time or late against
    the due date. Two submissions at once: the second breaks the unique version number and is refused."""
    if ret.status not in (DRAFT, RETURNED):
        raise ReturnRefused(_locked_message(ret))
    if not has_ended(ret.month, on):
        raise ReturnRefused(f"{dates.month_label(ret.month)} has not ended yet")
    figures = team_month(ret.team_id, ret.month, on)
    notes = notes_of(ret)
    due = due_on(ret.month)
    version = ReturnVersion(
        supervision_return=ret, number=ret.submissions + 1, submitted_by=by, due_on=due, on_time=on <= due,
        working_days_late=dates.working_days_late(due, on), cases_open=figures.cases_open,
        cases_in_timescale=figures.cases_in_timescale, team_commentary=ret.team_commentary,
        rows=[_frozen(position, line, notes.get(line.staff_id, "")) for position, line in enumerate(figures.lines)])
    db.session.add(version)
    ret.submissions += 1
    ret.status = SUBMITTED
    db.session.flush()
    return version


def _frozen(position: int, line: WorkerLine, commentary: str) -> ReturnRow:
    return ReturnRow(position=position, staff_id=line.staff_id, name=line.name, email=line.email,
                     cases_open=line.cases_open, cases_in_timescale=line.cases_in_timescale,
                     case_supervisions=line.case_supervisions, personal_last_on=line.personal_last_on,
                     personal_state=line.personal_state, filed_late=line.filed_late, not_filed=line.not_filed,
                     commentary=commentary)


def decide(ret: SupervisionReturn, decision: str, comment: str, by: Staff, now: datetime,
           tell: bool = True) -> ReturnVersion:
    """QAIT accepts the submitted version, or returns it with a comment for the manager to act on; the team's
    managers are told (``tell``: not for the demo's history)."""
    if ret.status != SUBMITTED:
        raise ReturnRefused(f"Only a submitted return can be accepted or returned: this one is "
                            f"{_status_words(ret.status)}")
    if decision == RETURNED and not comment.strip():
        raise ReturnRefused("Say what the team needs to change before you return it")
    version = latest_version(ret)
    version.decision, version.decided_by, version.decided_at = decision, by, now
    version.decision_comment = comment.strip()
    ret.status = decision
    db.session.flush()
    for manager in team_managers(ret.team) if tell else []:
        if decision == RETURNED:
            notify(manager, f"{ret.team.name}: your return for {dates.month_label(ret.month)} was returned",
                   f"QAIT returned the {dates.month_label(ret.month)} supervision return for {ret.team.name}. "
                   "Open TeamOps to see what to change, then submit it again.")
        else:
            notify(manager, f"{ret.team.name}: your return for {dates.month_label(ret.month)} was accepted",
                   f"QAIT accepted the {dates.month_label(ret.month)} supervision return for {ret.team.name}.")
    return version


def latest_version(ret: SupervisionReturn) -> ReturnVersion:
    version = ret.versions[-1] if ret.versions else None
    if version is None:
        raise ReturnRefused("This return has not been submitted")
    return version


def _status_words(status: str) -> str:
    return {NOT_STARTED: "not started", DRAFT: "a draft", SUBMITTED: "submitted", RETURNED: "returned",
            ACCEPTED: "accepted"}[status]


def _locked_message(ret: SupervisionReturn) -> str:
    if ret.status == SUBMITTED:
        return "This return has been submitted: QAIT must return it before it can change"
    return "This return has been accepted by QAIT and can no longer change"


def team_managers(team: Team, on: date | None = None) -> list[Staff]:
    """Whoever runs the team now: its active team managers and anyone covering for them (R-ORG-3)."""
    on = on or dates.today()
    covering = select(Cover.staff_id).where(Cover.team_id == team.id, covers.running_on(on))
    return list(db.session.scalars(
        select(Staff).where(Staff.active.is_(True),
                            ((Staff.team_id == team.id) & (Staff.role == "team_manager")) | Staff.id.in_(covering))
        .order_by(Staff.name)))


def managers_by_team(team_ids: Iterable[int], on: date) -> dict[int, list[int]]:
    """``team_managers`` of many teams at once, as ids (by name), in one statement: for a reminder run that tells
    each team's managers, whatever the number of teams."""
    ids = list(team_ids)
    if not ids:
        return {}
    own = (select(Staff.team_id.label("team_id"), Staff.id.label("staff_id"), Staff.name.label("name"))
           .where(Staff.active.is_(True), Staff.role == "team_manager", Staff.team_id.in_(ids)))
    covering = (select(Cover.team_id, Staff.id, Staff.name).join(Staff, Staff.id == Cover.staff_id)
                .where(Staff.active.is_(True), Cover.team_id.in_(ids), covers.running_on(on)))
    both = union(own, covering).subquery()
    found: dict[int, list[int]] = {}
    for team_id, staff_id in db.session.execute(
            select(both.c.team_id, both.c.staff_id).order_by(both.c.team_id, both.c.name, both.c.staff_id)):
        found.setdefault(team_id, []).append(staff_id)
    return found


# The month across teams -------------------------------------------------------------------------------------

@dataclass
class TeamReturn:
    """One team's return for a month, as the lists show it."""

    team: Team
    month: date
    due_on: date
    ret: SupervisionReturn | None
    version: ReturnVersion | None  # the latest submission
    live: TeamMonth | None = None  # the figures now, when asked for
    chases: list[ReturnChase] = field(default_factory=list)

    @property
    def status(self) -> str:
        return status_of(self.ret)

    @property
    def submitted_at(self) -> datetime | None:
        return self.version.submitted_at if self.version is not None else None

    @property
    def on_time(self) -> bool | None:
        """Whether the latest submission was on time; None before any."""
        return self.version.on_time if self.version is not None else None

    def working_days_late(self, on: date) -> int:
        """Working days late: of the latest submission, or, not submitted, so far."""
        if self.version is not None:
            return self.version.working_days_late
        return dates.working_days_late(self.due_on, on)

    def is_late(self, on: date) -> bool:
        """Not in QAIT's hands by the due date: not submitted and past it, or submitted late (while waiting)."""
        if self.status in (NOT_STARTED, DRAFT, RETURNED):
            return on > self.due_on
        return False

    @property
    def submitted_pct(self) -> float | None:
        if self.version is None:
            return None
        return scheduling.percentage(self.version.cases_in_timescale, self.version.cases_open)

    @property
    def pct_in_timescale(self) -> float | None:
        """The submitted figure when there is one, else the live one (CONTRACT.md `returns`)."""
        if self.version is not None:
            return self.submitted_pct
        return self.live.pct_in_timescale if self.live is not None else None

    @property
    def chase_level(self) -> int:
        return max((chase.level for chase in self.chases), default=0)


def teams_for(user: Staff, service_id: int | None = None) -> Select[tuple[Team]]:
    """The active teams whose returns this person reads (QAIT all), optionally of one service."""
    query = select(Team).join(Team.service).where(Team.active.is_(True)).options(joinedload(Team.service))
    ids = reach_team_ids(user)
    if ids is not None:
        query = query.where(Team.id.in_(ids))
    if service_id is not None:
        query = query.where(Team.service_id == service_id)
    return query.order_by(Service.name, Team.name)


def month_returns(teams: Select[tuple[Team]], month: date, *, live: bool = False, on: date | None = None,
                  rule: str | None = None) -> list[TeamReturn]:
    """Every team of ``teams`` with its return for the month, latest version and chases, in a fixed number of
    queries; with ``live``, the figures now as well (for teams that have not submitted)."""
    on = on or dates.today()
    found = list(db.session.scalars(teams).unique())
    team_ids = teams.with_only_columns(Team.id).order_by(None)
    returns: dict[int, SupervisionReturn] = {}
    versions: dict[int, ReturnVersion] = {}
    for started, version in db.session.execute(
            select(SupervisionReturn, ReturnVersion)
            .outerjoin(ReturnVersion, (ReturnVersion.return_id == SupervisionReturn.id)
                       & (ReturnVersion.number == SupervisionReturn.submissions))
            .where(SupervisionReturn.month == month, SupervisionReturn.team_id.in_(team_ids))).tuples():
        returns[started.team_id] = started
        if version is not None:
            versions[started.id] = version
    chases: dict[int, list[ReturnChase]] = defaultdict(list)
    for chase in db.session.scalars(select(ReturnChase).where(ReturnChase.month == month,
                                                              ReturnChase.team_id.in_(team_ids))
                                    .order_by(ReturnChase.level)):
        chases[chase.team_id].append(chase)
    figures = month_figures(team_ids, month, on) if live else {}
    due = due_on(month, rule)
    rows = []
    for team in found:
        found_return = returns.get(team.id)
        rows.append(TeamReturn(team, month, due, found_return,
                               versions.get(found_return.id) if found_return is not None else None,
                               figures.get(team.id, TeamMonth(team.id, month)) if live else None,
                               chases.get(team.id, [])))
    return rows


@dataclass(frozen=True)
class RollUp:
    """Returns added up over several teams: a service's line, or the county's."""

    name: str
    teams: int
    submitted: int  # submitted or accepted (in QAIT's hands or done)
    late: int
    cases_open: int
    cases_in_timescale: int

    @property
    def pct_in_timescale(self) -> float | None:
        return scheduling.percentage(self.cases_in_timescale, self.cases_open)


def roll_up(name: str, rows: list[TeamReturn], on: date) -> RollUp:
    """Totals of these teams: the submitted figures where submitted, else the live ones."""
    opened = in_timescale = 0
    for row in rows:
        if row.version is not None:
            opened += row.version.cases_open
            in_timescale += row.version.cases_in_timescale
        elif row.live is not None:
            opened += row.live.cases_open
            in_timescale += row.live.cases_in_timescale
    return RollUp(name, len(rows), sum(row.status in (SUBMITTED, ACCEPTED) for row in rows),
                  sum(row.is_late(on) for row in rows), opened, in_timescale)


def by_service(rows: list[TeamReturn], on: date) -> list[RollUp]:
    grouped: dict[str, list[TeamReturn]] = defaultdict(list)
    for row in rows:
        grouped[row.team.service.name].append(row)
    return [roll_up(name, items, on) for name, items in sorted(grouped.items())]


# The trend: the figures each team submitted for the last 12 months ----------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    month: date
    cases_open: int | None  # None: no submission for that month
    cases_in_timescale: int | None

    @property
    def pct_in_timescale(self) -> float | None:
        if self.cases_open is None or self.cases_in_timescale is None:
            return None
        return scheduling.percentage(self.cases_in_timescale, self.cases_open)


def trend_months(last: date, count: int = TREND_MONTHS) -> list[date]:
    return [dates.add_months(last, -back) for back in range(count - 1, -1, -1)]


def submitted_trend(team_ids: Select[tuple[int]], months: list[date]) -> dict[int, dict[date, tuple[int, int]]]:
    """(open, in timescale) each team submitted for each month, from the latest submission (one query)."""
    rows = db.session.execute(
        select(SupervisionReturn.team_id, SupervisionReturn.month, ReturnVersion.cases_open,
               ReturnVersion.cases_in_timescale)
        .join(ReturnVersion, (ReturnVersion.return_id == SupervisionReturn.id)
              & (ReturnVersion.number == SupervisionReturn.submissions))
        .where(SupervisionReturn.team_id.in_(team_ids), SupervisionReturn.month >= months[0],
               SupervisionReturn.month <= months[-1])
    ).tuples()
    found: dict[int, dict[date, tuple[int, int]]] = defaultdict(dict)
    for team_id, month, opened, in_timescale in rows:
        found[team_id][month] = (opened, in_timescale)
    return found


def trend_of(submitted: dict[int, dict[date, tuple[int, int]]], team_ids: list[int],
             months: list[date]) -> list[TrendPoint]:
    """The trend of these teams added up: a month counts the teams that submitted it."""
    points = []
    for month in months:
        figures = [submitted[team_id][month] for team_id in team_ids if month in submitted.get(team_id, {})]
        if figures:
            points.append(TrendPoint(month, sum(f[0] for f in figures), sum(f[1] for f in figures)))
        else:
            points.append(TrendPoint(month, None, None))
    return points


# Chasing late teams (issue 13 item 4) -------------------------------------------------------------------------

def chase(rows: list[TeamReturn], by: Staff, on: date) -> list[ReturnChase]:
    """A reminder to each of these late teams' managers, recorded on the return; the second goes to the
    team's service manager too and the third to its head of service. A team already chased three times, or
    not late, is left alone."""
    made = []
    for row in rows:
        if not row.is_late(on) or row.chase_level >= max(CHASE_LEVELS):
            continue
        level = row.chase_level + 1
        people = chase_recipients(row.team, level)
        chased = ReturnChase(team_id=row.team.id, month=row.month, level=level, chased_by=by,
                             told=", ".join(person.name for person in people))
        db.session.add(chased)
        for person in people:
            notify(person, f"{row.team.name}: the {dates.month_label(row.month)} supervision return is late",
                   f"The {dates.month_label(row.month)} supervision return for {row.team.name} was due on "
                   f"{row.due_on:%A %-d %B %Y} and QAIT has not received it. Please submit it in TeamOps.")
        row.chases.append(chased)
        made.append(chased)
    db.session.flush()
    return made


def chase_recipients(team: Team, level: int) -> list[Staff]:
    """Who a chase at ``level`` tells: the team's managers; then its service manager; then its head of service."""
    people = team_managers(team)
    if level >= 2:
        people += [person for person in [service_manager_of(team)] if person is not None]
    if level >= 3:
        people += list(db.session.scalars(
            select(Staff).join(Team, Team.id == Staff.team_id)
            .where(Staff.role == "head_of_service", Staff.active.is_(True), Team.service_id == team.service_id)
            .order_by(Staff.name)))
    unique: dict[int, Staff] = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def service_manager_of(team: Team) -> Staff | None:
    """The service manager above the team's manager: up the line-management chain (R-ORG-1)."""
    seen: set[int] = set()
    for manager in team_managers(team):
        person = manager.line_manager
        while person is not None and person.id not in seen:
            seen.add(person.id)
            if person.role == "service_manager" and person.active:
                return person
            person = person.line_manager
    return None


def chases_of(team_id: int, month: date) -> list[ReturnChase]:
    return list(db.session.scalars(select(ReturnChase).where(ReturnChase.team_id == team_id,
                                                             ReturnChase.month == month)
                                   .options(selectinload(ReturnChase.chased_by)).order_by(ReturnChase.level)))


def versions_of(ret: SupervisionReturn | None) -> list[ReturnVersion]:
    if ret is None:
        return []
    return list(db.session.scalars(select(ReturnVersion).where(ReturnVersion.return_id == ret.id)
                                   .options(selectinload(ReturnVersion.rows),
                                            joinedload(ReturnVersion.submitted_by),
                                            joinedload(ReturnVersion.decided_by))
                                   .order_by(ReturnVersion.number.desc())))


def submitted_figure(team_id: int, month: date) -> tuple[int, int] | None:
    """(open, in timescale) as last submitted for the team's month: what the dashboards show beside the live
    figure when they differ."""
    row = db.session.execute(
        select(ReturnVersion.cases_open, ReturnVersion.cases_in_timescale)
        .join(SupervisionReturn, SupervisionReturn.id == ReturnVersion.return_id)
        .where(SupervisionReturn.team_id == team_id, SupervisionReturn.month == month,
               ReturnVersion.number == SupervisionReturn.submissions)).first()
    return (row[0], row[1]) if row is not None else None



@dataclass(frozen=True)
class ReturnAtHome:
    """A return a manager owes, as their home page shows it."""

    team: Team
    month: date
    status: str
    due_on: date
    chased: int  # how many times QAIT chased it

    def working_days_left(self, on: date) -> int:
        return dates.working_days_left(on, self.due_on)

    def working_days_late(self, on: date) -> int:
        return dates.working_days_late(self.due_on, on)


def returns_at_home(user: Staff, on: date) -> list[ReturnAtHome]:
    """Last month's returns of the teams this person writes returns for (their own team as its manager, any
    team they cover), with their status and QAIT's chases: one statement, and the due-date rule."""
    if user.role in ("admin", "qait"):
        return []
    month = last_month(on)
    covered = covers.covered_team_ids(user.id, on)
    own = (Team.id == user.team_id) if user.role == "team_manager" else false()
    chased = (select(func.count(ReturnChase.id)).where(ReturnChase.team_id == Team.id, ReturnChase.month == month)
              .correlate(Team).scalar_subquery())
    rows = db.session.execute(
        select(Team, SupervisionReturn.status, chased)
        .outerjoin(SupervisionReturn, (SupervisionReturn.team_id == Team.id) & (SupervisionReturn.month == month))
        .where(Team.active.is_(True), or_(own, Team.id.in_(covered))).order_by(Team.name)).tuples().all()
    if not rows:
        return []
    due = due_on(month)
    return [ReturnAtHome(team, month, status or NOT_STARTED, due, count) for team, status, count in rows]

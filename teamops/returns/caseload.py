"""Monthly caseload reviews (DOMAIN.md R-QA-3): on the first working day of each month QAIT makes a caseload
report per team of the services where the review applies; the team's manager adds commentary per worker within
7 days (rolled to a working day) and returns it; QAIT sees who has returned, who is late, and the commentary.

A report describes the last day of the month before (``as_of``): who was in the team that day (team membership
is dated), the cases each held then, and their supervision state then, all from teamops.scheduling. Once made, a
report does not change with later edits: it is what the team looked like that day. Making the reports is
idempotent: a team that has its report for the month is left alone, and two runs at once leave one report per
team (the unique constraint, each team's insert in its own savepoint).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from teamops import dates, scheduling
from teamops.access import Person, reach_team_ids, return_team_ids
from teamops.extensions import db
from teamops.org import memberships
from teamops.org.models import Service, Staff, Team, TeamMembership
from teamops.policy.models import CaseType
from teamops.returns.models import CASELOAD_COMMENTARY_MAX, CaseloadReview, CaseloadRow

# A review's state on a day: waiting for commentary, returned by the due date, returned after it, or not returned
# and past it.
WAITING, RETURNED, RETURNED_LATE, LATE = "waiting", "returned", "returned_late", "late"
STATE_LABELS = {WAITING: "Waiting", RETURNED: "Returned", RETURNED_LATE: "Returned late", LATE: "Late"}
STATE_TAGS = {WAITING: "govuk-tag--blue", RETURNED: "govuk-tag--green", RETURNED_LATE: "govuk-tag--yellow",
              LATE: "govuk-tag--red"}
UNSUPERVISED_MONTHS = 2  # "cases without supervision for over 2 months" (issue 13 item 6)
# The order case types are shown in: CONTRACT.md's list; any other type after them, by code.
TYPE_ORDER = ("CP", "CIN", "EH", "CLA", "CL", "YJ", "PF")


class CaseloadRefused(ValueError):
    """What was asked cannot be done to the review as it stands; the message says why."""


# Which month ---------------------------------------------------------------------------------------------

def report_month(on: date) -> date:
    """The month whose reports are made by ``on``: this month from its first working day, else the month before
    (on a bank holiday 1st the reports of the month before are still the latest)."""
    month = date(on.year, on.month, 1)
    if on < dates.first_working_day(on.year, on.month):
        return dates.add_months(month, -1)
    return month


def month_problem(month: date, on: date) -> str | None:
    """Why reports cannot be made for ``month`` on ``on``: a month still to come describes a day that has not
    ended."""
    if month > date(on.year, on.month, 1):
        return (f"{dates.month_label(month)} has not begun: its caseload reports describe the last day of "
                f"{dates.month_label(dates.add_months(month, -1))}, and can be made from "
                f"{dates.first_working_day(month.year, month.month):%-d %B %Y}")
    return None


def parse_month(text: str | None, on: date) -> date:
    """``YYYY-MM`` to the month's first day (default: the current month); ValueError with a plain message for
    anything else, or a month still to come."""
    if not text:
        return date(on.year, on.month, 1)
    month = dates.month_start(text.strip())
    problem = month_problem(month, on)
    if problem:
        raise ValueError(problem)
    return month


# Making the reports --------------------------------------------------------------------------------------

def teams_due_a_report(month: date) -> Select[tuple[int]]:
    """Ids of the active teams of active services with caseload reviews that have no report for ``month``."""
    made = exists().where(CaseloadReview.team_id == Team.id, CaseloadReview.month == month)
    return (select(Team.id).join(Service, Service.id == Team.service_id)
            .where(Team.active.is_(True), Service.active.is_(True), Service.caseload_reviews.is_(True), ~made))


def make_reports(month: date, made_on: date) -> int:
    """Makes ``month``'s report for every team that should have one and has none; how many were made. Reads
    in a fixed number of statements however many teams (the teams, their members at ``as_of`` with their
    cases, the policy, last month's rows), then inserts each team's report in a savepoint: a report made by
    another run in the meantime fails only that savepoint, and is counted as already made. Flushes."""
    month = date(month.year, month.month, 1)
    as_of = month - timedelta(days=1)
    due_on = dates.caseload_commentary_due_on(made_on)
    due_a_report = teams_due_a_report(month)
    team_ids = list(db.session.scalars(due_a_report.order_by(Team.id)))
    if not team_ids:
        return 0
    rows = _rows_by_team(due_a_report, month, as_of)
    made = 0
    for team_id in team_ids:
        review = CaseloadReview(team_id=team_id, month=month, as_of=as_of, commentary_due_on=due_on,
                                rows=rows.get(team_id, []))
        try:
            with db.session.begin_nested():
                db.session.add(review)
        except IntegrityError:  # another run made this team's report first: it stands
            continue
        made += 1
    return made


def reports_made(month: date) -> int:
    """How many reports ``month`` has."""
    return db.session.scalar(select(func.count(CaseloadReview.id)).where(CaseloadReview.month == month)) or 0


@dataclass
class _Caseload:
    open_cases: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    high_risk: int = 0
    overdue: int = 0
    unsupervised: int = 0


def _rows_by_team(team_ids: Select[tuple[int]], month: date, as_of: date) -> dict[int, list[CaseloadRow]]:
    """Each team's rows at ``as_of``: everyone in the team that day who is a worker who had started, and anyone
    else holding cases then (a manager), so every open case of the team is in some row (as on the dashboards
    and in the returns)."""
    in_team = select(Staff.id, Staff.name, Staff.role, Staff.start_date, TeamMembership.team_id).join(
        TeamMembership, TeamMembership.staff_id == Staff.id).where(
        TeamMembership.team_id.in_(team_ids), memberships.held_on(as_of)).order_by(Staff.name, Staff.id)
    people = db.session.execute(in_team).tuples().all()
    member_ids = memberships.members_on(team_ids, as_of).with_only_columns(TeamMembership.staff_id)
    caseloads = caseloads_at(as_of, member_ids)
    before = _previous_counts(team_ids, dates.add_months(month, -1))

    rows: dict[int, list[CaseloadRow]] = {}
    for person_id, name, role, start_date, team_id in people:
        caseload = caseloads.get(person_id, _Caseload())
        if not ((role == "worker" and start_date <= as_of) or caseload.open_cases):
            continue
        team_rows = rows.setdefault(team_id, [])
        last_month = before.get((team_id, person_id))
        team_rows.append(CaseloadRow(
            position=len(team_rows) + 1, staff_id=person_id, name=name, open_cases=caseload.open_cases,
            by_type=dict(sorted(caseload.by_type.items(), key=lambda item: type_order(item[0]))),
            high_risk=caseload.high_risk, overdue=caseload.overdue, unsupervised_2_months=caseload.unsupervised,
            change=None if last_month is None else caseload.open_cases - last_month))
    return rows


def caseloads_at(as_of: date, workers: Select[tuple[int]]) -> dict[int, _Caseload]:
    """Per worker, the cases open at ``as_of`` that they held that day: by type, high risk, overdue for
    supervision then, and without a case supervision for over 2 months (the last one held on or before
    ``as_of``, else the allocation, was before the same day 2 months earlier)."""
    cutoff = dates.add_months(as_of, -UNSUPERVISED_MONTHS)
    found: dict[int, _Caseload] = {}
    for row in scheduling.open_cases_at(as_of, workers):
        caseload = found.setdefault(row.worker_id, _Caseload())
        caseload.open_cases += 1
        caseload.by_type[row.case.case_type_code] += 1
        caseload.high_risk += row.case.high_risk
        caseload.overdue += row.due.due_state == scheduling.OVERDUE
        caseload.unsupervised += (row.due.last_supervised_on or row.case.allocated_on) < cutoff
    return found


def _previous_counts(team_ids: Select[tuple[int]], month: date) -> dict[tuple[int, int], int]:
    """(team id, person id): open cases in that team's report for ``month``."""
    rows = db.session.execute(
        select(CaseloadReview.team_id, CaseloadRow.staff_id, CaseloadRow.open_cases)
        .join(CaseloadRow, CaseloadRow.review_id == CaseloadReview.id)
        .where(CaseloadReview.month == month, CaseloadReview.team_id.in_(team_ids))
    ).tuples()
    return {(team_id, staff_id): count for team_id, staff_id, count in rows}


def type_order(code: str) -> tuple[int, str]:
    return (TYPE_ORDER.index(code) if code in TYPE_ORDER else len(TYPE_ORDER), code)


# Commentary and returning ------------------------------------------------------------------------------

def may_change(review: CaseloadReview) -> bool:
    """Commentary may change until the review is returned to QAIT; after that it is what QAIT read."""
    return review.returned_at is None


def save_commentary(review: CaseloadReview, commentary: dict[int, str]) -> int:
    """Saves the commentary given by row id (rows not given keep theirs); how many rows changed. Flushes."""
    if not may_change(review):
        raise CaseloadRefused(returned_message(review))
    changed = 0
    for row in review.rows:
        if row.id not in commentary:
            continue
        text = commentary[row.id].strip()
        if len(text) > CASELOAD_COMMENTARY_MAX:
            raise CaseloadRefused(f"Commentary on {row.name} must be {CASELOAD_COMMENTARY_MAX:,} characters or fewer")
        if text != row.commentary:
            row.commentary = text
            changed += 1
    db.session.flush()
    return changed


def return_to_qait(review: CaseloadReview, by: Staff, now: datetime) -> None:
    """Sends the review back to QAIT with its commentary; from then on it reads only. Flushes."""
    if not may_change(review):
        raise CaseloadRefused(returned_message(review))
    review.returned_at, review.returned_by = now, by
    db.session.flush()


def returned_message(review: CaseloadReview) -> str:
    when = review.returned_at
    on = f" on {dates.london_date(when):%-d %B %Y}" if when is not None else ""
    return f"This review was returned to QAIT{on}: its commentary can no longer change"


# Reading -------------------------------------------------------------------------------------------------

def state_on(review: CaseloadReview, on: date) -> str:
    """``waiting``, ``returned`` (by the due date), ``returned_late``, or ``late`` (not returned, past it)."""
    if review.returned_at is not None:
        return RETURNED_LATE if dates.london_date(review.returned_at) > review.commentary_due_on else RETURNED
    return LATE if on > review.commentary_due_on else WAITING


def working_days_late(review: CaseloadReview, on: date) -> int:
    """Working days after the due date until it was returned, or until ``on`` while it is not."""
    last = dates.london_date(review.returned_at) if review.returned_at is not None else on
    return dates.working_days_late(review.commentary_due_on, last)


def change_text(change: int | None) -> str:
    """"+2", "-1", "0", or "new" for someone not in last month's report of the team."""
    if change is None:
        return "new"
    return f"+{change}" if change > 0 else str(change)


@dataclass(frozen=True)
class ReviewLine:
    """A team's review as the month's list shows it."""

    review: CaseloadReview
    state: str
    days_late: int

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag(self) -> str:
        return STATE_TAGS[self.state]


def month_reviews(user: Person, month: date, on: date, service_id: int | None = None) -> list[ReviewLine]:
    """The month's reviews of the teams in this person's reach (QAIT: every team), optionally of one service,
    by service and team, in one statement."""
    query = (select(CaseloadReview).join(Team, Team.id == CaseloadReview.team_id)
             .join(Service, Service.id == Team.service_id)
             .options(contains_eager(CaseloadReview.team).contains_eager(Team.service),
                      joinedload(CaseloadReview.returned_by))
             .where(CaseloadReview.month == month)
             .order_by(Service.name, Team.name, CaseloadReview.id))
    reach = reach_team_ids(user)
    if reach is not None:
        query = query.where(Team.id.in_(reach))
    if service_id is not None:
        query = query.where(Team.service_id == service_id)
    return [ReviewLine(review, state_on(review, on), working_days_late(review, on))
            for review in db.session.scalars(query).unique()]


def reviews_waiting(user: Person, on: date) -> list[ReviewLine]:
    """Reviews of the teams this person writes commentary for (their own team as its manager, a team they
    cover) that have not been returned to QAIT, oldest first: for their home page."""
    query = (select(CaseloadReview).join(Team, Team.id == CaseloadReview.team_id)
             .options(contains_eager(CaseloadReview.team))
             .where(CaseloadReview.team_id.in_(return_team_ids(user)), CaseloadReview.returned_at.is_(None))
             .order_by(CaseloadReview.month, Team.name, CaseloadReview.id))
    return [ReviewLine(review, state_on(review, on), working_days_late(review, on))
            for review in db.session.scalars(query)]


def load_review(review_id: int) -> CaseloadReview | None:
    """The review with its team, service, rows and who returned it (three statements)."""
    return db.session.scalar(
        select(CaseloadReview).where(CaseloadReview.id == review_id)
        .options(joinedload(CaseloadReview.team).joinedload(Team.service),
                 joinedload(CaseloadReview.returned_by), selectinload(CaseloadReview.rows)))


def type_columns(rows: list[CaseloadRow]) -> list[tuple[str, str]]:
    """(code, name) of each case type some row holds, in the usual order (one statement for the names)."""
    codes = sorted({code for row in rows for code in row.by_type}, key=type_order)
    if not codes:
        return []
    found = db.session.execute(select(CaseType.code, CaseType.label).where(CaseType.code.in_(codes)))
    names = dict(found.tuples().all())
    return [(code, names.get(code, code)) for code in codes]


def services_with_reviews() -> list[Service]:
    """Active services with caseload reviews, for the list's service filter."""
    return list(db.session.scalars(select(Service).where(Service.active.is_(True), Service.caseload_reviews.is_(True))
                                   .order_by(Service.name)))

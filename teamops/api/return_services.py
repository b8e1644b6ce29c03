"""The rows of ``/api/v1/compliance``, ``/returns`` and ``/return-calendar`` (issue 13 item 7).

The figures are teamops.returns' own (``month_figures``, ``month_returns``, ``calendar_for_year``), so the API says
what QAIT's dashboard says. The teams are those whose returns the account reads (``teams_for``, under the
``view_returns`` policy): QAIT every team; a team manager (or whoever covers) their team; the managers above
teams theirs; a worker or an admin none. A page of teams is chosen in SQL first and only its figures are worked
out, so a page costs the same whatever the county's size.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Select, false, select
from sqlalchemy.orm import joinedload

from teamops.access import can
from teamops.api.params import ApiError, Paging
from teamops.api.services import Item, Page, _count
from teamops.dates import month_code
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.returns.figures import TeamMonth, WorkerLine, month_figures
from teamops.returns.services import calendar_for_year, month_returns, teams_for

NOT_IN_REACH = "That team's returns are outside what this account may see"


def return_teams(user: Staff) -> Select[tuple[Team]]:
    """The open teams whose returns and figures this account reads (none for whoever may not read returns)."""
    query = teams_for(user)
    return query if can("view_returns", user=user) else query.where(false())


def return_team_in_reach(user: Staff, team_id: int) -> int:
    """The ``team`` parameter checked: 404 for an id no open team has, 403 for a team out of reach."""
    team = db.session.get(Team, team_id)
    if team is None or not team.active:
        raise ApiError(404, f"No open team has id {team_id}")
    if db.session.scalar(return_teams(user).where(Team.id == team_id).with_only_columns(Team.id)) is None:
        raise ApiError(403, NOT_IN_REACH)
    return team_id


def _page_of(teams: Select[tuple[Team]], paging: Paging) -> Select[tuple[Team]]:
    """One page of ``teams`` (by service and name) as a query of teams: the page is chosen inside the statement."""
    chosen = (teams.with_only_columns(Team.id).order_by(None).order_by(Service.name, Team.name, Team.id)
              .limit(paging.per_page).offset(paging.offset))
    return (select(Team).join(Team.service).where(Team.id.in_(chosen)).options(joinedload(Team.service))
            .order_by(Service.name, Team.name, Team.id))


def _worker(line: WorkerLine) -> Item:
    return {"email": line.email, "cases_open": line.cases_open, "cases_in_timescale": line.cases_in_timescale,
            "pct_in_timescale": line.pct_in_timescale, "personal_due_state": line.personal_state}


def compliance_page(user: Staff, paging: Paging, month: date, team_id: int | None = None) -> Page:
    """Each team's % in timescale at the month's last day, and its workers' (CONTRACT.md "Scheduling rules")."""
    teams = return_teams(user)
    if team_id is not None:
        teams = teams.where(Team.id == team_id)
    page = _page_of(teams, paging)
    found = list(db.session.scalars(page).unique())
    figures = month_figures(page.with_only_columns(Team.id).order_by(None), month) if found else {}
    items = []
    for team in found:
        numbers = figures.get(team.id) or TeamMonth(team.id, month)
        items.append({
            "team": team.name, "month": month_code(month), "cases_open": numbers.cases_open,
            "cases_in_timescale": numbers.cases_in_timescale, "pct_in_timescale": numbers.pct_in_timescale,
            "workers": [_worker(line) for line in numbers.lines],
        })
    return Page(items, paging.page, paging.per_page, _count(teams))


def utc_text(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC to the second (``2026-04-03T09:15:00Z``), as reporting tools read it."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def returns_page(user: Staff, paging: Paging, month: date) -> Page:
    """Each team's return for the month: its status, due date and latest submission."""
    teams = return_teams(user)
    items = []
    for row in month_returns(_page_of(teams, paging), month):
        items.append({
            "team": row.team.name, "month": month_code(month), "due_on": row.due_on, "status": row.status,
            "submitted_at": utc_text(row.submitted_at), "on_time": row.on_time,
            "pct_in_timescale": row.submitted_pct,
        })
    return Page(items, paging.page, paging.per_page, _count(teams))


def calendar_page(paging: Paging, year: int) -> Page:
    """The due dates of the year's twelve returns under the organisation's rule (the same for everyone)."""
    items: list[Item] = [{"month": month_code(due.month), "due_on": due.due_on} for due in calendar_for_year(year)]
    return Page(items[paging.offset:paging.offset + paging.per_page], paging.page, paging.per_page, len(items))

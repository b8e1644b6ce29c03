"""A month's returns as spreadsheets (issue 13 item 5): one row per worker, one per team, and the roll-up by
service, for QAIT's Excel work without copying from screens.

A team that has submitted exports its latest submission as it was frozen (``ReturnVersion`` and its rows: later
edits and backdated records change nothing), with its status and when it was submitted. A team that has not
(not started, or a draft) exports the figures as they stand (``month_figures``), and no commentary: a draft's
commentary is the manager's until they submit it. Times are UK wall-clock time (Excel has no time zones).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select

from teamops import dates, scheduling
from teamops.extensions import db
from teamops.org.models import Team
from teamops.returns.models import ReturnRow, ReturnVersion, SupervisionReturn
from teamops.returns.services import RollUp, TeamReturn, by_service, month_returns, roll_up
from teamops.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, Column, Sheet, XlsxValue, csv_text

MONTH_FORMAT = "mmm yyyy"
PERCENT_FORMAT = "0.0"
VIEWS = ("workers", "teams", "services")
COUNTY = "All services"

_HEAD = (Column("service", 26), Column("team", 30), Column("month", 10, MONTH_FORMAT), Column("status", 12),
         Column("due_on", 12, DATE_FORMAT), Column("submitted_at", 17, DATETIME_FORMAT), Column("on_time", 9))
WORKER_COLUMNS = (*_HEAD, Column("worker_name", 26), Column("worker_email", 32), Column("cases_open", 11),
                  Column("cases_in_timescale", 11), Column("pct_in_timescale", 11, PERCENT_FORMAT),
                  Column("case_supervisions", 11), Column("personal_last_on", 12, DATE_FORMAT),
                  Column("personal_state", 13), Column("filed_late", 9), Column("not_filed", 9),
                  Column("commentary", 60))
TEAM_COLUMNS = (*_HEAD, Column("working_days_late", 11), Column("workers", 9), Column("cases_open", 11),
                Column("cases_in_timescale", 11), Column("pct_in_timescale", 11, PERCENT_FORMAT),
                Column("case_supervisions", 11), Column("personal_overdue", 11), Column("filed_late", 9),
                Column("not_filed", 9), Column("team_commentary", 60))
SERVICE_COLUMNS = (Column("service", 26), Column("month", 10, MONTH_FORMAT), Column("teams", 8),
                   Column("submitted", 10), Column("late", 8), Column("cases_open", 11),
                   Column("cases_in_timescale", 11), Column("pct_in_timescale", 11, PERCENT_FORMAT))


@dataclass(frozen=True)
class MonthExport:
    month: date
    on: date  # the day "late" is judged on
    teams: list[TeamReturn]
    frozen: dict[int, list[ReturnRow]]  # a submission's rows, by version id


def month_export(teams: Select[tuple[Team]], month: date, on: date) -> MonthExport:
    """The teams' returns for the month with the figures now, and the rows of their latest submissions (one
    query more)."""
    found = month_returns(teams, month, live=True, on=on)
    team_ids = teams.with_only_columns(Team.id).order_by(None)
    frozen: dict[int, list[ReturnRow]] = defaultdict(list)
    for row in db.session.scalars(
            select(ReturnRow).join(ReturnVersion, ReturnVersion.id == ReturnRow.version_id)
            .join(SupervisionReturn, SupervisionReturn.id == ReturnVersion.return_id)
            .where(SupervisionReturn.month == month, SupervisionReturn.team_id.in_(team_ids),
                   ReturnVersion.number == SupervisionReturn.submissions)
            .order_by(ReturnRow.version_id, ReturnRow.position)):
        frozen[row.version_id].append(row)
    return MonthExport(month, on, found, frozen)


def _uk_time(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(dates.LONDON).replace(tzinfo=None)


def _head(export: MonthExport, team: TeamReturn) -> list[XlsxValue]:
    return [team.team.service.name, team.team.name, export.month, team.status, team.due_on,
            _uk_time(team.submitted_at), team.on_time]


def worker_rows(export: MonthExport) -> Iterator[list[XlsxValue]]:
    """One row per worker of every team's return: as submitted, else as the figures stand now."""
    for team in export.teams:
        head = _head(export, team)
        if team.version is not None:
            for row in export.frozen.get(team.version.id, []):
                yield [*head, row.name, row.email, row.cases_open, row.cases_in_timescale,
                       scheduling.percentage(row.cases_in_timescale, row.cases_open), row.case_supervisions,
                       row.personal_last_on, row.personal_state, row.filed_late, row.not_filed, row.commentary]
        elif team.live is not None:
            for line in team.live.lines:
                yield [*head, line.name, line.email, line.cases_open, line.cases_in_timescale,
                       line.pct_in_timescale, line.case_supervisions, line.personal_last_on, line.personal_state,
                       line.filed_late, line.not_filed, ""]


def team_rows(export: MonthExport) -> Iterator[list[XlsxValue]]:
    """One row per team: the submission's totals and team commentary, else the figures now."""
    for team in export.teams:
        late = team.working_days_late(export.on)
        if team.version is not None:
            rows = export.frozen.get(team.version.id, [])
            version = team.version
            yield [*_head(export, team), late, len(rows), version.cases_open, version.cases_in_timescale,
                   team.submitted_pct, sum(row.case_supervisions for row in rows),
                   sum(row.personal_state == scheduling.OVERDUE for row in rows),
                   sum(row.filed_late for row in rows), sum(row.not_filed for row in rows), version.team_commentary]
        elif team.live is not None:
            live = team.live
            yield [*_head(export, team), late, len(live.lines), live.cases_open, live.cases_in_timescale,
                   live.pct_in_timescale, live.case_supervisions, live.personal_overdue, live.filed_late,
                   live.not_filed, ""]


def service_rows(export: MonthExport) -> Iterator[list[XlsxValue]]:
    """Each service's roll-up, then the county's (every team exported)."""
    lines: list[RollUp] = by_service(export.teams, export.on)
    if export.teams:
        lines.append(roll_up(COUNTY, export.teams, export.on))
    for line in lines:
        yield [line.name, export.month, line.teams, line.submitted, line.late, line.cases_open,
               line.cases_in_timescale, line.pct_in_timescale]


def workbook_sheets(export: MonthExport) -> list[Sheet]:
    return [Sheet("Workers", WORKER_COLUMNS, worker_rows(export)), Sheet("Teams", TEAM_COLUMNS, team_rows(export)),
            Sheet("Services", SERVICE_COLUMNS, service_rows(export))]


def _csv_cell(value: XlsxValue, column: Column) -> str | int | float:
    """A CSV cell: the month as YYYY-MM, dates ISO, times ``YYYY-MM-DD HH:MM`` (UK), yes/no as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return dates.month_code(value) if column.number_format == MONTH_FORMAT else value.isoformat()
    return value


def csv_view(export: MonthExport, view: str) -> str:
    """One view as CSV (a header row of the column names), every text cell made formula-safe."""
    columns: Sequence[Column]
    rows: Iterator[list[XlsxValue]]
    if view == "teams":
        columns, rows = TEAM_COLUMNS, team_rows(export)
    elif view == "services":
        columns, rows = SERVICE_COLUMNS, service_rows(export)
    else:
        columns, rows = WORKER_COLUMNS, worker_rows(export)
    return csv_text([[column.heading for column in columns],
                     *([_csv_cell(value, column) for value, column in zip(row, columns, strict=True)]
                       for row in rows)])

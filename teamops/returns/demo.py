"""The demo's supervision returns: a year of accepted returns for the demo manager's team (the trend has
something to show), last month's return started as a draft with a note, and the other teams in every state
QAIT meets: one waiting for QAIT, one late and not started."""

from __future__ import annotations

from datetime import date, datetime, time

from teamops import dates
from teamops.org.models import Staff, Team
from teamops.returns import services
from teamops.returns.figures import team_month
from teamops.returns.models import ACCEPTED

HISTORY_MONTHS = 11  # accepted returns before last month's


def seed_returns(on: date, teams: list[Team], manager: Staff, qait: Staff) -> None:
    """``teams`` are the teams with workers, the demo manager's first."""
    last = services.last_month(on)
    own, others = teams[0], teams[1:]
    for back in range(HISTORY_MONTHS, 0, -1):
        _accepted(own, dates.add_months(last, -back), manager, qait, on)
    for team in others:
        _accepted(team, dates.add_months(last, -1), team.manager or manager, qait, on)
    draft = services.start(own, last, manager, on)
    figures = team_month(own.id, last, on)
    explained = next((line for line in figures.lines if line.needs_explaining), None)
    notes = {explained.staff_id: "Supervision of the overdue cases is booked for next week."} if explained else {}
    services.save_draft(draft, "", notes)
    if others and services.has_ended(last, on):
        waiting = others[0]
        services.submit(services.start(waiting, last, waiting.manager or manager, on), waiting.manager or manager, on)


def _accepted(team: Team, month: date, by: Staff, qait: Staff, on: date) -> None:
    """A return submitted on its due date (or today, if that is later) and accepted the next working day."""
    due = services.due_on(month)
    day = min(due, on)
    ret = services.start(team, month, by, on)
    services.save_draft(ret, "Figures checked with the team.", {})
    version = services.submit(ret, by, day)
    version.submitted_at = _at(day, 10)
    services.decide(ret, ACCEPTED, "", qait, _at(dates.next_working_day(day), 9), tell=False)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=dates.LONDON)

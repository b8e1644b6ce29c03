"""GET /api/v1/returns and /api/v1/return-calendar (CONTRACT.md "Reporting API", issue 13 item 7): each team's
return for a month through the workflow, the reach, bad months and years, the calendar for 2026 to 2028 under
both of the organisation's rules, and CSV read back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.settings import settings
from teamops.returns import services as returns
from tests import factories
from tests.api.conftest import csv_dicts
from tests.returns.worked import MONTH, TODAY, build_march

MARCH = "/api/v1/returns?month=2026-03"
UTC_SECONDS = re.compile(r"^2026-04-0[2-9]T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")


@pytest.fixture
def march(org):
    """North submitted on Thursday 2 April (on time), South saved a draft, Youth Justice has not started."""
    with dates.freeze(TODAY):
        build_march(org)
    with dates.freeze(date(2026, 4, 2)):
        north = returns.start(org["teams"]["north"], MONTH, org["team_manager"], dates.today())
        returns.save_draft(north, "One CP case waits for a visit.", {})
        returns.submit(north, org["team_manager"], dates.today())
        returns.start(org["teams"]["south"], MONTH, org["south_manager"], dates.today())
        db.session.commit()
    with dates.freeze(TODAY):
        yield org


def by_team(body):
    return {item["team"]: item for item in body["items"]}


def test_each_team_where_its_return_stands(bearer, march):
    body = bearer("qait").get(MARCH).get_json()
    assert body["total"] == 3
    teams = by_team(body)
    north = teams["Family Safeguarding North"]
    assert UTC_SECONDS.match(north["submitted_at"])
    assert datetime.fromisoformat(north["submitted_at"]).astimezone(UTC).date() == date(2026, 4, 2)
    assert north == {"team": "Family Safeguarding North", "month": "2026-03", "due_on": "2026-04-07",
                     "status": "submitted", "submitted_at": north["submitted_at"], "on_time": True,
                     "pct_in_timescale": 66.7}
    assert teams["Family Safeguarding South"] == {
        "team": "Family Safeguarding South", "month": "2026-03", "due_on": "2026-04-07", "status": "draft",
        "submitted_at": None, "on_time": None, "pct_in_timescale": None}
    assert teams["Youth Justice Team"]["status"] == "not_started"


def test_the_submitted_figure_stays_when_the_records_change_and_qait_returns_it(bearer, march):
    north = returns.find(march["teams"]["north"].id, MONTH)
    returns.decide(north, "returned", "Explain N-3", march["qait"], dates.utcnow())
    factories.close_case(db.session.scalar(select(Case).where(Case.case_ref == "N-2")), date(2026, 3, 25))
    item = by_team(bearer("qait").get(MARCH).get_json())["Family Safeguarding North"]
    assert (item["status"], item["on_time"], item["pct_in_timescale"]) == ("returned", True, 66.7)
    live = by_team(bearer("qait").get("/api/v1/compliance?month=2026-03").get_json())["Family Safeguarding North"]
    assert live["cases_open"] == 2


def test_a_late_submission_is_not_on_time(bearer, march):
    with dates.freeze(date(2026, 4, 8)):
        south = returns.find(march["teams"]["south"].id, MONTH)
        returns.submit(south, march["south_manager"], dates.today())
        db.session.commit()
    item = by_team(bearer("qait").get(MARCH).get_json())["Family Safeguarding South"]
    assert (item["status"], item["on_time"], item["pct_in_timescale"]) == ("submitted", False, 100.0)


@pytest.mark.parametrize(("role", "teams"), [
    ("qait", {"Family Safeguarding North", "Family Safeguarding South", "Youth Justice Team"}),
    ("service_manager", {"Family Safeguarding North", "Family Safeguarding South"}),
    ("team_manager", {"Family Safeguarding North"}),
    ("worker", set()),
    ("admin", set()),
])
def test_each_account_sees_its_reach(bearer, march, role, teams):
    assert {item["team"] for item in bearer(role).get(MARCH).get_json()["items"]} == teams


def test_a_month_not_ended_lists_every_team_not_started(bearer, march):
    items = bearer("qait").get("/api/v1/returns?month=2026-04").get_json()["items"]
    assert {(i["status"], i["due_on"]) for i in items} == {("not_started", "2026-05-01")}


@pytest.mark.parametrize("query", ["", "month=", "month=2026-13", "month=2026-1", "month=2101-01"])
def test_bad_months_name_the_field(bearer, march, query):
    response = bearer("qait").get(f"/api/v1/returns?{query}")
    assert response.status_code == 400 and response.get_json()["field"] == "month"


def test_csv_has_the_same_rows(bearer, march):
    rows = csv_dicts(bearer("qait").get(f"{MARCH}&format=csv"))
    assert [(r["team"], r["status"], r["on_time"], r["pct_in_timescale"]) for r in rows] == [
        ("Family Safeguarding North", "submitted", "true", "66.7"), ("Family Safeguarding South", "draft", "", ""),
        ("Youth Justice Team", "not_started", "", "")]
    assert rows[0]["due_on"] == "2026-04-07" and UTC_SECONDS.match(rows[0]["submitted_at"])


# The calendar: the first Friday of the next month, worked out by hand, moved only where it is a bank holiday.
CALENDAR = {
    2026: ["2026-02-06", "2026-03-06", "2026-04-07", "2026-05-01", "2026-06-05", "2026-07-03", "2026-08-07",
           "2026-09-04", "2026-10-02", "2026-11-06", "2026-12-04", "2027-01-04"],
    2027: ["2027-02-05", "2027-03-05", "2027-04-02", "2027-05-07", "2027-06-04", "2027-07-02", "2027-08-06",
           "2027-09-03", "2027-10-01", "2027-11-05", "2027-12-03", "2028-01-07"],
    2028: ["2028-02-04", "2028-03-03", "2028-04-07", "2028-05-05", "2028-06-02", "2028-07-07", "2028-08-04",
           "2028-09-01", "2028-10-06", "2028-11-03", "2028-12-01", "2029-01-05"],
}


@pytest.mark.parametrize("year", sorted(CALENDAR))
def test_calendar_by_hand(bearer, org, year):
    body = bearer("worker").get(f"/api/v1/return-calendar?year={year}").get_json()
    assert body["total"] == 12
    assert body["items"] == [{"month": f"{year}-{n:02d}", "due_on": due}
                             for n, due in enumerate(CALENDAR[year], start=1)]


def test_calendar_under_the_working_day_before_rule(bearer, org):
    row = settings()
    row.return_due_rule = "before"
    db.session.add(row)
    db.session.commit()
    due = {i["month"]: i["due_on"] for i in bearer("qait").get("/api/v1/return-calendar?year=2026").get_json()["items"]}
    assert due["2026-03"] == "2026-04-02"  # Good Friday 3 April: Thursday 2 April, in April
    assert due["2026-12"] == "2027-01-04"  # 1 January 2027: the day before is 31 December, inside December
    assert due["2026-04"] == "2026-05-01"


def test_calendar_csv_and_paging(bearer, org):
    rows = csv_dicts(bearer("admin").get("/api/v1/return-calendar?year=2026&format=csv&per_page=5&page=3"))
    assert rows == [{"month": "2026-11", "due_on": "2026-12-04"}, {"month": "2026-12", "due_on": "2027-01-04"}]


@pytest.mark.parametrize("query", ["", "year=", "year=26", "year=1999", "year=2101", "year=2026.0", "year=abcd"])
def test_bad_years_name_the_field(bearer, org, query):
    response = bearer("worker").get(f"/api/v1/return-calendar?{query}")
    assert response.status_code == 400 and response.get_json()["field"] == "year"

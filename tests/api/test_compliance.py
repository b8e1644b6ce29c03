"""GET /api/v1/compliance (CONTRACT.md "Reporting API", issue 13 item 7): each team's and worker's cases in
timescale at a month's end, against the month worked out by hand in tests/returns/worked.py; the reach of each
account; months refused; CSV read back."""

from __future__ import annotations

import json

import pytest

from teamops import dates
from tests.api.conftest import csv_dicts
from tests.returns.worked import TODAY, build_march

MARCH = "/api/v1/compliance?month=2026-03"


@pytest.fixture
def march(org):
    with dates.freeze(TODAY):
        yield build_march(org)


def by_team(body):
    return {item["team"]: item for item in body["items"]}


def test_figures_as_worked_out_by_hand(bearer, march):
    body = bearer("qait").get(MARCH).get_json()
    assert body["total"] == 3 and body["page"] == 1 and body["per_page"] == 100
    teams = by_team(body)
    assert teams["Family Safeguarding North"] == {
        "team": "Family Safeguarding North", "month": "2026-03", "cases_open": 3, "cases_in_timescale": 2,
        "pct_in_timescale": 66.7,
        "workers": [{"email": "worker@example.org", "cases_open": 3, "cases_in_timescale": 2,
                     "pct_in_timescale": 66.7, "personal_due_state": "ok"}]}
    # Sid moved to North on 10 April: at 31 March he and his case were South's.
    south = teams["Family Safeguarding South"]
    assert (south["cases_open"], south["cases_in_timescale"], south["pct_in_timescale"]) == (1, 1, 100.0)
    assert [w["email"] for w in south["workers"]] == ["south.worker@example.org"]
    youth = teams["Youth Justice Team"]
    assert (youth["cases_open"], youth["pct_in_timescale"]) == (0, None)
    assert youth["workers"] == [{"email": "yj.worker@example.org", "cases_open": 0, "cases_in_timescale": 0,
                                 "pct_in_timescale": None, "personal_due_state": "absent"}]


def test_items_come_by_service_then_team_and_page(bearer, march):
    client = bearer("qait")
    names = [i["team"] for i in client.get(MARCH).get_json()["items"]]
    assert names == ["Family Safeguarding North", "Family Safeguarding South", "Youth Justice Team"]
    second = client.get(f"{MARCH}&per_page=1&page=2").get_json()
    assert [i["team"] for i in second["items"]] == ["Family Safeguarding South"] and second["total"] == 3


@pytest.mark.parametrize(("role", "teams"), [
    ("qait", {"Family Safeguarding North", "Family Safeguarding South", "Youth Justice Team"}),
    ("service_manager", {"Family Safeguarding North", "Family Safeguarding South"}),
    ("team_manager", {"Family Safeguarding North"}),
    ("south_manager", {"Family Safeguarding South"}),
    ("worker", set()),
    ("admin", set()),  # admins read no case figures
])
def test_each_account_sees_its_reach(bearer, march, role, teams):
    body = bearer(role).get(MARCH).get_json()
    assert {item["team"] for item in body["items"]} == teams and body["total"] == len(teams)


def test_one_team(bearer, march):
    north, yj = march["teams"]["north"], march["teams"]["yj"]
    client = bearer("service_manager")
    items = client.get(f"{MARCH}&team={north.id}").get_json()["items"]
    assert [i["team"] for i in items] == ["Family Safeguarding North"]
    refused = client.get(f"{MARCH}&team={yj.id}")
    assert refused.status_code == 403 and "field" not in refused.get_json()
    assert client.get(f"{MARCH}&team=999999").status_code == 404
    assert bearer("worker").get(f"{MARCH}&team={north.id}").status_code == 403


@pytest.mark.parametrize(("query", "message"), [
    ("", "month is required"), ("month=", "month is required"), ("month=2026-13", "real month"),
    ("month=2026-1", "YYYY-MM"), ("month=March", "YYYY-MM"), ("month=1999-12", "between 2000-01"),
    ("month=2026-04", "April 2026 has not ended yet"), ("month=2026-05", "May 2026 has not ended yet"),
])
def test_bad_months_name_the_field(bearer, march, query, message):
    response = bearer("qait").get(f"/api/v1/compliance?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "month" and message in body["error"]


def test_csv_has_the_same_rows_with_the_workers_as_json(bearer, march):
    client = bearer("qait")
    rows = csv_dicts(client.get(f"{MARCH}&format=csv"))
    items = client.get(MARCH).get_json()["items"]
    assert [row["team"] for row in rows] == [item["team"] for item in items]
    north = rows[0]
    assert (north["month"], north["cases_open"], north["cases_in_timescale"], north["pct_in_timescale"]) == (
        "2026-03", "3", "2", "66.7")
    assert json.loads(north["workers"]) == items[0]["workers"]
    assert rows[2]["pct_in_timescale"] == "" and json.loads(rows[2]["workers"])[0]["personal_due_state"] == "absent"


def test_the_session_answers_as_the_token_does(as_role, bearer, march):
    assert as_role("team_manager").get(MARCH).get_json() == bearer("team_manager").get(MARCH).get_json()


def test_no_token_is_401(client, march):
    assert client.get(MARCH).status_code == 401

"""GET /api/v1/cases: cases in reach with their due dates at ``as_of``, JSON and CSV."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.api.conftest import csv_dicts, csv_rows

AS_OF = "as_of=2026-03-10"
FIELDS = ["case_ref", "case_type", "high_risk", "worker_email", "team", "allocated_on", "closed_on",
          "last_supervised_on", "next_due_on", "due_state"]


@pytest.fixture
def cases(org):
    """North (the worker's): overdue, ok (high risk), due soon (early help), closed, allocated later.
    South and Youth Justice: one open case each."""
    worker, manager = org["worker"], org["team_manager"]
    overdue = factories.case("N-CP-1", "CP", False, worker, date(2026, 1, 5))
    factories.record("case", date(2026, 2, 2), worker, manager, [overdue])
    factories.case("N-CIN-1", "CIN", True, worker, date(2026, 3, 1))
    factories.case("N-EH-1", "EH", False, worker, date(2026, 3, 10))
    closed = factories.case("N-CLOSED", "CP", False, worker, date(2026, 1, 5))
    factories.close_case(closed, date(2026, 2, 20))
    factories.case("N-LATER", "CP", False, worker, date(2026, 3, 20))
    factories.case("S-CP-1", "CP", False, org["south_worker"], date(2026, 2, 1))
    factories.case("Y-YJ-1", "YJ", False, org["yj_worker"], date(2026, 2, 15))


def refs(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["case_ref"] for item in response.get_json()["items"]]


def by_ref(response):
    return {item["case_ref"]: item for item in response.get_json()["items"]}


def test_items_carry_due_dates_from_the_scheduling_rules(as_role, cases):
    response = as_role("team_manager").get(f"/api/v1/cases?{AS_OF}")
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 100, 3)
    items = by_ref(response)
    assert list(items["N-CP-1"]) == FIELDS
    assert items["N-CP-1"] == {
        "case_ref": "N-CP-1", "case_type": "CP", "high_risk": False, "worker_email": "worker@example.org",
        "team": "Family Safeguarding North", "allocated_on": "2026-01-05", "closed_on": None,
        "last_supervised_on": "2026-02-02", "next_due_on": "2026-03-02", "due_state": "overdue"}
    assert (items["N-CIN-1"]["high_risk"], items["N-CIN-1"]["next_due_on"], items["N-CIN-1"]["due_state"]) == (
        True, "2026-04-01", "ok")  # high risk: the 1-month cap comes before 8 weeks
    assert (items["N-EH-1"]["next_due_on"], items["N-EH-1"]["due_state"]) == ("2026-03-10", "due_soon")
    assert items["N-EH-1"]["last_supervised_on"] is None


def test_closed_cases_only_when_asked_and_without_due_values(as_role, cases):
    client = as_role("team_manager")
    assert "N-CLOSED" not in refs(client.get(f"/api/v1/cases?{AS_OF}&include_closed=false"))
    items = by_ref(client.get(f"/api/v1/cases?{AS_OF}&include_closed=true"))
    assert set(items) == {"N-CP-1", "N-CIN-1", "N-EH-1", "N-CLOSED"}
    closed = items["N-CLOSED"]
    assert (closed["closed_on"], closed["next_due_on"], closed["due_state"]) == ("2026-02-20", None, None)


def test_as_of_moves_the_picture(as_role, cases):
    client = as_role("team_manager")
    earlier = by_ref(client.get("/api/v1/cases?as_of=2026-02-01"))
    assert set(earlier) == {"N-CP-1", "N-CLOSED"}  # both open then; the others not yet allocated
    assert earlier["N-CP-1"]["last_supervised_on"] is None  # the 2 February supervision is later
    assert earlier["N-CP-1"]["next_due_on"] == "2026-02-02"
    assert earlier["N-CLOSED"]["due_state"] == "due_soon"
    later = refs(client.get("/api/v1/cases?as_of=2026-03-20"))
    assert "N-LATER" in later


@pytest.mark.parametrize(("role", "expected"), [
    ("worker", ["N-CIN-1", "N-CP-1", "N-EH-1"]),
    ("team_manager", ["N-CIN-1", "N-CP-1", "N-EH-1"]),
    ("south_worker", ["S-CP-1"]),
    ("service_manager", ["N-CIN-1", "N-CP-1", "N-EH-1", "S-CP-1"]),
    ("qait", ["N-CIN-1", "N-CP-1", "N-EH-1", "S-CP-1", "Y-YJ-1"]),
    ("admin", []),
])
def test_each_role_sees_only_its_cases(bearer, cases, role, expected):
    assert refs(bearer(role).get(f"/api/v1/cases?{AS_OF}")) == expected


def test_bearer_and_session_give_the_same_answer(as_role, bearer, cases):
    url = f"/api/v1/cases?{AS_OF}&include_closed=true"
    assert as_role("service_manager").get(url).get_json() == bearer("service_manager").get(url).get_json()


def test_team_and_worker_filters(bearer, org, cases):
    client = bearer("qait")
    assert refs(client.get(f"/api/v1/cases?{AS_OF}&team={org['teams']['south'].id}")) == ["S-CP-1"]
    assert refs(client.get(f"/api/v1/cases?{AS_OF}&worker=YJ.Worker@example.org")) == ["Y-YJ-1"]
    both = f"/api/v1/cases?{AS_OF}&team={org['teams']['north'].id}&worker=south.worker@example.org"
    assert refs(client.get(both)) == []


def test_team_out_of_reach_is_403_and_unknown_is_404(bearer, org, cases):
    client = bearer("team_manager")
    refused = client.get(f"/api/v1/cases?team={org['teams']['south'].id}")
    assert refused.status_code == 403 and refused.get_json()["error"]
    missing = client.get("/api/v1/cases?team=99999")
    assert missing.status_code == 404 and missing.get_json()["error"]


def test_a_worker_out_of_reach_looks_exactly_like_one_who_does_not_exist(bearer, cases):
    """Issue 7 item 12: the ``worker`` parameter must not tell who has an account. Someone out of reach and an
    address nobody has get the same status and the same body, for JSON and CSV alike."""
    manager = bearer("team_manager")
    for output in ("", "&format=csv"):
        out_of_reach = manager.get(f"/api/v1/cases?worker=south.worker@example.org{output}")
        unknown = manager.get(f"/api/v1/cases?worker=nobody@example.org{output}")
        assert out_of_reach.status_code == unknown.status_code == 403
        assert out_of_reach.mimetype == unknown.mimetype == "application/json"
        assert out_of_reach.get_data() == unknown.get_data()
    worker = bearer("worker")
    assert worker.get("/api/v1/cases?worker=tm@example.org").get_data() == worker.get(
        "/api/v1/cases?worker=no.one@example.org").get_data()
    assert worker.get("/api/v1/cases?worker=worker@example.org").status_code == 200
    assert bearer("qait").get("/api/v1/cases?worker=nobody@example.org").status_code == 403


def test_admin_may_name_a_team_but_reads_no_cases(bearer, org, cases):
    response = bearer("admin").get(f"/api/v1/cases?{AS_OF}&team={org['teams']['north'].id}")
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "page": 1, "per_page": 100, "total": 0}


def test_csv_has_every_field_in_contract_order(bearer, cases):
    response = bearer("team_manager").get(f"/api/v1/cases?{AS_OF}&include_closed=true&format=csv")
    assert csv_rows(response)[0] == FIELDS
    rows = {row["case_ref"]: row for row in csv_dicts(response)}
    assert rows["N-CP-1"] == {
        "case_ref": "N-CP-1", "case_type": "CP", "high_risk": "false", "worker_email": "worker@example.org",
        "team": "Family Safeguarding North", "allocated_on": "2026-01-05", "closed_on": "",
        "last_supervised_on": "2026-02-02", "next_due_on": "2026-03-02", "due_state": "overdue"}
    assert rows["N-CIN-1"]["high_risk"] == "true"
    assert (rows["N-CLOSED"]["next_due_on"], rows["N-CLOSED"]["due_state"]) == ("", "")


def test_pages_in_json_and_csv(bearer, org):
    for n in range(7):
        factories.case(f"P-{n}", "CIN", False, org["worker"], date(2026, 1, 1))
    client = bearer("worker")
    body = client.get(f"/api/v1/cases?{AS_OF}&per_page=3&page=3").get_json()
    assert (body["total"], [i["case_ref"] for i in body["items"]]) == (7, ["P-6"])
    rows = csv_dicts(client.get(f"/api/v1/cases?{AS_OF}&per_page=3&page=2&format=csv"))
    assert [r["case_ref"] for r in rows] == ["P-3", "P-4", "P-5"]


def test_queries_do_not_grow_with_cases(bearer, make, org, count_queries):
    client = bearer("service_manager")
    url = f"/api/v1/cases?{AS_OF}&include_closed=true&team={org['teams']['north'].id}"
    client.get(url)
    factories.case("Q-0", "CP", False, org["worker"], date(2026, 1, 5))
    with count_queries() as few:
        assert len(client.get(url).get_json()["items"]) == 1
    for n in range(1, 15):
        worker = make.staff(team=org["teams"]["north"])
        case = factories.case(f"Q-{n}", "CP" if n % 2 else "CIN", n % 3 == 0, worker, date(2026, 1, 5))
        factories.record("case", date(2026, 2, n), worker, org["team_manager"], [case])
        if n % 4 == 0:
            factories.close_case(case, date(2026, 3, 1))
    with count_queries() as many:
        assert len(client.get(url).get_json()["items"]) == 15
    assert many.count == few.count

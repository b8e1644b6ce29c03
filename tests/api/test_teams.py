"""GET /api/v1/teams: the teams in reach, JSON and CSV, paged."""

from __future__ import annotations

import pytest

from teamops.org import services as org_services
from tests.api.conftest import csv_dicts, csv_rows

NORTH, SOUTH, YJ = "Family Safeguarding North", "Family Safeguarding South", "Youth Justice Team"


def names(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["team"] for item in response.get_json()["items"]]


def test_items_have_the_contract_fields(as_role, org):
    body = as_role("qait").get("/api/v1/teams").get_json()
    assert body["page"] == 1 and body["per_page"] == 100 and body["total"] == 3
    north = org["teams"]["north"]
    assert body["items"][0] == {"id": north.id, "service": "Children's Social Care", "team": NORTH,
                                "office_base": "Riverside House", "manager_email": "tm@example.org"}
    assert list(body["items"][0]) == ["id", "service", "team", "office_base", "manager_email"]
    assert body["items"][2]["team"] == YJ and body["items"][2]["manager_email"] is None


@pytest.mark.parametrize(("role", "expected"), [
    ("worker", [NORTH]),
    ("team_manager", [NORTH]),
    ("south_manager", [SOUTH]),
    ("service_manager", [NORTH, SOUTH]),
    ("qait", [NORTH, SOUTH, YJ]),
    ("admin", [NORTH, SOUTH, YJ]),
])
def test_each_role_sees_the_teams_in_its_reach(bearer, role, expected):
    assert names(bearer(role).get("/api/v1/teams")) == expected


def test_closed_teams_are_not_listed(bearer, org):
    org_services.set_team_active(org["teams"]["south"], False)
    assert names(bearer("qait").get("/api/v1/teams")) == [NORTH, YJ]


def test_csv_has_the_same_rows_with_a_header_in_contract_order(bearer, org):
    response = bearer("qait").get("/api/v1/teams?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response)[0] == ["id", "service", "team", "office_base", "manager_email"]
    rows = csv_dicts(response)
    assert [r["team"] for r in rows] == [NORTH, SOUTH, YJ]
    assert rows[0]["id"] == str(org["teams"]["north"].id)
    assert rows[2]["manager_email"] == ""  # null is an empty cell
    assert response.headers["X-Total-Count"] == "3"


def test_pages(bearer, make, org):
    service = make.service("Zeta Service")
    for n in range(5):
        make.team(f"Zeta {n}", service)
    client = bearer("qait")
    body = client.get("/api/v1/teams?per_page=3&page=2").get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 3, 8)
    assert [i["team"] for i in body["items"]] == ["Zeta 0", "Zeta 1", "Zeta 2"]
    last = client.get("/api/v1/teams?per_page=3&page=3").get_json()
    assert [i["team"] for i in last["items"]] == ["Zeta 3", "Zeta 4"]
    beyond = client.get("/api/v1/teams?per_page=3&page=4").get_json()
    assert beyond["items"] == [] and beyond["total"] == 8
    csv_page = csv_dicts(client.get("/api/v1/teams?per_page=3&page=2&format=csv"))
    assert [r["team"] for r in csv_page] == ["Zeta 0", "Zeta 1", "Zeta 2"]


def test_queries_do_not_grow_with_teams(bearer, make, org, count_queries):
    client = bearer("qait")
    client.get("/api/v1/teams")  # the token's first use of the minute also writes last_used_at
    with count_queries() as few:
        client.get("/api/v1/teams")
    service = make.service("Many")
    for n in range(12):
        make.team(f"Many {n}", service, manager=make.staff("team_manager", email=f"many{n}@example.org"))
    with count_queries() as many:
        assert len(client.get("/api/v1/teams").get_json()["items"]) > 12
    assert many.count == few.count

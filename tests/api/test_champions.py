"""GET /api/v1/champions (CONTRACT.md "Reporting API"): the contract's fields, by area, nearest first to a team,
JSON and CSV; the same list for every account (everyone reads the directory); bad parameters answered."""

from __future__ import annotations

from datetime import date

import pytest

from teamops.api.params import AREA_MAX
from teamops.directory.models import NAME_MAX
from teamops.extensions import db
from tests.api.conftest import csv_dicts


@pytest.fixture
def champions(make, org):
    east = make.team("Family Safeguarding East", org["services"][0], office_base="Beacon Court")
    org["teams"]["yj"].office_base = "County Hall"
    db.session.commit()
    made = {
        "yj": make.champion(org["yj_worker"], "Domestic abuse", "county"),
        "east": make.champion(make.staff("worker", east, name="Eve East", email="eve@example.org"),
                              "Domestic abuse", "service"),
        "south": make.champion(org["south_worker"], "Domestic abuse", "office"),
        "north": make.champion(org["worker"], "Domestic abuse", "team"),
        "first_aid": make.champion(org["team_manager"], "First aid", "office"),
        "later": make.champion(org["admin"], "Race", "county", starts_on=date(2099, 1, 5)),
    }
    return {"east_team": east, **made}


def test_items_have_the_contract_fields_by_area_and_name(bearer, champions):
    body = bearer("worker").get("/api/v1/champions").get_json()
    assert body["total"] == 5  # not yet started: not listed
    assert body["items"][0] == {"name": "Eve East", "email": "eve@example.org", "area": "Domestic abuse",
                                "team": "Family Safeguarding East", "office_base": "Beacon Court",
                                "scope": "service"}
    assert [i["area"] for i in body["items"]] == ["Domestic abuse"] * 4 + ["First aid"]


def test_near_team_puts_the_nearest_first(bearer, org, champions):
    north = org["teams"]["north"]
    items = bearer("qait").get(f"/api/v1/champions?area=domestic+abuse&near_team={north.id}").get_json()["items"]
    # North's own, then South's at North's base (Riverside House), then East in North's service, then YJ.
    assert [i["name"] for i in items] == ["Wren Worker", "Sid South", "Eve East", "Yas Justice"]


@pytest.mark.parametrize("role", ["worker", "team_manager", "qait", "admin", "service_manager"])
def test_every_account_reads_the_same_directory(bearer, champions, role):
    assert bearer(role).get("/api/v1/champions").get_json()["total"] == 5


def test_csv_has_the_same_rows(bearer, champions):
    response = bearer("worker").get("/api/v1/champions?format=csv&area=First+aid")
    rows = csv_dicts(response)
    assert rows == [{"name": "Tia Manager", "email": "tm@example.org", "area": "First aid",
                     "team": "Family Safeguarding North", "office_base": "Riverside House", "scope": "office"}]


@pytest.mark.parametrize(("query", "status", "field"), [
    ("area=Juggling", 404, None), ("area=", 400, "area"), ("area=+++", 400, "area"),
    ("area=" + "a" * 120, 404, None), ("area=" + "a" * 121, 400, "area"),
    ("near_team=abc", 400, "near_team"), ("near_team=0", 400, "near_team"),
    ("near_team=999999", 404, None),
])
def test_bad_parameters(bearer, champions, query, status, field):
    assert AREA_MAX == NAME_MAX  # the limit stated is an area name's real one
    response = bearer("worker").get(f"/api/v1/champions?{query}")
    assert response.status_code == status
    assert response.get_json().get("field") == field


def test_a_leaver_or_a_stepped_down_champion_is_not_listed(bearer, org, champions):
    champions["north"].state = "ended"
    org["south_worker"].active = False
    db.session.commit()
    names = [i["name"] for i in bearer("worker").get("/api/v1/champions?area=Domestic+abuse").get_json()["items"]]
    assert names == ["Eve East", "Yas Justice"]

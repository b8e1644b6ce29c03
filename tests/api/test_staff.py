"""GET /api/v1/staff: people in reach with personal supervision and induction at ``as_of``."""

from __future__ import annotations

from datetime import date

import pytest

from teamops.extensions import db
from teamops.org import services as org_services
from tests import factories
from tests.api.conftest import csv_dicts, csv_rows

AS_OF = "as_of=2026-03-10"
FIELDS = ["email", "name", "team", "job_role", "employment_type", "start_date", "role",
          "last_personal_supervision_on", "next_personal_due_on", "due_state", "in_induction"]
NORTH_PEOPLE = ["admin@example.org", "qait@example.org", "sm@example.org", "tm@example.org", "worker@example.org"]


def emails(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(item["email"] for item in response.get_json()["items"])


def by_email(response):
    return {item["email"]: item for item in response.get_json()["items"]}


@pytest.fixture
def starters(make, org):
    """Both started Monday 2 March 2026: induction runs to 13 March (permanent) or 6 March (agency)."""
    north = org["teams"]["north"]
    make.staff(team=north, email="new.permanent@example.org", name="Nia New", start_date=date(2026, 3, 2))
    make.staff(team=north, email="new.agency@example.org", name="Ari Agency", start_date=date(2026, 3, 2),
               employment_type="agency")


def test_items_carry_personal_supervision_due_dates(as_role, org):
    factories.record("personal", date(2026, 2, 20), org["worker"], org["team_manager"])
    response = as_role("team_manager").get(f"/api/v1/staff?{AS_OF}")
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 100, 5)
    items = by_email(response)
    assert list(items["worker@example.org"]) == FIELDS
    assert items["worker@example.org"] == {
        "email": "worker@example.org", "name": "Wren Worker", "team": "Family Safeguarding North",
        "job_role": "Social worker", "employment_type": "permanent", "start_date": "2020-01-06", "role": "worker",
        "last_personal_supervision_on": "2026-02-20", "next_personal_due_on": "2026-03-20", "due_state": "ok",
        "in_induction": False}
    manager = items["tm@example.org"]
    assert manager["last_personal_supervision_on"] is None
    assert (manager["next_personal_due_on"], manager["due_state"]) == ("2020-02-06", "overdue")


def test_due_soon_and_as_of_before_the_supervision(as_role, org):
    factories.record("personal", date(2026, 2, 20), org["worker"], org["team_manager"])
    client = as_role("team_manager")
    assert by_email(client.get("/api/v1/staff?as_of=2026-03-15"))["worker@example.org"]["due_state"] == "due_soon"
    earlier = by_email(client.get("/api/v1/staff?as_of=2026-02-19"))["worker@example.org"]
    assert earlier["last_personal_supervision_on"] is None


def test_in_induction_follows_employment_type(as_role, starters):
    client = as_role("team_manager")
    items = by_email(client.get(f"/api/v1/staff?{AS_OF}"))
    assert items["new.permanent@example.org"]["in_induction"] is True
    assert items["new.agency@example.org"]["in_induction"] is False
    assert by_email(client.get("/api/v1/staff?as_of=2026-03-06"))["new.agency@example.org"]["in_induction"] is True
    assert by_email(client.get("/api/v1/staff?as_of=2026-03-14"))["new.permanent@example.org"]["in_induction"] is False
    # Before their start date they are not on the staff yet (issue 9 item 10).
    assert "new.permanent@example.org" not in by_email(client.get("/api/v1/staff?as_of=2026-03-01"))


def test_leavers_are_listed_only_before_they_left(as_role, org):
    org_services.set_staff_active(org["worker"], False, on=date(2026, 3, 5))
    db.session.commit()
    client = as_role("team_manager")
    assert "worker@example.org" not in emails(client.get(f"/api/v1/staff?{AS_OF}"))
    assert "worker@example.org" in emails(client.get("/api/v1/staff?as_of=2026-03-04"))


@pytest.mark.parametrize(("role", "expected"), [
    ("worker", ["worker@example.org"]),
    ("team_manager", NORTH_PEOPLE),
    ("south_manager", ["south.tm@example.org", "south.worker@example.org"]),
    ("service_manager", sorted([*NORTH_PEOPLE, "south.tm@example.org", "south.worker@example.org"])),
    ("qait", sorted([*NORTH_PEOPLE, "south.tm@example.org", "south.worker@example.org", "yj.worker@example.org"])),
    ("admin", sorted([*NORTH_PEOPLE, "south.tm@example.org", "south.worker@example.org", "yj.worker@example.org"])),
])
def test_each_role_sees_the_staff_in_its_reach(bearer, role, expected):
    assert emails(bearer(role).get(f"/api/v1/staff?{AS_OF}")) == expected


def test_team_parameter(bearer, org):
    south = org["teams"]["south"].id
    assert emails(bearer("qait").get(f"/api/v1/staff?team={south}")) == ["south.tm@example.org",
                                                                          "south.worker@example.org"]
    assert emails(bearer("service_manager").get(f"/api/v1/staff?team={south}")) == ["south.tm@example.org",
                                                                                     "south.worker@example.org"]
    assert bearer("team_manager").get(f"/api/v1/staff?team={south}").status_code == 403
    assert bearer("worker").get(f"/api/v1/staff?team={org['teams']['north'].id}").status_code == 200
    assert bearer("service_manager").get(f"/api/v1/staff?team={org['teams']['yj'].id}").status_code == 403
    missing = bearer("qait").get("/api/v1/staff?team=424242")
    assert missing.status_code == 404 and "424242" in missing.get_json()["error"]


def test_csv_rows_match_json(bearer, org, starters):
    factories.record("personal", date(2026, 2, 20), org["worker"], org["team_manager"])
    client = bearer("team_manager")
    response = client.get(f"/api/v1/staff?{AS_OF}&format=csv")
    assert csv_rows(response)[0] == FIELDS
    rows = {row["email"]: row for row in csv_dicts(response)}
    assert rows["worker@example.org"]["last_personal_supervision_on"] == "2026-02-20"
    assert rows["tm@example.org"]["last_personal_supervision_on"] == ""
    assert rows["new.permanent@example.org"]["in_induction"] == "true"
    assert rows["new.agency@example.org"]["in_induction"] == "false"
    as_json = client.get(f"/api/v1/staff?{AS_OF}").get_json()["items"]
    assert [r["email"] for r in csv_dicts(response)] == [i["email"] for i in as_json]


def test_pages_are_ordered_by_name(bearer, org):
    body = bearer("qait").get(f"/api/v1/staff?{AS_OF}&per_page=2&page=2").get_json()
    assert (body["total"], [i["name"] for i in body["items"]]) == (8, ["Sam Service", "Sid South"])


def test_queries_do_not_grow_with_people(bearer, make, org, count_queries):
    client = bearer("team_manager")
    url = f"/api/v1/staff?{AS_OF}&team={org['teams']['north'].id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(15):
        person = make.staff(team=org["teams"]["north"], start_date=date(2026, 3, n % 10 + 1),
                            employment_type="agency" if n % 2 else "permanent")
        factories.record("personal", date(2026, 3, 1), person, org["team_manager"])
    with count_queries() as many:
        assert len(client.get(url).get_json()["items"]) == 20
    assert many.count == few.count

from __future__ import annotations

import pytest

from tests.conftest import sign_in


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("worker", "Team manager", "Audit trail"),
        ("team_manager", "Your team", "Audit trail"),
        ("service_manager", "Your teams", "Audit trail"),  # R-ORG-1: the teams whose managers they line-manage
        ("qait", "Every team", "Audit trail"),
        ("admin", "TeamOps administration", "Nobody"),
    ],
)
def test_home_page_per_role(as_role, role, expected, absent):
    page = as_role(role).get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert expected in text
    assert absent not in text


def test_team_manager_home_lists_only_their_team(as_role):
    text = as_role("team_manager").get("/").get_data(as_text=True)
    assert "Family Safeguarding North" in text
    assert "Family Safeguarding South" not in text


def test_service_manager_home_lists_their_services_teams(as_role):
    text = as_role("service_manager").get("/").get_data(as_text=True)
    assert "Family Safeguarding North" in text and "Family Safeguarding South" in text
    assert "Youth Justice Team" not in text


def test_new_starter_appears_on_manager_home(app, as_role, make, org):
    from teamops.dates import today

    make.staff("worker", org["teams"]["north"], name="Newly Arrived", start_date=today())
    text = as_role("team_manager").get("/").get_data(as_text=True)
    assert "Newly Arrived" in text


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_health_is_public(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_signed_in_header_shows_name_and_role(client, org):
    sign_in(client, org["worker"])
    text = client.get("/").get_data(as_text=True)
    assert "Signed in as Wren Worker (Worker)" in text

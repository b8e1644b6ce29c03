"""Bad parameters answer 400 with the parameter's name, in JSON, whatever the format asked for."""

from __future__ import annotations

import pytest

BAD = [
    ("/api/v1/teams?page=abc", "page"),
    ("/api/v1/teams?page=0", "page"),
    ("/api/v1/teams?page=-1", "page"),
    ("/api/v1/teams?page=1.5", "page"),
    ("/api/v1/teams?page=99999999999999999999", "page"),
    ("/api/v1/teams?per_page=0", "per_page"),
    ("/api/v1/teams?per_page=5000", "per_page"),
    ("/api/v1/teams?per_page=", "per_page"),
    ("/api/v1/teams?format=xml", "format"),
    ("/api/v1/teams?format=CSV", "format"),
    ("/api/v1/staff?as_of=2026-02-30", "as_of"),
    ("/api/v1/staff?as_of=31/03/2026", "as_of"),
    ("/api/v1/staff?as_of=9999-12-31", "as_of"),
    ("/api/v1/staff?team=north", "team"),
    ("/api/v1/staff?team=0", "team"),
    ("/api/v1/staff?format=pdf", "format"),
    ("/api/v1/cases?include_closed=maybe", "include_closed"),
    ("/api/v1/cases?include_closed=", "include_closed"),
    ("/api/v1/cases?as_of=2026-13-01", "as_of"),
    ("/api/v1/cases?team=1%3B%20drop", "team"),
    ("/api/v1/cases?worker=not-an-email", "worker"),
    ("/api/v1/cases?per_page=1001&format=csv", "per_page"),
]


@pytest.mark.parametrize(("url", "field"), BAD)
def test_bad_parameter_is_400_naming_it(bearer, url, field):
    response = bearer("qait").get(url)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["field"] == field
    assert body["error"]


@pytest.mark.parametrize("url", [
    "/api/v1/teams?page=1&per_page=1",
    "/api/v1/teams?per_page=1000",
    "/api/v1/teams?format=json",
    "/api/v1/staff?as_of=2024-02-29",
    "/api/v1/cases?include_closed=TRUE",
    "/api/v1/cases?include_closed=false&as_of=2026-03-31",
])
def test_good_parameters_are_accepted(bearer, url):
    assert bearer("qait").get(url).status_code == 200



def test_an_unexpected_failure_is_a_json_500(bearer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("teamops.api.routes.teams_page", broken)
    response = bearer("qait").get("/api/v1/teams")
    assert response.status_code == 500
    assert response.get_json() == {"error": "Sorry, there is a problem with TeamOps"}


def test_the_api_names_the_parameter_with_a_nul_character(bearer):
    """Found by the fuzzing (issue 16 item 3): PostgreSQL answered 500 to a NUL character in a query."""
    response = bearer("qait").get("/api/v1/champions?area=Early%00Help")
    assert response.status_code == 400
    assert response.get_json() == {"error": "area contains a character that cannot be saved (a NUL character, "
                                             "code 0). Remove it and try again.", "field": "area"}


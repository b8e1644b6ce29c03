"""Who may call the API: the sign-in session or a bearer token; anything else is a 401 in JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import digest, revoke_tokens
from teamops.audit.models import AuditEvent
from teamops.dates import add_months, freeze, today, utcnow
from teamops.extensions import db
from teamops.org import services as org_services

PATHS = ["/api/v1/teams", "/api/v1/staff", "/api/v1/cases", "/api/v1/openapi.json"]


@pytest.mark.parametrize("path", PATHS)
def test_no_credentials_is_401_in_json_not_a_redirect(client, org, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.get_json()
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "teamops_abc", ""])
def test_bad_authorization_header_is_401(app, org, header):
    response = app.test_client().get("/api/v1/teams", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]


def test_bearer_token_answers_without_a_session_cookie(bearer):
    response = bearer("team_manager").get("/api/v1/teams")
    assert response.status_code == 200
    assert [t["team"] for t in response.get_json()["items"]] == ["Family Safeguarding North"]
    assert "Set-Cookie" not in response.headers


def test_bearer_request_sets_no_cookie_even_when_refused(bearer, org):
    response = bearer("team_manager").get(f"/api/v1/staff?team={org['teams']['south'].id}")
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers


def test_bearer_does_not_sign_the_client_in_for_later_requests(app, org, bearer):
    token = bearer("qait").token
    client = app.test_client()
    assert client.get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/api/v1/teams").status_code == 401
    assert client.get("/").status_code == 303  # the pages still ask to sign in


def test_session_of_a_signed_in_browser_works(as_role):
    response = as_role("service_manager").get("/api/v1/teams")
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == 2


def test_the_bearer_header_decides_when_both_are_sent(as_role):
    browser = as_role("qait")
    response = browser.get("/api/v1/teams", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_deactivated_account_token_stops_working(bearer, org):
    client = bearer("worker")
    assert client.get("/api/v1/teams").status_code == 200
    org_services.set_staff_active(org["worker"], False)
    db.session.commit()
    response = client.get("/api/v1/teams")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_last_used_at_is_written_at_most_once_a_minute(bearer, org):
    client = bearer("qait")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(client.token)))
    assert row.last_used_at is None
    client.get("/api/v1/teams")
    db.session.refresh(row)
    first = row.last_used_at
    assert first is not None
    client.get("/api/v1/teams")
    db.session.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/teams")
    db.session.refresh(row)
    assert row.last_used_at > first - timedelta(minutes=2)


def test_token_use_leaves_the_change_trail_alone_but_refusals_are_audited(bearer, org):
    client = bearer("worker")
    before = db.session.scalars(select(AuditEvent.action)).all()
    client.get("/api/v1/teams")
    assert db.session.scalars(select(AuditEvent.action)).all() == before
    client.get(f"/api/v1/cases?team={org['teams']['south'].id}")
    refusal = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert refusal.actor_label == "worker@example.org"
    assert "/api/v1/cases" in refusal.summary


def test_only_a_hash_of_the_token_is_stored(bearer):
    client = bearer("qait")
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [digest(client.token)]
    assert client.token not in stored


# Expiry and revocation (issue 7 item 11) -------------------------------------------------------------------

def _row(client) -> ApiToken:
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(client.token)))


def test_an_expired_token_answers_401_exactly_like_a_bad_one(app, bearer):
    client = bearer("qait")
    assert client.get("/api/v1/teams").status_code == 200
    _row(client).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.get("/api/v1/teams")
    bad = app.test_client().get("/api/v1/teams", headers={"Authorization": "Bearer teamops_not-a-token"})
    assert expired.status_code == bad.status_code == 401
    assert expired.get_json() == bad.get_json()
    assert expired.headers["WWW-Authenticate"] == bad.headers["WWW-Authenticate"]


def test_a_revoked_token_answers_401(bearer, org):
    client = bearer("qait")
    assert client.get("/api/v1/teams").status_code == 200
    revoke_tokens(org["qait"])
    db.session.commit()
    assert client.get("/api/v1/teams").status_code == 401


def test_a_new_token_works_for_a_year_by_default(bearer):
    client = bearer("qait")
    row = _row(client)
    assert row.expires_at.date() == add_months(row.created_at.date(), 12)
    assert row.expires_at.time() == row.created_at.time() and row.revoked_at is None
    with freeze(add_months(today(), 12) - timedelta(days=1)):
        assert client.get("/api/v1/teams").status_code == 200
    with freeze(add_months(today(), 12) + timedelta(days=1)):
        assert client.get("/api/v1/teams").status_code == 401

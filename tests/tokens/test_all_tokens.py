"""/admin/tokens: admins see every account's tokens (labels, owners, dates, never the token) and may revoke any
(issue 7 item 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import create_token, revoke_tokens
from teamops.dates import utcnow
from teamops.extensions import db

URL = "/admin/tokens"


@pytest.fixture
def tokens(org):
    made = {
        "power_bi": create_token(org["worker"], "Power BI"),
        "tableau": create_token(org["team_manager"], "Team Tableau"),
        "excel": create_token(org["qait"], "Old Excel"),
        "spare": create_token(org["qait"], "Spare"),
    }
    db.session.commit()
    revoke_tokens(org["qait"], "Spare")
    db.session.scalar(select(ApiToken).where(ApiToken.label == "Old Excel")).expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return made


def _works(app, token: str) -> bool:
    response = app.test_client().get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


def test_admins_see_working_tokens_with_owners_and_dates_but_never_the_token(as_role, org, tokens):
    text = as_role("admin").get(URL).get_data(as_text=True)
    assert "2 tokens found" in text
    for shown in ("Power BI", "Wren Worker", "worker@example.org", "Team Tableau", "Tia Manager", "Last used",
                  "Expires", "Created"):
        assert shown in text
    assert "Old Excel" not in text and "Spare" not in text  # stopped ones are one filter away
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert not any(token in text for token in tokens.values())
    assert not any(digest in text for digest in stored)


def test_the_filter_shows_stopped_tokens_and_search_finds_by_owner_or_label(as_role, org, tokens):
    admin = as_role("admin")
    stopped = admin.get(f"{URL}?show=stopped").get_data(as_text=True)
    assert "Old Excel" in stopped and "Expired" in stopped and "Spare" in stopped and "Revoked" in stopped
    assert "Power BI" not in stopped
    assert "4 tokens found" in admin.get(f"{URL}?show=all").get_data(as_text=True)
    by_owner = admin.get(f"{URL}?show=all&q=quinn").get_data(as_text=True)
    assert "2 tokens found" in by_owner and "Old Excel" in by_owner
    by_label = admin.get(f"{URL}?q=tableau").get_data(as_text=True)
    assert "1 token found" in by_label and "Team Tableau" in by_label


def test_the_search_answers_htmx_with_the_results_only(as_role, org, tokens):
    response = as_role("admin").get(f"{URL}?q=power", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and "Power BI" in text


def test_an_admin_revokes_anyones_token(app, as_role, org, tokens):
    row = db.session.scalar(select(ApiToken).where(ApiToken.label == "Team Tableau"))
    admin = as_role("admin")
    response = admin.post_form(f"{URL}/{row.id}/revoke?q=tab&show=working&page=1")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{URL}?q=tab&show=working&page=1"
    assert not _works(app, tokens["tableau"]) and _works(app, tokens["power_bi"])
    assert "Tia Manager&#39;s token “Team Tableau” is revoked" in admin.get(URL).get_data(as_text=True)


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait"])
def test_other_roles_neither_see_nor_revoke_everyones_tokens(app, as_role, org, tokens, role):
    client = as_role(role)
    assert client.get(URL).status_code == 403
    row = db.session.scalar(select(ApiToken).where(ApiToken.label == "Power BI"))
    assert client.post_form(f"{URL}/{row.id}/revoke").status_code == 403
    assert _works(app, tokens["power_bi"])


def test_admins_find_the_page_in_the_menu_and_no_one_else_does(as_role, org):
    assert f'href="{URL}"' in as_role("admin").get("/").get_data(as_text=True)
    for role in ("worker", "team_manager", "qait"):
        assert f'href="{URL}"' not in as_role(role).get("/").get_data(as_text=True)


def test_an_unknown_token_is_404(as_role, org):
    assert as_role("admin").post_form(f"{URL}/999/revoke").status_code == 404

"""/account/tokens: everyone sees, names, makes and revokes their own API tokens (issue 7 item 11)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import create_token, digest
from teamops.audit.models import AuditEvent
from teamops.dates import add_months, start_of_day, today, utcnow
from teamops.extensions import db
from teamops.web import format_datetime
from tests.dates_typed import date_boxes

TOKEN = re.compile(r"teamops_[A-Za-z0-9_-]{40,}")
URL = "/account/tokens"


def _works(app, token: str) -> bool:
    response = app.test_client().get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


@pytest.mark.parametrize("role", ["worker", "team_manager", "qait", "admin"])
def test_everyone_reaches_their_tokens_from_the_header(as_role, role):
    page = as_role(role).get("/").get_data(as_text=True)
    header = page.split('class="teamops-header__account"')[1].split("</div>")[0]
    assert f'href="{URL}">API tokens</a>' in header


def test_the_page_needs_sign_in(client, org):
    response = client.get(URL)
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(app, as_role, org):
    worker = as_role("worker")
    response = worker.post_form(URL, {"label": "Power BI team dashboard", "expires_on": ""})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    shown = TOKEN.findall(text)
    assert len(shown) == 1 and "Copy it now: it is shown only this once" in text
    row = db.session.scalar(select(ApiToken))
    assert (row.staff_id, row.label, row.token_hash) == (org["worker"].id, "Power BI team dashboard", digest(shown[0]))
    assert _works(app, shown[0])
    again = worker.get(URL).get_data(as_text=True)
    assert shown[0] not in again and not TOKEN.search(again)
    assert "Power BI team dashboard" in again
    assert 'value="Power BI team dashboard"' not in again  # the form is empty again after it worked


def test_the_default_expiry_is_a_year_and_a_chosen_date_is_kept(as_role, org):
    worker = as_role("worker")
    worker.post_form(URL, {"label": "Default"})
    day = today() + timedelta(days=10)
    worker.post_form(URL, {"label": "Short", "expires_on": day.isoformat()})
    rows = {row.label: row for row in db.session.scalars(select(ApiToken))}
    assert rows["Default"].expires_at.date() == add_months(rows["Default"].created_at.date(), 12)
    assert rows["Short"].expires_at == start_of_day(day)


def test_the_list_shows_label_dates_and_status_of_ones_own_tokens_only(as_role, org):
    create_token(org["worker"], "Power BI")
    create_token(org["worker"], "Old Excel sheet")
    create_token(org["team_manager"], "Managers' Tableau")
    db.session.commit()
    rows = {row.label: row for row in db.session.scalars(select(ApiToken))}
    rows["Power BI"].last_used_at = utcnow()
    rows["Old Excel sheet"].expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    text = as_role("worker").get(URL).get_data(as_text=True)
    assert "Managers&#39; Tableau" not in text and "Managers' Tableau" not in text
    body = text.split("Your tokens")[1]
    power_bi = body.split("Power BI")[1].split("</tr>")[0]
    for moment in (rows["Power BI"].created_at, rows["Power BI"].last_used_at, rows["Power BI"].expires_at):
        assert format_datetime(moment) in power_bi
    assert "Working" in power_bi and "Revoke" in power_bi
    excel = body.split("Old Excel sheet")[1].split("</tr>")[0]
    assert "Never" in excel and "Expired" in excel
    assert "2 tokens" in body


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"label": ""}, "label", "Enter what the token is for"),
    ({"label": "   "}, "label", "Enter what the token is for"),
    ({"label": "x" * 101}, "label", "Labels are 100 characters or fewer"),
    ({"label": "Power BI", "expires_on": "2026--31"}, "expires_on-month", "Expiry date must include a month"),
    ({"label": "Power BI", "expires_on": "2026-02-30"}, "expires_on-day", "Expiry date must be a real date"),
    ({"label": "Power BI", "expires_on": "26-12-31"}, "expires_on-year", "Year must include 4 numbers"),
    ({"label": "Power BI", "expires_on": "TODAY"}, "expires_on-day", "The expiry date must be after today"),
    ({"label": "Power BI", "expires_on": "A YEAR AND A DAY"}, "expires_on-day", "no later than"),
])
def test_bad_input_is_refused_next_to_the_field_keeping_what_was_typed(as_role, org, data, field, message):
    day = {"TODAY": today(), "A YEAR AND A DAY": add_months(today(), 12) + timedelta(days=1)}
    if "expires_on" in data:  # typed into the day, month and year boxes
        typed = data.pop("expires_on")
        data = {**data, **date_boxes("expires_on", day.get(typed, typed))}
    response = as_role("worker").post_form(URL, data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert text.count(message) == 2  # in the error summary and next to the field
    assert f'href="#{field}"' in text
    field_html = text.split(f'id="{field}"')[1].split(">")[0]
    assert 'aria-invalid="true"' in field_html
    if data.get("expires_on"):
        assert f'value="{data["expires_on"]}"' in text
    if data["label"].strip():
        assert f'value="{data["label"]}"' in text
    assert db.session.scalar(select(ApiToken)) is None


def test_a_working_label_cannot_be_used_twice_but_a_stopped_ones_can(as_role, org):
    create_token(org["worker"], "Power BI")
    create_token(org["team_manager"], "Excel")
    db.session.commit()
    worker = as_role("worker")
    refused = worker.post_form(URL, {"label": "Power BI"})
    assert refused.status_code == 400 and "You already have a working token with this label" in refused.get_data(
        as_text=True)
    assert worker.post_form(URL, {"label": "Excel"}).status_code == 200  # someone else's label
    db.session.scalar(select(ApiToken).where(ApiToken.label == "Power BI")).expires_at = utcnow()
    db.session.commit()
    assert worker.post_form(URL, {"label": "Power BI"}).status_code == 200


def test_making_a_token_needs_the_csrf_token(as_role, org):
    response = as_role("worker").post(URL, data={"label": "Power BI"})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_ones_own_token_stops_it_at_once_and_keeps_it_listed(app, as_role, org):
    token = create_token(org["worker"], "Power BI")
    db.session.commit()
    row = db.session.scalar(select(ApiToken))
    worker = as_role("worker")
    response = worker.post_form(f"{URL}/{row.id}/revoke")
    assert response.status_code == 303 and response.headers["Location"] == URL
    assert not _works(app, token)
    page = worker.get(URL).get_data(as_text=True)
    assert "Your token “Power BI” is revoked" in page
    listed = page.split("Your tokens")[1].split("Power BI")[1].split("</tr>")[0]
    assert "Revoked" in listed and "Revoke<" not in listed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token",
                                                       AuditEvent.action == "update"))
    assert event.actor_label == "worker@example.org" and "revoked_at" in event.changes


def test_nobody_revokes_someone_elses_token_from_their_own_page(app, as_role, org):
    token = create_token(org["team_manager"], "Tableau")
    db.session.commit()
    row = db.session.scalar(select(ApiToken))
    for role in ("worker", "admin"):
        assert as_role(role).post_form(f"{URL}/{row.id}/revoke").status_code == 403
    assert _works(app, token)


def test_revoking_needs_the_csrf_token(app, as_role, org):
    token = create_token(org["worker"], "Power BI")
    db.session.commit()
    row = db.session.scalar(select(ApiToken))
    assert as_role("worker").post(f"{URL}/{row.id}/revoke").status_code == 400
    assert _works(app, token)

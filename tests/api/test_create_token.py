"""``flask --app wsgi teamops create-token EMAIL [--label L] [--expires D]``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import digest
from teamops.audit.models import AuditEvent
from teamops.dates import LONDON, add_months, freeze, start_of_day, today
from teamops.extensions import db
from teamops.org import services as org_services
from teamops.web import format_datetime


def test_prints_a_working_token_alone_on_the_last_line(app, runner, org):
    result = runner.invoke(args=["teamops", "create-token", "TM@example.org", "--label", "Power BI"])
    assert result.exit_code == 0, result.output
    token = result.output.rstrip("\n").splitlines()[-1]
    assert token.startswith("teamops_") and " " not in token and len(token) > 40
    db.session.rollback()
    row = db.session.scalar(select(ApiToken))
    assert (row.staff_id, row.label, row.token_hash) == (org["team_manager"].id, "Power BI", digest(token))
    response = app.test_client().get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [t["team"] for t in response.get_json()["items"]] == ["Family Safeguarding North"]


def test_each_run_makes_a_new_token(runner, org):
    first = runner.invoke(args=["teamops", "create-token", "qait@example.org"]).output.splitlines()[-1]
    second = runner.invoke(args=["teamops", "create-token", "qait@example.org"]).output.splitlines()[-1]
    assert first != second
    db.session.rollback()
    assert len(db.session.scalars(select(ApiToken)).all()) == 2


def test_creation_is_audited_without_the_hash(runner, org):
    runner.invoke(args=["teamops", "create-token", "qait@example.org"])
    db.session.rollback()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token"))
    assert event.action == "create" and event.actor_label == "cli:create-token"
    assert event.changes["token_hash"] == [None, "(changed)"]


def test_unknown_account_fails_with_a_message(runner, org):
    result = runner.invoke(args=["teamops", "create-token", "nobody@example.org"])
    assert result.exit_code != 0
    assert "nobody@example.org" in result.output
    db.session.rollback()
    assert db.session.scalar(select(ApiToken)) is None


def test_deactivated_account_fails_with_a_message(runner, org):
    org_services.set_staff_active(org["worker"], False)
    db.session.commit()
    result = runner.invoke(args=["teamops", "create-token", "worker@example.org"])
    assert result.exit_code != 0
    assert "deactivated" in result.output
    db.session.rollback()
    assert db.session.scalar(select(ApiToken)) is None


def test_overlong_label_is_refused(runner, org):
    result = runner.invoke(args=["teamops", "create-token", "qait@example.org", "--label", "x" * 101])
    assert result.exit_code != 0 and "label" in result.output


# --expires (issue 7 item 11) ----------------------------------------------------------------------------------

def test_expires_sets_the_day_the_token_stops_working(app, runner, org):
    day = today() + timedelta(days=30)
    result = runner.invoke(args=["teamops", "create-token", "qait@example.org", "--expires", day.isoformat()])
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[-1]
    db.session.rollback()
    row = db.session.scalar(select(ApiToken))
    assert row.expires_at == start_of_day(day) and row.expires_at.astimezone(LONDON).hour == 0
    assert format_datetime(row.expires_at) in result.output.splitlines()[0]
    client = app.test_client()
    with freeze(day - timedelta(days=1)):
        assert client.get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with freeze(day):
        assert client.get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_without_expires_the_token_works_for_a_year(runner, org):
    result = runner.invoke(args=["teamops", "create-token", "qait@example.org"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    row = db.session.scalar(select(ApiToken))
    assert row.expires_at.date() == add_months(row.created_at.date(), 12)


@pytest.mark.parametrize(("given", "message"), [
    ("tomorrow", "YYYY-MM-DD"),
    ("2026-02-30", "real date"),
    ("today", "after today"),
    ("yesterday", "after today"),
    ("a year and a day", "no later than"),
])
def test_a_bad_expiry_is_refused_and_makes_nothing(runner, org, given, message):
    days = {"today": 0, "yesterday": -1, "a year and a day": None}
    if given in days:
        offset = days[given]
        day = today() + timedelta(days=offset) if offset is not None else add_months(today(), 12) + timedelta(days=1)
        given = day.isoformat()
    result = runner.invoke(args=["teamops", "create-token", "qait@example.org", "--expires", given])
    assert result.exit_code == 1 and message in result.output and "--expires" in result.output
    db.session.rollback()
    assert db.session.scalar(select(ApiToken)) is None

"""``flask --app wsgi teamops create-token EMAIL [--label L]``."""

from __future__ import annotations

from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import digest
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org import services as org_services


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

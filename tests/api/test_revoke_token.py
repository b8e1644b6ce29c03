"""``flask --app wsgi teamops revoke-token EMAIL [--label L]`` (issue 7 item 11): all of an account's tokens, or
the one with that label; prints what it revoked; exit 1 with a message when nothing matched."""

from __future__ import annotations

from sqlalchemy import select

from teamops.api.models import ApiToken
from teamops.api.tokens import create_token
from teamops.audit.models import AuditEvent
from teamops.extensions import db


def _tokens(org, *labels, who="qait"):
    made = {label: create_token(org[who], label) for label in labels}
    db.session.commit()
    return made


def _works(app, token: str) -> bool:
    response = app.test_client().get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


def test_without_a_label_every_token_of_the_account_is_revoked(app, runner, org):
    made = _tokens(org, "Power BI", "Excel")
    other = _tokens(org, "Tableau", who="team_manager")
    result = runner.invoke(args=["teamops", "revoke-token", "QAIT@example.org"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert "'Power BI'" in lines[0] and "'Excel'" in lines[1] and all("qait@example.org" in line for line in lines)
    assert not _works(app, made["Power BI"]) and not _works(app, made["Excel"])
    assert _works(app, other["Tableau"])


def test_with_a_label_only_that_token_is_revoked(app, runner, org):
    made = _tokens(org, "Power BI", "Excel")
    result = runner.invoke(args=["teamops", "revoke-token", "qait@example.org", "--label", "Excel"])
    assert result.exit_code == 0, result.output
    assert "'Excel'" in result.output and "Power BI" not in result.output
    assert _works(app, made["Power BI"]) and not _works(app, made["Excel"])


def test_nothing_matching_exits_1_with_a_message(app, runner, org):
    _tokens(org, "Power BI")
    result = runner.invoke(args=["teamops", "revoke-token", "qait@example.org", "--label", "Excel"])
    assert result.exit_code == 1
    assert "qait@example.org has no token labelled 'Excel'" in result.output and "nothing revoked" in result.output
    result = runner.invoke(args=["teamops", "revoke-token", "tm@example.org"])
    assert result.exit_code == 1 and "tm@example.org has no token" in result.output


def test_revoking_twice_finds_nothing_the_second_time(runner, org):
    _tokens(org, "Power BI")
    assert runner.invoke(args=["teamops", "revoke-token", "qait@example.org"]).exit_code == 0
    again = runner.invoke(args=["teamops", "revoke-token", "qait@example.org"])
    assert again.exit_code == 1 and "nothing revoked" in again.output


def test_an_unknown_account_exits_1(runner, org):
    result = runner.invoke(args=["teamops", "revoke-token", "nobody@example.org"])
    assert result.exit_code == 1 and "No account has the e-mail address nobody@example.org" in result.output


def test_revocation_keeps_the_row_and_is_audited_as_the_command(runner, org):
    _tokens(org, "Power BI")
    runner.invoke(args=["teamops", "revoke-token", "qait@example.org"])
    db.session.rollback()
    row = db.session.scalar(select(ApiToken))
    assert row.revoked_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token",
                                                       AuditEvent.action == "update"))
    assert event.actor_label == "cli:revoke-token" and "revoked_at" in event.changes

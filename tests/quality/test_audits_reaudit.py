"""Re-audit (R-QA-5: "re-audit to check it worked"): QAIT schedules one on a submitted audit with actions, the same
case in the same round, its auditor (by default the same) and due date (by default a month after the last action
is due); the re-audit's page shows the original's findings and actions beside its own questions."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.extensions import db
from teamops.quality.audit_models import CaseAudit
from tests.quality.audit_world import TODAY, complete, world


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with dates.freeze(TODAY):
        yield


@pytest.fixture
def submitted(org: dict[str, Any], as_role: Any) -> dict[str, Any]:
    w = world(org)
    response = as_role("south_manager").post_form(f"/quality/audits/{w['audit'].id}", complete(w))
    assert response.status_code == 303
    return w


def _reaudits(audit: CaseAudit) -> list[CaseAudit]:
    db.session.expire_all()
    return list(db.session.scalars(select(CaseAudit).where(CaseAudit.reaudit_of_id == audit.id)))


def test_qait_schedules_a_reaudit_with_the_defaults(submitted, as_role, caplog):
    audit = submitted["audit"]
    qait = as_role("qait")
    assert "schedule a re-audit of case N-AUD-1" in qait.get(f"/quality/audits/{audit.id}").get_data(as_text=True)
    form = qait.get(f"/quality/audits/{audit.id}/reaudit").get_data(as_text=True)
    # The original auditor is chosen; due a month after the last action (4 December 2026).
    assert f'<option value="{submitted["south_manager"].id}" selected' in form
    assert 'value="4"' in form and 'value="1"' in form and 'value="2027"' in form
    with caplog.at_level(logging.INFO):
        response = qait.post_form(f"/quality/audits/{audit.id}/reaudit", {
            "auditor": submitted["south_manager"].id, "due_on-day": "4", "due_on-month": "1", "due_on-year": "2027"})
    assert response.status_code == 303
    [again] = _reaudits(audit)
    assert (again.round_id, again.case_id, again.auditor_id, again.due_on, again.submitted_at) == (
        audit.round_id, audit.case_id, submitted["south_manager"].id, date(2027, 1, 4), None)
    assert response.headers["Location"].endswith(f"/quality/audits/{again.id}")
    assert any("a case to re-audit" in r.getMessage() and "N-AUD-1" in r.getMessage() for r in caplog.records)
    # One re-audit per audit.
    response = qait.post_form(f"/quality/audits/{audit.id}/reaudit", {
        "auditor": submitted["south_manager"].id, "due_on-day": "4", "due_on-month": "1", "due_on-year": "2027"})
    assert response.status_code == 303 and len(_reaudits(audit)) == 1
    assert "A re-audit" in qait.get(f"/quality/audits/{audit.id}").get_data(as_text=True)


def test_the_reaudit_page_shows_the_original_beside_its_own_questions(submitted, as_role, make):
    audit = submitted["audit"]
    auditor = make.staff("service_manager", submitted["teams"]["yj"], name="Rae Reauditor")
    as_role("qait").post_form(f"/quality/audits/{audit.id}/reaudit", {
        "auditor": auditor.id, "due_on-day": "4", "due_on-month": "1", "due_on-year": "2027"})
    [again] = _reaudits(audit)
    from tests.conftest import sign_in
    client = as_role("worker")
    client.post_form("/sign-out")
    sign_in(client, auditor)
    page = client.get(f"/quality/audits/{again.id}").get_data(as_text=True)
    assert "Re-audit of case N-AUD-1" in page and "The original audit&#39;s findings" in page
    assert "The plan drifts" in page and "Review the plan with the family" in page
    assert "Findings: did the actions work?" in page and 'name="findings"' in page
    data = complete(submitted, findings="The plan is now specific", action_description=None, action_owner=None,
                    no_action_needed="y", **{"action_due_on-day": None, "action_due_on-month": None,
                                             "action_due_on-year": None})
    assert client.post_form(f"/quality/audits/{again.id}", data).status_code == 303
    db.session.expire_all()
    assert db.session.get(CaseAudit, again.id).submitted_at is not None
    # The original stays as it was, and its team manager is shown the re-audit's findings.
    assert db.session.get(CaseAudit, audit.id).findings == "The plan drifts"
    home = as_role("team_manager").get("/").get_data(as_text=True)
    assert "Re-audit of case N-AUD-1" in home


@pytest.mark.parametrize("field", ["auditor", "due_on"])
def test_the_reaudit_form_refuses_bad_choices(submitted, as_role, field):
    data = {"auditor": submitted["south_manager"].id, "due_on-day": "4", "due_on-month": "1", "due_on-year": "2027"}
    if field == "auditor":
        data["auditor"] = submitted["team_manager"].id  # the case's own team: the organisation does not allow it
        message = "Choose a manager who may audit this case"
    else:
        data.update({"due_on-day": "1", "due_on-month": "11", "due_on-year": "2026"})
        message = "The due date must be today or later"
    response = as_role("qait").post_form(f"/quality/audits/{submitted['audit'].id}/reaudit", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert not _reaudits(submitted["audit"])


def test_only_qait_schedules_and_only_a_submitted_audit_with_actions(org, as_role):
    w = world(org)
    response = as_role("qait").get(f"/quality/audits/{w['audit'].id}/reaudit")
    assert response.status_code == 303  # not submitted: back to the audit with the reason
    as_role("south_manager").post_form(f"/quality/audits/{w['audit'].id}", complete(
        w, action_description=None, action_owner=None, no_action_needed="y",
        **{"action_due_on-day": None, "action_due_on-month": None, "action_due_on-year": None}))
    qait = as_role("qait")
    assert qait.get(f"/quality/audits/{w['audit'].id}/reaudit").status_code == 303
    assert "agreed no remedial actions" in qait.get(f"/quality/audits/{w['audit'].id}").get_data(as_text=True)
    for role in ("team_manager", "service_manager", "south_manager", "admin"):
        assert as_role(role).get(f"/quality/audits/{w['audit'].id}/reaudit").status_code == 403, role

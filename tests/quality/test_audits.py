"""Doing a case audit (issue 14 item 2, R-QA-4/5): the draft, what submission needs (each missing piece a message
next to its field, nothing written), a forged grade, on time or late, remedial actions and their owners, what the
case's team manager is told and sees at home, marking an action done, who reads an audit, and record content kept
out of the audit trail."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.quality.audit_models import AuditAction, AuditAnswer, CaseAudit
from tests.quality.audit_world import DUE, TODAY, complete, scale, world


@pytest.fixture
def w(org: dict[str, Any]) -> dict[str, Any]:
    return world(org)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with dates.freeze(TODAY):
        yield


def _url(audit: CaseAudit) -> str:
    return f"/quality/audits/{audit.id}"


def _fresh(audit: CaseAudit) -> CaseAudit:
    db.session.expire_all()
    found = db.session.get(CaseAudit, audit.id)
    assert found is not None
    return found


def test_the_auditor_sees_the_round_the_case_and_the_form(w, as_role):
    page = as_role("south_manager").get(_url(w["audit"])).get_data(as_text=True)
    assert "Q4 2026: Neglect" in page and "N-AUD-1" in page and "Family Safeguarding North" in page
    assert "11 December 2026" in page and "Assigned" in page
    assert "Wren Worker" in page  # an owner to choose (staff, never a child)
    # The scale's grades, best first, for each question.
    first = w["questions"][0]
    best, worst = (f'value="{w["grades"][label]}"' for label in ("Outstanding", "Inadequate"))
    assert page.index(best) < page.index(worst)
    assert f'name="q{first}_grade"' in page and f'name="q{first}_comment"' in page


MISSING = {
    "the first question's grade": ({"q{0}_grade": None}, "Choose a grade for question 1"),
    "the second question's grade": ({"q{1}_grade": None}, "Choose a grade for question 2"),
    "the overall grade": ({"grade": None}, "Choose an overall grade"),
    "the findings": ({"findings": "  "}, "Write the findings"),
    "an action or the tick": ({"action_description": None, "action_owner": None, "action_due_on-day": None,
                               "action_due_on-month": None, "action_due_on-year": None},
                              "Agree at least one remedial action"),
}


@pytest.mark.parametrize("missing", list(MISSING))
def test_submission_needs_every_piece_and_writes_nothing_without_one(w, as_role, missing):
    changes, message = MISSING[missing]
    changes = {key.format(*w["questions"]): value for key, value in changes.items()}
    response = as_role("south_manager").post_form(_url(w["audit"]), complete(w, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    audit = _fresh(w["audit"])
    assert audit.submitted_at is None and not audit.answers and not audit.actions and audit.findings == ""


def test_no_remedial_action_needed_is_ticked_instead_of_an_action(w, as_role):
    data = complete(w, action_description=None, action_owner=None, **{
        "action_due_on-day": None, "action_due_on-month": None, "action_due_on-year": None}, no_action_needed="y")
    assert as_role("south_manager").post_form(_url(w["audit"]), data).status_code == 303
    assert _fresh(w["audit"]).submitted_at is not None


def test_the_tick_and_an_action_together_are_refused(w, as_role):
    response = as_role("south_manager").post_form(_url(w["audit"]), complete(w, no_action_needed="y"))
    assert response.status_code == 400 and "Untick" in response.get_data(as_text=True)
    assert _fresh(w["audit"]).submitted_at is None


@pytest.mark.parametrize("forged", ["other scale", "abc", "99999999999"])
def test_a_grade_outside_the_rounds_scale_is_a_message_not_a_500(w, as_role, forged):
    other = scale("Three grades", ("High", "Middle", "Low")).grades[0].id
    value = {"other scale": other}.get(forged, forged)
    client = as_role("south_manager")
    for field in (f"q{w['questions'][0]}_grade", "grade"):
        response = client.post_form(_url(w["audit"]), complete(w, **{field: value, "do": "save"}))
        assert response.status_code == 400, field
        assert "Choose a grade from the round&#39;s scale" in response.get_data(as_text=True)
    assert not _fresh(w["audit"]).answers


def test_a_draft_keeps_partial_answers_then_submits_on_time(w, as_role, caplog):
    client = as_role("south_manager")
    first, second = w["questions"]
    draft = {f"q{first}_grade": w["grades"]["Good"], f"q{first}_comment": "Voice is clear", f"q{second}_comment": "",
             "findings": "Started", "do": "save"}
    response = client.post_form(_url(w["audit"]), draft)
    assert response.status_code == 303
    audit = _fresh(w["audit"])
    assert [(a.question_id, a.grade_id, a.comment) for a in audit.answers] == [(first, w["grades"]["Good"],
                                                                                "Voice is clear")]
    assert audit.findings == "Started" and audit.submitted_at is None
    page = client.get(_url(audit)).get_data(as_text=True)
    assert "Voice is clear" in page and "Started" in page  # the draft comes back
    # A comment without its grade cannot be kept: said next to the grade, nothing written.
    response = client.post_form(_url(audit), {**draft, f"q{second}_comment": "Plan unclear"})
    assert response.status_code == 400 and "Choose a grade for question 2 to keep its comment" in \
        response.get_data(as_text=True)
    with caplog.at_level(logging.INFO):
        response = client.post_form(_url(audit), complete(w))
    assert response.status_code == 303
    audit = _fresh(audit)
    assert audit.submitted_at is not None and audit.grade_id == w["grades"]["Requires improvement"]
    assert [(a.description, a.owner_id, a.due_on) for a in audit.actions] == [
        ("Review the plan with the family", w["worker"].id, date(2026, 12, 4))]
    page = client.get(_url(audit)).get_data(as_text=True)
    assert "Submitted" in page and "on time" in page and "<form method=\"post\" action=\"/quality/audits" not in page
    assert "The plan drifts" in page and "Review the plan with the family" in page
    # The case's team manager is told, with the case reference and nothing of the findings.
    mails = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Mail to")]
    assert len(mails) == 1 and "Tia Manager" in mails[0] and "N-AUD-1" in mails[0]
    assert "plan drifts" not in mails[0] and "Review the plan" not in mails[0]


def test_a_submission_after_the_due_date_reads_late(w, as_role):
    with dates.freeze(DUE + timedelta(days=3)):
        response = as_role("south_manager").post_form(_url(w["audit"]), complete(
            w, **{"action_due_on-month": "1", "action_due_on-year": "2027"}))
        assert response.status_code == 303
        page = as_role("qait").get(_url(w["audit"])).get_data(as_text=True)
    assert "late" in page and "on time" not in page


def test_a_submitted_audit_reads_only(w, as_role):
    client = as_role("south_manager")
    client.post_form(_url(w["audit"]), complete(w))
    response = client.post_form(_url(w["audit"]), complete(w, findings="Changed my mind", do="save"))
    assert response.status_code == 303
    assert _fresh(w["audit"]).findings == "The plan drifts"


ACTION_PROBLEMS = {
    "no description": ({"action_description": ""}, "Describe the action"),
    "no owner": ({"action_owner": "0"}, "Choose who owns the action"),
    "an owner from another team": ({"action_owner": "{yj}"}, "Choose the owner from the case&#39;s team"),
    "no due date": ({"action_due_on-day": "", "action_due_on-month": "", "action_due_on-year": ""},
                    "Enter the date the action is due"),
    "a due date in the past": ({"action_due_on-day": "13", "action_due_on-month": "11"},
                               "The due date must be today or later"),
    "not a date": ({"action_due_on-day": "31", "action_due_on-month": "2"}, "must be a real date"),
}


@pytest.mark.parametrize("problem", list(ACTION_PROBLEMS))
def test_an_action_needs_its_description_owner_and_due_date(w, as_role, problem):
    changes, message = ACTION_PROBLEMS[problem]
    changes = {key: value.format(yj=w["yj_worker"].id) for key, value in changes.items()}
    response = as_role("south_manager").post_form(_url(w["audit"]), complete(w, do="add-action", **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert not _fresh(w["audit"]).actions and not _fresh(w["audit"]).answers


def test_actions_are_added_and_removed_before_submission(w, as_role):
    client = as_role("south_manager")
    owners = [w["worker"], w["team_manager"], w["service_manager"]]  # the team, its manager, the manager above
    for n, owner in enumerate(owners):
        response = client.post_form(_url(w["audit"]), {
            "action_description": f"Action {n}", "action_owner": owner.id, "action_due_on-day": "1",
            "action_due_on-month": "12", "action_due_on-year": "2026", "do": "add-action"})
        assert response.status_code == 303 and response.headers["Location"].endswith("#actions")
    audit = _fresh(w["audit"])
    assert [a.owner_id for a in audit.actions] == [o.id for o in owners]
    response = client.post_form(_url(audit), {"do": f"remove-{audit.actions[1].id}"})
    assert response.status_code == 303
    assert [a.description for a in _fresh(audit).actions] == ["Action 0", "Action 2"]


def _submit(w: dict[str, Any], as_role: Any) -> CaseAudit:
    assert as_role("south_manager").post_form(_url(w["audit"]), complete(w)).status_code == 303
    return _fresh(w["audit"])


def test_the_team_manager_reads_the_findings_from_home_and_sees_the_open_actions(w, as_role):
    manager = as_role("team_manager")
    before = manager.get("/").get_data(as_text=True)
    assert "Case audits" not in before  # nothing submitted yet: a draft's actions are not agreed
    audit = _submit(w, as_role)
    home = manager.get("/").get_data(as_text=True)
    assert "Findings about your team to read (1)" in home and "Audit of case N-AUD-1" in home
    assert "Requires improvement" in home and "Open audit actions (1)" in home
    assert "Review the plan with the family" in home and "0 days" in home and "4 December 2026" in home
    assert "The plan drifts" not in home  # the findings are read on the audit's page
    response = manager.post_form(f"/quality/audits/{audit.id}/read")
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(audit))
    assert _fresh(audit).read_by_manager_at is not None
    home = manager.get("/").get_data(as_text=True)
    assert "Findings about your team to read" not in home and "Open audit actions (1)" in home
    # Other teams' managers see nothing of it; the owner sees the action on their own home.
    assert "N-AUD-1" not in as_role("south_worker").get("/").get_data(as_text=True)
    worker_home = as_role("worker").get("/").get_data(as_text=True)
    assert "Review the plan with the family" in worker_home and "Findings about your team" not in worker_home
    action = db.session.get(AuditAction, audit.actions[0].id)
    action.created_at -= timedelta(days=20)  # agreed 20 days ago
    db.session.commit()
    assert "20 days" in manager.get("/").get_data(as_text=True)


def test_only_the_teams_manager_marks_the_findings_read(w, as_role):
    audit = _submit(w, as_role)
    for role in ("service_manager", "qait", "south_manager", "worker"):
        assert as_role(role).post_form(f"/quality/audits/{audit.id}/read").status_code == 403, role
    assert _fresh(audit).read_by_manager_at is None


def test_the_owner_or_the_teams_manager_marks_an_action_done(w, as_role):
    audit = _submit(w, as_role)
    action = audit.actions[0]
    assert as_role("south_worker").post_form(f"/quality/audit-actions/{action.id}/done").status_code == 403
    assert as_role("qait").post_form(f"/quality/audit-actions/{action.id}/done").status_code == 403
    response = as_role("worker").post_form(f"/quality/audit-actions/{action.id}/done")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert db.session.get(AuditAction, action.id).done_on == TODAY
    assert "Open audit actions" not in as_role("team_manager").get("/").get_data(as_text=True)
    page = as_role("team_manager").get(_url(audit)).get_data(as_text=True)
    assert "Done 16 November 2026" in page


def test_the_teams_manager_marks_done_from_the_audit_page(w, as_role):
    audit = _submit(w, as_role)
    action = audit.actions[0]
    manager = as_role("team_manager")
    assert "Mark done" in manager.get(_url(audit)).get_data(as_text=True)
    response = manager.post_form(f"/quality/audit-actions/{action.id}/done?back=audit")
    assert response.headers["Location"].endswith(f"{_url(audit)}#actions")
    assert db.session.get(AuditAction, action.id).done_on == TODAY


def test_an_action_of_a_draft_is_not_marked_done(w, as_role):
    as_role("south_manager").post_form(_url(w["audit"]), complete(w, do="add-action"))
    action = _fresh(w["audit"]).actions[0]
    as_role("worker").post_form(f"/quality/audit-actions/{action.id}/done")
    assert db.session.get(AuditAction, action.id).done_on is None


@pytest.mark.parametrize(("role", "status"), [
    ("south_manager", 200), ("team_manager", 200), ("service_manager", 200), ("qait", 200),
    ("admin", 403), ("worker", 403), ("south_worker", 403), ("yj_worker", 403)])
def test_who_reads_an_audit(w, as_role, role, status):
    audit = _submit(w, as_role)
    response = as_role(role).get(_url(audit))
    assert response.status_code == status
    assert ("The plan drifts" in response.get_data(as_text=True)) == (status == 200)


def test_a_draft_shows_its_readers_no_findings_but_its_buddy_does(w, as_role, make):
    as_role("south_manager").post_form(_url(w["audit"]), {"findings": "Early thoughts", "do": "save"})
    assert "Early thoughts" not in as_role("team_manager").get(_url(w["audit"])).get_data(as_text=True)
    buddy = make.staff("team_manager", w["teams"]["yj"])
    audit = _fresh(w["audit"])
    audit.buddy_id = buddy.id
    db.session.commit()
    from tests.conftest import sign_in
    client = as_role("qait")
    client.post_form("/sign-out")
    sign_in(client, buddy)
    page = client.get(_url(audit)).get_data(as_text=True)
    assert "Early thoughts" in page and 'name="findings"' not in page  # the buddy reads; the auditor writes
    assert client.post_form(_url(audit), {"findings": "Mine", "do": "save"}).status_code == 403


def test_the_content_stays_out_of_the_audit_trail(w, as_role):
    audit = _submit(w, as_role)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type.in_(
        ("case_audit", "audit_answer", "audit_action")))).all()
    kinds = {event.entity_type for event in events}
    assert kinds == {"case_audit", "audit_answer", "audit_action"}
    text = " ".join(f"{event.summary} {event.changes}" for event in events)
    for secret in ("The plan drifts", "Voice is clear", "Review the plan with the family"):
        assert secret not in text
    changed = [event for event in events if event.entity_type == "case_audit" and event.changes]
    assert any("findings" in event.changes for event in changed)  # that they changed is kept
    assert db.session.scalar(select(AuditAnswer.comment).where(AuditAnswer.audit_id == audit.id)) == "Voice is clear"

"""Sign-off by the manager, acknowledgement by the worker, changes in place before sign-off and as versions
after it, and every version readable."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.records.models import RecordVersion, SupervisionAction, SupervisionRecord
from tests.records.conftest import days_ago, discussion_of, personal_data, write_url

AGREE = {"agreement": "agree"}  # the acknowledgement form's answer (R-SUP-7: tests/records/test_worker_voice.py)


def edit_data(record, **overrides):
    """The change form's data for a one-case record, as it would be posted back unchanged."""
    discussion = discussion_of(record)
    p = f"c{discussion.case_id}"
    data = {"held_on": record.held_on.isoformat()}
    for name in ("significant_events", "decisions_and_plan", "reflective_analysis", "childs_voice"):
        data[f"{p}_{name}"] = getattr(discussion, name)
    data[f"{p}_scaling"] = str(discussion.scaling or "")
    for action in record.actions:
        data.update({f"action_{action.id}_description": action.description,
                     f"action_{action.id}_owner": str(action.owner_id),
                     f"action_{action.id}_due_on": action.due_on.isoformat()})
    for n in (1, 2, 3):
        data[f"{p}_new{n}_owner"] = str(record.worker_id)
    data.update(overrides)
    return data


def test_sign_off_then_acknowledge(as_role, org, saved_record):
    record = saved_record()
    worker = as_role("worker")
    early = worker.post_form(f"/records/{record.id}/acknowledge", AGREE)
    assert early.status_code == 400
    assert "once your manager has signed it off" in early.get_data(as_text=True)
    manager = as_role("team_manager")
    response = manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    assert response.status_code == 303
    assert "Record signed off. Wren Worker can now acknowledge it." in manager.get(
        response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(record)
    assert record.status == "signed_off" and record.signed_off_at is not None
    page = worker.get(f"/records/{record.id}").get_data(as_text=True)
    assert "Not acknowledged" in page and "Acknowledge record" in page
    assert worker.post_form(f"/records/{record.id}/acknowledge", AGREE).status_code == 303
    db.session.refresh(record)
    assert record.acknowledged_at is not None
    assert "Acknowledged" in worker.get(f"/records/{record.id}").get_data(as_text=True)


def test_only_the_records_worker_acknowledges(as_role, org, saved_record):
    record = saved_record()
    as_role("team_manager").post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    for role in ("team_manager", "service_manager", "qait"):
        assert as_role(role).post_form(f"/records/{record.id}/acknowledge", AGREE).status_code == 403
    assert as_role("south_worker").post_form(f"/records/{record.id}/acknowledge", AGREE).status_code == 403
    db.session.refresh(record)
    assert record.acknowledged_at is None


def test_workers_cannot_sign_off_or_change_records(as_role, org, saved_record):
    record = saved_record()
    worker = as_role("worker")
    assert worker.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 403
    assert worker.get(f"/records/{record.id}/edit").status_code == 403
    assert "Sign off" not in worker.get(f"/records/{record.id}").get_data(as_text=True)
    db.session.refresh(record)
    assert record.status == "draft"


def test_signing_off_twice_changes_nothing(as_role, org, saved_record):
    record = saved_record()
    manager = as_role("team_manager")
    manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    db.session.refresh(record)
    first = record.signed_off_at
    second = manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    assert "already signed off" in manager.get(second.headers["Location"]).get_data(as_text=True)
    db.session.refresh(record)
    assert record.signed_off_at == first


def test_a_change_before_sign_off_is_made_in_place(as_role, org, saved_record):
    record = saved_record()
    manager = as_role("team_manager")
    form = manager.get(f"/records/{record.id}/edit").get_data(as_text=True)
    assert "Strategy meeting held" in form and "Visit weekly and update the plan" in form
    assert "Why are you changing" not in form
    p = f"c{discussion_of(record).case_id}"
    response = manager.post_form(f"/records/{record.id}/edit", edit_data(
        record, **{f"{p}_childs_voice": "Wants to stay at the same school.", f"{p}_new1_description": "Call school",
                   f"{p}_new1_due_on": days_ago(-7).isoformat()}))
    assert response.status_code == 303
    db.session.refresh(record)
    assert record.version == 1 and record.versions == []
    assert discussion_of(record).childs_voice == "Wants to stay at the same school."
    assert len(record.actions) == 2


def test_an_action_can_be_removed_before_it_is_reviewed(as_role, org, saved_record):
    record = saved_record()
    action = record.actions[0]
    p = f"c{discussion_of(record).case_id}"
    response = as_role("team_manager").post_form(f"/records/{record.id}/edit", edit_data(
        record, **{f"action_{action.id}_remove": "y", f"{p}_no_further_action": "y"}))
    assert response.status_code == 303
    assert db.session.scalar(select(SupervisionAction)) is None


def test_a_change_after_sign_off_needs_a_reason_and_keeps_the_version(as_role, org, saved_record):
    record = saved_record()
    manager, worker = as_role("team_manager"), as_role("worker")
    manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    worker.post_form(f"/records/{record.id}/acknowledge", AGREE)
    p = f"c{discussion_of(record).case_id}"
    changed = {f"{p}_decisions_and_plan": "Plan changed: step down to child in need."}
    without_reason = manager.post_form(f"/records/{record.id}/edit", edit_data(record, **changed))
    assert without_reason.status_code == 400
    assert "Give the reason for changing a signed-off record" in without_reason.get_data(as_text=True)
    db.session.refresh(record)
    assert record.version == 1
    response = manager.post_form(f"/records/{record.id}/edit",
                                 edit_data(record, reason="Decision was recorded wrongly", **changed))
    assert response.status_code == 303
    db.session.refresh(record)
    assert record.version == 2 and record.status == "signed_off" and record.acknowledged_at is None
    kept = db.session.scalar(select(RecordVersion))
    assert kept.version == 1 and kept.reason == "Decision was recorded wrongly"
    assert kept.created_by_id == org["team_manager"].id
    assert kept.snapshot["discussions"][0]["decisions_and_plan"] == "Plan is working; keep weekly visits."
    assert kept.snapshot["discussions"][0]["actions"][0]["description"] == "Visit weekly and update the plan"
    assert kept.snapshot["acknowledged_at"] is not None
    assert discussion_of(record).decisions_and_plan.startswith("Plan changed")
    page = worker.get(f"/records/{record.id}").get_data(as_text=True)
    assert "Version 2" in page and "Acknowledge record" in page  # the worker acknowledges again
    versions = worker.get(f"/records/{record.id}/versions").get_data(as_text=True)
    assert "Version 2 (current)" in versions and "Decision was recorded wrongly" in versions
    assert "Tia Manager" in versions
    old = worker.get(f"/records/{record.id}/versions/1")
    assert old.status_code == 200
    text = old.get_data(as_text=True)
    assert "Plan is working; keep weekly visits." in text and "Plan changed" not in text
    assert "Decision was recorded wrongly" in text
    assert worker.get(f"/records/{record.id}/versions/2").status_code == 303
    assert worker.get(f"/records/{record.id}/versions/7").status_code == 404


def test_changing_the_date_moves_the_discussions_date_too(as_role, org, saved_record):
    record = saved_record(held_on=days_ago(3))
    response = as_role("team_manager").post_form(f"/records/{record.id}/edit",
                                                 edit_data(record, held_on=days_ago(4).isoformat()))
    assert response.status_code == 303
    db.session.refresh(record)
    assert record.held_on == days_ago(4) and discussion_of(record).held_on == days_ago(4)


def test_bad_changes_are_refused(as_role, org, saved_record):
    record = saved_record()
    manager = as_role("team_manager")
    p = f"c{discussion_of(record).case_id}"
    for overrides, message in [({"held_on": "1900-01-01"}, "from 1 January 2000"),
                               ({"held_on": "2100-01-01"}, "cannot be in the future"),
                               ({f"{p}_scaling": "12"}, "whole number from 0 to 10"),
                               ({f"action_{record.actions[0].id}_due_on": ""}, "Enter a due date for this action")]:
        response = manager.post_form(f"/records/{record.id}/edit", edit_data(record, **overrides))
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.refresh(record)
    assert record.held_on == days_ago(1) and discussion_of(record).scaling == 6


def test_an_action_reviewed_later_cannot_be_removed(as_role, org, case_of, saved_record):
    case = case_of()
    first = saved_record(case, held_on=days_ago(30))
    action = first.actions[0]
    saved_record(case, held_on=days_ago(1), extra={f"review_{action.id}": "carried_forward"})
    manager = as_role("team_manager")
    form = manager.get(f"/records/{first.id}/edit").get_data(as_text=True)
    assert f"action_{action.id}_remove" not in form and "reviewed in a later supervision" in form
    response = manager.post_form(f"/records/{first.id}/edit", edit_data(first, **{f"action_{action.id}_remove": "y"}))
    assert response.status_code == 303
    assert db.session.get(SupervisionAction, action.id) is not None


def test_record_by_a_service_manager_for_a_team_manager(as_role, org):
    sm = as_role("service_manager")
    response = sm.post_form(write_url(org["team_manager"], "personal"), personal_data(org["team_manager"]))
    assert response.status_code == 303
    record = db.session.scalar(select(SupervisionRecord))
    tm = as_role("team_manager")
    assert tm.get(f"/records/{record.id}").status_code == 200
    assert tm.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 403  # not their own record
    assert tm.get(f"/records/{record.id}/edit").status_code == 403
    sm.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    assert tm.post_form(f"/records/{record.id}/acknowledge", AGREE).status_code == 303
    db.session.refresh(record)
    assert record.acknowledged_at is not None


def test_saving_a_signed_off_record_unchanged_makes_no_version(as_role, org, saved_record):
    record = saved_record()
    manager = as_role("team_manager")
    manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    as_role("worker").post_form(f"/records/{record.id}/acknowledge", AGREE)
    response = manager.post_form(f"/records/{record.id}/edit", edit_data(record, reason="Checking"))
    assert response.status_code == 303
    assert "Nothing was changed" in manager.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(record)
    assert record.version == 1 and record.acknowledged_at is not None
    assert db.session.scalar(select(RecordVersion)) is None

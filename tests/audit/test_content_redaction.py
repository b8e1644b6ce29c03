"""Admins read the audit trail and may not read records: the trail keeps who changed which field of a record,
when, and in which version, never what the record says (issue 7). The text stays readable through the record
and its versions. Migration 0003 withholds the content that earlier rows kept."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.records.models import SupervisionRecord
from tests.records.conftest import days_ago, discussion_of, personal_data, write_url

CONTENT = "(content)"  # what the trail stores in place of a content value
MARK = "Zq7secret"  # in every piece of content below, so one search finds any of it
DISCUSSION_TEXT = ("actions_review", "significant_events", "decisions_and_plan", "reflective_analysis",
                   "childs_voice", "worries", "working_well", "needs_to_happen")


def marked(name: str) -> str:
    return f"{MARK} {name}"


def edit_form(record: SupervisionRecord, **overrides: Any) -> dict[str, Any]:
    """The change form of a one-case record, posted back as it is apart from ``overrides``."""
    discussion = discussion_of(record)
    p = f"c{discussion.case_id}"
    data: dict[str, Any] = {"held_on": record.held_on.isoformat(), f"{p}_scaling": str(discussion.scaling or "")}
    for name in (*DISCUSSION_TEXT, "disagreement_note"):
        data[f"{p}_{name}"] = getattr(discussion, name)
    if discussion.disagreement:
        data[f"{p}_disagreement"] = "y"
    for action in record.actions:
        data.update({f"action_{action.id}_description": action.description,
                     f"action_{action.id}_owner": str(action.owner_id),
                     f"action_{action.id}_due_on": action.due_on.isoformat()})
    for n in (1, 2, 3):
        data[f"{p}_new{n}_owner"] = str(record.worker_id)
    data.update(overrides)
    return data


def all_stored() -> list[tuple[str, Any]]:
    return [(event.summary, event.changes) for event in db.session.scalars(select(AuditEvent))]


@pytest.fixture
def written(as_role, org, case_of, saved_record, booking_for) -> dict[str, Any]:
    """Content with the mark in every field, written through the app the way people write it."""
    manager = as_role("team_manager")
    case = case_of()
    first = saved_record(case, held_on=days_ago(30), **{name: marked(name) for name in DISCUSSION_TEXT},
                         scaling="7", scaling_question=marked("scaling_question"),
                         new1_description=marked("first action"))
    p = f"c{case.id}"
    # Before sign-off: a change in place, an action added and then removed again (a delete).
    assert manager.post_form(f"/records/{first.id}/edit", edit_form(
        first, **{f"{p}_childs_voice": marked("childs_voice in place"), f"{p}_new1_description": marked("removed"),
                  f"{p}_new1_due_on": days_ago(-7).isoformat()})).status_code == 303
    db.session.refresh(first)
    removed_id = next(a.id for a in first.actions if a.description == marked("removed"))
    assert manager.post_form(f"/records/{first.id}/edit", edit_form(
        first, **{f"action_{removed_id}_remove": "y"})).status_code == 303
    # After sign-off: a change is version 2.
    assert manager.post_form(f"/records/{first.id}/sign-off", {"confirm": "y"}).status_code == 303
    db.session.refresh(first)
    assert manager.post_form(f"/records/{first.id}/edit", edit_form(
        first, reason=marked("reason for the change"), **{f"{p}_decisions_and_plan": marked("new plan"),
                                                           f"{p}_scaling": "3"})).status_code == 303
    db.session.refresh(first)
    assert first.version == 2
    action = first.actions[0]
    # A later supervision drops the first action (a review with a reason) and escalates a disagreement.
    second = saved_record(case, held_on=days_ago(1), disagreement="y",
                          disagreement_note=marked("disagreement_note"), new1_description=marked("second action"),
                          extra={f"review_{action.id}": "dropped", f"review_{action.id}_reason": marked("dropped")})
    assert as_role("service_manager").post_form(f"/escalations/{discussion_of(second).id}", {
        "resolution": marked("resolution")}).status_code == 303
    assert as_role("worker").post_form(f"/actions/{second.actions[0].id}/done").status_code == 303
    personal = manager.post_form(write_url(org["worker"], "personal"), personal_data(
        org["worker"], wellbeing=marked("wellbeing"), workload=marked("workload"), learning=marked("learning"),
        new1_description=marked("personal action")))
    assert personal.status_code == 303
    assert manager.post_form(f"/cases/{case.id}/oversight", {
        "kind": "plan_change", "entry_date": days_ago(0).isoformat(), "decision": marked("decision"),
        "rationale": marked("rationale")}).status_code == 303
    booking = booking_for(days=7)
    assert manager.post_form(f"/bookings/{booking.id}/cancel", {"reason": marked("cancelled")}).status_code == 303
    return {"first": first, "second": second, "action": action, "removed_id": removed_id, "booking": booking}


def test_the_trail_says_which_content_changed_but_never_what_it_says(as_role, org, make, written):
    first, second = written["first"], written["second"]
    for n in range(30):  # newer events, so the record's events spread over more than one page
        make.service(f"Service {n}")
    stored = all_stored()
    assert MARK not in json.dumps(stored)
    scalings = [changes["scaling"] for _, changes in stored if changes and "scaling" in changes]
    assert scalings and all(value in (None, CONTENT) for pair in scalings for value in pair)

    admin = as_role("admin")
    pages = math.ceil(len(stored) / 50)
    assert pages >= 2
    seen = ""
    for number in range(1, pages + 2):
        for headers in ({}, {"HX-Request": "true"}):
            response = admin.get(f"/admin/audit?page={number}", headers=headers)
            assert response.status_code == 200
            seen += response.get_data(as_text=True)
    for query in ("action=create", "action=update", "action=delete", "person=tm@example.org",
                  "person=sm@example.org&action=update", "entity=staff&page=2"):
        for headers in ({}, {"HX-Request": "true"}):
            seen += admin.get(f"/admin/audit?{query}", headers=headers).get_data(as_text=True)
    assert MARK not in seen and "Zq7" not in seen

    discussion = discussion_of(first)
    for entry in (f"create supervision record #{first.id} (record version 1)",
                  f"create case discussion #{discussion.id} (record version 1)",
                  f"update case discussion #{discussion.id} (record version 1)",  # changed in place
                  f"update case discussion #{discussion.id} (record version 2)",  # changed after sign-off
                  f"update supervision record #{first.id} (record version 2)",
                  f"create supervision action #{written['action'].id} (record version 1)",
                  f"delete supervision action #{written['removed_id']}",
                  f"update supervision action #{written['action'].id} (record version 2)",  # dropped by a review
                  f"update case discussion #{discussion_of(second).id} (record version 1)",  # resolved
                  "create action review #", "create management oversight #",
                  f"update booking #{written['booking'].id}"):
        assert entry in seen, entry
    # Each field by its label (the page reads as a log for people), its value withheld.
    for label in ("Child&#39;s voice", "Decisions and plan", "Scaling score", "Scaling question", "Description",
                  "Reason", "Resolution", "Wellbeing", "Decision", "Rationale", "Reason for the change",
                  "Drop reason"):
        assert f"<strong>{label}</strong>: changed" in seen, label

    # The content's history is read where it always was: the record and its versions, not by admins.
    worker = as_role("worker")
    old = worker.get(f"/records/{first.id}/versions/1").get_data(as_text=True)
    assert marked("childs_voice in place") in old and marked("decisions_and_plan") in old
    assert marked("new plan") in worker.get(f"/records/{first.id}").get_data(as_text=True)
    assert as_role("admin").get(f"/records/{first.id}/versions/1").status_code == 403


# Migration 0003 ---------------------------------------------------------------------------------------------

def refuses_changes() -> None:
    """The append-only trigger is in place: the database refuses to change or delete an event."""
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET summary = 'rewritten'"))
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))


def test_migration_0003_withholds_content_already_in_the_trail(app):
    db.session.remove()
    downgrade(revision="0002_supervision")
    rows = [
        {"actor_label": "tm@example.org", "action": "update", "entity_type": "case_discussion", "entity_id": 4,
         "summary": "update case_discussion #4",
         "changes": {"childs_voice": [marked("before"), marked("after")], "scaling": [3, 7],
                     "worries": ["", marked("worries")], "held_on": ["2026-01-01", "2026-01-02"]}},
        {"actor_label": "tm@example.org", "action": "create", "entity_type": "action", "entity_id": 9,
         "summary": f"create action {marked('a description')}"[:60],
         "changes": {"description": [None, marked("a description")], "owner_id": [None, 5],
                     "drop_reason": [None, ""], "status": [None, "open"]}},
        {"actor_label": "tm@example.org", "action": "delete", "entity_type": "action", "entity_id": 10,
         "summary": f"delete action {marked('gone')}",
         "changes": {"description": [marked("gone"), None], "record_id": [2, None]}},
        {"actor_label": "tm@example.org", "action": "update", "entity_type": "booking", "entity_id": 3,
         "summary": "update booking case supervision #3",
         "changes": {"status": ["booked", "cancelled"], "change_reason": [None, marked("cancelled")]}},
        {"actor_label": "tm@example.org", "action": "create", "entity_type": "oversight", "entity_id": 1,
         "summary": "create oversight #1", "changes": {"decision": [None, marked("decision")],
                                                       "rationale": [None, marked("rationale")]}},
        {"actor_label": "admin@example.org", "action": "create", "entity_type": "team", "entity_id": 8,
         "summary": "create team Zq7 Team", "changes": {"name": [None, "Zq7 Team"]}},
        {"actor_label": "tm@example.org", "action": "sign_in", "entity_type": None, "entity_id": None,
         "summary": "tm@example.org signed in", "changes": None},
    ]
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEvent.__table__), rows)
    refuses_changes()  # before: the trail is append-only

    upgrade(revision="0003_redact_audit_content")
    db.engine.dispose()

    stored = {event.summary: event.changes for event in db.session.scalars(select(AuditEvent))}
    db.session.remove()
    assert MARK not in json.dumps(stored)
    assert stored["update case_discussion #4"] == {
        "childs_voice": [CONTENT, CONTENT], "scaling": [CONTENT, CONTENT], "worries": [None, CONTENT],
        "held_on": ["2026-01-01", "2026-01-02"]}
    assert stored["create action #9"] == {"description": [None, CONTENT], "owner_id": [None, 5],
                                          "status": [None, "open"]}
    assert stored["delete action #10"] == {"description": [CONTENT, None], "record_id": [2, None]}
    assert stored["update booking case supervision #3"] == {"status": ["booked", "cancelled"],
                                                            "change_reason": [None, CONTENT]}
    assert stored["create oversight #1"] == {"decision": [None, CONTENT], "rationale": [None, CONTENT]}
    assert stored["create team Zq7 Team"] == {"name": [None, "Zq7 Team"]}  # not record content: kept
    assert stored["tm@example.org signed in"] is None
    refuses_changes()  # after: append-only again

    downgrade(revision="0002_supervision")  # changes nothing, and the trigger stays
    refuses_changes()
    upgrade()


INJECTED_FAILURE = {
    "sqlite": (["CREATE TRIGGER audit_events_fail BEFORE UPDATE ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"],
               ["DROP TRIGGER audit_events_fail"]),
    "postgresql": (["CREATE FUNCTION audit_events_fail() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN RAISE EXCEPTION 'injected failure'; END $$",
                    "CREATE TRIGGER audit_events_fail BEFORE UPDATE ON audit_events "
                    "FOR EACH ROW EXECUTE FUNCTION audit_events_fail()"],
                   ["DROP TRIGGER audit_events_fail ON audit_events", "DROP FUNCTION audit_events_fail()"]),
}


def test_a_failed_redaction_leaves_the_trail_append_only(app):
    """The trigger is dropped and created again in one transaction: if the redaction fails in between, the
    trail keeps its trigger and its rows (on SQLite too, where a DROP on its own would commit at once)."""
    db.session.remove()
    downgrade(revision="0002_supervision")
    create, drop = INJECTED_FAILURE[db.engine.dialect.name]
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEvent.__table__), [{
            "actor_label": "tm@example.org", "action": "create", "entity_type": "oversight", "entity_id": 1,
            "summary": "create oversight #1", "changes": {"decision": [None, marked("decision")]}}])
        for statement in create:  # another trigger that makes the redaction's UPDATE fail
            connection.execute(text(statement))
    try:
        with pytest.raises(DBAPIError, match="injected failure"):
            upgrade(revision="0003_redact_audit_content")
        db.engine.dispose()
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002_supervision"
            assert MARK in json.dumps(connection.execute(select(AuditEvent.changes)).scalar())
    finally:
        with db.engine.begin() as connection:
            for statement in drop:
                connection.execute(text(statement))
    refuses_changes()  # the append-only trigger survived the failed attempt
    upgrade()
    assert MARK not in json.dumps(db.session.scalar(select(AuditEvent.changes)))
    db.session.remove()

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from tests.conftest import sign_in


def test_creates_are_audited_with_every_field(make):
    team = make.team("Audited Team")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "team",
                                                       AuditEvent.entity_id == team.id))
    assert event.action == "create"
    assert event.changes["name"] == [None, "Audited Team"]
    assert event.at.tzinfo is not None and event.at.utcoffset().total_seconds() == 0


def test_passwords_never_reach_the_trail(make):
    make.staff(email="secret@example.org")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.summary.contains("secret@example.org")))
    assert event.changes["password_hash"] == [None, "(changed)"]


def test_the_trail_is_append_only_in_the_database(make):
    make.team()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET summary = 'rewritten'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()


def test_sign_in_and_failed_sign_in_are_recorded_with_address(client, org):
    client.post_form("/sign-in", {"email": "worker@example.org", "password": "a wrong password"})
    sign_in(client, org["worker"])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["sign_in", "sign_in_failed"]))
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["sign_in_failed", "sign_in"]
    assert events[1].ip_address == "127.0.0.1"


def test_admin_filters_the_trail(as_role, org):
    admin = as_role("admin")
    admin.post_form("/admin/services/new", {"name": "Filtered Service"})
    text_all = admin.get("/admin/audit").get_data(as_text=True)
    assert "create service Filtered Service" in text_all
    by_entity = admin.get("/admin/audit?entity=staff").get_data(as_text=True)
    assert "create service Filtered Service" not in by_entity and "create staff" in by_entity
    by_person = admin.get("/admin/audit?person=admin@example.org&entity=service").get_data(as_text=True)
    assert "Filtered Service" in by_person
    by_action = admin.get("/admin/audit?action=sign_in").get_data(as_text=True)
    assert "admin@example.org signed in" in by_action and "create staff" not in by_action
    future = admin.get("/admin/audit?date_from=2099-01-01").get_data(as_text=True)
    assert "0 events" in future
    bad = admin.get("/admin/audit?date_from=2026-02-30")
    assert bad.status_code == 200 and "Enter a real date" in bad.get_data(as_text=True)


def test_audit_filter_fragment_for_htmx(as_role):
    fragment = as_role("admin").get("/admin/audit?action=sign_in", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)

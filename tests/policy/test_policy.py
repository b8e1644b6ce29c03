from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.policy.models import CaseType, SupervisionSettings
from teamops.scheduling import load_policy


def test_seeded_policy_matches_the_contract(app):
    policy = load_policy()
    expected = {"CP": (4, "weeks", False), "CIN": (8, "weeks", False), "EH": (8, "weeks", True),
                "YJ": (1, "months", False), "CLA": (2, "months", False), "CL": (2, "months", False),
                "PF": (2, "months", False)}
    assert {code: (i.count, i.unit, i.first_due_on_allocation) for code, i in policy.intervals.items()} == expected
    assert (policy.case_cap_months, policy.high_risk_cap_months, policy.personal_interval_months) == (2, 1, 1)
    assert all(row.source_note for row in db.session.scalars(select(CaseType)))


def test_everyone_can_read_the_policy(as_role):
    text = as_role("worker").get("/policy").get_data(as_text=True)
    assert "Child protection (CP)" in text and "4 weeks" in text
    assert "/policy/case-types/" not in text


def test_admin_changes_an_interval_and_it_is_audited(as_role):
    admin = as_role("admin")
    response = admin.post_form("/policy/case-types/CIN", {"label": "Child in need", "interval_count": "6",
                                                          "interval_unit": "weeks", "source_note": "Local standard"})
    assert response.status_code == 303
    assert load_policy().intervals["CIN"].count == 6
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "case_type"))
    assert event.changes["interval_count"] == [8, 6] and event.actor_label == "admin@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("interval_count", "0", "from 1 to 52"), ("interval_count", "four", "whole number"),
     ("interval_unit", "days", "Not a valid choice"), ("source_note", "", "Say where the rule comes from")],
)
def test_bad_policy_input(as_role, field, value, message):
    values = {"label": "Child protection", "interval_count": "4", "interval_unit": "weeks", "source_note": "003"}
    values[field] = value
    response = as_role("admin").post_form("/policy/case-types/CP", values)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert load_policy().intervals["CP"].count == 4


def test_admin_changes_the_caps(as_role, make, org):
    from teamops.scheduling import case_next_due_on

    admin = as_role("admin")
    response = admin.post_form("/policy/settings", {"case_cap_months": "3", "high_risk_cap_months": "1",
                                                    "personal_interval_months": "2"})
    assert response.status_code == 303
    assert db.session.get(SupervisionSettings, 1).personal_interval_months == 2
    assert case_next_due_on(load_policy(), "CLA", False, date(2026, 1, 1), None) == date(2026, 3, 1)
    bad = admin.post_form("/policy/settings", {"case_cap_months": "13", "high_risk_cap_months": "1",
                                               "personal_interval_months": "1"})
    assert bad.status_code == 400 and "from 1 to 12" in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait"])
def test_only_admins_change_the_policy(as_role, role):
    assert as_role(role).get("/policy/settings").status_code == 403
    assert as_role(role).post_form("/policy/case-types/CP", {"interval_count": "1"}).status_code == 403

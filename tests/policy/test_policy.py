from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.dashboards.figures import team_figures
from teamops.dates import add_months, freeze, today
from teamops.extensions import db
from teamops.policy.models import CaseType, PolicyChange, SupervisionSettings
from teamops.scheduling import load_policy
from tests.dates_typed import date_shown


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
    """Issue 9 item 9: a change is kept as a dated policy change (effective today by default), not an edit of
    the rule, and the audit trail records the change."""
    admin = as_role("admin")
    page = admin.get("/policy/case-types/CIN").get_data(as_text=True)
    assert date_shown(page, "effective_from") == today().isoformat()
    response = admin.post_form("/policy/case-types/CIN", {
        "label": "Child in need", "interval_count": "6", "interval_unit": "weeks", "source_note": "Local standard",
        "effective_from": today().isoformat()})
    assert response.status_code == 303
    assert load_policy().intervals["CIN"].count == 6
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "policy_change"))
    assert event.changes["interval_count"] == [None, 6] and event.actor_label == "admin@example.org"
    page = admin.get("/policy").get_data(as_text=True)
    assert "History of changes" in page and "At least every 6 weeks" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("interval_count", "0", "from 1 to 52"), ("interval_count", "four", "whole number"),
     ("interval_unit", "days", "Not a valid choice"), ("source_note", "", "Say where the rule comes from")],
)
def test_bad_policy_input(as_role, field, value, message):
    values = {"label": "Child protection", "interval_count": "4", "interval_unit": "weeks", "source_note": "003",
              "effective_from": today().isoformat()}
    values[field] = value
    response = as_role("admin").post_form("/policy/case-types/CP", values)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert load_policy().intervals["CP"].count == 4


def test_admin_changes_the_caps(as_role, make, org):
    from teamops.scheduling import case_next_due_on

    admin = as_role("admin")
    response = admin.post_form("/policy/settings", {"case_cap_months": "3", "high_risk_cap_months": "1",
                                                    "personal_interval_months": "2", "asye_interval_count": "1",
                                                    "asye_interval_unit": "months",
                                                    "effective_from": today().isoformat()})
    assert response.status_code == 303
    assert load_policy().personal_interval_months == 2
    assert db.session.get(SupervisionSettings, 1).personal_interval_months == 1  # the rule before the change
    assert case_next_due_on(load_policy(), "CLA", False, date(2026, 1, 1), None) == date(2026, 3, 1)
    bad = admin.post_form("/policy/settings", {"case_cap_months": "13", "high_risk_cap_months": "1",
                                               "personal_interval_months": "1", "effective_from": today().isoformat()})
    assert bad.status_code == 400 and "from 1 to 12" in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait"])
def test_only_admins_change_the_policy(as_role, role):
    assert as_role(role).get("/policy/settings").status_code == 403
    assert as_role(role).post_form("/policy/case-types/CP", {"interval_count": "1"}).status_code == 403


CIN_VALUES = {"label": "Child in need", "interval_unit": "weeks", "source_note": "Local standard"}


def test_a_change_dated_today_leaves_last_months_figure_unchanged(as_role, org):
    """Issue 9 item 9 (CONTRACT.md "Scheduling rules": the policy used for a day is the one in force on it)."""
    from tests import factories

    with freeze(date(2026, 6, 10)):
        # Supervised on 20 May: in timescale at 31 May under the 8-week rule, overdue there under 1 week.
        case = factories.case("CIN-77", "CIN", False, org["worker"], date(2026, 4, 1))
        factories.record("case", date(2026, 5, 20), org["worker"], org["team_manager"], [case])
        before = team_figures(org["teams"]["north"], today()).last_month
        assert before.cases_in_timescale == before.cases_open == 1
        admin = as_role("admin")
        response = admin.post_form("/policy/case-types/CIN", {**CIN_VALUES, "interval_count": "1",
                                                              "effective_from": "2026-06-10"})
        assert response.status_code == 303
        after = team_figures(org["teams"]["north"], today())
        assert after.last_month == before  # 31 May keeps the 8-week rule
        assert after.now.cases_in_timescale == 0  # today the 1-week rule makes it overdue


def test_a_change_cannot_be_dated_in_the_past_and_a_future_one_waits(as_role):
    admin = as_role("admin")
    yesterday = date.fromordinal(today().toordinal() - 1).isoformat()
    bad = admin.post_form("/policy/case-types/CIN", {**CIN_VALUES, "interval_count": "6", "effective_from": yesterday})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "figures for past days keep the policy" in text
    assert date_shown(text, "effective_from") == yesterday
    assert db.session.scalar(select(PolicyChange)) is None
    later = add_months(today(), 1)
    response = admin.post_form("/policy/case-types/CIN", {**CIN_VALUES, "interval_count": "6",
                                                          "effective_from": later.isoformat()})
    assert response.status_code == 303
    assert load_policy().intervals["CIN"].count == 8
    assert load_policy(later).intervals["CIN"].count == 6
    page = admin.get("/policy").get_data(as_text=True)
    assert "Changes to come" in page and later.strftime("%-d %B %Y") in page and "8 weeks" in page
    with freeze(later):
        assert load_policy().intervals["CIN"].count == 6


def test_saving_the_same_rule_dates_nothing(as_role):
    response = as_role("admin").post_form("/policy/case-types/CIN", {**CIN_VALUES, "interval_count": "8",
                                                                     "effective_from": today().isoformat()})
    assert response.status_code == 303
    assert db.session.scalar(select(PolicyChange)) is None
    assert db.session.get(CaseType, "CIN").source_note == "Local standard"

"""The organisation's settings page (issue 9 item 11): how case references look, within CONTRACT.md's rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import OrganisationSettings
from teamops.org.settings import CaseRefRule, case_ref_rule, pattern_problem
from teamops.returns.services import due_on

URL = "/admin/settings"


def rule_form(rule: str = "default", pattern: str = "", example: str = "", hint: str = "",
              buddy_months: str = "6", return_due_rule: str = "next", dip_samples: str = "2") -> dict[str, str]:
    return {"case_ref_rule": rule, "case_ref_pattern": pattern, "case_ref_example": example, "case_ref_hint": hint,
            "buddy_min_service_months": buddy_months, "return_due_rule": return_due_rule,
            "dip_samples_per_team": dip_samples}


def settings_events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.entity_type == "organisation_settings"))


def test_the_default_is_the_contracts_rule(app):
    rule = case_ref_rule()
    assert rule == CaseRefRule() and not rule.narrowed
    assert rule.accepts("JaneDoe") and rule.accepts("MOS-1") and not rule.accepts("Jane Doe")
    assert not rule.accepts("A" * 33)


def test_admin_finds_the_page_in_the_menu_and_sets_digits_only(as_role):
    admin = as_role("admin")
    page = admin.get(URL)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f'href="{URL}"' in text  # the admin menu links here
    assert "Letters, numbers and hyphens (the default)" in text and "Digits only" in text
    assert "Your own pattern" in text
    response = admin.post_form(URL, rule_form("digits", example="1234567"))
    assert response.status_code == 303
    row = db.session.get(OrganisationSettings, 1)
    assert (row.case_ref_rule, row.case_ref_example, row.case_ref_pattern) == ("digits", "1234567", "")
    assert "Settings saved" in admin.get(response.headers["Location"]).get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "organisation_settings"))
    assert event.action == "create" and event.changes["case_ref_rule"] == [None, "digits"]
    assert event.actor_label == "admin@example.org"
    assert admin.post_form(URL, rule_form("default")).status_code == 303
    assert settings_events() == 2 and case_ref_rule() == CaseRefRule("default")


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait"])
def test_only_admins_open_or_change_the_settings(as_role, role):
    client = as_role(role)
    assert client.get(URL).status_code == 403
    assert client.post_form(URL, rule_form("digits", example="1234567")).status_code == 403
    assert db.session.get(OrganisationSettings, 1) is None
    assert f'href="{URL}"' not in client.get("/").get_data(as_text=True)


def refused(response, field: str, message: str) -> str:
    """400, the message next to the field (and in the summary, linking to it), and nothing written."""
    text = response.get_data(as_text=True)
    assert response.status_code == 400, text[:2000]
    assert "There is a problem" in text and f'href="#{field}"' in text
    assert f'<p id="{field}-error" class="govuk-error-message">' in text
    assert message in text.split(f'id="{field}-error"', 1)[1][:600]
    assert db.session.get(OrganisationSettings, 1) is None and settings_events() == 0
    return text


def test_a_pattern_that_is_not_a_regular_expression_is_refused_next_to_it(as_role):
    text = refused(as_role("admin").post_form(URL, rule_form("custom", "[0-9", "1234567", "a Mosaic ID")),
                   "case_ref_pattern", "This is not a regular expression TeamOps can read")
    assert 'value="[0-9"' in text  # what was typed is kept
    assert 'value="custom" checked' in text


@pytest.mark.parametrize(("values", "field", "message"), [
    (rule_form("custom", "", "1234567", "a Mosaic ID"), "case_ref_pattern", "Enter the pattern"),
    (rule_form("custom", "(a+)+b", "aab", "letters"), "case_ref_pattern", "Keep the pattern simple"),
    (rule_form("custom", "a*" * 7, "aaa", "letters"), "case_ref_pattern", "at most 6 parts"),
    (rule_form("custom", "[0-9]" * 21, "1234567", "digits"), "case_ref_pattern", "100 characters or fewer"),
    (rule_form("custom", "[0-9]{7}", "", "a Mosaic ID"), "case_ref_example", "Enter an example"),
    (rule_form("custom", "[0-9]{7}", "123", "a Mosaic ID"), "case_ref_example", "does not accept this example"),
    (rule_form("custom", "[0-9]{7}", "1234567", ""), "case_ref_hint", "Describe your references"),
    (rule_form("digits", "[0-9]{7}", "1234567"), "case_ref_pattern", "Choose “Your own pattern” to use a pattern"),
    (rule_form("digits", example="CP-1"), "case_ref_example", "must be digits only"),
    (rule_form("digits", example="Jane Doe"), "case_ref_example", "never a name"),
    (rule_form("default", example="1" * 33), "case_ref_example", "32 characters or fewer"),
    (rule_form("anything"), "case_ref_rule", "Select how your case references look"),
])
def test_bad_settings_are_refused_next_to_their_field(as_role, values, field, message):
    refused(as_role("admin").post_form(URL, values), field, message)


def test_the_admins_own_pattern_is_always_within_the_contracts_rule(app):
    rule = CaseRefRule("custom", ".*", "CP-1", "a CP number")
    assert rule.accepts("CP-1") and not rule.accepts("Jane Doe") and not rule.accepts("x" * 33)
    mosaic = CaseRefRule("custom", "[0-9]{7}", "1234567", "a Mosaic ID such as 1234567")
    assert mosaic.accepts("1234567") and not mosaic.accepts("123456") and not mosaic.accepts("JaneDoe")
    assert mosaic.message == "Enter the case-system reference as a Mosaic ID such as 1234567"
    assert CaseRefRule("digits", example="1234567").message == (
        "Enter the case-system reference as digits only, for example 1234567")


@pytest.mark.parametrize("pattern", ["[0-9]{7}", "(CP|CIN)-[0-9]+", "[A-Z]{2}[0-9]{6}", r"\d{3}(-\d{3})*",
                                     "(MOS-)?[0-9]+"])
def test_ordinary_patterns_are_allowed(pattern):
    assert pattern_problem(pattern) is None


def test_a_form_sent_without_a_choice_is_refused(as_role):
    refused(as_role("admin").post_form(URL, {}), "case_ref_rule", "Select how your case references look")


def test_the_buddy_service_threshold_is_a_setting(as_role):
    """R-IND-4: a suggested buddy has at least this many months' service (6 by default); out of range is
    refused by the field, and nothing is saved."""
    admin = as_role("admin")
    refused = admin.post_form(URL, rule_form(buddy_months="61"))
    assert refused.status_code == 400
    assert "Enter the months of service, from 0 to 60" in refused.get_data(as_text=True)
    assert db.session.get(OrganisationSettings, 1) is None
    assert admin.post_form(URL, rule_form(buddy_months="12")).status_code == 303
    assert db.session.get(OrganisationSettings, 1).buddy_min_service_months == 12


def test_admin_chooses_the_working_day_before_for_returns(as_role):
    """R-QA-2: the rule is the organisation's; the default is the next working day. March 2026's return (Good
    Friday) is then due on Thursday 2 April; December 2026's still on Monday 4 January 2027."""
    admin = as_role("admin")
    assert "The working day before" in admin.get(URL).get_data(as_text=True)
    refused = admin.post_form(URL, rule_form(return_due_rule="whenever"))
    assert refused.status_code == 400 and "Select when a return is due after a bank holiday" in refused.get_data(
        as_text=True)
    assert admin.post_form(URL, rule_form(return_due_rule="before")).status_code == 303
    assert db.session.get(OrganisationSettings, 1).return_due_rule == "before"
    assert due_on(date(2026, 3, 1)) == date(2026, 4, 2) and due_on(date(2026, 12, 1)) == date(2027, 1, 4)


def test_admin_lets_managers_audit_their_own_teams_cases(as_role):
    """R-QA-4: by default a manager is never given a case of their own team to audit; the setting allows it,
    and unticking it stops it again."""
    admin = as_role("admin")
    page = admin.get(URL).get_data(as_text=True)
    assert "Managers may be given a case of their own team to audit" in page
    assert admin.post_form(URL, {**rule_form(), "auditors_own_team": "y"}).status_code == 303
    assert db.session.get(OrganisationSettings, 1).auditors_own_team is True
    assert admin.post_form(URL, rule_form()).status_code == 303
    db.session.expire_all()
    assert db.session.get(OrganisationSettings, 1).auditors_own_team is False

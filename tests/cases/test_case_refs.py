"""The add-case form follows the organisation's case reference rule (issue 9 item 11): within CONTRACT.md's
letters, numbers and hyphens, an admin may ask for digits only (a Mosaic ID) or a pattern of their own."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from teamops.cases.models import Case
from teamops.dates import today
from teamops.extensions import db
from teamops.org.settings import CaseRefRule, save_case_ref_rule
from tests import factories


def new_case(org, case_ref: str) -> dict[str, str]:
    return {"case_ref": case_ref, "case_type_code": "CP", "worker_id": str(org["worker"].id),
            "allocated_on": (today() - timedelta(days=10)).isoformat()}


def use_rule(rule: CaseRefRule) -> None:
    save_case_ref_rule(rule)
    db.session.commit()


def count_cases() -> int:
    return db.session.scalar(select(func.count(Case.id)))


def test_a_name_like_reference_is_accepted_under_the_default(as_role, org):
    response = as_role("team_manager").post_form("/cases/new", new_case(org, "JaneDoe"))
    assert response.status_code == 303
    assert db.session.scalar(select(Case.case_ref)) == "JaneDoe"


def test_digits_only_refuses_janedoe_with_the_rule_and_its_example(as_role, org):
    use_rule(CaseRefRule("digits", example="1234567"))
    manager = as_role("team_manager")
    form = manager.get("/cases/new").get_data(as_text=True)
    assert "The case-recording system&#39;s reference: digits only, for example 1234567." in form
    response = manager.post_form("/cases/new", new_case(org, "JaneDoe"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and count_cases() == 0
    assert '<p id="case_ref-error" class="govuk-error-message">' in text
    assert "Enter the case-system reference as digits only, for example 1234567" in text
    assert 'value="JaneDoe"' in text  # kept, so it can be corrected
    assert manager.post_form("/cases/new", new_case(org, "1234567")).status_code == 303
    assert count_cases() == 1


def test_the_organisations_own_pattern_and_description(as_role, org):
    use_rule(CaseRefRule("custom", "CP-[0-9]{4}", "CP-0001", "CP- and four digits"))
    manager = as_role("team_manager")
    assert "CP- and four digits, for example CP-0001" in manager.get("/cases/new").get_data(as_text=True)
    refused = manager.post_form("/cases/new", new_case(org, "CP-12345"))
    assert refused.status_code == 400
    assert ("Enter the case-system reference as CP- and four digits, for example CP-0001"
            in refused.get_data(as_text=True))
    assert manager.post_form("/cases/new", new_case(org, "CP-1234")).status_code == 303


def test_existing_cases_keep_their_references(as_role, org):
    old = factories.case("OLD-REF", "CP", False, org["worker"], today() - timedelta(days=30))
    use_rule(CaseRefRule("digits", example="1234567"))
    manager = as_role("team_manager")
    page = manager.get(f"/cases/{old.id}")
    assert page.status_code == 200 and "OLD-REF" in page.get_data(as_text=True)
    assert manager.post_form(f"/cases/{old.id}/details", {"case_type_code": "CIN"}).status_code == 303
    assert db.session.get(Case, old.id).case_ref == "OLD-REF"

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from teamops.cases.models import Case, OversightEntry
from teamops.dates import today
from teamops.extensions import db
from tests import factories


def new_case(org, **overrides):
    values = {"case_ref": "MOS-1001", "case_type_code": "CP", "worker_id": str(org["worker"].id),
              "allocated_on": (today() - timedelta(days=10)).isoformat()}
    values.update(overrides)
    return values


def count_cases() -> int:
    return db.session.scalar(select(func.count(Case.id)))


def test_manager_adds_a_case_and_sees_when_it_is_due(as_role, org):
    manager = as_role("team_manager")
    response = manager.post_form("/cases/new", new_case(org, high_risk="y"))
    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case.high_risk and case.worker_id == org["worker"].id
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "MOS-1001" in page and "High risk" in page
    assert (today() - timedelta(days=10) + timedelta(weeks=4)).strftime("%-d %B %Y") in page


def test_the_form_explains_that_names_never_go_in(as_role):
    text = as_role("team_manager").get("/cases/new").get_data(as_text=True)
    assert "Never enter a child" in text and "name, address or date of birth" in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_ref": "Jane Smith"}, "never a name"),
        ({"case_ref": ""}, "Enter the case reference"),
        ({"case_ref": "A" * 33}, "32 characters or fewer"),
        ({"case_type_code": "XX"}, "Not a valid choice"),
        ({"worker_id": "0"}, "Select the worker"),
        ({"allocated_on": "2026-02-30"}, "Enter a real date"),
        ({"allocated_on": "1900-01-01"}, "between 2000 and 2099"),
        ({"allocated_on": (date.today() + timedelta(days=3)).isoformat()}, "cannot be in the future"),
    ],
)
def test_bad_case_input(as_role, org, overrides, message):
    response = as_role("team_manager").post_form("/cases/new", new_case(org, **overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_cases() == 0


def test_a_worker_in_another_team_or_who_left_cannot_be_allocated(as_role, org, make):
    manager = as_role("team_manager")
    response = manager.post_form("/cases/new", new_case(org, worker_id=str(org["south_worker"].id)))
    assert response.status_code == 400 and "in a team you manage" in response.get_data(as_text=True)
    leaver = make.staff(team=org["teams"]["north"], active=False)
    response = manager.post_form("/cases/new", new_case(org, worker_id=str(leaver.id)))
    assert response.status_code == 400
    assert count_cases() == 0


def test_duplicate_reference_is_refused(as_role, org):
    factories.case("MOS-1001", "CIN", False, org["worker"], date(2026, 1, 1))
    response = as_role("team_manager").post_form("/cases/new", new_case(org, case_ref="mos-1001"))
    assert response.status_code == 400 and "already in TeamOps" in response.get_data(as_text=True)


def _without_tokens(page: str) -> str:
    """A page without its CSRF tokens, which carry the second they were signed in."""
    return re.sub(r'(name="csrf_token" (?:type="hidden" )?value="|"X-CSRFToken": ")[^"]+', r"\1", page)


def test_a_taken_reference_reads_the_same_whoever_holds_the_case(as_role, org):
    """Issue 7 item 12: references are unique, so a duplicate must be refused, but the answer must not say
    whose case it is or which team holds it: one held by another team reads exactly like one in your own."""
    factories.case("MOS-1001", "CIN", False, org["worker"], date(2026, 1, 1))
    factories.case("MOS-2002", "CP", True, org["south_worker"], date(2026, 1, 1))
    manager = as_role("team_manager")
    own = manager.post_form("/cases/new", new_case(org, case_ref="mos-1001")).get_data(as_text=True)
    other = manager.post_form("/cases/new", new_case(org, case_ref="mos-2002")).get_data(as_text=True)
    assert "A case with this reference is already in TeamOps" in other
    assert _without_tokens(other.replace("mos-2002", "mos-1001")) == _without_tokens(own)
    for secret in ("MOS-2002", "Sid South", "south.worker", "Family Safeguarding South"):
        assert secret not in other
    assert count_cases() == 2


def test_reallocate_keeps_history(as_role, org, make):
    other = make.staff(team=org["teams"]["north"], name="Ola Other")
    case = factories.case("MOS-7", "CP", False, org["worker"], today() - timedelta(days=20))
    manager = as_role("team_manager")
    response = manager.post_form(f"/cases/{case.id}/reallocate", {"worker_id": str(other.id),
                                                                  "from_date": today().isoformat()})
    assert response.status_code == 303
    page = manager.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Ola Other" in page and "Wren Worker" in page
    case = db.session.get(Case, case.id)
    assert case.worker_id == other.id and len(case.allocations) == 2


def test_reallocation_before_allocation_is_refused(as_role, org, make):
    other = make.staff(team=org["teams"]["north"])
    case = factories.case("MOS-8", "CP", False, org["worker"], today() - timedelta(days=5))
    response = as_role("team_manager").post_form(f"/cases/{case.id}/reallocate", {
        "worker_id": str(other.id), "from_date": (today() - timedelta(days=6)).isoformat()})
    assert response.status_code == 400
    assert "cannot start before" in response.get_data(as_text=True)


def test_a_reallocation_date_of_only_spaces_is_asked_for_again(as_role, org, make):
    """Found by the fuzzing (issue 16 item 3): a date of only spaces answered 500."""
    other = make.staff(team=org["teams"]["north"])
    case = factories.case("MOS-18", "CP", False, org["worker"], today() - timedelta(days=5))
    response = as_role("team_manager").post_form(f"/cases/{case.id}/reallocate", {
        "worker_id": str(other.id), "from_date": " "})
    assert response.status_code == 400
    assert "Enter the date the new worker takes the case" in response.get_data(as_text=True)
    assert db.session.get(Case, case.id).worker_id == org["worker"].id


def test_close_and_reopen(as_role, org):
    case = factories.case("MOS-9", "CP", False, org["worker"], today() - timedelta(days=5))
    manager = as_role("team_manager")
    response = manager.post_form(f"/cases/{case.id}/close", {"closed_on": today().isoformat()})
    assert "Case MOS-9 closed" in manager.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Case, case.id).closed_on == today()
    assert "MOS-9" not in manager.get("/cases").get_data(as_text=True)
    assert "MOS-9" in manager.get("/cases?show=closed").get_data(as_text=True)
    manager.post_form(f"/cases/{case.id}/reopen")
    assert db.session.get(Case, case.id).closed_on is None


def test_change_type_and_risk_moves_the_due_date(as_role, org):
    case = factories.case("MOS-10", "CLA", False, org["worker"], today() - timedelta(days=5))
    manager = as_role("team_manager")
    manager.post_form(f"/cases/{case.id}/details", {"case_type_code": "CP", "high_risk": "y"})
    case = db.session.get(Case, case.id)
    assert (case.case_type_code, case.high_risk) == ("CP", True)


def test_oversight_entry(as_role, org):
    case = factories.case("MOS-11", "CIN", False, org["worker"], today() - timedelta(days=5))
    manager = as_role("team_manager")
    bad = manager.post_form(f"/cases/{case.id}/oversight", {"kind": "allocation", "entry_date": "",
                                                            "decision": "Visit within 5 working days",
                                                            "rationale": ""})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Enter the date" in text and "Enter the rationale" in text and "Visit within 5 working days" in text
    assert db.session.scalar(select(func.count(OversightEntry.id))) == 0
    ok = manager.post_form(f"/cases/{case.id}/oversight", {
        "kind": "allocation", "entry_date": today().isoformat(), "decision": "Visit within 5 working days",
        "rationale": "Concerns about neglect"})
    assert ok.status_code == 303
    assert "Concerns about neglect" in manager.get(f"/cases/{case.id}").get_data(as_text=True)


def test_case_access(as_role, org):
    north = factories.case("N-1", "CP", False, org["worker"], date(2026, 1, 1))
    south = factories.case("S-1", "CP", False, org["south_worker"], date(2026, 1, 1))
    assert as_role("team_manager").get(f"/cases/{south.id}").status_code == 403
    assert as_role("team_manager").post_form(f"/cases/{south.id}/close",
                                             {"closed_on": "2026-02-01"}).status_code == 403
    assert as_role("worker").get(f"/cases/{north.id}").status_code == 200
    assert as_role("worker").post_form(f"/cases/{north.id}/close", {"closed_on": "2026-02-01"}).status_code == 403
    assert as_role("south_worker").get(f"/cases/{north.id}").status_code == 403
    assert as_role("admin").get(f"/cases/{north.id}").status_code == 403
    assert as_role("admin").get("/cases").status_code == 403
    assert as_role("qait").get(f"/cases/{south.id}").status_code == 200
    listing = as_role("service_manager").get("/cases").get_data(as_text=True)
    assert "N-1" in listing and "S-1" in listing
    assert "S-1" not in as_role("worker").get("/cases").get_data(as_text=True)


def test_case_list_filters_and_query_count(as_role, org, count_queries):
    factories.case("OLD-1", "CP", False, org["worker"], today() - timedelta(days=100))
    factories.case("NEW-1", "CLA", False, org["worker"], today())
    manager = as_role("team_manager")
    overdue = manager.get("/cases?show=overdue").get_data(as_text=True)
    assert "OLD-1" in overdue and "NEW-1" not in overdue
    fragment = manager.get("/cases?q=new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "NEW-1" in fragment and "OLD-1" not in fragment
    with count_queries() as few:
        manager.get("/cases")
    for n in range(25):
        factories.case(f"BULK-{n}", "CIN", n % 3 == 0, org["worker"], today() - timedelta(days=n))
    with count_queries() as many:
        manager.get("/cases")
    assert many.count == few.count


def test_case_page_shows_the_scaling_trend_with_a_text_equivalent(as_role, org):
    case = factories.case("MOS-12", "CP", False, org["worker"], date(2026, 1, 1))
    record = factories.record("case", date(2026, 2, 1), org["worker"], org["team_manager"], [case])
    record.discussions[0].scaling = 4
    db.session.commit()
    text = as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Scaling trend" in text and "<svg" in text and 'role="img"' in text
    assert "1 February 2026" in text

"""No cases in a permanent starter's induction (R-IND-3), wherever a case is allocated: the new-case form,
reallocation, a leaver's hand-over and the case import. The start is CONTRACT.md's example: Tuesday 22 December
2026, so a permanent induction runs to Thursday 7 January 2027 (working day 10) and an agency one to Wednesday
30 December 2026."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from teamops import dates
from teamops.cases.models import Case, CaseAllocation
from teamops.extensions import db
from teamops.induction import services as inductions
from tests.imports.conftest import case_row, cases_csv
from tests.imports.test_upload import confirm, upload

START = date(2026, 12, 22)
DAY_1, DAY_2, DAY_10, DAY_11 = date(2026, 12, 22), date(2026, 12, 23), date(2027, 1, 7), date(2027, 1, 8)
UNTIL = "until Thursday 7 January 2027"


@pytest.fixture
def frozen():
    with dates.freeze(date(2027, 1, 11)):  # a Monday after the induction: every date above is in the past
        yield


@pytest.fixture
def starter(make, org, frozen):
    person = make.staff("worker", org["teams"]["north"], email="nico@example.org", name="Nico Fraser",
                        start_date=START)
    make.induction(person)
    return person


@pytest.fixture
def agency(make, org, frozen):
    person = make.staff("worker", org["teams"]["north"], email="ash@example.org", name="Ash Agency",
                        start_date=START, employment_type="agency")
    make.induction(person)
    return person


def new_case(worker, on: date, **more: str) -> dict[str, str]:
    return {"case_ref": "MOS-1001", "case_type_code": "CIN", "worker_id": str(worker.id),
            "allocated_on": on.isoformat(), **more}


def cases() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Case.id))) or 0


@pytest.mark.parametrize("on", [DAY_1, DAY_10])
def test_a_permanent_starter_is_refused_a_case_during_their_induction(as_role, starter, on):
    response = as_role("team_manager").post_form("/cases/new", new_case(starter, on))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert UNTIL in page and "permanent staff are not given cases during induction" in page
    assert "allocate from Friday 8 January 2027" in page
    assert 'value="MOS-1001"' in page  # what was typed stays
    assert cases() == 0


def test_a_permanent_starter_is_given_a_case_the_day_after_their_induction(as_role, starter):
    response = as_role("team_manager").post_form("/cases/new", new_case(starter, DAY_11))
    assert response.status_code == 303
    assert cases() == 1


def test_the_worker_list_says_who_is_in_induction_and_until_when(as_role, make, org):
    person = make.staff("worker", org["teams"]["north"], name="Nico Fraser", start_date=START)
    make.induction(person)
    with dates.freeze(date(2027, 1, 4)):
        page = as_role("team_manager").get("/cases/new").get_data(as_text=True)
    assert "Nico Fraser (Family Safeguarding North) (in induction until 7 Jan)" in page
    assert "Wren Worker (Family Safeguarding North)<" in page


def test_an_agency_starter_on_day_1_needs_confirming(as_role, agency):
    manager = as_role("team_manager")
    response = manager.post_form("/cases/new", new_case(agency, DAY_1))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Tuesday 22 December 2026 is Ash Agency&#39;s first day" in page and "Allocate anyway" in page
    assert cases() == 0
    confirmed = manager.post_form("/cases/new", new_case(agency, DAY_1, confirm_allocation="y"))
    assert confirmed.status_code == 303
    assert cases() == 1


def test_an_agency_starter_on_day_2_is_given_a_case(as_role, agency):
    response = as_role("team_manager").post_form("/cases/new", new_case(agency, DAY_2))
    assert response.status_code == 303


def test_a_mover_and_a_cancelled_induction_do_not_count(as_role, make, org, frozen):
    mover = make.staff("worker", org["teams"]["north"], name="Mo Mover", start_date=date(2019, 4, 1))
    make.induction(mover, start_date=START, template_kind="mover")
    cancelled = make.staff("worker", org["teams"]["north"], name="Cas Cancelled", start_date=START)
    inductions.cancel(make.induction(cancelled), "Did not start", None)
    db.session.commit()
    manager = as_role("team_manager")
    assert manager.post_form("/cases/new", new_case(mover, DAY_1)).status_code == 303
    assert manager.post_form("/cases/new", new_case(cancelled, DAY_1, case_ref="MOS-1002")).status_code == 303


def test_without_an_induction_row_the_contracts_rule_applies(as_role, make, org, frozen):
    person = make.staff("worker", org["teams"]["north"], name="Old Record", start_date=START)
    response = as_role("team_manager").post_form("/cases/new", new_case(person, DAY_10))
    assert response.status_code == 400 and UNTIL in response.get_data(as_text=True)


@pytest.mark.parametrize(("on", "status"), [(DAY_1, 400), (DAY_10, 400), (DAY_11, 303)])
def test_reallocation_follows_the_same_rule(as_role, make, org, starter, on, status):
    case = make.case("MOS-2001", "CIN", False, org["worker"], date(2026, 12, 1))
    response = as_role("team_manager").post_form(f"/cases/{case.id}/reallocate",
                                                 {"worker_id": str(starter.id), "from_date": on.isoformat()})
    assert response.status_code == status
    db.session.rollback()
    held = db.session.scalar(select(Case.worker_id).where(Case.id == case.id))
    if status == 400:
        assert UNTIL in response.get_data(as_text=True) and held == org["worker"].id
    else:
        assert held == starter.id


def test_reallocation_to_an_agency_starter_on_day_1_needs_confirming(as_role, make, org, agency):
    case = make.case("MOS-2002", "CIN", False, org["worker"], date(2026, 12, 1))
    manager = as_role("team_manager")
    form = {"worker_id": str(agency.id), "from_date": DAY_1.isoformat()}
    response = manager.post_form(f"/cases/{case.id}/reallocate", form)
    assert response.status_code == 409 and "Allocate anyway" in response.get_data(as_text=True)
    assert manager.post_form(f"/cases/{case.id}/reallocate", {**form, "confirm_allocation": "y"}).status_code == 303


@pytest.mark.parametrize(("today", "status"), [(DAY_1, 400), (DAY_10, 400), (DAY_11, 303)])
def test_the_hand_over_follows_the_same_rule(as_role, make, org, today, status):
    starter = make.staff("worker", org["teams"]["north"], name="Nico Fraser", start_date=START)
    make.induction(starter)
    leaver = make.staff("worker", org["teams"]["north"], name="Lee Leaver")
    case = make.case("MOS-3001", "CIN", False, leaver, date(2026, 11, 2))
    with dates.freeze(today):
        response = as_role("team_manager").post_form(f"/admin/staff/{leaver.id}/handover",
                                                     {f"case_{case.id}": str(starter.id)})
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    db.session.rollback()
    held = db.session.scalar(select(Case.worker_id).where(Case.id == case.id))
    if status == 400:
        assert UNTIL in response.get_data(as_text=True) and held == leaver.id
    else:
        assert held == starter.id


def test_the_hand_over_to_an_agency_starter_on_day_1_needs_confirming(as_role, make, org):
    agency = make.staff("worker", org["teams"]["north"], name="Ash Agency", start_date=START,
                        employment_type="agency")
    make.induction(agency)
    leaver = make.staff("worker", org["teams"]["north"], name="Lee Leaver")
    case = make.case("MOS-3002", "CIN", False, leaver, date(2026, 11, 2))
    with dates.freeze(DAY_1):
        manager = as_role("team_manager")
        form = {f"case_{case.id}": str(agency.id)}
        response = manager.post_form(f"/admin/staff/{leaver.id}/handover", form)
        assert response.status_code == 409 and "Allocate anyway" in response.get_data(as_text=True)
        assert manager.post_form(f"/admin/staff/{leaver.id}/handover",
                                 {**form, "confirm_allocation": "y"}).status_code == 303


# The import: accepted, as the case system is the record, with a warning and a breach ---------------------------

def test_an_import_for_a_permanent_starter_is_accepted_with_a_warning_and_a_breach(import_cli, as_role, starter):
    csv = cases_csv(case_row("4300123", worker_email="nico@example.org", allocated_on="2027-01-05"))
    result = import_cli("cases", csv)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: line 2: worker_email: Nico Fraser is in induction {UNTIL}: permanent staff are not given cases "
        "during induction (they can read the files of cases planned for them). Imported all the same, as the case "
        "system is the record. The manager's home page shows it until the induction is signed off."]
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0"
    assert cases() == 1
    home = as_role("team_manager").get("/").get_data(as_text=True)
    assert "Case 4300123, Nico Fraser" in home and "Breach" in home
    assert "Case 4300123" not in as_role("south_manager").get("/").get_data(as_text=True)
    again = import_cli("cases", csv)
    assert again.exit_code == 0 and again.stderr == ""
    assert again.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 1"


def test_an_import_reallocating_to_an_agency_starter_on_day_1_warns_without_a_breach(import_cli, as_role, make,
                                                                                    org, agency):
    with dates.freeze(DAY_1):
        make.case("4300124", "CIN", False, org["worker"], date(2026, 12, 1))
        result = import_cli("cases", cases_csv(case_row("4300124", worker_email="ash@example.org",
                                                        allocated_on="2026-12-01")))
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("warning: line 2: worker_email: Tuesday 22 December 2026 is Ash Agency's "
                                        "first day")
        assert result.stdout.splitlines()[-1] == "created 0, updated 1, unchanged 0"
        assert "Breach" not in as_role("team_manager").get("/").get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count(CaseAllocation.id))) == 2


def test_the_upload_page_shows_the_warnings_before_and_after(as_role, starter):
    manager = as_role("team_manager")
    data = cases_csv(case_row("4300125", worker_email="nico@example.org", allocated_on="2027-01-05"))
    preview = upload(manager, data, kind="cases", filename="cases.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Warnings by line" in page and UNTIL in page
    assert cases() == 0
    done = confirm(manager, page)
    assert done.status_code == 303
    result = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "Warning, line 2 (worker_email): Nico Fraser is in induction" in result
    assert cases() == 1

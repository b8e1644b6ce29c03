"""The ASYE year (R-ASYE-1..3): its dates (12 months less a day by default, migrated from the old flag), the
co-worker a worker in their first 6 months needs to lead a child protection case or Section 47 enquiry, and the
ASYE personal supervision interval. Jo Bell's ASYE starts on Tuesday 22 December 2026, so its first 6 months run
to 21 June 2027 and the year to 21 December 2027."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from teamops import dates, scheduling
from teamops.cases.allocation_rules import Refusal, allocation_check
from teamops.cases.models import Case, CaseAllocation
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.policy import services as policy
from teamops.scheduling import Interval
from tests.imports.conftest import case_row, cases_csv

START = date(2026, 12, 22)
MONTH_5, MONTH_7 = date(2027, 5, 17), date(2027, 7, 22)
FIRST_MONTHS = ("Jo Bell is in the first 6 months of their ASYE (until 21 June 2027): name an experienced co-worker "
                "to lead a child protection case or Section 47 enquiry with them.")


@pytest.fixture
def jo(make, org):
    return make.staff("worker", org["teams"]["north"], email="jo@example.org", name="Jo Bell",
                      start_date=START, asye_starts_on=START, asye_ends_on=date(2027, 12, 21))


@pytest.fixture
def frozen():
    with dates.freeze(date(2027, 8, 2)):
        yield


def new_case(worker, on: date, **more: str) -> dict[str, str]:
    return {"case_ref": "MOS-5001", "case_type_code": "CP", "worker_id": str(worker.id),
            "allocated_on": on.isoformat(), **more}


def cases() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Case.id))) or 0


def test_a_child_protection_lead_in_month_5_needs_a_coworker(as_role, org, jo, frozen):
    manager = as_role("team_manager")
    refused = manager.post_form("/cases/new", new_case(jo, MONTH_5, high_risk="y"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert FIRST_MONTHS in page.replace("&#39;", "'")
    assert 'value="MOS-5001"' in page and cases() == 0
    allowed = manager.post_form("/cases/new", new_case(jo, MONTH_5, coworker_id=str(org["worker"].id)))
    assert allowed.status_code == 303
    shown = manager.get(allowed.headers["Location"]).get_data(as_text=True)
    assert "Co-worker" in shown and "Wren Worker (Family Safeguarding North)" in shown
    db.session.rollback()
    assert db.session.scalar(select(CaseAllocation.coworker_id)) == org["worker"].id


def test_in_month_7_no_coworker_is_needed(as_role, jo, frozen):
    assert as_role("team_manager").post_form("/cases/new", new_case(jo, MONTH_7)).status_code == 303


def test_a_section_47_enquiry_on_a_child_in_need_case_is_the_same(as_role, jo, frozen):
    manager = as_role("team_manager")
    refused = manager.post_form("/cases/new", new_case(jo, MONTH_5, case_type_code="CIN", section_47="y"))
    assert refused.status_code == 400 and "Section 47 enquiry with them" in refused.get_data(as_text=True)
    assert manager.post_form("/cases/new", new_case(jo, MONTH_5, case_type_code="CIN")).status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(Case.section_47)) is False


def test_changing_the_type_to_child_protection_needs_a_coworker(as_role, make, org, jo):
    case = make.case("MOS-5002", "CIN", False, jo, date(2027, 5, 3))
    with dates.freeze(MONTH_5):
        manager = as_role("team_manager")
        refused = manager.post_form(f"/cases/{case.id}/details", {"case_type_code": "CP"})
        assert refused.status_code == 400 and "Section 47 enquiry with them" in refused.get_data(as_text=True)
        db.session.rollback()
        assert db.session.get(Case, case.id).case_type_code == "CIN"
        flagged = manager.post_form(f"/cases/{case.id}/details", {"case_type_code": "CIN", "section_47": "y"})
        assert flagged.status_code == 400
        done = manager.post_form(f"/cases/{case.id}/details", {"case_type_code": "CP",
                                                               "coworker_id": str(org["worker"].id)})
        assert done.status_code == 303
    db.session.rollback()
    assert db.session.get(Case, case.id).case_type_code == "CP"
    assert db.session.scalar(select(CaseAllocation.coworker_id).where(CaseAllocation.case_id == case.id)) \
        == org["worker"].id


def test_reallocating_a_child_protection_case_to_them_needs_a_coworker(as_role, make, org, jo, frozen):
    case = make.case("MOS-5003", "CP", False, org["worker"], date(2027, 1, 4))
    manager = as_role("team_manager")
    form = {"worker_id": str(jo.id), "from_date": MONTH_5.isoformat()}
    refused = manager.post_form(f"/cases/{case.id}/reallocate", form)
    assert refused.status_code == 400 and "name an experienced co-worker" in refused.get_data(as_text=True)
    kept = manager.post_form(f"/cases/{case.id}/reallocate", {**form, "coworker_id": str(org["worker"].id)})
    assert kept.status_code == 303  # the worker who held it stays on as co-worker


@pytest.mark.parametrize("who", ["lead", "starter", "other_asye"])
def test_a_coworker_must_be_experienced(as_role, make, org, jo, frozen, who):
    north = org["teams"]["north"]
    coworker = {
        "lead": jo,
        "starter": make.induction(make.staff("worker", north, name="Nico Fraser", start_date=MONTH_5)).staff,
        "other_asye": make.staff("worker", north, name="Kit New", asye_starts_on=date(2027, 3, 1),
                                 asye_ends_on=date(2028, 2, 28)),
    }[who]
    message = {"lead": "The co-worker cannot be the lead worker",
               "starter": "Nico Fraser is in induction until",
               "other_asye": "Kit New is in the first 6 months of their ASYE (until 31 August 2027)"}[who]
    response = as_role("team_manager").post_form("/cases/new", new_case(jo, MONTH_5, coworker_id=str(coworker.id)))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert cases() == 0


def test_a_coworker_who_has_left_is_refused(make, org, jo):
    leaver = make.staff("worker", org["teams"]["north"], name="Lee Left", active=False)
    verdict = allocation_check(jo, MONTH_5, "CP", coworker=leaver)
    assert isinstance(verdict, Refusal) and verdict.field == "coworker_id" and "Lee Left has left" in verdict.message


def test_an_import_warns_about_an_asye_lead_without_a_coworker(import_cli, jo, frozen):
    result = import_cli("cases", cases_csv(case_row("5300001", case_type="CP", worker_email="jo@example.org",
                                                    allocated_on=MONTH_5.isoformat())))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: line 2: worker_email: {FIRST_MONTHS} Imported all the same, as the case " \
                            "system is the record.\n"
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0"


# The dates -----------------------------------------------------------------------------------------------------

def test_the_manager_sets_the_dates_and_the_end_defaults_to_12_months(as_role, org, frozen):
    worker = org["worker"]
    manager = as_role("team_manager")
    assert manager.get(f"/admin/people/{worker.id}/asye").status_code == 200
    response = manager.post_form(f"/admin/people/{worker.id}/asye", {"starts_on": "2027-02-28"})
    assert response.status_code == 303
    db.session.rollback()
    person = db.session.get(Staff, worker.id)
    assert (person.asye_starts_on, person.asye_ends_on) == (date(2027, 2, 28), date(2028, 2, 27))
    team = manager.get(f"/admin/teams/{worker.team_id}").get_data(as_text=True)
    assert "ASYE until 27 February 2028" in team


@pytest.mark.parametrize(("form", "message"), [
    ({"starts_on": "2027-02-01", "ends_on": "2027-01-31"}, "The last day must be after the first day"),
    ({"ends_on": "2027-01-31"}, "Enter the first day too"),
    ({"starts_on": "1900-01-01"}, "between 2000 and 2099"),
    ({"starts_on-day": "31", "starts_on-month": "2", "starts_on-year": "2027"}, "must be a real date"),
    ({"starts_on": "2027-02-01", "ends_on": "2031-01-31"}, "at most 3 years"),
])
def test_bad_dates_are_refused_by_the_field_and_nothing_is_written(as_role, org, frozen, form, message):
    response = as_role("team_manager").post_form(f"/admin/people/{org['worker'].id}/asye", form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Staff, org["worker"].id).asye_starts_on is None


def test_nobody_sets_their_own_dates_and_a_worker_sets_nobodys(as_role, org):
    assert as_role("team_manager").get(f"/admin/people/{org['team_manager'].id}/asye").status_code == 403
    assert as_role("worker").get(f"/admin/people/{org['south_worker'].id}/asye").status_code == 403


STAFF = sa.table("staff", sa.column("id", sa.Integer()), sa.column("newly_qualified", sa.Boolean()))
ASYE = sa.table("staff", sa.column("id", sa.Integer()), sa.column("asye_starts_on", sa.Date()),
                sa.column("asye_ends_on", sa.Date()))


def test_the_migration_turns_the_flag_into_dates_and_back(app, make, org):
    flagged = make.staff("worker", org["teams"]["north"], start_date=date(2024, 1, 31))
    dated = make.staff("worker", org["teams"]["north"], asye_starts_on=date(2026, 9, 1),
                       asye_ends_on=date(2027, 8, 31))
    flagged_id, dated_id, worker_id = flagged.id, dated.id, org["worker"].id
    db.session.remove()
    downgrade(revision="0018_buddies")
    with db.engine.begin() as connection:
        assert dict(connection.execute(sa.select(STAFF.c.id, STAFF.c.newly_qualified).where(
            STAFF.c.id.in_([flagged_id, dated_id, worker_id]))).all()) == {
            flagged_id: False, dated_id: True, worker_id: False}
        connection.execute(STAFF.update().where(STAFF.c.id == flagged_id).values(newly_qualified=True))
    upgrade()
    with db.engine.connect() as connection:
        rows = {row.id: (row.asye_starts_on, row.asye_ends_on) for row in connection.execute(
            sa.select(ASYE).where(ASYE.c.id.in_([flagged_id, dated_id, worker_id])))}
    assert rows == {flagged_id: (date(2024, 1, 31), date(2025, 1, 30)),
                    dated_id: (date(2020, 1, 6), date(2021, 1, 5)),  # from the start date, as the flag knew no more
                    worker_id: (None, None)}


# R-ASYE-3: the personal supervision interval --------------------------------------------------------------------

def test_the_asye_interval_moves_only_asye_staffs_personal_due_date(make, org, jo):
    other = make.staff("worker", org["teams"]["north"], start_date=START)
    day = date(2027, 1, 10)
    before = scheduling.person_dues([jo, other], day)
    assert before[jo.id].next_due_on == before[other.id].next_due_on == date(2027, 1, 22)  # the contract's month
    with dates.freeze(date(2027, 1, 4)):
        policy.save_settings(case_cap_months=2, high_risk_cap_months=1, personal_interval_months=1,
                             asye_interval=Interval(2, "weeks"), effective_from=date(2027, 1, 5))
        db.session.commit()
    history = scheduling.load_history()
    after = scheduling.person_dues([jo, other], day, history.on(day))
    assert after[jo.id].next_due_on == date(2027, 1, 5)
    assert after[other.id].next_due_on == date(2027, 1, 22)
    past = scheduling.person_dues([jo], date(2027, 1, 4), history.on(date(2027, 1, 4)))
    assert past[jo.id].next_due_on == date(2027, 1, 22)  # a dated change never rewrites the past


@pytest.mark.parametrize(("on", "shown"), [
    (MONTH_5, "Jo Bell, until 21 December 2027 (leads a child protection case or Section 47 enquiry only with a "
              "co-worker until 21 June 2027)"),
    (MONTH_7, "Jo Bell, until 21 December 2027</li>"),
])
def test_the_managers_dashboard_lists_who_is_in_their_asye_year(jo, as_role, on, shown):
    """Issue 11 item 8: the manager's dashboard shows who is in ASYE and when it ends (and, in the first 6
    months, until when they lead CP or Section 47 work only with a co-worker)."""
    with dates.freeze(on):
        page = as_role("team_manager").get("/dashboard/team").get_data(as_text=True)
    assert "In their ASYE year" in page and shown in page

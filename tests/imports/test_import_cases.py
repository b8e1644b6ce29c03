"""``flask teamops import cases FILE``: CONTRACT.md "CSV imports" (key: case_ref) and "Scheduling rules"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.settings import CaseRefRule, save_case_ref_rule
from teamops.scheduling import case_dues
from tests import factories
from tests.imports.conftest import (
    TODAY,
    allocations,
    audit_trail,
    case,
    case_row,
    cases_csv,
    problem_keys,
    problem_lines,
    supervision_state,
)

pytestmark = pytest.mark.usefixtures("org", "fixed_today")


def test_creates_cases_with_their_first_allocation(import_cli):
    text = cases_csv(case_row("1234567", case_type="CP", high_risk="yes"),
                     case_row("EH-0042", case_type="EH", worker_email="south.worker@example.org",
                              allocated_on="2025-11-03", closed_on="2026-02-27"))
    result = import_cli("cases", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 2, updated 0, unchanged 0")
    cp = case("1234567")
    assert cp is not None
    assert (cp.case_type_code, cp.high_risk, cp.worker.email, cp.allocated_on, cp.closed_on) == (
        "CP", True, "worker@example.org", date(2026, 3, 2), None)
    assert allocations("1234567") == [("worker@example.org", date(2026, 3, 2), None)]
    eh = case("EH-0042")
    assert eh is not None and (eh.high_risk, eh.closed_on) == (False, date(2026, 2, 27))
    assert allocations("EH-0042") == [("south.worker@example.org", date(2025, 11, 3), None)]


def test_the_closed_on_column_may_be_left_out(import_cli):
    columns = ["case_ref", "case_type", "high_risk", "worker_email", "allocated_on"]
    result = import_cli("cases", cases_csv(case_row("1234567"), columns=columns))
    assert result.exit_code == 0, result.output
    imported = case("1234567")
    assert imported is not None and imported.closed_on is None


def test_uk_dates_are_accepted(import_cli):
    """CONTRACT.md "CSV imports": dates are ISO YYYY-MM-DD or UK DD/MM/YYYY (2 March, not 3 February)."""
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on="02/11/2025", closed_on="1/3/2026")))
    assert result.exit_code == 0, result.output
    imported = case("1234567")
    assert imported is not None and (imported.allocated_on, imported.closed_on) == (date(2025, 11, 2),
                                                                                   date(2026, 3, 1))


def test_a_date_read_two_ways_in_a_month_first_file_is_refused(import_cli):
    """Issue 10 item 14: UK dates stay the contract's reading, but when another date in the file only makes
    sense month first (US order, 12/31/2025), a date like 02/11/2025 could be either: it is refused with both
    readings, and the month-first one is told how to write it. Nothing is written."""
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on="02/11/2025"),
                                           case_row("7654321", allocated_on="12/31/2025")))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("'02/11/2025' could be 2 November 2025 or 11 February 2025: line 3 has the month first "
               "('12/31/2025')" in line for line in lines), result.output
    assert any("'12/31/2025' has the month first (US order): write 31/12/2025 or 2025-12-31" in line
               for line in lines), result.output
    assert case("1234567") is None and case("7654321") is None


def test_a_day_first_file_with_days_up_to_12_keeps_the_uk_reading(import_cli):
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on="02/11/2025"),
                                           case_row("7654321", allocated_on="25/12/2025")))
    assert result.exit_code == 0, result.output
    imported = case("1234567")
    assert imported is not None and imported.allocated_on == date(2025, 11, 2)


def test_codes_and_yes_no_are_accepted_in_any_case(import_cli):
    result = import_cli("cases", cases_csv(case_row("1234567", case_type="cla", high_risk="YES",
                                                    worker_email="Worker@Example.org")))
    assert result.exit_code == 0, result.output
    imported = case("1234567")
    assert imported is not None and (imported.case_type_code, imported.high_risk) == ("CLA", True)


def test_reimporting_the_same_file_changes_nothing(import_cli):
    text = cases_csv(case_row("1234567"), case_row("7654321", case_type="YJ", worker_email="yj.worker@example.org",
                                                   closed_on="2026-05-29"))
    assert import_cli("cases", text).exit_code == 0
    state = supervision_state()

    result = import_cli("cases", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 2")
    assert supervision_state() == state  # the audit count included: nothing was written at all


def test_cases_are_matched_by_reference_whatever_its_letter_case(import_cli):
    assert import_cli("cases", cases_csv(case_row("EH-0042a"))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("eh-0042A")))
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 1")


def test_a_changed_type_or_risk_counts_as_updated(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", case_type="CP", high_risk="yes")))
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 0")
    updated = case("1234567")
    assert updated is not None and (updated.case_type_code, updated.high_risk) == ("CP", True)
    assert allocations("1234567") == [("worker@example.org", date(2026, 3, 2), None)]


def test_a_new_worker_is_a_reallocation_from_today(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0

    result = import_cli("cases", cases_csv(case_row("1234567", worker_email="tm@example.org")))

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 0")
    moved = case("1234567")
    assert moved is not None and moved.worker.email == "tm@example.org"
    assert moved.allocated_on == date(2026, 3, 2)  # the case's own allocation date does not move
    assert allocations("1234567") == [("worker@example.org", date(2026, 3, 2), TODAY),
                                      ("tm@example.org", TODAY, None)]


def test_reallocation_keeps_earlier_supervisions_counting_for_the_due_date(import_cli, org):
    assert import_cli("cases", cases_csv(case_row("1234567", case_type="CP"))).exit_code == 0
    imported = case("1234567")
    assert imported is not None
    factories.record("case", date(2026, 6, 1), org["worker"], org["team_manager"], [imported])
    before = case_dues([imported], TODAY)[imported.id]
    assert (before.last_supervised_on, before.next_due_on) == (date(2026, 6, 1), date(2026, 6, 29))

    assert import_cli("cases", cases_csv(case_row("1234567", case_type="CP",
                                                  worker_email="south.worker@example.org"))).exit_code == 0

    moved = case("1234567")
    assert moved is not None and moved.worker.email == "south.worker@example.org"
    after = case_dues([moved], TODAY)[moved.id]
    # The clock is kept (the last supervision still counts); the reallocation adds a hand-over due that day
    # (R-ORG-5).
    assert (after.last_supervised_on, after.next_due_on, after.handover_due_on, after.due_state) == (
        date(2026, 6, 1), TODAY, TODAY, "due_soon")


def test_a_new_worker_for_a_case_allocated_today_corrects_the_allocation(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567", allocated_on=TODAY.isoformat()))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on=TODAY.isoformat(),
                                                    worker_email="tm@example.org")))
    assert result.exit_code == 0, result.output
    assert allocations("1234567") == [("tm@example.org", TODAY, None)]


def test_a_new_worker_for_a_closed_case_takes_it_from_the_closure_date(import_cli):
    text = cases_csv(case_row("1234567", closed_on="2026-05-01"))
    assert import_cli("cases", text).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", closed_on="2026-05-01", worker_email="tm@example.org")))
    assert result.exit_code == 0, result.output
    assert allocations("1234567") == [("worker@example.org", date(2026, 3, 2), date(2026, 5, 1)),
                                      ("tm@example.org", date(2026, 5, 1), None)]


def test_a_new_allocation_date_moves_the_first_allocation_too(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on="2026-02-16")))
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 0")
    moved = case("1234567")
    assert moved is not None and moved.allocated_on == date(2026, 2, 16)
    assert allocations("1234567") == [("worker@example.org", date(2026, 2, 16), None)]


def test_an_allocation_date_after_a_reallocation_is_refused(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0
    assert import_cli("cases", cases_csv(case_row("1234567", worker_email="tm@example.org"))).exit_code == 0
    state = supervision_state()
    result = import_cli("cases", cases_csv(case_row("1234567", worker_email="tm@example.org",
                                                    allocated_on=TODAY.isoformat())))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "allocated_on")}
    assert "reallocated on 2026-06-15" in problem_lines(result)[0]
    assert supervision_state() == state


def test_closed_on_closes_and_a_blank_one_leaves_the_case_as_it_is(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"), case_row("7654321"))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", closed_on="2026-06-12"), case_row("7654321")))
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 1")
    closed = case("1234567")
    assert closed is not None and closed.closed_on == date(2026, 6, 12)

    # Blank means "not given": the closed case is not reopened, the open one stays open.
    result = import_cli("cases", cases_csv(case_row("1234567"), case_row("7654321")))
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 2")
    assert closed.closed_on == date(2026, 6, 12)
    still_closed, still_open = case("1234567"), case("7654321")
    assert still_closed is not None and still_closed.closed_on == date(2026, 6, 12)
    assert still_open is not None and still_open.closed_on is None


def test_an_allocation_date_after_the_recorded_closure_is_refused(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567", closed_on="2026-04-01"))).exit_code == 0
    result = import_cli("cases", cases_csv(case_row("1234567", allocated_on="2026-05-04")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "allocated_on")}


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"case_type": "XX"}, "case_type", "CP, CIN, EH, CLA, CL, YJ, PF"),
    ({"case_type": ""}, "case_type", "Required"),
    ({"high_risk": "maybe"}, "high_risk", "yes, no"),
    ({"high_risk": ""}, "high_risk", "Required"),
    ({"worker_email": "nobody@example.org"}, "worker_email", "import the staff first"),
    ({"worker_email": "not-an-email"}, "worker_email", "not an e-mail address"),
    ({"worker_email": ""}, "worker_email", "Required"),
    ({"case_ref": ""}, "case_ref", "Required"),
    ({"case_ref": "1234567/89"}, "case_ref", "never a name"),
    ({"case_ref": "A" * 33}, "case_ref", "up to 32"),
    ({"allocated_on": "03.02.2026"}, "allocated_on", "YYYY-MM-DD or DD/MM/YYYY"),
    ({"allocated_on": "2026-02-30"}, "allocated_on", "real date"),
    ({"allocated_on": "30/02/2026"}, "allocated_on", "real date"),
    ({"allocated_on": "02/3/26"}, "allocated_on", "DD/MM/YYYY"),
    ({"allocated_on": "1999-12-31"}, "allocated_on", "from 2000 to 2099"),
    ({"allocated_on": "2026-06-16"}, "allocated_on", "in the future"),
    ({"allocated_on": ""}, "allocated_on", "Required"),
    ({"closed_on": "2026-03-01"}, "closed_on", "before allocated_on 2026-03-02"),
    ({"closed_on": "2100-01-01"}, "closed_on", "from 2000 to 2099"),
    ({"closed_on": "2026-06-16"}, "closed_on", "in the future"),
])
def test_an_invalid_cell_is_reported_on_its_line_and_column(import_cli, cells, column, words):
    state = supervision_state()
    result = import_cli("cases", cases_csv(case_row("1111111"), case_row(**{"case_ref": "2222222", **cells})))
    assert result.exit_code == 1
    assert problem_keys(result) == {(3, column)}
    assert words in problem_lines(result)[0]
    assert supervision_state() == state


def test_a_name_in_place_of_a_case_reference_is_refused_and_not_repeated(import_cli):
    result = import_cli("cases", cases_csv(case_row("John Smith")))
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("line 2: case_ref: ") and "never a name" in line
    assert "John" not in result.output and "Smith" not in result.output
    assert case("John Smith") is None


def test_a_worker_who_has_left_cannot_hold_a_case(import_cli, make, org):
    make.staff("worker", org["teams"]["north"], email="gone@example.org", active=False)
    result = import_cli("cases", cases_csv(case_row("1234567", worker_email="gone@example.org")))
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line == ("line 2: worker_email: gone@example.org has left: a case's worker must be an active member of "
                    "staff")
    assert case("1234567") is None


def test_the_same_case_twice_in_one_file_is_refused(import_cli):
    result = import_cli("cases", cases_csv(case_row("EH-1"), case_row("7654321"), case_row("eh-1", case_type="EH")))
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line == "line 4: case_ref: Same case_ref as line 2"


def test_every_problem_is_reported_and_nothing_is_written(import_cli):
    state = supervision_state()
    text = cases_csv(case_row("1234567"), case_row("Jo Bloggs", case_type="ZZ"), case_row("7654321"),
                     case_row("7777777", high_risk="perhaps", closed_on="2026-01-01"))
    result = import_cli("cases", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(3, "case_ref"), (3, "case_type"), (5, "high_risk"), (5, "closed_on")}
    assert result.output.splitlines()[-1] == "4 problem(s) found: nothing was imported."
    assert supervision_state() == state


def test_dry_run_reports_the_counts_and_writes_nothing(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0
    state = supervision_state()
    result = import_cli("cases", cases_csv(case_row("1234567", worker_email="tm@example.org"),
                                           case_row("7654321")), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "created 1, updated 1, unchanged 0" in result.stdout
    assert supervision_state() == state


def test_imported_cases_are_in_the_audit_trail(import_cli):
    assert import_cli("cases", cases_csv(case_row("1234567"))).exit_code == 0
    imported = case("1234567")
    assert imported is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "case",
                                                       AuditEvent.entity_id == imported.id))
    assert event is not None and (event.action, event.actor_label) == ("create", "cli:import cases")


def test_imported_cases_and_allocations_are_audited_with_every_field(import_cli, org):
    """The trail of an import is the one the case page's writes leave: an event per case and allocation."""
    assert import_cli("cases", cases_csv(case_row("1234567", high_risk="yes", closed_on="2026-05-01"),
                                         case_row("7654321", worker_email="south.worker@example.org"))).exit_code == 0
    first, second = case("1234567"), case("7654321")
    assert first is not None and second is not None
    expected = {}
    for made, worker, closed in ((first, org["worker"], {"closed_on": [None, "2026-05-01"]}),
                                 (second, org["south_worker"], {})):
        [allocation] = made.allocations
        expected[("case", made.id)] = ("create", f"create case {made.case_ref}", {
            "case_ref": [None, made.case_ref], "case_type_code": [None, "CIN"],
            "high_risk": [None, made.high_risk], "worker_id": [None, worker.id],
            "allocated_on": [None, "2026-03-02"], **closed, "section_47": [None, False],
            "created_at": [None, made.created_at.isoformat()]},
            None, None)
        expected[("case_allocation", allocation.id)] = ("create", f"create case_allocation #{allocation.id}", {
            "case_id": [None, made.id], "worker_id": [None, worker.id], "from_date": [None, "2026-03-02"]},
            None, None)
    assert audit_trail("cli:import cases") == expected


def test_many_rows_take_a_fixed_number_of_queries(import_cli, count_queries):
    """No query per row: checking 900 cases costs what checking 9 does (see benchmarks/)."""

    def file(n: int, prefix: str) -> str:
        return cases_csv(*(case_row(f"{prefix}-{i}", worker_email="south.worker@example.org" if i % 2 else
                                    "worker@example.org") for i in range(n)))

    assert import_cli("cases", file(450, "old")).exit_code == 0
    with count_queries() as small:
        assert import_cli("cases", file(9, "old"), "--dry-run").exit_code == 0
    with count_queries() as large:
        assert import_cli("cases", file(900, "old"), "--dry-run").exit_code == 0
    assert large.count == small.count


# The organisation's case reference rule (issue 9 item 11) ----------------------------------------------------

def digits_only() -> None:
    save_case_ref_rule(CaseRefRule("digits", example="1234567"))
    db.session.commit()


def test_a_reference_outside_the_organisations_rule_is_refused_on_its_line(import_cli):
    digits_only()
    result = import_cli("cases", cases_csv(case_row("7654321"), case_row("JaneDoe")))
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "line 3: case_ref: Enter the case-system reference as digits only, for example 1234567"]
    assert "JaneDoe" not in result.output  # never repeated: it may be a name
    assert case("7654321") is None and case("JaneDoe") is None


def test_a_case_already_in_teamops_keeps_its_reference_under_a_narrower_rule(import_cli, org):
    factories.case("EH-1", "EH", False, org["worker"], date(2026, 3, 2))
    digits_only()
    result = import_cli("cases", cases_csv(case_row("EH-1", case_type="EH", high_risk="yes")))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 0")
    updated = case("EH-1")
    assert updated is not None and updated.high_risk


def test_the_default_rule_accepts_what_the_contract_does(import_cli):
    result = import_cli("cases", cases_csv(case_row("JaneDoe")))
    assert result.exit_code == 0, result.output

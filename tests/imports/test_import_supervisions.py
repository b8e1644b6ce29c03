"""``flask teamops import supervisions FILE``: CONTRACT.md "CSV imports" (key: all columns); held supervisions
count for due dates as CONTRACT.md "Scheduling rules" says."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.settings import CaseRefRule, save_case_ref_rule
from teamops.records.models import CaseDiscussion
from teamops.scheduling import case_dues, person_dues
from tests import factories
from tests.imports.conftest import (
    TODAY,
    audit_trail,
    case,
    case_row,
    cases_csv,
    problem_keys,
    problem_lines,
    records,
    supervision_row,
    supervision_state,
    supervisions_csv,
)

pytestmark = pytest.mark.usefixtures("org", "fixed_today")


@pytest.fixture
def cases(import_cli, org) -> dict[str, Case]:
    """Three cases: two of the north worker (allocated 2 March 2026), one of the south worker."""
    text = cases_csv(case_row("1111111", case_type="CP"), case_row("2222222"),
                     case_row("3333333", worker_email="south.worker@example.org", allocated_on="2026-01-05"))
    assert import_cli("cases", text).exit_code == 0
    found = {ref: case(ref) for ref in ("1111111", "2222222", "3333333")}
    return {ref: found_case for ref, found_case in found.items() if found_case is not None}


def discussed(case_ref: str) -> list[date]:
    db.session.rollback()
    return list(db.session.scalars(select(CaseDiscussion.held_on).join(Case).where(Case.case_ref == case_ref)
                                   .order_by(CaseDiscussion.held_on)))


def test_creates_signed_off_imported_records(import_cli, cases, org):
    text = supervisions_csv(supervision_row("case", case_ref="1111111"),
                            supervision_row("personal", held_on="2026-05-11"),
                            supervision_row("group", held_on="2026-05-20", case_ref="2222222"))
    result = import_cli("supervisions", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 3, updated 0, unchanged 0")
    made = records()
    assert [(r.kind, r.held_on, r.worker.email, r.supervisor.email, r.status, r.imported) for r in made] == [
        ("case", date(2026, 4, 6), "worker@example.org", "tm@example.org", "signed_off", True),
        ("personal", date(2026, 5, 11), "worker@example.org", "tm@example.org", "signed_off", True),
        ("group", date(2026, 5, 20), "worker@example.org", "tm@example.org", "signed_off", True),
    ]
    assert [[(d.case.case_ref, d.held_on) for d in r.discussions] for r in made] == [
        [("1111111", date(2026, 4, 6))], [], [("2222222", date(2026, 5, 20))]]


def test_held_supervisions_count_for_the_due_dates(import_cli, cases, org):
    text = supervisions_csv(supervision_row("case", held_on="2026-06-01", case_ref="1111111"),
                            supervision_row("personal", held_on="2026-06-08"))
    assert import_cli("supervisions", text).exit_code == 0
    cp = case("1111111")
    assert cp is not None
    due = case_dues([cp], TODAY)[cp.id]
    assert (due.last_supervised_on, due.next_due_on) == (date(2026, 6, 1), date(2026, 6, 29))  # CP: 4 weeks
    personal = person_dues([org["worker"]], TODAY)[org["worker"].id]
    assert (personal.last_personal_on, personal.next_due_on) == (date(2026, 6, 8), date(2026, 7, 8))


def test_reallocating_a_case_keeps_its_imported_supervisions_counting(import_cli, cases):
    assert import_cli("supervisions", supervisions_csv(
        supervision_row("case", held_on="2026-06-01", case_ref="1111111"))).exit_code == 0

    result = import_cli("cases", cases_csv(case_row("1111111", case_type="CP", worker_email="tm@example.org")))

    assert result.exit_code == 0, result.output
    moved = case("1111111")
    assert moved is not None and moved.worker.email == "tm@example.org"
    due = case_dues([moved], TODAY)[moved.id]
    # The imported supervision still counts; the reallocation adds a hand-over due that day (R-ORG-5).
    assert (due.last_supervised_on, due.next_due_on, due.due_state) == (date(2026, 6, 1), TODAY, "due_soon")
    assert discussed("1111111") == [date(2026, 6, 1)]


def test_the_supervisor_defaults_to_the_workers_line_manager(import_cli, cases, org):
    org["worker"].line_manager = org["south_manager"]
    db.session.commit()
    result = import_cli("supervisions", supervisions_csv(supervision_row("personal", supervisor_email="")))
    assert result.exit_code == 0, result.output
    [record] = records()
    assert record.supervisor.email == "south.tm@example.org"


def test_without_a_supervisor_or_a_line_manager_the_row_is_refused(import_cli, cases):
    state = supervision_state()
    result = import_cli("supervisions", supervisions_csv(supervision_row("personal", supervisor_email="")))
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("line 2: supervisor_email: Required: worker@example.org has no line manager")
    assert supervision_state() == state


def test_rows_that_match_supervisions_already_held_are_unchanged(import_cli, cases, org):
    text = supervisions_csv(supervision_row("case", case_ref="1111111"), supervision_row("personal"))
    assert import_cli("supervisions", text).exit_code == 0
    state = supervision_state()

    result = import_cli("supervisions", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 2")
    assert supervision_state() == state


def test_a_supervision_recorded_in_teamops_is_not_duplicated(import_cli, cases, org):
    cp = case("1111111")
    assert cp is not None
    factories.record("case", date(2026, 4, 6), org["worker"], org["team_manager"], [cp])
    text = supervisions_csv(supervision_row("case", case_ref="1111111"),
                            supervision_row("case", case_ref="1111111", supervisor_email="sm@example.org"))
    result = import_cli("supervisions", text)
    assert result.stdout.strip().endswith("created 1, updated 0, unchanged 1")
    assert [(r.supervisor.email, r.imported) for r in records()] == [("tm@example.org", False),
                                                                      ("sm@example.org", True)]


def test_rows_of_one_session_make_one_record_and_a_later_file_joins_it(import_cli, cases):
    first = supervisions_csv(supervision_row("group", case_ref="1111111"),
                             supervision_row("group", case_ref="2222222"))
    assert import_cli("supervisions", first).exit_code == 0
    later = supervisions_csv(supervision_row("group", case_ref="1111111"),
                             supervision_row("group", case_ref="3333333"))
    result = import_cli("supervisions", later)
    assert result.stdout.strip().endswith("created 1, updated 0, unchanged 1")
    [record] = records()
    assert sorted(d.case.case_ref for d in record.discussions) == ["1111111", "2222222", "3333333"]


def test_imported_records_and_discussions_are_audited_with_every_field(import_cli, cases, org):
    """The trail of an import is the one the record form's writes leave, content withheld: an event per record
    and per discussion, whether the discussion's record is new or was imported by an earlier file (then, as
    ever, the discussion is named without the record's version)."""
    first = supervisions_csv(supervision_row("group", case_ref="1111111"), supervision_row("personal"),
                             supervision_row("group", case_ref="2222222"))
    assert import_cli("supervisions", first).exit_code == 0
    assert import_cli("supervisions", supervisions_csv(supervision_row("group", case_ref="3333333"))).exit_code == 0
    joined = case("3333333")
    assert joined is not None
    expected = {}
    for record in records():
        expected[("supervision_record", record.id)] = (
            "create", f"create supervision_record #{record.id} (record version 1)", {
                "kind": [None, record.kind], "held_on": [None, "2026-04-06"], "worker_id": [None, org["worker"].id],
                "supervisor_id": [None, org["team_manager"].id], "status": [None, "signed_off"], "version": [None, 1],
                "imported": [None, True], "recorded_at": [None, record.recorded_at.isoformat()]}, None, None)
        for discussion in record.discussions:
            version = "" if discussion.case_id == joined.id else " (record version 1)"
            expected[("case_discussion", discussion.id)] = (
                "create", f"create case_discussion #{discussion.id}{version}", {
                    "record_id": [None, record.id], "case_id": [None, discussion.case_id],
                    "held_on": [None, "2026-04-06"], "no_further_action": [None, False],
                    "disagreement": [None, False]}, None, None)
    assert len(expected) == 5
    assert audit_trail("cli:import supervisions") == expected


def test_a_worker_who_has_left_may_have_supervisions_imported(import_cli, cases, make, org):
    make.staff("worker", org["teams"]["north"], email="gone@example.org", active=False)
    result = import_cli("supervisions", supervisions_csv(supervision_row("personal", worker_email="gone@example.org"),
                                                         supervision_row("case", case_ref="1111111",
                                                                         supervisor_email="gone@example.org")))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 2, updated 0, unchanged 0")


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"kind": "weekly"}, "kind", "case, personal, group"),
    ({"kind": ""}, "kind", "Required"),
    ({"held_on": "2026-06-16"}, "held_on", "in the future"),
    ({"held_on": "1900-01-01"}, "held_on", "from 2000 to 2099"),
    ({"held_on": "2026-13-01"}, "held_on", "real date"),
    ({"held_on": "2026-03-01"}, "held_on", "before case 1111111 was allocated (2026-03-02)"),
    ({"case_ref": "9999999"}, "case_ref", "No case 9999999 in TeamOps: import the cases first"),
    ({"case_ref": ""}, "case_ref", "Required for a case supervision"),
    ({"case_ref": "Jane Doe"}, "case_ref", "never a name"),
    ({"kind": "group", "case_ref": ""}, "case_ref", "Required for a group supervision"),
    ({"kind": "personal"}, "case_ref", "leave case_ref empty"),
    ({"worker_email": "nobody@example.org"}, "worker_email", "import the staff first"),
    ({"supervisor_email": "nobody@example.org"}, "supervisor_email", "import the staff first"),
    ({"supervisor_email": "worker@example.org"}, "supervisor_email", "cannot supervise themselves"),
])
def test_an_invalid_cell_is_reported_on_its_line_and_column(import_cli, cases, cells, column, words):
    state = supervision_state()
    good = supervision_row("case", case_ref="2222222")
    result = import_cli("supervisions", supervisions_csv(good, supervision_row(**{"case_ref": "1111111", **cells})))
    assert result.exit_code == 1
    assert problem_keys(result) == {(3, column)}
    assert words in problem_lines(result)[0]
    assert supervision_state() == state


def test_the_same_supervision_twice_in_one_file_is_refused(import_cli, cases):
    text = supervisions_csv(supervision_row("case", case_ref="1111111"), supervision_row("personal"),
                            supervision_row("case", case_ref="1111111", worker_email="Worker@example.org"))
    result = import_cli("supervisions", text)
    assert result.exit_code == 1
    assert problem_lines(result) == ["line 4: row: Same supervision as line 2"]
    assert records() == []


def test_dry_run_writes_nothing(import_cli, cases):
    state = supervision_state()
    result = import_cli("supervisions", supervisions_csv(supervision_row("personal")), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "created 1, updated 0, unchanged 0" in result.stdout
    assert supervision_state() == state


def test_many_rows_take_a_fixed_number_of_queries(import_cli, cases, count_queries):
    """No query per row: checking 100 supervisions costs what checking 9 does."""

    def file(n: int) -> str:
        return supervisions_csv(*(supervision_row("case", held_on=date.fromordinal(TODAY.toordinal() - i).isoformat(),
                                                  case_ref="2222222") for i in range(n)))

    assert import_cli("supervisions", file(50)).exit_code == 0
    with count_queries() as small:
        assert import_cli("supervisions", file(9), "--dry-run").exit_code == 0
    with count_queries() as large:
        assert import_cli("supervisions", file(100), "--dry-run").exit_code == 0
    assert large.count == small.count


def test_under_a_narrower_rule_a_name_reads_as_no_reference_and_old_cases_still_match(import_cli, cases, org):
    """Issue 9 item 11: a reference the organisation's rule refuses is not repeated back; a case made before
    the rule keeps its reference, and its supervisions still import."""
    factories.case("OLD-1", "CIN", False, org["worker"], date(2026, 3, 2))
    save_case_ref_rule(CaseRefRule("digits", example="1234567"))
    db.session.commit()
    refused = import_cli("supervisions", supervisions_csv(supervision_row(case_ref="JaneDoe")))
    assert refused.exit_code == 1
    assert problem_lines(refused) == [
        "line 2: case_ref: Enter the case-system reference as digits only, for example 1234567"]
    assert "JaneDoe" not in refused.output
    accepted = import_cli("supervisions", supervisions_csv(supervision_row(case_ref="OLD-1"),
                                                           supervision_row(case_ref="1111111")))
    assert accepted.exit_code == 0, accepted.output

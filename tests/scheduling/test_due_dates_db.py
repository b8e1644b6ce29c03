"""Due dates and the month-end snapshot computed from stored cases and records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from teamops.cases.models import Case
from teamops.extensions import db
from teamops.scheduling import OVERDUE, case_dues, compliance_by_worker, open_cases_at, person_dues
from tests import factories


def test_reallocation_keeps_the_clock_and_a_handover_is_due_that_day(make, org):
    """R-ORG-5 (issue 9 item 4): the case keeps its clock (the last supervision, whoever the worker was), and a
    hand-over supervision is due on the reallocation day until one is held on or after it."""
    first, second = org["worker"], org["south_worker"]
    case = factories.case("MOS-1", "CP", False, first, date(2026, 1, 5))
    factories.record("case", date(2026, 2, 2), first, org["team_manager"], [case])
    factories.reallocate(case, second, date(2026, 2, 10))
    due = case_dues([case], date(2026, 2, 20))[case.id]
    assert due.last_supervised_on == date(2026, 2, 2)
    assert (due.next_due_on, due.handover_due_on, due.due_state) == (date(2026, 2, 10), date(2026, 2, 10), OVERDUE)
    assert case_dues([case], date(2026, 2, 9))[case.id].next_due_on == date(2026, 3, 2)  # before: the clock
    factories.record("case", date(2026, 2, 12), second, org["south_manager"], [case])
    after = case_dues([case], date(2026, 2, 20))[case.id]
    assert (after.next_due_on, after.handover_due_on) == (date(2026, 3, 12), None)
    assert [(a.worker_id, a.from_date, a.to_date) for a in case.allocations] == [
        (first.id, date(2026, 1, 5), date(2026, 2, 10)), (second.id, date(2026, 2, 10), None)]


def test_a_reallocation_after_the_case_was_due_keeps_the_earlier_date(make, org):
    case = factories.case("MOS-9", "CP", False, org["worker"], date(2026, 1, 5))
    factories.record("case", date(2026, 2, 2), org["worker"], org["team_manager"], [case])
    factories.reallocate(case, org["south_worker"], date(2026, 3, 10))
    assert case_dues([case], date(2026, 3, 11))[case.id].next_due_on == date(2026, 3, 2)


def test_only_supervisions_on_or_before_the_date_count(make, org):
    case = factories.case("MOS-2", "CIN", False, org["worker"], date(2026, 1, 5))
    factories.record("case", date(2026, 3, 1), org["worker"], org["team_manager"], [case])
    assert case_dues([case], date(2026, 2, 28))[case.id].next_due_on == date(2026, 3, 2)
    assert case_dues([case], date(2026, 3, 1))[case.id].next_due_on == date(2026, 4, 26)


def test_group_supervision_counts_for_the_case(make, org):
    case = factories.case("MOS-3", "CP", False, org["worker"], date(2026, 1, 5))
    factories.record("group", date(2026, 1, 20), org["worker"], org["team_manager"], [case])
    assert case_dues([case], date(2026, 1, 21))[case.id].next_due_on == date(2026, 2, 17)


def test_closed_case_has_no_due_state(make, org):
    case = factories.case("MOS-4", "CP", False, org["worker"], date(2026, 1, 5))
    factories.close_case(case, date(2026, 3, 1))
    assert case_dues([case], date(2026, 3, 1))[case.id].due_state is None
    assert case_dues([case], date(2026, 2, 28))[case.id].due_state == OVERDUE


def test_policy_change_applies_to_every_due_date_at_once(make, org):
    case = factories.case("MOS-5", "CIN", False, org["worker"], date(2026, 1, 1))
    assert case_dues([case], date(2026, 1, 2))[case.id].next_due_on == date(2026, 2, 26)
    factories.case_type_interval("CIN", 2, "weeks")
    assert case_dues([case], date(2026, 1, 2))[case.id].next_due_on == date(2026, 1, 15)


def test_personal_supervision_due(make, org):
    person = make.staff(team=org["teams"]["north"], start_date=date(2026, 1, 31))
    assert person_dues([person], date(2026, 2, 1))[person.id].next_due_on == date(2026, 2, 28)
    factories.record("personal", date(2026, 2, 20), person, org["team_manager"])
    assert person_dues([person], date(2026, 2, 21))[person.id].next_due_on == date(2026, 3, 20)


def test_month_end_snapshot_counts_open_cases_for_the_worker_allocated_then(make, org):
    a, b = org["worker"], org["south_worker"]
    end = date(2026, 3, 31)
    in_time = factories.case("S-1", "CLA", False, a, date(2026, 3, 1))
    overdue = factories.case("S-2", "CP", False, a, date(2026, 1, 1))
    moved = factories.case("S-3", "CLA", False, a, date(2026, 3, 1))
    factories.reallocate(moved, b, date(2026, 3, 31))
    factories.case("S-4", "CP", False, a, date(2026, 4, 1))  # allocated after the month
    closed = factories.case("S-5", "CP", False, a, date(2026, 1, 1))
    factories.close_case(closed, end)  # closed on the last day: not open
    rows = open_cases_at(end)
    assert {r.case.case_ref for r in rows} == {"S-1", "S-2", "S-3"}
    by_worker = compliance_by_worker(rows)
    assert (by_worker[a.id].cases_open, by_worker[a.id].cases_in_timescale) == (2, 1)
    assert by_worker[a.id].pct_in_timescale == 50.0
    assert (by_worker[b.id].cases_open, by_worker[b.id].pct_in_timescale) == (1, 100.0)
    assert in_time.id and overdue.id


def test_due_dates_take_a_fixed_number_of_queries(make, org, count_queries):
    for n in range(3):
        factories.case(f"Q-{n}", "CP", n % 2 == 0, org["worker"], date(2026, 1, 1))
    with count_queries() as few:
        case_dues(db.session.scalars(select(Case)).all(), date(2026, 3, 1))
    for n in range(30):
        factories.case(f"R-{n}", "CIN", False, org["worker"], date(2026, 1, 1))
    db.session.expire_all()
    with count_queries() as many:
        case_dues(db.session.scalars(select(Case)).all(), date(2026, 3, 1))
    assert many.count == few.count

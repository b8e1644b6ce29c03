"""QAIT supervision returns (issue 13): the calendar (R-QA-1, R-QA-2), the figures a return is pre-filled with
(CONTRACT.md "Scheduling rules", worked out by hand below), the frozen snapshot, versions, and the constraint
that leaves one submission when two are made at once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Absence
from teamops.org.settings import settings
from teamops.returns import services
from teamops.returns.figures import team_month
from teamops.returns.models import ACCEPTED, RETURNED, SUBMITTED, ReturnVersion, SupervisionReturn
from teamops.returns.services import ReturnRefused
from tests import factories
from tests.conftest import QueryCounter

MARCH = date(2026, 3, 1)


# The calendar ------------------------------------------------------------------------------------------------

# Every month of 2026-2028 worked out from a wall calendar: the first Friday of the next month, moved to the
# next working day when it is a bank holiday in England and Wales.
NEXT_RULE = {
    (2026, 1): date(2026, 2, 6), (2026, 2): date(2026, 3, 6), (2026, 3): date(2026, 4, 7),  # Good Friday 3 Apr
    (2026, 4): date(2026, 5, 1), (2026, 5): date(2026, 6, 5), (2026, 6): date(2026, 7, 3),
    (2026, 7): date(2026, 8, 7), (2026, 8): date(2026, 9, 4), (2026, 9): date(2026, 10, 2),
    (2026, 10): date(2026, 11, 6), (2026, 11): date(2026, 12, 4), (2026, 12): date(2027, 1, 4),  # 1 Jan 2027
    (2027, 1): date(2027, 2, 5), (2027, 2): date(2027, 3, 5), (2027, 3): date(2027, 4, 2),
    (2027, 4): date(2027, 5, 7), (2027, 5): date(2027, 6, 4), (2027, 6): date(2027, 7, 2),
    (2027, 7): date(2027, 8, 6), (2027, 8): date(2027, 9, 3), (2027, 9): date(2027, 10, 1),
    (2027, 10): date(2027, 11, 5), (2027, 11): date(2027, 12, 3), (2027, 12): date(2028, 1, 7),
    (2028, 1): date(2028, 2, 4), (2028, 2): date(2028, 3, 3), (2028, 3): date(2028, 4, 7),
    (2028, 4): date(2028, 5, 5), (2028, 5): date(2028, 6, 2), (2028, 6): date(2028, 7, 7),
    (2028, 7): date(2028, 8, 4), (2028, 8): date(2028, 9, 1), (2028, 9): date(2028, 10, 6),
    (2028, 10): date(2028, 11, 3), (2028, 11): date(2028, 12, 1), (2028, 12): date(2029, 1, 5),
}


def test_the_calendar_2026_to_2028_under_the_default_rule(app: Any) -> None:
    for year in (2026, 2027, 2028):
        found = {(due.month.year, due.month.month): due.due_on for due in services.calendar_for_year(year)}
        assert found == {key: value for key, value in NEXT_RULE.items() if key[0] == year}
    april = services.calendar_for_year(2026)[2]
    assert april.moved and not april.fell_back


def test_the_working_day_before_rule_and_its_fallback(app: Any) -> None:
    """R-QA-2's alternative: Good Friday 2026 moves March's return back to Thursday 2 April; for December 2026
    the day before New Year's Day is 31 December, inside the month reported, so the next working day holds."""
    found = {due.month: due for due in services.calendar_for_year(2026, dates.RETURN_BEFORE)}
    assert found[date(2026, 3, 1)].due_on == date(2026, 4, 2)
    december = found[date(2026, 12, 1)]
    assert december.due_on == date(2027, 1, 4) and december.fell_back
    unmoved = [due for due in found.values() if not due.moved]
    assert all(due.due_on == NEXT_RULE[(due.month.year, due.month.month)] for due in unmoved)


def test_the_organisation_setting_moves_every_due_date(app: Any) -> None:
    row = settings()
    row.return_due_rule = dates.RETURN_BEFORE
    db.session.add(row)
    db.session.commit()
    assert services.due_on(MARCH) == date(2026, 4, 2)


def test_the_next_twelve_due_dates(app: Any) -> None:
    coming = services.coming_due_dates(date(2026, 12, 2))
    assert [due.due_on for due in coming][:2] == [date(2026, 12, 4), date(2027, 1, 4)]
    assert len(coming) == 12 and coming[0].month == date(2026, 11, 1) and coming[-1].month == date(2027, 10, 1)


# The figures, worked out by hand -------------------------------------------------------------------------------

@pytest.fixture
def north(make: Any) -> dict[str, Any]:
    """Team North at the end of March 2026 (E = 31 March), by CONTRACT.md's rules:

    - Wren: case A (CP, allocated 5 Jan, supervised 10 Mar: due 7 Apr, in timescale); case B (CIN, allocated
      5 Jan, never supervised: due 2 Mar, overdue); case C (CLA high risk, allocated 1 Feb, supervised 20 Feb:
      the 1-month cap makes it due 20 Mar, overdue). 3 open, 1 in timescale: 33.3%. One case supervision in
      March (A, 10 Mar), filed on 20 Mar: late (more than 7 days). Personal supervision 2 Mar: due 2 Apr, within
      7 days of E: due soon.
    - Moss: case D (EH, allocated 16 Mar: first due on the allocation day, overdue at E). Away from 1 Mar to
      30 Apr: personal supervision "absent".
    - A case closed on 31 March is not open at E.
    """
    service = make.service("Children's Social Care")
    team = make.team("Family Safeguarding North", service)
    manager = make.staff("team_manager", team, name="Tia Manager")
    wren = make.staff("worker", team, name="Wren Worker")
    moss = make.staff("worker", team, name="Moss Worker")
    a = make.case("CASE-A", "CP", False, wren, date(2026, 1, 5))
    b = make.case("CASE-B", "CIN", False, wren, date(2026, 1, 5))
    c = make.case("CASE-C", "CLA", True, wren, date(2026, 2, 1))
    make.case("CASE-D", "EH", False, moss, date(2026, 3, 16))
    make.case("CASE-E", "CIN", False, wren, date(2026, 1, 5), closed_on=date(2026, 3, 31))
    held = make.record("case", date(2026, 3, 10), wren, manager, [a])
    held.discussions[0].filed_at = datetime(2026, 3, 20, 12, 0, tzinfo=dates.LONDON)
    make.record("case", date(2026, 2, 20), wren, manager, [c])
    make.record("personal", date(2026, 3, 2), wren, manager)
    db.session.add(Absence(staff_id=moss.id, starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30),
                           kind="sickness", recorded_by_id=manager.id))
    db.session.commit()
    return {"team": team, "manager": manager, "wren": wren, "moss": moss, "b": b}


def test_a_return_is_pre_filled_from_what_teamops_knows(north: dict[str, Any]) -> None:
    figures = team_month(north["team"].id, MARCH, on=date(2026, 4, 2))
    lines = {line.name: line for line in figures.lines}
    assert set(lines) == {"Moss Worker", "Wren Worker"}  # the manager holds no cases: no line
    wren, moss = lines["Wren Worker"], lines["Moss Worker"]
    assert (wren.cases_open, wren.cases_in_timescale, wren.pct_in_timescale) == (3, 1, 33.3)
    assert (wren.case_supervisions, wren.filed_late, wren.not_filed) == (1, 1, 0)
    assert (wren.personal_last_on, wren.personal_state) == (date(2026, 3, 2), "due_soon")
    assert (moss.cases_open, moss.cases_in_timescale, moss.personal_state) == (1, 0, "absent")
    assert (figures.cases_open, figures.cases_in_timescale, figures.pct_in_timescale) == (4, 1, 25.0)
    assert wren.needs_explaining and moss.needs_explaining


def test_a_worker_who_moved_since_counts_for_the_old_team(north: dict[str, Any], make: Any) -> None:
    south = make.team("Family Safeguarding South", north["team"].service)
    with dates.freeze(date(2026, 4, 10)):
        north["wren"].team = south
        db.session.commit()
    assert {line.name for line in team_month(north["team"].id, MARCH).lines} == {"Moss Worker", "Wren Worker"}
    assert team_month(south.id, MARCH).lines == []
    assert [line.name for line in team_month(south.id, date(2026, 4, 1)).lines] == ["Wren Worker"]


# The workflow and the frozen snapshot ----------------------------------------------------------------------------

def _submitted(north: dict[str, Any], on: date) -> SupervisionReturn:
    with dates.freeze(on):
        ret = services.start(north["team"], MARCH, north["manager"], on)
        services.save_draft(ret, "Two cases were handed over late.", {north["wren"].id: "CASE-B: booked 8 April."})
        services.submit(ret, north["manager"], on)
        db.session.commit()
    return ret


def test_submitted_figures_do_not_change_with_a_backdated_record_or_a_policy_change(
        north: dict[str, Any], make: Any) -> None:
    ret = _submitted(north, date(2026, 4, 2))
    version = ret.versions[0]
    assert (version.cases_open, version.cases_in_timescale, version.on_time) == (4, 1, True)
    frozen = {row.name: (row.cases_open, row.cases_in_timescale, row.commentary) for row in version.rows}
    assert frozen["Wren Worker"] == (3, 1, "CASE-B: booked 8 April.")

    make.record("case", date(2026, 3, 25), north["wren"], north["manager"], [north["b"]])  # backdated
    factories.case_type_interval("CLA", 6, "months", effective_from=date(2026, 1, 1))  # not past the 1-month cap
    factories.case_type_interval("CIN", 12, "weeks", effective_from=date(2026, 1, 1))
    assert team_month(north["team"].id, MARCH).cases_in_timescale == 2  # the live figure moved
    db.session.expire_all()
    again = db.session.get(ReturnVersion, version.id)
    assert again is not None
    assert (again.cases_open, again.cases_in_timescale) == (4, 1)
    assert {row.name: (row.cases_open, row.cases_in_timescale) for row in again.rows}["Wren Worker"] == (3, 1)


def test_returned_then_resubmitted_keeps_every_version(north: dict[str, Any], org_qait: Any) -> None:
    ret = _submitted(north, date(2026, 4, 2))
    with dates.freeze(date(2026, 4, 8)):
        services.decide(ret, RETURNED, "Say what will happen for CASE-C.", org_qait, dates.utcnow())
        db.session.commit()
        assert ret.status == RETURNED and services.may_change(ret)
        services.save_draft(ret, "CASE-C: supervision booked for 9 April.", {})
        second = services.submit(ret, north["manager"], dates.today())
        db.session.commit()
    assert ret.status == SUBMITTED and second.number == 2
    assert (second.on_time, second.working_days_late) == (False, 1)  # due Tue 7 April, in on Wed 8 April
    first, later = services.versions_of(ret)[::-1]
    assert first.decision == RETURNED and first.decision_comment == "Say what will happen for CASE-C."
    assert first.team_commentary == "Two cases were handed over late."
    assert later.team_commentary == "CASE-C: supervision booked for 9 April."
    with dates.freeze(date(2026, 4, 9)):
        services.decide(ret, ACCEPTED, "", org_qait, dates.utcnow())
        db.session.commit()
    assert ret.status == ACCEPTED and not services.may_change(ret)


@pytest.fixture
def org_qait(make: Any) -> Any:
    return make.staff("qait", name="Quinn QAIT")


def test_what_cannot_be_done_is_refused(north: dict[str, Any], org_qait: Any) -> None:
    with dates.freeze(date(2026, 3, 20)), pytest.raises(ReturnRefused, match="has not ended yet"):
        services.start(north["team"], MARCH, north["manager"], dates.today())
    with dates.freeze(date(2026, 4, 1)):
        ret = services.start(north["team"], MARCH, north["manager"], dates.today())
        with pytest.raises(ReturnRefused, match="Only a submitted return"):
            services.decide(ret, ACCEPTED, "", org_qait, dates.utcnow())  # accepting a draft
        services.submit(ret, north["manager"], dates.today())
        with pytest.raises(ReturnRefused, match="QAIT must return it"):
            services.submit(ret, north["manager"], dates.today())
        with pytest.raises(ReturnRefused, match="Say what the team needs to change"):
            services.decide(ret, RETURNED, "  ", org_qait, dates.utcnow())
    with pytest.raises(ReturnRefused, match="real month"):
        services.parse_month("2026-13", date(2026, 4, 1))


def test_two_submissions_at_once_leave_one(north: dict[str, Any]) -> None:
    """Both people read the draft before either commits; the database keeps the first (the version number is
    unique per return) and refuses the second."""
    with dates.freeze(date(2026, 4, 2)):
        ret = services.start(north["team"], MARCH, north["manager"], dates.today())
        db.session.commit()
    ret_id, manager_id = ret.id, north["manager"].id
    with Session(db.engine) as one, Session(db.engine) as two:
        first, second = one.get(SupervisionReturn, ret_id), two.get(SupervisionReturn, ret_id)
        assert first is not None and second is not None
        for session, found in ((one, first), (two, second)):
            session.add(ReturnVersion(return_id=ret_id, number=found.submissions + 1, submitted_by_id=manager_id,
                                      due_on=date(2026, 4, 7), on_time=True, cases_open=4, cases_in_timescale=1))
        one.commit()
        with pytest.raises(IntegrityError):
            two.commit()
    assert db.session.scalars(select(ReturnVersion).where(ReturnVersion.return_id == ret_id)).all().__len__() == 1


def test_one_return_per_team_and_month(north: dict[str, Any]) -> None:
    with Session(db.engine) as one, Session(db.engine) as two:
        for session in (one, two):
            session.add(SupervisionReturn(team_id=north["team"].id, month=MARCH, status="draft"))
        one.commit()
        with pytest.raises(IntegrityError):
            two.commit()


def test_chases_escalate_and_stop_at_three(north: dict[str, Any], org_qait: Any, make: Any) -> None:
    service_manager = make.staff("service_manager", name="Sam Service")
    north["manager"].line_manager = service_manager
    head = make.staff("head_of_service", make.team("HoS office", north["team"].service), name="Hana Head")
    db.session.commit()
    teams = services.teams_for(org_qait)
    with dates.freeze(date(2026, 4, 9)):
        told = []
        for _ in range(4):
            rows = services.month_returns(teams, MARCH)
            made = services.chase([row for row in rows if row.team.id == north["team"].id], org_qait, dates.today())
            db.session.commit()
            told.append([chase.told for chase in made])
    assert told == [["Tia Manager"], ["Tia Manager, Sam Service"], ["Tia Manager, Sam Service, Hana Head"], []]
    assert head.name == "Hana Head"
    assert [chase.level for chase in services.chases_of(north["team"].id, MARCH)] == [1, 2, 3]


def test_a_team_not_late_is_not_chased(north: dict[str, Any], org_qait: Any) -> None:
    with dates.freeze(date(2026, 4, 7)):  # the due day itself
        rows = services.month_returns(services.teams_for(org_qait), MARCH)
        assert services.chase(rows, org_qait, dates.today()) == []


# Kept figures ----------------------------------------------------------------------------------------------------

def _statements(work: Any) -> tuple[int, Any]:
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        found = work()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return counter.count, found


def test_a_month_s_figures_are_kept_until_a_write_moves_them(north: dict[str, Any], make: Any) -> None:
    """Kept under the teams' versions, as the dashboards' figures are: looked at again, they cost one statement;
    a committed write that changes them is seen at once; figures worked out in a transaction that wrote and then
    rolled back are never kept."""
    team_id, on = north["team"].id, date(2026, 4, 2)
    cold, first = _statements(lambda: team_month(team_id, MARCH, on))
    warm, again = _statements(lambda: team_month(team_id, MARCH, on))
    assert (first.cases_open, first.cases_in_timescale) == (4, 1)
    assert warm == 1 < cold and again == first
    north["b"].closed_on = date(2026, 3, 5)  # not committed: the figures in this transaction see it ...
    db.session.flush()
    assert team_month(team_id, MARCH, on).cases_open == 3
    db.session.rollback()  # ... and it never happened
    assert team_month(team_id, MARCH, on).cases_open == 4
    make.record("case", date(2026, 3, 25), north["wren"], north["manager"], [north["b"]])  # committed
    assert team_month(team_id, MARCH, on).cases_in_timescale == 2
    assert team_month(team_id, MARCH, date(2026, 4, 3)).cases_in_timescale == 2  # another day: its own
    db.session.expire_all()
    north["b"].closed_on = date(2026, 3, 5)  # closed without its worker read first: still noted, still seen
    db.session.commit()
    assert team_month(team_id, MARCH, on).cases_open == 3

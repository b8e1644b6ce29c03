"""Monthly caseload reviews (DOMAIN.md R-QA-3, issue 13 item 6): the figures of each team's report, worked out
by hand; making them is idempotent, also when two runs race; commentary, its limit and returning to QAIT; who
may read and write; the states on a day; months that are not months.

April 2026's reports describe 31 March 2026 and are made on 1 April (a Wednesday, its first working day); the
commentary is due 8 April. March's describe 28 February and are made on 2 March. "Over 2 months without case
supervision" at 31 March means the last one (else the allocation) was before 31 January."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from teamops import dates
from teamops.demo import seed_demo
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.returns import caseload
from teamops.returns.models import CaseloadReview, CaseloadRow
from tests import factories

APRIL, MARCH = date(2026, 4, 1), date(2026, 3, 1)
MADE_ON = date(2026, 4, 1)
DUE_ON = date(2026, 4, 8)


@pytest.fixture
def county(org: dict[str, Any]) -> dict[str, Any]:
    """Children's Social Care has caseload reviews; Youth Justice does not. In North, Wren holds a high-risk CP
    case supervised on 20 February (overdue by 31 March), a CIN case last supervised on 30 December (overdue, and
    over 2 months without supervision), a CLA case allocated on 10 March (fine), and cases closed in March, and
    one allocated in April. Mo held an EH case from 2 March (first due that day: overdue) and moved to South on
    1 April, the day the reports are made: he is in North's report, not South's."""
    csc, _ = org["services"]
    csc.caseload_reviews = True
    north, south = org["teams"]["north"], org["teams"]["south"]
    wren, manager = org["worker"], org["team_manager"]
    with dates.freeze(MADE_ON):
        mo = factories.staff("worker", north, name="Mo Mover")
        high_risk = factories.case("N-CP-1", "CP", True, wren, date(2026, 1, 5))
        factories.record("case", date(2026, 2, 20), wren, manager, [high_risk])
        stale = factories.case("N-CIN-1", "CIN", False, wren, date(2025, 10, 1))
        factories.record("case", date(2025, 12, 30), wren, manager, [stale])
        factories.case("N-CLA-1", "CLA", False, wren, date(2026, 3, 10))
        factories.case("N-CIN-2", "CIN", False, wren, date(2026, 2, 1), closed_on=date(2026, 3, 20))
        factories.case("N-CIN-3", "CIN", False, wren, date(2025, 11, 1), closed_on=date(2026, 3, 1))
        factories.case("N-CP-2", "CP", False, wren, date(2026, 4, 1))
        factories.case("N-EH-1", "EH", False, mo, date(2026, 3, 2))
        mo.team = south
        db.session.commit()
    return {**org, "mo": mo}


def _rows(team_id: int, month: date) -> dict[str, CaseloadRow]:
    review = db.session.scalars(select(CaseloadReview).where(CaseloadReview.team_id == team_id,
                                                             CaseloadReview.month == month)).one()
    return {row.name: row for row in review.rows}


def _reviews() -> list[tuple[int, date]]:
    return list(db.session.execute(select(CaseloadReview.team_id, CaseloadReview.month)
                                   .order_by(CaseloadReview.team_id, CaseloadReview.month)).tuples())


def _figures(row: CaseloadRow) -> tuple[Any, ...]:
    return (row.open_cases, row.by_type, row.high_risk, row.overdue, row.unsupervised_2_months, row.change)


def test_the_figures_worked_out_by_hand(county):
    north, south, yj = (county["teams"][name] for name in ("north", "south", "yj"))
    assert caseload.make_reports(MARCH, date(2026, 3, 2)) == 2
    assert caseload.make_reports(APRIL, MADE_ON) == 2
    db.session.commit()

    # 28 February: Wren held N-CP-1, N-CIN-1, N-CIN-2 and N-CIN-3; Mo nothing yet.
    march = _rows(north.id, MARCH)
    # Overdue then: N-CIN-1 (due 24 February) and N-CIN-3 (never supervised: due 27 December); over 2 months
    # (before 28 December): N-CIN-3's allocation on 1 November.
    assert _figures(march["Wren Worker"]) == (4, {"CP": 1, "CIN": 3}, 1, 2, 1, None)
    assert _figures(march["Mo Mover"]) == (0, {}, 0, 0, 0, None)

    april = _rows(north.id, APRIL)
    assert list(april) == ["Mo Mover", "Wren Worker"]  # by name; the team manager holds no cases: no row
    assert _figures(april["Wren Worker"]) == (3, {"CP": 1, "CIN": 1, "CLA": 1}, 1, 2, 1, -1)
    assert _figures(april["Mo Mover"]) == (1, {"EH": 1}, 0, 1, 0, 1)
    assert list(_rows(south.id, APRIL)) == ["Sid South"]  # Mo joined South after 31 March
    assert _figures(_rows(south.id, APRIL)["Sid South"]) == (0, {}, 0, 0, 0, 0)

    review = db.session.scalars(select(CaseloadReview).where(CaseloadReview.team_id == north.id,
                                                             CaseloadReview.month == APRIL)).one()
    assert (review.as_of, review.commentary_due_on) == (date(2026, 3, 31), DUE_ON)
    assert yj.id not in {team_id for team_id, _ in _reviews()}  # Youth Justice has no caseload reviews


def test_a_worker_missing_from_last_months_report_is_new(county):
    north = county["teams"]["north"]
    caseload.make_reports(MARCH, date(2026, 3, 2))
    db.session.execute(CaseloadRow.__table__.delete().where(CaseloadRow.name == "Mo Mover"))
    caseload.make_reports(APRIL, MADE_ON)
    assert _rows(north.id, APRIL)["Mo Mover"].change is None
    assert [caseload.change_text(change) for change in (None, 2, -1, 0)] == ["new", "+2", "-1", "0"]


def test_making_the_reports_again_changes_nothing(county):
    assert caseload.make_reports(APRIL, MADE_ON) == 2
    db.session.commit()
    before = db.session.execute(select(CaseloadRow.__table__)).all()
    assert caseload.make_reports(APRIL, MADE_ON + timedelta(days=1)) == 0
    db.session.commit()
    assert db.session.execute(select(CaseloadRow.__table__)).all() == before
    assert caseload.reports_made(APRIL) == 2


def test_a_report_made_by_another_run_meanwhile_stands_and_is_not_made_twice(county, monkeypatch):
    """Two runs at once: the other run commits North's report after this one has read which teams need one."""
    north = county["teams"]["north"]
    read = caseload._rows_by_team

    def read_then_the_other_run_commits(*args: Any) -> Any:
        rows = read(*args)
        with db.engine.begin() as other:
            other.execute(insert(CaseloadReview.__table__).values(
                team_id=north.id, month=APRIL, as_of=date(2026, 3, 31), made_at=dates.utcnow(),
                commentary_due_on=DUE_ON))
        return rows

    monkeypatch.setattr(caseload, "_rows_by_team", read_then_the_other_run_commits)
    assert caseload.make_reports(APRIL, MADE_ON) == 1  # South's; North's was the other run's
    db.session.commit()
    assert _reviews() == sorted([(north.id, APRIL), (county["teams"]["south"].id, APRIL)])
    assert _rows(north.id, APRIL) == {}  # the other run's, untouched


def test_an_inactive_team_or_service_gets_no_report(county):
    county["teams"]["south"].active = False
    db.session.commit()
    caseload.make_reports(APRIL, MADE_ON)
    assert _reviews() == [(county["teams"]["north"].id, APRIL)]


# The command ---------------------------------------------------------------------------------------------

def test_the_command_makes_this_months_reports_and_again_changes_nothing(county, runner):
    with dates.freeze(MADE_ON):
        first = runner.invoke(args=["teamops", "caseload-snapshot"])
        rows = db.session.execute(select(CaseloadRow.__table__)).all()
        again = runner.invoke(args=["teamops", "caseload-snapshot"])
    assert first.exit_code == again.exit_code == 0, first.output + again.output
    assert "Caseload reports for April 2026: 2 made, 0 already existed." in first.output
    assert "Caseload reports for April 2026: 0 made, 2 already existed." in again.output
    db.session.rollback()
    assert db.session.execute(select(CaseloadRow.__table__)).all() == rows and len(rows) == 3


def test_the_command_waits_for_the_first_working_day_unless_a_month_is_given(county, runner):
    with dates.freeze(date(2027, 1, 1)):  # New Year's Day: January's first working day is Monday 4 January
        waited = runner.invoke(args=["teamops", "caseload-snapshot"])
        assert waited.exit_code == 0 and "nothing made" in waited.output and _reviews() == []
        asked = runner.invoke(args=["teamops", "caseload-snapshot", "--month", "2027-01"])
    assert asked.exit_code == 0 and "2 made" in asked.output
    review = db.session.scalars(select(CaseloadReview)).first()
    assert review.as_of == date(2026, 12, 31) and review.commentary_due_on == date(2027, 1, 8)


@pytest.mark.parametrize(("month", "message"), [
    ("2026-13", "Give a real month"), ("April", "Give a month as YYYY-MM"),
    ("2026-05", "May 2026 has not begun")])
def test_the_command_refuses_a_month_that_is_not_one_or_still_to_come(county, runner, month, message):
    with dates.freeze(MADE_ON):
        result = runner.invoke(args=["teamops", "caseload-snapshot", "--month", month])
    assert result.exit_code != 0 and message in result.output
    assert _reviews() == []


# The pages -----------------------------------------------------------------------------------------------

@pytest.fixture
def april(county: dict[str, Any]) -> dict[str, Any]:
    caseload.make_reports(APRIL, MADE_ON)
    db.session.commit()
    reviews = {review.team.name: review for review in db.session.scalars(select(CaseloadReview))}
    return {**county, "north_review": reviews["Family Safeguarding North"],
            "south_review": reviews["Family Safeguarding South"]}


def _url(review: CaseloadReview) -> str:
    return f"/returns/caseload/{review.id}"


def _commentary(review: CaseloadReview) -> dict[str, str]:
    db.session.refresh(review)
    return {row.name: row.commentary for row in review.rows}


def _fields(review: CaseloadReview, **texts: str) -> dict[str, str]:
    """The form's fields, by first name: ``Wren="..."``."""
    rows = {row.name.split()[0]: row.id for row in review.rows}
    return {f"row-{rows[name]}": text for name, text in texts.items()}


def test_the_manager_saves_commentary_then_returns_the_review_and_it_reads_only(april, as_role):
    review = april["north_review"]
    with dates.freeze(date(2026, 4, 7)):
        manager = as_role("team_manager")
        page = manager.get(_url(review)).get_data(as_text=True)
        assert "Save and return to QAIT" in page and "Commentary on Wren Worker&#39;s caseload" in page
        saved = manager.post_form(_url(review), {**_fields(review, Wren="N-CIN-1 booked for 9 April.", Mo=""),
                                                 "action": "save"})
        assert saved.status_code == 303
        assert _commentary(review) == {"Mo Mover": "", "Wren Worker": "N-CIN-1 booked for 9 April."}
        assert review.returned_at is None
        returned = manager.post_form(_url(review), {**_fields(review, Mo="New to the team's cases."),
                                                    "action": "return"})
        assert returned.status_code == 303
        db.session.refresh(review)
        assert review.returned_by_id == april["team_manager"].id
        assert caseload.state_on(review, date(2026, 4, 20)) == caseload.RETURNED
        assert _commentary(review)["Mo Mover"] == "New to the team's cases."

        page = manager.get(_url(review)).get_data(as_text=True)
        assert "Save and return to QAIT" not in page and "N-CIN-1 booked for 9 April." in page
        again = manager.post_form(_url(review), {**_fields(review, Wren="Changed"), "action": "save"})
        assert again.status_code == 303 and "can no longer change" in _followed(manager, again)
        assert _commentary(review)["Wren Worker"] == "N-CIN-1 booked for 9 April."


def _followed(client: Any, response: Any) -> str:
    """The page a redirect leads to (with its message)."""
    return str(client.get(response.location).get_data(as_text=True))


def _text(page: str, after: str) -> str:
    """The row of the figures table that starts with ``after``."""
    start = page.index(after)
    return page[start:page.index("</tr>", start)]


def test_the_figures_table_shows_the_change_and_the_types(april, as_role):
    page = as_role("qait").get(_url(april["north_review"])).get_data(as_text=True)
    assert '<abbr title="Child protection">CP</abbr>' in page and '<abbr title="Early help">EH</abbr>' in page
    assert ">new<" in _text(page, "Mo Mover") and ">new<" in _text(page, "Wren Worker")  # no March report
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Open cases on 31 March 2026 by worker' in page
    assert 'scope="row"' in page and 'scope="col"' in page


def test_commentary_over_the_limit_is_sent_back_kept_and_nothing_is_saved(april, as_role):
    review = april["north_review"]
    too_long = "x" * 1001
    answer = as_role("team_manager").post_form(_url(review), {
        **_fields(review, Wren=too_long, Mo="Fine"), "action": "return"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "must be 1,000 characters or fewer: it has 1,001, 1 too many" in page
    assert too_long in page and "There is a problem" in page
    assert _commentary(review) == {"Mo Mover": "", "Wren Worker": ""}
    assert review.returned_at is None


def test_exactly_the_limit_is_saved(april, as_role):
    review = april["north_review"]
    answer = as_role("team_manager").post_form(_url(review), {**_fields(review, Wren="y" * 1000)})
    assert answer.status_code == 303 and _commentary(review)["Wren Worker"] == "y" * 1000


def test_another_teams_manager_may_not_read_or_write_the_review(april, as_role):
    review = april["north_review"]
    south = as_role("south_manager")
    assert south.get(_url(review)).status_code == 403
    assert south.post_form(_url(review), {**_fields(review, Wren="Not mine"), "action": "return"}).status_code == 403
    assert _commentary(review)["Wren Worker"] == "" and review.returned_at is None


def test_the_service_manager_and_qait_read_but_do_not_write(april, as_role):
    review = april["north_review"]
    for role in ("service_manager", "qait"):
        client = as_role(role)
        page = client.get(_url(review)).get_data(as_text=True)
        assert "Wren Worker" in page and "Save and return to QAIT" not in page
        assert client.post_form(_url(review), {**_fields(review, Wren="Not mine")}).status_code == 403
    assert _commentary(review)["Wren Worker"] == ""


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_workers_and_admins_see_no_caseload_review(april, as_role, role):
    client = as_role(role)
    assert client.get("/returns/caseload").status_code == 403
    assert client.get(_url(april["north_review"])).status_code == 403


def test_the_list_shows_each_persona_their_reach(april, as_role):
    with dates.freeze(date(2026, 4, 9)):
        qait = as_role("qait").get("/returns/caseload").get_data(as_text=True)
        manager = as_role("south_manager").get("/returns/caseload?month=2026-04").get_data(as_text=True)
    assert "Family Safeguarding North" in qait and "Family Safeguarding South" in qait
    assert "1 working day late" in qait and "Make April 2026" in qait
    assert "Family Safeguarding South" in manager and "Family Safeguarding North" not in manager
    assert "Make April 2026" not in manager


def test_qait_filters_the_list_by_service(april, as_role):
    other = factories.service("Fostering")
    other.caseload_reviews = True
    factories.team("Fostering Team", other)
    caseload.make_reports(APRIL, MADE_ON)
    db.session.commit()
    with dates.freeze(MADE_ON):
        page = as_role("qait").get(f"/returns/caseload?month=2026-04&service={other.id}").get_data(as_text=True)
    assert "Fostering Team" in page and "Family Safeguarding North" not in page


@pytest.mark.parametrize(("month", "message"), [
    ("2026-13", "Give a real month"), ("2026-4", "Give a month as YYYY-MM"), ("2026-05", "May 2026 has not begun")])
def test_a_month_that_is_not_one_is_said_on_the_page(april, as_role, month, message):
    with dates.freeze(MADE_ON):
        answer = as_role("qait").get(f"/returns/caseload?month={month}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page and "There is a problem" in page


def test_qait_makes_this_months_reports_with_the_button(county, as_role):
    with dates.freeze(MADE_ON):
        assert as_role("team_manager").post_form("/returns/caseload/make").status_code == 403
        qait = as_role("qait")
        answer = _followed(qait, qait.post_form("/returns/caseload/make"))
        again = _followed(qait, qait.post_form("/returns/caseload/make"))
    assert "Caseload reports for April 2026: 2 made, 0 already existed." in answer
    assert "0 made, 2 already existed" in again and "Family Safeguarding North" in again
    assert len(_reviews()) == 2


# States, and what waits for a manager --------------------------------------------------------------------

def _returned(review: CaseloadReview, on: date, by: Any) -> None:
    caseload.return_to_qait(review, by, datetime.combine(on, datetime.min.time(), tzinfo=dates.LONDON)
                            + timedelta(hours=15))
    db.session.commit()


def test_a_review_is_waiting_until_its_due_date_then_late(april):
    review = april["north_review"]
    assert [caseload.state_on(review, day) for day in (date(2026, 4, 1), DUE_ON, date(2026, 4, 9))] == [
        caseload.WAITING, caseload.WAITING, caseload.LATE]
    assert caseload.working_days_late(review, date(2026, 4, 13)) == 3  # 9, 10 and 13 April


def test_returned_on_the_due_date_is_on_time_and_after_it_late(april):
    north, south = april["north_review"], april["south_review"]
    _returned(north, DUE_ON, april["team_manager"])
    _returned(south, date(2026, 4, 10), april["south_manager"])
    assert caseload.state_on(north, date(2026, 5, 1)) == caseload.RETURNED
    assert caseload.state_on(south, date(2026, 5, 1)) == caseload.RETURNED_LATE
    assert caseload.working_days_late(south, date(2026, 5, 1)) == 2
    with pytest.raises(caseload.CaseloadRefused, match="can no longer change"):
        caseload.return_to_qait(south, april["south_manager"], dates.utcnow())


def test_a_managers_reviews_waiting_are_their_teams_not_returned(april):
    with dates.freeze(date(2026, 4, 9)):
        waiting = caseload.reviews_waiting(april["team_manager"], date(2026, 4, 9))
        assert [(line.review.team.name, line.state) for line in waiting] == [
            ("Family Safeguarding North", caseload.LATE)]
        assert caseload.reviews_waiting(april["service_manager"], date(2026, 4, 9)) == []
        _returned(april["north_review"], date(2026, 4, 9), april["team_manager"])
        assert caseload.reviews_waiting(april["team_manager"], date(2026, 4, 9)) == []



def test_the_managers_home_page_lists_the_review_until_it_is_returned(april, as_role):
    """R-QA-3: the review waits on the manager's home page ("Waiting for you"), late after its due date, and
    leaves it once returned to QAIT."""
    review = april["north_review"]
    with dates.freeze(date(2026, 4, 9)):
        home = as_role("team_manager").get("/").get_data(as_text=True)
        assert "Caseload reviews to return to QAIT (1)" in home
        assert f'href="/returns/caseload/{review.id}"' in home and "1 working day late" in home
        assert "Caseload reviews to return" not in as_role("worker").get("/").get_data(as_text=True)
        _returned(review, date(2026, 4, 9), april["team_manager"])
        assert "Caseload reviews to return" not in as_role("team_manager").get("/").get_data(as_text=True)

def test_the_report_month_waits_for_the_first_working_day():
    assert caseload.report_month(date(2027, 1, 1)) == date(2026, 12, 1)
    assert caseload.report_month(date(2027, 1, 4)) == date(2027, 1, 1)


# The service setting -----------------------------------------------------------------------------------

def test_admins_switch_caseload_reviews_on_for_a_service(org, as_role):
    _, youth_justice = org["services"]
    admin = as_role("admin")
    form = admin.get(f"/admin/services/{youth_justice.id}/edit").get_data(as_text=True)
    assert "Monthly caseload review (R-QA-3)" in form
    answer = admin.post_form(f"/admin/services/{youth_justice.id}/edit", {
        "name": youth_justice.name, "induction_group": "yos", "caseload_reviews": "y"})
    assert answer.status_code == 303
    db.session.refresh(youth_justice)
    assert youth_justice.caseload_reviews is True
    admin.post_form(f"/admin/services/{youth_justice.id}/edit", {"name": youth_justice.name, "induction_group": "yos"})
    db.session.refresh(youth_justice)
    assert youth_justice.caseload_reviews is False


# The demo ------------------------------------------------------------------------------------------------

def test_the_demo_manager_has_this_months_review_waiting_and_last_months_returned(app):
    seed_demo()
    db.session.commit()
    on = dates.today()
    manager = db.session.scalars(select(Staff).where(Staff.email == "manager@example.org")).one()
    [waiting] = caseload.reviews_waiting(manager, on)
    month = caseload.report_month(on)
    review = waiting.review
    assert review.month == month and review.returned_at is None
    assert review.commentary_due_on == dates.caseload_commentary_due_on(dates.first_working_day(month.year,
                                                                                                 month.month))
    assert review.rows and any(row.change is not None for row in review.rows)
    assert any(row.overdue for row in review.rows)
    reviewed = set(db.session.scalars(select(Service.name).join(Team, Team.service_id == Service.id)
                                      .join(CaseloadReview, CaseloadReview.team_id == Team.id)))
    assert reviewed == {"Children's Social Care"}
    last = db.session.scalars(select(CaseloadReview).where(CaseloadReview.month == dates.add_months(month, -1))).all()
    assert last and all(old.returned_at is not None for old in last)
    assert seed_demo() == {"created": 0} and caseload.make_reports(month, on) == 0


@pytest.mark.parametrize("query", ["service=abc", "service=99999999999", "month=&service=", "month=%202026-04%20"])
def test_odd_filters_show_the_month_not_an_error(april, as_role, query):
    with dates.freeze(MADE_ON):
        answer = as_role("qait").get(f"/returns/caseload?{query}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "There is a problem" not in page
    assert "Family Safeguarding North" in page and "Family Safeguarding South" in page

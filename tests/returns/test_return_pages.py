"""The returns pages (issue 13 items 2-4): a manager checks, explains and submits; QAIT returns or accepts it and
chases late teams; the managers above read; workers and other teams' managers are refused; bad input is
answered clearly and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from teamops import dates
from teamops.cases.models import Case
from teamops.dashboards.figures import forget_figures
from teamops.extensions import db
from teamops.returns.models import ReturnChase, ReturnVersion, SupervisionReturn
from tests.conftest import QueryCounter

MONTH = "2026-03"
APRIL_2 = date(2026, 4, 2)  # March's return is due on Tuesday 7 April 2026 (Good Friday, Easter Monday)


@pytest.fixture
def north(org: dict[str, Any], make: Any) -> dict[str, Any]:
    team = org["teams"]["north"]
    make.case("CASE-1", "CIN", False, org["worker"], date(2026, 1, 5))  # never supervised: overdue at 31 March
    make.case("CASE-2", "CP", False, org["worker"], date(2026, 3, 20))  # due 17 April: in timescale
    return {**org, "team": team, "url": f"/returns/{team.id}/{MONTH}"}


def returns_made() -> int:
    return db.session.scalar(select(func.count(SupervisionReturn.id))) or 0


def note_field(north: dict[str, Any]) -> str:
    return f"note_{north['worker'].id}"


def test_a_manager_checks_explains_and_submits(north: dict[str, Any], as_role: Any) -> None:
    manager = as_role("team_manager")
    with dates.freeze(APRIL_2):
        listing = manager.get("/returns/").get_data(as_text=True)
        assert "Family Safeguarding North" in listing and "Not started" in listing
        assert "Family Safeguarding South" not in listing  # not theirs
        page = manager.get(north["url"]).get_data(as_text=True)
        assert "Wren Worker" in page and "50.0%" in page and "Submit to QAIT" in page
        assert "2 working days left" in page  # Thursday 2 and Tuesday 7 April: 3 and 6 April are bank holidays

        saved = manager.post_form(north["url"], {note_field(north): "CASE-1: supervision booked for 8 April.",
                                                 "team_commentary": "", "action": "save"})
        assert saved.status_code == 303
        assert "Draft saved" in manager.get(north["url"]).get_data(as_text=True)

        submitted = manager.post_form(north["url"], {note_field(north): "CASE-1: supervision booked for 8 April.",
                                                     "team_commentary": "One new case.", "action": "submit"})
        assert submitted.status_code == 303
        page = manager.get(north["url"]).get_data(as_text=True)
    assert "Submitted" in page and "on time" in page and "Version 1" in page
    assert "CASE-1: supervision booked for 8 April." in page and "Submit to QAIT" not in page
    version = db.session.scalar(select(ReturnVersion))
    assert version is not None and (version.cases_open, version.cases_in_timescale) == (2, 1)


def test_commentary_over_the_limit_is_refused_and_kept(north: dict[str, Any], as_role: Any) -> None:
    manager = as_role("team_manager")
    typed = "CASE-1 " + "x" * 1000
    with dates.freeze(APRIL_2):
        refused = manager.post_form(north["url"], {note_field(north): typed, "team_commentary": "",
                                                   "action": "submit"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Keep the commentary on Wren Worker to 1,000 characters or fewer" in text and typed in text
    assert returns_made() == 0


def test_qait_returns_it_the_manager_resubmits_qait_accepts(north: dict[str, Any], as_role: Any) -> None:
    manager, qait = as_role("team_manager"), as_role("qait")
    with dates.freeze(APRIL_2):
        manager.post_form(north["url"], {note_field(north): "", "team_commentary": "", "action": "submit"})
    decide = f"{north['url']}/decision"
    with dates.freeze(date(2026, 4, 8)):
        assert "Your decision" in qait.get(north["url"]).get_data(as_text=True)
        empty = qait.post_form(decide, {"decision": "returned", "comment": " "})
        assert empty.status_code == 400
        assert "Say what the team needs to change before you return it" in empty.get_data(as_text=True)
        assert qait.post_form(decide, {"decision": "returned", "comment": "Explain CASE-1."}).status_code == 303
        page = manager.get(north["url"]).get_data(as_text=True)
        assert "Returned" in page and "Explain CASE-1." in page and "Submit to QAIT" in page
        again = manager.post_form(north["url"], {note_field(north): "CASE-1: seen 7 April.", "team_commentary": "",
                                                 "action": "submit"})
        assert again.status_code == 303
        accepted = qait.post_form(decide, {"decision": "accepted", "comment": ""})
        assert accepted.status_code == 303
        page = qait.get(north["url"]).get_data(as_text=True)
    assert "Accepted" in page and "Version 2" in page and "Version 1" in page
    assert "1 working day late" in page  # the resubmission came in on Wednesday 8 April
    first = qait.get(f"{north['url']}/versions/1").get_data(as_text=True)
    assert "Explain CASE-1." in first and "CASE-1: seen 7 April." not in first


def test_accepting_a_draft_is_refused(north: dict[str, Any], as_role: Any) -> None:
    manager, qait = as_role("team_manager"), as_role("qait")
    with dates.freeze(APRIL_2):
        manager.post_form(north["url"], {note_field(north): "", "team_commentary": "", "action": "save"})
        qait.post_form(f"{north['url']}/decision", {"decision": "accepted", "comment": ""})
        refused = qait.get(north["url"])
    assert "Only a submitted return can be accepted or returned" in refused.get_data(as_text=True)
    assert db.session.scalar(select(SupervisionReturn.status)) == "draft"


def test_who_reads_and_who_writes(north: dict[str, Any], as_role: Any) -> None:
    with dates.freeze(APRIL_2):
        above = as_role("service_manager")
        page = above.get(north["url"])
        assert page.status_code == 200 and "Submit to QAIT" not in page.get_data(as_text=True)
        assert above.post_form(north["url"], {"team_commentary": "", "action": "submit"}).status_code == 403
        for persona in ("worker", "admin"):
            assert as_role(persona).get(north["url"]).status_code == 403
            assert as_role(persona).get("/returns/").status_code == 403
        other = as_role("south_manager")
        assert other.get(north["url"]).status_code == 403
        assert other.post_form(north["url"], {"team_commentary": "", "action": "submit"}).status_code == 403
    assert returns_made() == 0


def test_months_that_are_not_months_or_not_ended(north: dict[str, Any], as_role: Any) -> None:
    manager = as_role("team_manager")
    with dates.freeze(APRIL_2):
        assert manager.get(f"/returns/{north['team'].id}/2026-13").status_code == 404
        listing = manager.get("/returns/?month=2026-13")
        assert listing.status_code == 400 and "Give a real month" in listing.get_data(as_text=True)
        manager.post_form(f"/returns/{north['team'].id}/2026-04", {"team_commentary": "", "action": "submit"})
        early = manager.get(f"/returns/{north['team'].id}/2026-04")
    assert "April 2026 has not ended yet" in early.get_data(as_text=True)
    assert returns_made() == 0


def test_qait_chases_late_teams_and_the_return_records_it(north: dict[str, Any], as_role: Any) -> None:
    qait = as_role("qait")
    south = north["teams"]["south"]
    with dates.freeze(date(2026, 4, 9)):
        page = qait.get(f"/returns/?month={MONTH}").get_data(as_text=True)
        assert "2 working days late" in page and "Chase selected teams" in page and "The next 12 due dates" in page
        qait.post_form("/returns/chase", {"month": MONTH, "teams": [str(north["team"].id), str(south.id)]})
        assert "Chased 2 teams for March 2026." in qait.get(f"/returns/?month={MONTH}").get_data(as_text=True)
        qait.post_form("/returns/chase", {"month": MONTH, "teams": [str(north["team"].id)]})
        assert "Chased 1 team for March 2026." in qait.get(f"/returns/?month={MONTH}").get_data(as_text=True)
        page = as_role("team_manager").get(north["url"]).get_data(as_text=True)
    assert "Chased by QAIT" in page and "Tia Manager, Sam Service" in page  # the second chase escalates
    assert db.session.scalar(select(func.count(ReturnChase.id))) == 3
    assert as_role("team_manager").post_form("/returns/chase", {"month": MONTH, "teams": [str(south.id)]}
                                             ).status_code == 403


def test_the_managers_home_says_when_the_return_is_due(north: dict[str, Any], as_role: Any) -> None:
    manager = as_role("team_manager")
    with dates.freeze(APRIL_2):
        home = manager.get("/").get_data(as_text=True)
        assert "Supervision return for March 2026" in home and "not started" in home
        assert "2 working days left" in home
    with dates.freeze(date(2026, 4, 9)):
        home = manager.get("/").get_data(as_text=True)
    assert "2 working days late" in home
    assert "Supervision return" not in as_role("worker").get("/").get_data(as_text=True)


def test_the_dashboard_shows_the_submitted_figure_when_the_live_one_moved(
        north: dict[str, Any], as_role: Any, make: Any) -> None:
    manager = as_role("team_manager")
    with dates.freeze(APRIL_2):
        manager.post_form(north["url"], {note_field(north): "", "team_commentary": "", "action": "submit"})
        assert "As submitted in the return" not in manager.get("/dashboard/team").get_data(as_text=True)
        case = db.session.scalar(select(Case).where(Case.case_ref == "CASE-1"))
        make.record("case", date(2026, 3, 25), north["worker"], north["team_manager"], [case])  # backdated
        page = manager.get("/dashboard/team").get_data(as_text=True)
    assert "100.0% (2 of 2 open cases at" in page and "As submitted in the return: 50.0% (1 of 2)" in page


def test_the_returns_list_works_the_month_out_once_until_a_write_moves_it(north: dict[str, Any], as_role: Any,
                                                                           make: Any) -> None:
    """QAIT's list reads the month's live figures kept from the last load (teamops.returns.figures): the same
    page in fewer statements, and a committed write seen at once."""
    qait = as_role("qait")

    def load() -> tuple[int, str]:
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            with dates.freeze(APRIL_2):
                page = qait.get(f"/returns/?month={MONTH}")
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        return counter.count, body[body.find("<main"):]

    forget_figures()
    cold, first = load()
    warm, again = load()
    assert warm <= cold - 5 and again == first
    assert "50.0%" in first  # one of the worker's two cases in timescale at 31 March
    make.case("CASE-3", "CP", False, north["worker"], date(2026, 3, 30))  # due 27 April: in timescale
    assert "66.7%" in load()[1]

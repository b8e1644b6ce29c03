"""The induction pages (issue 11 items 2, 7 and 9; Access): the managers' list, the starter's own page with
today marked, opening by hand, re-planning and cancelling; who may see and run which induction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import buddies, checkins
from teamops.induction.models import Induction
from tests.conftest import sign_in
from tests.dates_typed import date_boxes

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def starter(make, org):
    person = make.staff("worker", org["teams"]["north"], email="nico@example.org", name="Nico Fraser",
                        start_date=date(2026, 11, 30))
    person.line_manager = org["team_manager"]
    org["services"][0].induction_group = "csc"
    db.session.commit()
    return person


def _count():
    return db.session.scalar(select(func.count()).select_from(Induction))


@pytest.mark.parametrize(("role", "status"), [
    ("team_manager", 200), ("service_manager", 200), ("qait", 200),
    ("south_manager", 403), ("worker", 403), ("admin", 403),
])
def test_who_sees_an_induction(make, as_role, starter, role, status):
    induction = make.induction(starter)
    assert as_role(role).get(f"/inductions/{induction.id}").status_code == status


def test_the_starter_sees_their_timetable_with_today_marked(app, make, starter):
    induction = make.induction(starter)
    with freeze(TODAY):
        client = app.test_client()
        sign_in(client, starter)
        assert client.get("/inductions/mine").headers["Location"].endswith(f"/inductions/{induction.id}")
        page = client.get(f"/inductions/{induction.id}").get_data(as_text=True)
        home = client.get("/").get_data(as_text=True)
        plan = client.get(f"/inductions/{induction.id}/plan")
    assert "Your induction" in page and "Day 1 is" not in page
    assert page.count("aria-current=\"date\"") == sum(day.on_date == TODAY for day in induction.days) > 0
    assert "Today" in page and "Full case-system access waits for this e-learning." in page
    assert "Overdue" in page  # the before-the-start items were due on Friday 27 November
    assert f"/inductions/{induction.id}" in home and "See your induction" in home
    # the starter does not run their own induction
    assert "Change the plan" not in page
    assert plan.status_code == 403


def test_someone_without_an_induction_is_told_so(as_role):
    page = as_role("worker").get("/inductions/mine").get_data(as_text=True)
    assert "You have no induction in TeamOps" in page


def test_the_managers_list_shows_inductions_in_reach_only(make, org, as_role, starter):
    induction = make.induction(starter)
    buddies.name_buddy(induction, org["worker"], "", None)
    checkins.log_checkin(induction, org["worker"], held_on=date(2026, 11, 30), mode="phone", doing=1, notes="",
                         concern="Lonely at the hub")
    db.session.commit()
    south = make.staff("worker", org["teams"]["south"], name="Sid Southstart", start_date=date(2026, 11, 30))
    make.induction(south)
    with freeze(TODAY):
        page = as_role("team_manager").get("/inductions").get_data(as_text=True)
        qait = as_role("qait").get("/inductions").get_data(as_text=True)
    assert "Nico Fraser" in page and "Sid Southstart" not in page
    assert "Nico Fraser" in qait and "Sid Southstart" in qait
    assert "Items overdue" in page and "of " in page
    assert "Wren Worker" in page and "1 concern" in page and "Lonely" not in page  # the buddy; a count only


def test_a_manager_opens_an_internal_move_by_hand(org, as_role, make):
    mover = make.staff("worker", org["teams"]["north"], name="Mo Mover")
    client = as_role("team_manager")
    mover_template = db.session.scalar(select(Induction.template.property.mapper.class_.id).where(
        Induction.template.property.mapper.class_.kind == "mover"))
    with freeze(TODAY):
        form = client.get(f"/inductions/new?staff_id={mover.id}").get_data(as_text=True)
        assert "Mo Mover" in form
        response = client.post_form("/inductions/new", {
            "staff_id": mover.id, "template_id": mover_template, "job_group": "front_line",
            **date_boxes("start_date", date(2026, 12, 7))})
    assert response.status_code == 303, response.get_data(as_text=True)
    (induction,) = db.session.scalars(select(Induction).where(Induction.staff_id == mover.id))
    assert (induction.kind, induction.length_days, induction.ends_on) == ("mover", 3, date(2026, 12, 9))
    # a second one while it is open is refused, with the reason, and nothing is written
    again = client.post_form("/inductions/new", {
        "staff_id": mover.id, "template_id": mover_template, "job_group": "front_line",
        **date_boxes("start_date", date(2026, 12, 14))})
    assert again.status_code == 400
    assert "Mo Mover already has an induction open" in again.get_data(as_text=True)
    assert _count() == 1


def test_bad_input_when_opening_writes_nothing(org, as_role, make):
    person = make.staff("worker", org["teams"]["north"], name="Pat Person")
    south = make.staff("worker", org["teams"]["south"], name="Sid South")
    client = as_role("team_manager")
    response = client.post_form("/inductions/new", {"staff_id": south.id, "template_id": 0, "job_group": "",
                                                    **date_boxes("start_date", date(1900, 1, 1))})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select someone you supervise" in page and "Select a timetable" in page
    assert "Enter a date between 1950 and 2100" in page
    assert 'value="1900"' in page  # what was typed is kept
    assert _count() == 0
    assert person.id  # the manager's own team member was offered
    assert "Pat Person" in client.get("/inductions/new").get_data(as_text=True)


def test_the_plan_moves_with_a_new_start_date(make, as_role, starter):
    induction = make.induction(starter)
    client = as_role("team_manager")
    response = client.post_form(f"/inductions/{induction.id}/plan", {
        "template_id": induction.template_id, "job_group": "front_line",
        **date_boxes("start_date", date(2026, 12, 22))})
    assert response.status_code == 303
    db.session.refresh(induction)
    assert (induction.starts_on, induction.ends_on) == (date(2026, 12, 22), date(2027, 1, 7))
    assert min(day.on_date for day in induction.days) == date(2026, 12, 22)


def test_cancelling_needs_a_reason_and_keeps_the_record(make, as_role, starter):
    induction = make.induction(starter)
    client = as_role("team_manager")
    refused = client.post_form(f"/inductions/{induction.id}/cancel", {"reason": ""})
    assert refused.status_code == 400 and "Say why the induction is cancelled" in refused.get_data(as_text=True)
    assert client.post_form(f"/inductions/{induction.id}/cancel", {"reason": "Did not start"}).status_code == 303
    page = client.get(f"/inductions/{induction.id}").get_data(as_text=True)
    assert "Cancelled" in page and "Did not start" in page and "Change the plan" not in page


def test_a_leaver_s_open_induction_is_cancelled(make, as_role, starter):
    induction = make.induction(starter)
    response = as_role("admin").post_form(f"/admin/staff/{starter.id}/active?to=inactive")
    assert response.status_code == 303
    db.session.refresh(induction)
    assert induction.cancelled_at is not None and induction.cancel_reason.startswith("Left on ")

"""Buddies, hosts and check-ins (issue 11 items 3 and 4; R-IND-4, R-IND-11, R-IND-14): the ranked suggestions
and their reasons, the refusals, a change of buddy keeping the history, hosts, logging check-ins, the missed
one flagged the working day after, and a concern waiting on the manager's home."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import buddies, checkins
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from tests.conftest import sign_in
from tests.dates_typed import date_boxes

TODAY = date(2026, 12, 2)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(make, org):
    north, south = org["teams"]["north"], org["teams"]["south"]
    starter = make.staff("worker", north, email="nico@example.org", name="Nico Fraser",
                         start_date=date(2026, 11, 30))
    starter.line_manager = org["team_manager"]
    people = {
        "ellis": make.staff("worker", north, name="Ellis Long", start_date=date(2023, 6, 1)),
        "dana": make.staff("worker", north, name="Dana Duty", start_date=date(2024, 6, 1)),
        "cal": make.staff("worker", north, name="Cal Fresh", start_date=date(2026, 10, 1)),
        "ash": make.staff("worker", south, name="Ash Office", start_date=date(2023, 6, 1)),
        "bo": make.staff("worker", north, name="Bo Family", job_role="Family support worker",
                         start_date=date(2024, 6, 1)),
        "gone": make.staff("worker", north, name="Gil Gone", active=False),
        "newer": make.staff("worker", north, name="Nell Newer", start_date=date(2026, 11, 23)),
        "youth": make.staff("worker", org["teams"]["yj"], name="Yan Youth", start_date=date(2020, 1, 6)),
    }
    db.session.commit()
    for person in (people["dana"], people["newer"]):
        person.line_manager = org["team_manager"]
    make.induction(people["newer"])  # in their own induction: never suggested
    other = make.induction(make.staff("worker", north, name="Otto Other", start_date=date(2026, 11, 16)))
    buddies.name_buddy(other, people["dana"], "", None)  # Dana buddies one starter now
    db.session.commit()
    return {"starter": starter, "induction": make.induction(starter), **people}


def test_suggestions_are_ranked_with_their_reasons(world, org, app):
    with app.test_request_context(), freeze(TODAY):
        from teamops.access import staff_in_reach
        found = buddies.suggestions(world["induction"], staff_in_reach(org["team_manager"]), TODAY)
    names = [s.person.name for s in found]
    # same role and team: experienced first (by fewest duties, then name), then under 6 months' service; then the
    # same office in another team; then another front-line role
    assert names == ["Ellis Long", "Wren Worker", "Dana Duty", "Cal Fresh", "Otto Other", "Ash Office", "Sid South",
                     "Bo Family"]
    reasons = {s.person.name: s.reasons for s in found}
    assert reasons["Ellis Long"] == ("Also a social worker", "Same team", "3 years' service", "Buddies nobody now")
    assert reasons["Dana Duty"][-1] == "Buddies 1 starter now"
    assert reasons["Cal Fresh"][2] == "Started 2 months ago: under 6 months"
    assert reasons["Ash Office"][1] == "Same office: Riverside House"
    assert reasons["Bo Family"][0] == "Front-line role"
    for left_out in ("Nico Fraser", "Gil Gone", "Nell Newer", "Tia Manager", "Yan Youth", "Ada Admin", "Quinn QAIT",
                     "Sam Service"):
        assert left_out not in names


def _choose(client, induction, **fields):
    return client.post_form(f"/inductions/{induction.id}/buddy", {"reason": "", "email": "", **fields})


@pytest.mark.parametrize(("who", "message"), [
    ("starter", "Nico Fraser cannot be their own buddy"),
    ("gone", "Gil Gone has left: choose an active colleague"),
    ("newer", "Nell Newer is in their own induction until"),
    ("youth", "Yan Youth works in Youth Justice: say why a buddy from another service"),
])
def test_a_buddy_is_refused_with_the_reason_and_nothing_is_written(world, as_role, who, message):
    client = as_role("team_manager")
    with freeze(TODAY):
        response = _choose(client, world["induction"], choice="else", email=world[who].email)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert world[who].email in response.get_data(as_text=True)  # what was typed is kept
    assert _count(InductionBuddy) == 1  # only Otto's


def test_an_unknown_e_mail_and_no_choice_are_refused(world, as_role):
    client = as_role("team_manager")
    unknown = _choose(client, world["induction"], choice="else", email="nobody@example.org")
    assert "Nobody active in TeamOps has that e-mail address" in unknown.get_data(as_text=True)
    assert "Choose a colleague, or someone else by e-mail" in _choose(client, world["induction"]).get_data(
        as_text=True)
    assert _count(InductionBuddy) == 1


def test_another_service_with_a_reason_is_accepted(world, as_role):
    with freeze(TODAY):
        response = _choose(as_role("team_manager"), world["induction"], choice="else",
                           email=world["youth"].email, reason="Nobody in the office this fortnight")
    assert response.status_code == 303
    row = buddies.current_buddy_row(world["induction"])
    assert row is not None and row.buddy_id == world["youth"].id and row.reason.startswith("Nobody in")


def test_a_change_of_buddy_keeps_the_history_and_moves_the_home_pages(world, as_role, app, org):
    induction = world["induction"]
    with freeze(TODAY):
        assert _choose(as_role("team_manager"), induction, choice=str(world["ellis"].id)).status_code == 303
    a6 = next(item for item in induction.items if item.code == "A6")
    db.session.refresh(a6)
    assert a6.done_on == TODAY  # "buddy allocated" ticks itself
    with freeze(TODAY + timedelta(days=1)):
        manager = as_role("team_manager")
        assert _choose(manager, induction, choice=str(world["dana"].id)).status_code == 303
        ellis, dana = app.test_client(), app.test_client()
        sign_in(ellis, world["ellis"])
        sign_in(dana, world["dana"])
        assert "New starters you buddy" not in ellis.get("/").get_data(as_text=True)
        assert ellis.get(f"/inductions/{induction.id}").status_code == 403  # a former buddy reads it no more
        home = dana.get("/").get_data(as_text=True)
        assert "New starters you buddy" in home and "Nico Fraser" in home
        assert dana.get(f"/inductions/{induction.id}").status_code == 200
        page = manager.get(f"/inductions/{induction.id}").get_data(as_text=True)
    rows = buddies.buddy_history(induction)
    assert [(r.buddy_id, r.from_date, r.to_date) for r in rows] == [
        (world["ellis"].id, TODAY, TODAY + timedelta(days=1)), (world["dana"].id, TODAY + timedelta(days=1), None)]
    assert "Buddies before" in page and "Ellis Long, from 2 December 2026 to 3 December 2026" in page


def test_naming_host_a_fills_their_days_and_they_see_it_at_home(world, as_role, app):
    induction = world["induction"]
    day = next(d for d in induction.days if d.host_slot == "a")
    with freeze(TODAY):
        response = as_role("team_manager").post_form(
            f"/inductions/{induction.id}/days/{day.id}/host", {"choice": str(world["bo"].id), "email": "",
                                                                "reason": ""})
        assert response.status_code == 303
        bo = app.test_client()
        sign_in(bo, world["bo"])
        home = bo.get("/").get_data(as_text=True)
        assert bo.get(f"/inductions/{induction.id}").status_code == 403  # a host sees their days, nothing more
    hosted = [d for d in induction.days if d.host_slot == "a"]
    for each in hosted:
        db.session.refresh(each)
    assert hosted and all(d.host_id == world["bo"].id for d in hosted)
    assert "You host" in home and "with Nico Fraser: Shadow a home visit with worker A" in home


def _log(client, induction, day, **fields):
    return client.post_form(f"/inductions/{induction.id}/check-ins/new", {
        "mode": "in_person", "doing": "3", "notes": "", **date_boxes("held_on", day), **fields})


def test_the_buddy_logs_a_check_in_with_a_concern_the_manager_sees(world, app, as_role):
    induction = world["induction"]
    buddies.name_buddy(induction, world["ellis"], "", None)
    db.session.commit()
    with freeze(TODAY):
        ellis = app.test_client()
        sign_in(ellis, world["ellis"])
        response = _log(ellis, induction, TODAY, doing="2", notes="Good first days",
                        raise_concern="y", concern="No laptop yet")
        assert response.status_code == 303, response.get_data(as_text=True)
        manager = as_role("team_manager")
        home = manager.get("/").get_data(as_text=True)
        assert "Concerns from buddies" in home and "No laptop yet" not in home  # the name and date only
        checkin = db.session.scalars(select(InductionCheckin)).one()
        form = manager.get(f"/inductions/check-ins/{checkin.id}/seen").get_data(as_text=True)
        assert "No laptop yet" in form
        assert manager.post_form(f"/inductions/check-ins/{checkin.id}/seen",
                                 {"response": "Ordered today"}).status_code == 303
        assert "Concerns from buddies" not in manager.get("/").get_data(as_text=True)
        starter = app.test_client()
        sign_in(starter, world["starter"])
        page = starter.get(f"/inductions/{induction.id}").get_data(as_text=True)
    assert "Good first days" in page and "Some worries" in page and "Ordered today" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"held_on": TODAY + timedelta(days=1)}, "The check-in cannot be in the future"),
    ({"held_on": date(2026, 11, 27)}, "The induction starts on 30 November 2026: enter that date or later"),
    ({"raise_concern": "y", "concern": " "}, "Say what the concern is, for the manager"),
])
def test_bad_check_ins_are_refused_and_write_nothing(world, app, fields, message):
    induction = world["induction"]
    buddies.name_buddy(induction, world["ellis"], "", None)
    db.session.commit()
    with freeze(TODAY):
        client = app.test_client()
        sign_in(client, world["ellis"])
        day = fields.pop("held_on", TODAY)
        response = _log(client, induction, day, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(InductionCheckin) == 0


def test_the_same_check_in_sent_twice_logs_once_and_a_second_one_that_day_keeps_what_was_typed(world, app):
    """One check-in a day by a buddy with their starter (issue 16 item 4): the form sent again goes to the one
    logged; a different one the same day is sent back with its text, a concern above all, nothing lost."""
    induction = world["induction"]
    buddies.name_buddy(induction, world["ellis"], "", None)
    db.session.commit()
    with freeze(TODAY):
        client = app.test_client()
        sign_in(client, world["ellis"])
        assert _log(client, induction, TODAY, notes="Good first days").status_code == 303
        again = _log(client, induction, TODAY, notes="Good first days")
        assert again.status_code == 303
        assert "already logged" in client.get(again.headers["Location"]).get_data(as_text=True)
        other = _log(client, induction, TODAY, notes="Later: a worry", raise_concern="y", concern="No desk")
    assert other.status_code == 400
    page = other.get_data(as_text=True)
    assert "one check-in a day with your starter" in page and "Later: a worry" in page and "No desk" in page
    assert _count(InductionCheckin) == 1


@pytest.mark.parametrize("who", ["worker", "starter", "team_manager"])
def test_only_the_current_buddy_logs_check_ins(world, app, org, who):
    induction = world["induction"]
    buddies.name_buddy(induction, world["ellis"], "", None)
    db.session.commit()
    person = world["starter"] if who == "starter" else org[who]
    with freeze(TODAY):
        client = app.test_client()
        sign_in(client, person)
        assert _log(client, induction, TODAY).status_code == 403
    assert _count(InductionCheckin) == 0


def test_a_missed_check_in_is_flagged_the_working_day_after_across_christmas(make, org):
    person = make.staff("worker", org["teams"]["north"], start_date=date(2026, 12, 22))
    induction = make.induction(person)
    assert checkins.expected_dates(induction) == [date(2026, 12, 22), date(2026, 12, 30), date(2027, 1, 4),
                                                  date(2027, 1, 7)]
    first = InductionCheckin(induction=induction, buddy=org["worker"], held_on=date(2026, 12, 22),
                             mode="in_person", doing=3)
    logged = [first]
    on_the_day = checkins.matched(induction, logged, date(2026, 12, 30))
    assert [e.missed for e in on_the_day] == [False, False, False, False]
    assert on_the_day[0].met_by is first
    next_day = checkins.matched(induction, logged, date(2026, 12, 31))
    assert [e.missed for e in next_day] == [False, True, False, False]
    assert next_day[1].flagged_from == date(2026, 12, 31)
    # back-dated to the 29th, it clears the flag; the one on 4 January, unmet, is flagged from the 5th
    late = InductionCheckin(induction=induction, buddy=org["worker"], held_on=date(2026, 12, 29),
                            mode="phone", doing=2)
    later = checkins.matched(induction, [first, late], date(2027, 1, 5))
    assert [e.missed for e in later] == [False, False, True, False]


def test_a_kept_home_page_shows_a_new_buddy_duty_and_concern(world, app, as_role):
    """The home page is kept (teamops.kept) until its versions move: naming a buddy, logging a check-in and a
    concern move them, so the buddy's and the manager's next visit shows the change."""
    induction = world["induction"]
    with freeze(TODAY):
        ellis, manager = app.test_client(), as_role("team_manager")
        sign_in(ellis, world["ellis"])
        assert "New starters you buddy" not in ellis.get("/").get_data(as_text=True)
        assert "Concerns from buddies" not in manager.get("/").get_data(as_text=True)
        buddies.name_buddy(induction, world["ellis"], "", None)
        db.session.commit()
        assert "New starters you buddy" in ellis.get("/").get_data(as_text=True)
        checkins.log_checkin(induction, world["ellis"], held_on=TODAY, mode="phone", doing=1, notes="",
                             concern="Struggling with the travel")
        db.session.commit()
        assert "Concerns from buddies" in manager.get("/").get_data(as_text=True)


def test_a_leaving_buddy_hands_over_their_buddying_and_hosting(world, as_role):
    """R-ORG-4: buddying and hosting are a leaver's duties; deactivation is refused until they are handed over,
    and the hand-over ends them (the history keeps them), for the starter's manager to name someone else."""
    induction = world["induction"]
    with freeze(TODAY):
        buddies.name_buddy(induction, world["ellis"], "", None)
        day = next(d for d in induction.days if d.host_slot == "a" and d.on_date >= TODAY)
        buddies.name_host(induction, day, world["ellis"], "")
        db.session.commit()
        refused = as_role("admin").post_form(f"/admin/staff/{world['ellis'].id}/active?to=inactive")
        assert refused.status_code == 400
        assert "the buddy of Nico Fraser" in refused.get_data(as_text=True)
        manager = as_role("team_manager")
        page = manager.get(f"/admin/staff/{world['ellis'].id}/handover").get_data(as_text=True)
        assert "stops being a buddy and a host" in page
        assert manager.post_form(f"/admin/staff/{world['ellis'].id}/handover", {}).status_code == 303
    db.session.refresh(day)
    assert buddies.current_buddy_row(induction) is None and day.host_id is None
    assert [row.to_date for row in buddies.buddy_history(induction)] == [TODAY]


def test_the_business_support_contact_confirms_office_items_from_their_list(world, org, app, as_role):
    """Issue 11 item 5: the team's business-support contact confirms office items without reading the rest of
    the induction: their own list, and back to it after each confirmation."""
    contact = world["bo"]
    org["teams"]["north"].business_support = contact
    db.session.commit()
    badge = next(item for item in world["induction"].items if item.code == "B6")
    with freeze(TODAY):
        client = app.test_client()
        sign_in(client, contact)
        assert "office items to confirm" in client.get("/").get_data(as_text=True)
        page = client.get("/inductions/office").get_data(as_text=True)
        assert "Nico Fraser" in page and badge.title in page
        assert client.get(f"/inductions/{world['induction'].id}").status_code == 403
        done = client.post_form(f"/inductions/items/{badge.id}/confirm")
        assert done.status_code == 303 and done.headers["Location"].endswith("/inductions/office")
        after = client.get("/inductions/office").get_data(as_text=True)
        assert f'id="item-{badge.id}"' not in after and "Otto Other" in after  # Otto's badge still waits
        other = as_role("worker").get("/inductions/office").get_data(as_text=True)
    db.session.refresh(badge)
    assert badge.confirmed_on == TODAY and badge.confirmed_by_id == contact.id
    assert "Nothing to confirm now." in other  # the worker is no team's contact

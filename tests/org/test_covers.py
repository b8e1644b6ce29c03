"""Cover (R-ORG-3): a team manager on leave names someone to stand in from a date to a date; while it runs the
cover reaches the team as its manager does and sees a banner; it ends by itself; every cover is audited and
shown on the team page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import Cover
from tests.conftest import sign_in
from tests.dates_typed import date_shown


def client_for(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def cover_form(person, first, last):
    return {"email": person.email, "starts_on": first.isoformat(), "ends_on": last.isoformat()}


def test_a_cover_reaches_the_team_while_it_runs_and_ends_by_itself(app, org, make):
    north, today = org["teams"]["north"], dates.today()
    senior_north = make.staff("worker", north, email="lead@example.org", name="Lee Lead", job_role="Team leader")
    case = make.case("CASE-N1", "CP", False, org["worker"], today - timedelta(days=20))
    manager = client_for(app, org["team_manager"])
    assert "Work e-mail of who covers" in manager.get(f"/admin/teams/{north.id}/covers/new").get_data(as_text=True)
    response = manager.post_form(f"/admin/teams/{north.id}/covers/new",
                                 cover_form(senior_north, today, today + timedelta(days=6)))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    cover = db.session.scalars(select(Cover)).one()
    assert (cover.staff_id, cover.manager_id, cover.named_by_id) == (senior_north.id, org["team_manager"].id,
                                                                     org["team_manager"].id)
    team_page = manager.get(f"/admin/teams/{north.id}").get_data(as_text=True)
    assert "Lee Lead" in team_page and "Running" in team_page
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "cover")).all()
    assert [event.action for event in audited] == ["create"]

    lead = client_for(app, senior_north)
    home = lead.get("/").get_data(as_text=True)
    assert "You are covering Family Safeguarding North for Tia Manager" in home
    assert lead.get(f"/cases/{case.id}").status_code == 200
    assert "Wren Worker" in lead.get(f"/dashboard/team?team={north.id}").get_data(as_text=True)
    assert lead.get("/bookings/new").status_code == 200

    with dates.freeze(today + timedelta(days=7)):  # the day after its last day (signed in again that day)
        lead, manager = client_for(app, senior_north), client_for(app, org["team_manager"])
        assert lead.get(f"/cases/{case.id}").status_code == 403
        assert "You are covering" not in lead.get("/").get_data(as_text=True)
        assert "Over" in manager.get(f"/admin/teams/{north.id}").get_data(as_text=True)


def test_a_cover_to_come_reaches_nothing_yet_and_can_be_ended(app, org, make):
    north, today = org["teams"]["north"], dates.today()
    case = make.case("CASE-N2", "CIN", False, org["worker"], today - timedelta(days=20))
    south_manager = org["south_manager"]
    manager = client_for(app, org["team_manager"])
    assert manager.post_form(f"/admin/teams/{north.id}/covers/new", cover_form(
        south_manager, today + timedelta(days=3), today + timedelta(days=10))).status_code == 303
    cover = db.session.scalars(select(Cover)).one()
    other = client_for(app, south_manager)
    assert other.get(f"/cases/{case.id}").status_code == 403
    with dates.freeze(today + timedelta(days=3)):
        other, manager = client_for(app, south_manager), client_for(app, org["team_manager"])
        assert other.get(f"/cases/{case.id}").status_code == 200
        assert "You are covering Family Safeguarding North" in other.get("/").get_data(as_text=True)
        assert manager.post_form(f"/admin/covers/{cover.id}/end").status_code == 303
        assert other.get(f"/cases/{case.id}").status_code == 403
        assert "You are covering" not in other.get("/").get_data(as_text=True)  # not from a kept copy
        assert "Ended early" in manager.get(f"/admin/teams/{north.id}").get_data(as_text=True)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "cover"))]
    assert actions == ["create", "update"]


def test_bad_cover_input_is_refused_next_to_the_field(app, org, make):
    north, today = org["teams"]["north"], dates.today()
    manager = client_for(app, org["team_manager"])
    url = f"/admin/teams/{north.id}/covers/new"
    cases = [
        ({"email": "", "starts_on": today.isoformat(), "ends_on": today.isoformat()}, "Enter the work e-mail"),
        (cover_form(org["worker"], today, today), "of an active manager, or of a senior practitioner"),
        ({"email": "nobody@example.org", "starts_on": today.isoformat(), "ends_on": today.isoformat()},
         "of an active manager, or of a senior practitioner"),
        (cover_form(org["team_manager"], today, today), "You cannot cover for yourself"),
        (cover_form(org["south_manager"], today - timedelta(days=1), today), "cannot be in the past"),
        (cover_form(org["south_manager"], today + timedelta(days=2), today), "same as or after the first day"),
        (cover_form(org["south_manager"], today, today + timedelta(days=400)), "at most a year"),
        ({"email": org["south_manager"].email, "starts_on": "2026-02-30", "ends_on": ""}, "Enter"),
    ]
    for data, message in cases:
        response = manager.post_form(url, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, (data, page[:3000])
        if data["starts_on"] == "2026-02-30":
            assert date_shown(page, "starts_on") == "2026-02-30"  # what the user typed is kept
    assert db.session.scalars(select(Cover)).all() == []


def test_only_the_teams_managers_arrange_cover(app, org):
    north = org["teams"]["north"]
    for role in ("worker", "south_manager", "admin"):
        client = client_for(app, org[role])
        assert client.get(f"/admin/teams/{north.id}/covers/new").status_code == 403
    assert client_for(app, org["service_manager"]).get(f"/admin/teams/{north.id}/covers/new").status_code == 200

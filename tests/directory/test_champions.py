"""Champions (issue 12 items 1, 2 and 7): "who is my … champion?" nearest first (my team, my office base, my
service, county-wide) with a person's own base before their team's; appointing, volunteering and approval,
stepping down keeping the history; a champion who leaves disappears and is flagged; the areas admins keep."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from teamops.dates import freeze
from teamops.directory import champions
from teamops.directory.champions import Place
from teamops.directory.models import Champion, ChampionArea
from teamops.extensions import db
from tests.conftest import sign_in
from tests.dates_typed import date_boxes

TODAY = date(2026, 12, 2)


def _area(name: str) -> ChampionArea:
    area = db.session.scalar(select(ChampionArea).where(ChampionArea.name == name))
    assert area is not None, name  # seeded by migration 0020
    return area


def _champion(person, area, scope, starts_on=date(2026, 1, 5), state="active"):
    row = Champion(staff=person, area=area, scope=scope, state=state, starts_on=starts_on,
                   checked_on=starts_on)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def places(make, org):
    """North works from Riverside House, South from Riverside House too (same base, other team), Youth Justice
    (another service) from County Hall; a fourth CSC team, East, from Beacon Court."""
    north, south, yj = org["teams"]["north"], org["teams"]["south"], org["teams"]["yj"]
    yj.office_base = "County Hall"
    east = make.team("Family Safeguarding East", org["services"][0], office_base="Beacon Court")
    db.session.commit()
    area = _area("Domestic abuse")
    found = {
        "team": _champion(make.staff("worker", north, name="Tess Team"), area, "team"),
        "office": _champion(make.staff("worker", south, name="Olly Office"), area, "office"),
        "service": _champion(make.staff("worker", east, name="Sian Service"), area, "service"),
        "county": _champion(make.staff("worker", yj, name="Cora County"), area, "county"),
        # serve others, not a North worker:
        "south_team": _champion(make.staff("worker", south, name="Stan SouthTeam"), area, "team"),
        "east_office": _champion(make.staff("worker", east, name="Eddie EastOffice"), area, "office"),
        "yj_service": _champion(make.staff("worker", yj, name="Yuri YJService"), area, "service"),
    }
    return {"area": area, "east": east, **found}


def test_my_champions_come_nearest_first_and_only_those_who_serve_me(org, places):
    with freeze(TODAY):
        rows = champions.nearest(Place.of_person(org["worker"]), TODAY, places["area"].id)
    assert [(c.staff.name, rank) for c, rank in rows] == [
        ("Tess Team", 0), ("Olly Office", 1), ("Sian Service", 2), ("Cora County", 3)]


def test_a_persons_own_base_comes_before_their_teams(org, places):
    org["worker"].office_base = "Beacon Court"  # works from East's base, not North's
    db.session.commit()
    rows = champions.nearest(Place.of_person(org["worker"]), TODAY, places["area"].id)
    names = [c.staff.name for c, _ in rows]
    assert names == ["Tess Team", "Sian Service", "Eddie EastOffice", "Cora County"] or names == [
        "Tess Team", "Eddie EastOffice", "Sian Service", "Cora County"]
    assert dict((c.staff.name, r) for c, r in rows)["Eddie EastOffice"] == 1  # at my base
    assert "Olly Office" not in names  # Riverside House is no longer my base


def test_the_page_lists_them_with_where_and_how_to_reach(client, org, places):
    places["office"].staff.work_phone = "50123"
    db.session.commit()
    sign_in(client, org["worker"])
    with freeze(TODAY):
        page = client.get(f"/directory/champions?area={places['area'].id}").get_data(as_text=True)
        home = client.get("/directory/").get_data(as_text=True)
    order = [page.index(name) for name in ("Tess Team", "Olly Office", "Sian Service", "Cora County")]
    assert order == sorted(order)
    assert "Stan SouthTeam" not in page and "Eddie EastOffice" not in page and "Yuri YJService" not in page
    assert "In your team" in page and "At your office base" in page and "County-wide" in page
    assert 'href="tel:50123"' in page and "mailto:" in page
    assert "Tess Team" in home  # the nearest domestic-abuse champion on the directory's home
    assert "No champion near you yet" in home  # the other seeded areas have none


def test_browse_by_team_and_by_office(client, org, places):
    sign_in(client, org["worker"])
    with freeze(TODAY):
        by_team = client.get(f"/directory/champions?team={places['east'].id}").get_data(as_text=True)
        by_office = client.get("/directory/champions?office=County+Hall").get_data(as_text=True)
        offices = client.get("/directory/offices?office=Beacon+Court").get_data(as_text=True)
        missing = client.get("/directory/champions?team=99999999999")
    assert "Sian Service" in by_team and "Eddie EastOffice" in by_team and "Tess Team" not in by_team
    assert "Cora County" in by_office and "Yuri YJService" in by_office and "Sian Service" not in by_office
    assert "Family Safeguarding East" in offices and "Eddie EastOffice" in offices
    assert missing.status_code == 404


def test_a_champion_not_yet_started_ended_or_left_is_not_listed(org, places):
    places["team"].starts_on = date(2027, 1, 4)
    places["office"].state = "ended"
    places["service"].staff.active = False
    db.session.commit()
    rows = champions.nearest(Place.of_person(org["worker"]), TODAY, places["area"].id)
    assert [c.staff.name for c, _ in rows] == ["Cora County"]
    assert [c.staff.name for c in champions.left_champions()] == ["Sian Service"]


def test_a_manager_appoints_someone_in_their_team(client, org):
    area = _area("First aid")
    sign_in(client, org["team_manager"])
    with freeze(TODAY):
        response = client.post_form("/directory/champions/appoint", {
            "email": "worker@example.org", "area": str(area.id), "scope": "office", "note": "Trained in May",
            **date_boxes("starts_on", TODAY)})
        assert response.status_code == 303
        manage = client.get("/directory/champions/manage").get_data(as_text=True)
    row = db.session.scalar(select(Champion).where(Champion.staff_id == org["worker"].id))
    assert (row.state, row.scope, row.starts_on, row.note, row.checked_on) == (
        "active", "office", TODAY, "Trained in May", TODAY)
    assert "Wren Worker" in manage and "First aid" in manage


@pytest.mark.parametrize(("email", "message"), [
    ("south.worker@example.org", "only among the people you manage"),
    ("nobody@example.org", "Enter the work e-mail of a member of staff"),
    ("gone@example.org", "has left"),
])
def test_an_appointment_out_of_reach_or_of_a_leaver_is_refused(client, make, org, email, message):
    make.staff("worker", org["teams"]["north"], email="gone@example.org", name="Gil Gone", active=False)
    area = _area("First aid")
    sign_in(client, org["team_manager"])
    response = client.post_form("/directory/champions/appoint", {
        "email": email, "area": str(area.id), "scope": "team", **date_boxes("starts_on", TODAY)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and email in page
    assert db.session.scalar(select(func.count()).select_from(Champion)) == 0


def test_bad_input_is_refused_next_to_its_field(client, org):
    sign_in(client, org["team_manager"])
    response = client.post_form("/directory/champions/appoint", {
        "email": "worker@example.org", "area": "999999999999", "scope": "galaxy", "note": "x" * 301,
        "starts_on-day": "31", "starts_on-month": "2", "starts_on-year": "2027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose an area" in page and "Choose who they champion for" in page and "300 characters" in page
    assert db.session.scalar(select(func.count()).select_from(Champion)) == 0


def test_a_volunteer_waits_for_their_manager_who_approves(app, client, org):
    area = _area("Mental health first aid")
    org["worker"].line_manager = org["team_manager"]
    db.session.commit()
    sign_in(client, org["worker"])
    with freeze(TODAY):
        assert client.post_form("/directory/champions/volunteer", {
            "area": str(area.id), "scope": "service"}).status_code == 303
        again = client.post_form("/directory/champions/volunteer", {"area": str(area.id), "scope": "team"})
        mine = client.get("/directory/champions/mine").get_data(as_text=True)
    assert again.status_code == 400 and "You are already waiting for approval" in again.get_data(as_text=True)
    assert "Waiting for your manager" in mine
    offer = db.session.scalar(select(Champion).where(Champion.staff_id == org["worker"].id))
    assert offer.state == "proposed"
    assert not champions.nearest(Place.of_person(org["worker"]), TODAY, area.id)
    # The volunteer cannot approve themselves; someone else's manager cannot either.
    assert client.post_form(f"/directory/champions/{offer.id}/approve").status_code == 403
    south = app.test_client()
    sign_in(south, org["south_manager"])
    assert south.post_form(f"/directory/champions/{offer.id}/approve").status_code == 403
    manager = app.test_client()
    sign_in(manager, org["team_manager"])
    with freeze(TODAY):
        waiting = manager.get("/directory/champions/manage").get_data(as_text=True)
        assert manager.post_form(f"/directory/champions/{offer.id}/approve").status_code == 303
    assert "Offers waiting for you" in waiting and "Wren Worker" in waiting
    db.session.refresh(offer)
    assert (offer.state, offer.decided_by_id) == ("active", org["team_manager"].id)
    assert [c.staff.name for c, _ in champions.nearest(Place.of_person(org["south_worker"]), TODAY, area.id)] == [
        "Wren Worker"]  # serves their service


def test_stepping_down_keeps_the_history(client, org):
    area = _area("Health and safety")
    role = _champion(org["worker"], area, "team")
    sign_in(client, org["worker"])
    with freeze(TODAY):
        assert client.post_form(f"/directory/champions/{role.id}/step-down").status_code == 303
        mine = client.get("/directory/champions/mine").get_data(as_text=True)
    db.session.refresh(role)
    assert (role.state, role.ends_on) == ("ended", TODAY)
    assert "Stepped down" in mine and "Health and safety" in mine
    assert not champions.nearest(Place.of_person(org["worker"]), TODAY, area.id)


def test_a_leaver_is_flagged_for_admins_who_take_them_off(client, make, org):
    area = _area("First aid")
    gone = make.staff("worker", org["teams"]["north"], name="Gil Gone")
    role = _champion(gone, area, "office")
    gone.active = False
    db.session.commit()
    sign_in(client, org["admin"])
    checks = client.get("/directory/checks").get_data(as_text=True)
    assert "Gil Gone has left" in checks
    assert client.post_form(f"/directory/champions/{role.id}/step-down").status_code == 303
    assert "Gil Gone has left" not in client.get("/directory/checks").get_data(as_text=True)


def test_entries_not_checked_for_six_months_are_listed_and_confirming_clears_them(client, org):
    area = _area("Race")
    role = _champion(org["worker"], area, "county", starts_on=date(2026, 1, 5))  # checked 5 January 2026
    sign_in(client, org["admin"])
    with freeze(TODAY):
        before = client.get("/directory/checks").get_data(as_text=True)
    assert "Wren Worker, race" in before and "5 January 2026" in before
    worker = client.application.test_client()
    sign_in(worker, org["worker"])
    with freeze(TODAY):
        assert worker.post_form(f"/directory/champions/{role.id}/confirm").status_code == 303
        after = client.get("/directory/checks").get_data(as_text=True)
    assert "Wren Worker, race" not in after
    db.session.refresh(role)
    assert (role.checked_on, role.checked_by_id) == (TODAY, org["worker"].id)


def test_admins_keep_the_areas(client, org):
    sign_in(client, org["admin"])
    assert client.post_form("/directory/areas", {"name": "Fostering", "description": "Carers"}).status_code == 303
    duplicate = client.post_form("/directory/areas", {"name": "  domestic ABUSE "})
    assert duplicate.status_code == 400 and "already an area" in duplicate.get_data(as_text=True)
    names = db.session.scalars(select(ChampionArea.name).order_by(ChampionArea.name)).all()
    assert "Fostering" in names and len(names) == 9  # eight seeded (issue 12) and the new one
    fostering = _area("Fostering")
    assert client.post_form(f"/directory/areas/{fostering.id}/edit", {"name": "Fostering"}).status_code == 303
    db.session.refresh(fostering)
    assert fostering.active is False  # unticked: hidden from the directory


def test_the_seeded_areas_are_the_ones_the_documents_name(app):
    assert set(db.session.scalars(select(ChampionArea.name))) == {
        "Domestic abuse", "Case-recording system", "Health and safety", "First aid", "Race",
        "Mental health first aid", "Signs of Safety practice", "Procedures manual"}

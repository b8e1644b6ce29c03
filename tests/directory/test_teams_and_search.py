"""Team entries and a person's own details (issue 12 items 2, 4 and 7) and the one search box (item 6): plain GET
without JavaScript, a fragment for htmx, a shareable address; bad input refused with nothing written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from teamops.dates import freeze
from teamops.directory.models import Champion, ChampionArea
from teamops.extensions import db
from teamops.org.models import TeamBase
from tests.conftest import sign_in

TODAY = date(2026, 12, 2)


def test_a_manager_describes_their_team_and_it_is_checked(client, org):
    north = org["teams"]["north"]
    sign_in(client, org["team_manager"])
    with freeze(TODAY):
        response = client.post_form(f"/directory/teams/{north.id}/edit", {
            "remit": "Works with families on child protection plans.", "phone": "0116 305 0000",
            "email": "North.Team@example.org", "other_bases": "Beacon Court\n\nbeacon court\nRiverside House"})
        page = client.get(f"/directory/teams/{north.id}").get_data(as_text=True)
    assert response.status_code == 303
    assert "Works with families on child protection plans." in page
    assert "Riverside House, Beacon Court" in page  # the main base first, a repeat and the main base not twice
    assert 'href="mailto:north.team@example.org"' in page and "Last checked 2 December 2026 by Tia Manager" in page
    assert (north.checked_on, north.checked_by_id) == (TODAY, org["team_manager"].id)


def test_bad_team_details_are_refused_and_kept(client, org):
    north = org["teams"]["north"]
    sign_in(client, org["team_manager"])
    response = client.post_form(f"/directory/teams/{north.id}/edit", {
        "remit": "Kept text", "phone": "0116 CALL ME", "email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "no letters" in page and "like team@example.org" in page
    assert "Kept text" in page and "0116 CALL ME" in page
    db.session.refresh(north)
    assert north.remit == "" and north.phone is None and north.checked_on is None


def test_only_the_teams_managers_and_admins_change_its_entry(as_role, org):
    north = org["teams"]["north"]
    for role, status in (("team_manager", 200), ("service_manager", 200), ("admin", 200), ("worker", 403),
                         ("south_manager", 403), ("qait", 403)):
        assert as_role(role).get(f"/directory/teams/{north.id}/edit").status_code == status, role
        assert as_role(role).get(f"/directory/teams/{north.id}").status_code == 200, role


def test_my_details_set_my_phone_and_base(client, make, org):
    make.team("Family Safeguarding East", org["services"][0], office_base="Beacon Court")
    sign_in(client, org["worker"])
    bad = client.post_form("/directory/me", {"work_phone": "5O222", "office_base": "Mars Base"})
    assert bad.status_code == 400
    assert "no letters" in bad.get_data(as_text=True) and "Choose an office base" in bad.get_data(as_text=True)
    assert org["worker"].work_phone is None
    assert client.post_form("/directory/me", {"work_phone": " 50222 ", "office_base": "Beacon Court"}
                            ).status_code == 303
    db.session.refresh(org["worker"])
    assert (org["worker"].work_phone, org["worker"].office_base) == ("50222", "Beacon Court")


def _domestic_abuse_champion(person):
    area = db.session.scalar(select(ChampionArea).where(ChampionArea.name == "Domestic abuse"))
    db.session.add(Champion(staff=person, area=area, scope="county", state="active", starts_on=date(2026, 1, 5),
                            checked_on=TODAY))
    db.session.commit()


def test_search_works_without_javascript_and_as_a_link(client, org):
    _domestic_abuse_champion(org["south_worker"])
    org["teams"]["yj"].remit = "Works with young people in the youth justice system."
    db.session.add(TeamBase(team_id=org["teams"]["yj"].id, name="Market Street"))
    db.session.commit()
    sign_in(client, org["worker"])
    with freeze(TODAY):
        page = client.get("/directory/search?q=Domestic+abuse").get_data(as_text=True)
        by_remit = client.get("/directory/search?q=youth+JUSTICE").get_data(as_text=True)
        by_base = client.get("/directory/search?q=market").get_data(as_text=True)
        nothing = client.get("/directory/search?q=zebra").get_data(as_text=True)
        wild = client.get("/directory/search?q=%25").get_data(as_text=True)
    assert '<html' in page and "Sid South" in page and "domestic abuse champion" in page
    assert 'value="Domestic abuse"' in page  # the box keeps the words: the address is the search
    assert "Youth Justice Team" in by_remit and "Youth Justice Team" in by_base
    assert "0 results" in nothing and "Try fewer words" in nothing
    assert "0 results" in wild  # % is a character, not a wildcard


def test_search_answers_htmx_with_the_results_alone_announced(client, org):
    _domestic_abuse_champion(org["south_worker"])
    sign_in(client, org["worker"])
    with freeze(TODAY):
        fragment = client.get("/directory/search?q=sid", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Sid South" in fragment
    assert 'class="teamops-results" aria-live="polite"' in fragment and "results for “sid”" in fragment


def test_a_search_too_long_gets_a_message_and_no_results(client, org):
    sign_in(client, org["worker"])
    response = client.get("/directory/search?q=" + "a" * 101)
    assert response.status_code == 200 and "at most 100 characters" in response.get_data(as_text=True)

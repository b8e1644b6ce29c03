"""A team's induction settings: its meeting day (its starters' team meetings fall on it) and its
business-support contact, an active member of the team; set by the team's manager, the managers above it, its
cover and admins. And a service's induction checklist group, on the service's form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Cover, Service, Team
from tests.conftest import sign_in


def _url(team: Team) -> str:
    return f"/admin/teams/{team.id}/induction"


def test_a_manager_sets_the_meeting_day_and_the_business_support_contact(as_role, org):
    north = org["teams"]["north"]
    manager = as_role("team_manager")
    page = manager.get(f"/admin/teams/{north.id}").get_data(as_text=True)
    assert _url(north) in page and "No fixed day" in page
    page = manager.get(_url(north)).get_data(as_text=True)
    assert "Wren Worker" in page and "Sid South" not in page and 'value="none" checked' in page
    response = manager.post_form(_url(north), {"meeting_weekday": "2",
                                               "business_support_id": str(org["worker"].id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert (north.meeting_weekday, north.business_support_id) == (2, org["worker"].id)
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wednesday" in page and "Induction settings for Family Safeguarding North saved" in page
    assert manager.post_form(_url(north), {"meeting_weekday": "none", "business_support_id": "0"}).status_code == 303
    db.session.expire_all()
    assert (north.meeting_weekday, north.business_support_id) == (None, None)


@pytest.mark.parametrize(("values", "message"), [
    ({"business_support_id": "south_worker"}, "Choose an active member of Family Safeguarding North, or Nobody"),
    ({"business_support_id": "999999"}, "Choose an active member of Family Safeguarding North, or Nobody"),
    ({"business_support_id": "99999999999999999999"}, "Choose an active member of Family Safeguarding North"),
    ({"business_support_id": "someone"}, "Choose an active member of Family Safeguarding North"),
    ({"meeting_weekday": "5"}, "Select the team&#39;s meeting day, or No fixed day"),
    ({"meeting_weekday": "Monday"}, "Select the team&#39;s meeting day, or No fixed day"),
])
def test_a_contact_from_elsewhere_or_a_day_off_the_week_is_refused(as_role, org, values, message):
    north = org["teams"]["north"]
    values = {"meeting_weekday": "1", "business_support_id": str(org["worker"].id), **values}
    if values["business_support_id"] == "south_worker":
        values["business_support_id"] = str(org["south_worker"].id)
    response = as_role("team_manager").post_form(_url(north), values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    db.session.expire_all()
    assert (north.meeting_weekday, north.business_support_id) == (None, None)


def test_a_contact_who_left_or_moved_is_refused_until_changed(as_role, org, make):
    north = org["teams"]["north"]
    leaver = make.staff("worker", north, name="Lou Leaver")
    north.business_support = leaver
    leaver.active = False
    db.session.commit()
    manager = as_role("team_manager")
    page = manager.get(_url(north)).get_data(as_text=True)
    assert "Lou Leaver (no longer an active member of Family Safeguarding North)" in page
    response = manager.post_form(_url(north), {"meeting_weekday": "0", "business_support_id": str(leaver.id)})
    assert response.status_code == 400 and "Choose an active member" in response.get_data(as_text=True)
    assert manager.post_form(_url(north), {"meeting_weekday": "0", "business_support_id": "0"}).status_code == 303


@pytest.mark.parametrize(("role", "team", "status"), [
    ("team_manager", "north", 200), ("team_manager", "south", 403), ("south_manager", "north", 403),
    ("south_manager", "south", 200), ("service_manager", "north", 200), ("service_manager", "south", 200),
    ("service_manager", "yj", 403), ("admin", "yj", 200), ("qait", "north", 403), ("worker", "north", 403),
])
def test_who_sets_a_teams_induction_settings(as_role, org, role, team, status):
    client = as_role(role)
    url = _url(org["teams"][team])
    assert client.get(url).status_code == status
    assert client.post_form(url, {"meeting_weekday": "4", "business_support_id": "0"}).status_code == (
        303 if status == 200 else 403)
    shown = f'href="{url}"' in client.get(f"/admin/teams/{org['teams'][team].id}").get_data(as_text=True)
    assert shown == (status == 200)


def test_a_cover_sets_them_while_the_cover_runs(app, org, make):
    north, today = org["teams"]["north"], dates.today()
    lead = make.staff("worker", north, email="lead@example.org", job_role="Team leader")
    cover = Cover(team=north, staff=lead, manager=org["team_manager"], starts_on=today,
                  ends_on=today + timedelta(days=5), named_by=org["team_manager"])
    db.session.add(cover)
    db.session.commit()
    client = app.test_client()
    sign_in(client, lead)
    assert client.get(_url(north)).status_code == 200
    assert client.get(_url(org["teams"]["south"])).status_code == 403
    cover.starts_on = today + timedelta(days=1)
    db.session.commit()
    assert client.get(_url(north)).status_code == 403


def test_an_admin_sets_a_services_checklist_group(as_role, org):
    admin = as_role("admin")
    csc = org["services"][0]
    assert csc.induction_group == "other"  # made by the factory, not guessed by the migration
    page = admin.get(f"/admin/services/{csc.id}/edit").get_data(as_text=True)
    assert "Induction checklist group" in page and "Children and Families Wellbeing Service (CFWS)" in page
    response = admin.post_form(f"/admin/services/{csc.id}/edit", {"name": csc.name, "induction_group": "csc"})
    assert response.status_code == 303
    db.session.expire_all()
    assert csc.induction_group == "csc"
    assert admin.post_form(f"/admin/services/{csc.id}/edit", {"name": csc.name}).status_code == 303  # kept
    db.session.expire_all()
    assert csc.induction_group == "csc"
    response = admin.post_form(f"/admin/services/{csc.id}/edit", {"name": csc.name, "induction_group": "nhs"})
    assert response.status_code == 400
    assert "Select the service&#39;s induction checklist group" in response.get_data(as_text=True)
    response = admin.post_form("/admin/services/new", {"name": "Wellbeing", "induction_group": "cfws"})
    assert response.status_code == 303
    assert db.session.query(Service).filter_by(name="Wellbeing").one().induction_group == "cfws"

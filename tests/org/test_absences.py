"""Long absences (R-ORG-6, issue 9 item 5): personal supervision reads "absent" instead of overdue while one
runs, and is due a month after it ends unless a supervision is held sooner; cases are not paused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.dashboards.figures import team_figures
from teamops.dates import freeze
from teamops.extensions import db
from teamops.org.models import Absence
from teamops.scheduling import ABSENT, OVERDUE, person_dues
from tests import factories
from tests.conftest import sign_in
from tests.dates_typed import date_boxes, date_shown


def _personal(person, on):
    return person_dues([person], on)[person.id]


def test_absence_turns_overdue_into_absent_and_back(app, org):
    north = org["teams"]["north"]
    person = factories.staff("worker", north, email="away@example.org", name="Ash Away",
                             start_date=date(2025, 1, 6))
    factories.record("personal", date(2026, 1, 10), person, org["team_manager"])
    assert _personal(person, date(2026, 3, 1)).due_state == OVERDUE  # due 10 February
    with freeze(date(2026, 3, 2)):
        overdue_before = team_figures(north, date(2026, 3, 2)).personal_overdue
        client = app.test_client()
        sign_in(client, org["team_manager"])
        response = client.post_form(f"/admin/people/{person.id}/absences/new", {
            "kind": "sickness", "starts_on": "2026-02-20", "ends_on": "2026-04-30"})
        assert response.status_code == 303
        page = client.get(f"/dashboard/team/worker/{person.id}").get_data(as_text=True)
        assert "Away until 30 April 2026" in page and "Sickness" in page
        row = next(r for r in team_figures(north, date(2026, 3, 2)).rows if r.staff.id == person.id)
        assert row.personal.due_state == ABSENT and row.personal.absent_until == date(2026, 4, 30)
        assert team_figures(north, date(2026, 3, 2)).personal_overdue == overdue_before - 1
        api = client.get(f"/api/v1/staff?team={north.id}").get_json()
        item = next(i for i in api["items"] if i["email"] == "away@example.org")
        assert item["due_state"] == "absent" and item["next_personal_due_on"] == "2026-05-30"
    # Back on 1 May: due a month after the last day away, not overdue since February.
    back = _personal(person, date(2026, 5, 10))
    assert (back.due_state, back.next_due_on) == ("ok", date(2026, 5, 30))
    assert _personal(person, date(2026, 6, 1)).due_state == OVERDUE
    # A supervision held sooner after the return counts from then.
    factories.record("personal", date(2026, 5, 5), person, org["team_manager"])
    assert _personal(person, date(2026, 5, 10)).next_due_on == date(2026, 6, 5)


def test_the_audit_trail_keeps_the_dates_not_the_kind(as_role, org):
    manager = as_role("team_manager")
    response = manager.post_form(f"/admin/people/{org['worker'].id}/absences/new", {
        "kind": "parental_leave", "starts_on": "2026-01-05", "ends_on": "2026-09-30"})
    assert response.status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "absence"))
    assert event is not None and "2026-09-30" in str(event.changes) and "parental_leave" not in str(event.changes)


def test_cases_are_not_paused_and_the_page_says_so(app, org):
    person = factories.staff("worker", org["teams"]["north"], name="Cal Cases")
    with freeze(date(2026, 3, 2)):
        factories.case("ABS-1", "CP", False, person, date(2025, 12, 1))
        db.session.add(Absence(staff=person, kind="secondment", starts_on=date(2026, 3, 1),
                               ends_on=date(2026, 8, 31)))
        db.session.commit()
        client = app.test_client()
        sign_in(client, org["team_manager"])
        page = client.get(f"/dashboard/team/worker/{person.id}").get_data(as_text=True)
        assert "still holds 1 open case" in page and "reallocate them" in page
        assert "Overdue" in page  # the case itself still counts as overdue


@pytest.mark.parametrize(("values", "message"), [
    ({"kind": "", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}, "Select the kind of absence"),
    ({"kind": "sickness", "starts_on": "2026-03-31", "ends_on": "2026-03-01"}, "same as or after the first day"),
    ({"kind": "sickness", "starts_on": "2026-03-01", "ends_on": ""}, "Enter the last day away"),
    ({"kind": "sickness", "starts_on": "2026-02-30", "ends_on": "2026-03-31"}, "real date"),
    ({"kind": "sickness", "starts_on": "2026-01-15", "ends_on": "2026-02-15"}, "already recorded as away"),
])
def test_bad_input_writes_nothing(as_role, org, values, message):
    db.session.add(Absence(staff=org["worker"], kind="other", starts_on=date(2026, 2, 1), ends_on=date(2026, 2, 10)))
    db.session.commit()
    typed = {"kind": values["kind"], **date_boxes("starts_on", values["starts_on"])}
    if values["ends_on"]:
        typed.update(date_boxes("ends_on", values["ends_on"]))
    response = as_role("team_manager").post_form(f"/admin/people/{org['worker'].id}/absences/new", typed)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and message in text
    assert date_shown(text, "starts_on") == values["starts_on"]  # what was typed is kept
    assert len(db.session.scalars(select(Absence)).all()) == 1


def test_back_early(as_role, org):
    absence = Absence(staff=org["worker"], kind="sickness", starts_on=date(2026, 2, 1), ends_on=date(2026, 6, 30))
    db.session.add(absence)
    db.session.commit()
    manager = as_role("team_manager")
    response = manager.post_form(f"/admin/absences/{absence.id}/edit", {
        "kind": "sickness", "starts_on": "2026-02-01", "ends_on": "2026-03-15"})
    assert response.status_code == 303
    db.session.refresh(absence)
    assert absence.ends_on == date(2026, 3, 15)


@pytest.mark.parametrize("role", ["worker", "south_manager", "admin"])
def test_only_whoever_supervises_the_person_records_an_absence(as_role, org, role):
    response = as_role(role).post_form(f"/admin/people/{org['worker'].id}/absences/new", {
        "kind": "sickness", "starts_on": "2026-03-01", "ends_on": "2026-03-31"})
    assert response.status_code == 403
    assert db.session.scalar(select(Absence)) is None

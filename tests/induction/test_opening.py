"""Opening an induction (issue 11 item 2; CONTRACT.md "Induction dates"; R-IND-1, R-IND-5, R-IND-15): working
days across Christmas, New Year and Easter, the team's meeting day, the checklist for the person's service and
job, and opening from the staff form, the import and by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.dates import freeze
from teamops.extensions import db
from teamops.imports.services import run_import
from teamops.induction.models import Induction
from teamops.induction.services import day_dates
from teamops.org.models import Staff
from tests.conftest import sign_in
from tests.imports.conftest import staff_csv, staff_row

# (start, working day 1, day 3, agency end (day 5), permanent end (day 10)): the brief's table, from the
# holidays library; the first row is CONTRACT.md's own example.
WORKING_DAYS = [
    (date(2026, 12, 22), date(2026, 12, 22), date(2026, 12, 24), date(2026, 12, 30), date(2027, 1, 7)),
    (date(2026, 12, 25), date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 5), date(2027, 1, 12)),
    (date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 6), date(2027, 1, 8), date(2027, 1, 15)),
    (date(2026, 3, 30), date(2026, 3, 30), date(2026, 4, 1), date(2026, 4, 7), date(2026, 4, 14)),
    (date(2026, 4, 3), date(2026, 4, 7), date(2026, 4, 9), date(2026, 4, 13), date(2026, 4, 20)),
    (date(2026, 1, 3), date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 9), date(2026, 1, 16)),
    (date(2026, 8, 29), date(2026, 9, 1), date(2026, 9, 3), date(2026, 9, 7), date(2026, 9, 14)),
]


@pytest.mark.parametrize(("start", "first", "third", "agency_end", "permanent_end"), WORKING_DAYS)
def test_an_induction_counts_working_days_past_weekends_and_bank_holidays(make, org, start, first, third,
                                                                          agency_end, permanent_end):
    north = org["teams"]["north"]
    permanent = make.induction(make.staff("worker", north, start_date=start))
    agency = make.induction(make.staff("worker", north, start_date=start, employment_type="agency"))
    assert (permanent.start_date, permanent.starts_on, permanent.ends_on) == (start, first, permanent_end)
    assert (agency.starts_on, agency.ends_on, agency.length_days) == (first, agency_end, 5)
    assert dates.induction_day_date(start, 3) == third
    # every timetable item falls on a working day, in order
    assert all(dates.is_working_day(day.on_date) for day in permanent.days)
    assert [day.on_date for day in permanent.days] == sorted(day.on_date for day in permanent.days)


def test_deadlines_of_a_start_before_christmas(make, org):
    induction = make.induction(make.staff("worker", org["teams"]["north"], start_date=date(2026, 12, 22)))
    due = {item.deadline: item.due_on for item in induction.items}
    assert due == {
        "before_start": date(2026, 12, 21), "day_1": date(2026, 12, 22), "within_3_days": date(2026, 12, 24),
        "week_1": date(2026, 12, 30), "within_6_weeks": date(2027, 2, 1), "end_of_induction": date(2027, 1, 7)}


@pytest.mark.parametrize(("start", "length", "meetings", "expected"), [
    # Team meets on Tuesdays. A Monday start: days 2 and 7, as the seeded timetable has them.
    (date(2026, 11, 2), 10, [(2, "team_meeting"), (7, "team_meeting")], [date(2026, 11, 3), date(2026, 11, 10)]),
    # A start on Tuesday 22 December: day 1 and day 4 (Tuesday 29 December, after the Christmas holidays).
    (date(2026, 12, 22), 10, [(2, "team_meeting"), (7, "team_meeting")], [date(2026, 12, 22), date(2026, 12, 29)]),
    # Agency from Wednesday 1 April 2026: Tuesday 7 April, after Good Friday and Easter Monday.
    (date(2026, 4, 1), 5, [(2, "team_meeting")], [date(2026, 4, 7)]),
])
def test_the_team_meeting_falls_on_the_teams_meeting_day(start, length, meetings, expected):
    assert day_dates(start, length, meetings, meeting_weekday=1) == expected
    # with no meeting day set, each keeps its working day
    assert day_dates(start, length, meetings, None) == [dates.induction_day_date(start, n) for n, _ in meetings]


def test_an_opened_induction_puts_the_pod_on_the_teams_day(make, org):
    north = org["teams"]["north"]
    north.meeting_weekday = 3  # Thursdays
    db.session.commit()
    induction = make.induction(make.staff("worker", north, start_date=date(2026, 11, 2)))
    meetings = [day.on_date for day in induction.days if day.kind == "team_meeting"]
    assert meetings and all(day.weekday() == 3 for day in meetings)


def _codes(induction):
    return {item.code for item in induction.items}


def test_the_checklist_follows_the_service_and_the_job(make, org):
    csc, _ = org["services"]
    csc.induction_group = "csc"
    wellbeing = make.service("Children and Family Wellbeing Service")
    wellbeing.induction_group = "cfws"
    db.session.commit()
    social_worker = make.induction(make.staff("worker", org["teams"]["north"], start_date=date(2026, 11, 2)))
    assert {"C13", "C12", "D1", "B11"} <= _codes(social_worker)
    assert not {"C14", "C12b", "G1", "H1", "J1"} & _codes(social_worker)
    office = make.staff("worker", make.team("Wellbeing East", wellbeing), start_date=date(2026, 11, 2),
                        job_role="Business support officer")
    support = make.induction(office)
    assert support.job_group == "business_support"
    assert {f"G{n}" for n in range(1, 17)} <= _codes(support)
    assert not any(code.startswith(("H", "D")) for code in _codes(support))
    assert "C14" in _codes(support) and "C13" not in _codes(support)


def test_a_mover_gets_the_short_timetable_and_their_items(make, org):
    mover = make.induction(make.staff("worker", org["teams"]["north"]), start_date=date(2026, 11, 2),
                           template_kind="mover")
    assert (mover.kind, mover.length_days, mover.ends_on) == ("mover", 3, date(2026, 11, 4))
    # a service of no checklist group gets the items for every service: the bottom lines only
    assert _codes(mover) == {"B1", "B3", "B12", "B13", "B14"}


def _inductions(email):
    return db.session.scalars(select(Induction).join(Staff, Staff.id == Induction.staff_id)
                              .where(Staff.email == email)).all()


def _staff_form(client, org, email, start, employment="permanent"):
    return client.post_form("/admin/staff/new", {
        "email": email, "name": "Nico Fraser", "job_role": "Social worker", "team_id": org["teams"]["north"].id,
        "employment_type": employment, "start_date": start.isoformat(), "role": "worker"})


@pytest.mark.parametrize(("start", "opens"), [
    (date(2026, 12, 2), True),     # today
    (date(2027, 1, 4), True),      # later
    (date(2026, 11, 19), True),    # the window's first day: 9 working days before today
    (date(2026, 11, 18), False),   # the day before: 10 working days lie before today
])
def test_adding_someone_opens_their_induction_within_the_window(app, org, start, opens):
    with freeze(date(2026, 12, 2)):
        assert dates.induction_window_opens(date(2026, 12, 2)) == date(2026, 11, 19)
        client = app.test_client()
        sign_in(client, org["admin"])
        response = _staff_form(client, org, "nico@example.org", start)
        assert response.status_code == 303, response.get_data(as_text=True)
        found = _inductions("nico@example.org")
        assert len(found) == (1 if opens else 0)
        if opens:
            assert found[0].opened_via == "staff_form" and found[0].template.kind == "permanent"
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            assert f"Their induction runs from {found[0].starts_on:%A %-d %B %Y}" in page


def test_an_agency_start_8_working_days_ago_opens_with_its_end_already_past(app, org):
    with freeze(date(2026, 12, 2)):
        client = app.test_client()
        sign_in(client, org["admin"])
        start = date(2026, 11, 20)  # Friday: 8 working days before Wednesday 2 December
        assert _staff_form(client, org, "agency@example.org", start, "agency").status_code == 303
        (induction,) = _inductions("agency@example.org")
        assert induction.ends_on == date(2026, 11, 26) < date(2026, 12, 2)


def test_a_new_start_date_moves_a_planned_induction(app, org):
    with freeze(date(2026, 12, 2)):
        client = app.test_client()
        sign_in(client, org["admin"])
        _staff_form(client, org, "nico@example.org", date(2026, 12, 14))
        (induction,) = _inductions("nico@example.org")
        person = induction.staff
        response = client.post_form(f"/admin/staff/{person.id}/edit", {
            "email": person.email, "name": person.name, "job_role": "Social worker",
            "team_id": org["teams"]["north"].id, "employment_type": "permanent", "start_date": "2026-12-22",
            "role": "worker"})
        assert response.status_code == 303
        db.session.refresh(induction)
        assert (induction.starts_on, induction.ends_on) == (date(2026, 12, 22), date(2027, 1, 7))
        assert len(_inductions("nico@example.org")) == 1


def test_the_import_opens_inductions_and_a_second_run_changes_nothing(import_cli, org):
    text = staff_csv(staff_row("nico@example.org", name="Nico Fraser", start_date="22/12/2026"),
                     staff_row("old@example.org", name="Old Hand", start_date="08/01/2024"))
    with freeze(date(2026, 12, 2)):
        preview = run_import("staff", text.encode(), dry_run=True)  # what the upload page's preview shows
        assert preview.changes[0].fields["induction"] == (None, "opens: day 1 Tue 22 Dec 2026, last day Thu 7 Jan 2027")
        assert "induction" not in preview.changes[1].fields
        assert not _inductions("nico@example.org")
        first = import_cli("staff", text)
        assert first.exit_code == 0, first.output
        (induction,) = _inductions("nico@example.org")
        assert (induction.opened_via, induction.ends_on) == ("import", date(2027, 1, 7))
        assert not _inductions("old@example.org")  # long started: no induction
        again = import_cli("staff", text)
        assert again.stdout.strip().endswith("created 0, updated 0, unchanged 2")
        assert len(_inductions("nico@example.org")) == 1


def test_an_import_start_date_in_1900_is_refused(import_cli, org):
    result = import_cli("staff", staff_csv(staff_row("nico@example.org", start_date="1900-01-01")))
    assert result.exit_code == 1
    assert "line 2: start_date: '1900-01-01': enter a date from 1950 to 2100" in result.output
    assert not _inductions("nico@example.org")

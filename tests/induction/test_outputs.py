"""What an induction gives out (issue 11 items 9 and 10): the timetable as a calendar file read back with
icalendar, the new starters report on screen and as CSV and Excel read back with csv and openpyxl, and
``GET /api/v1/inductions`` as CONTRACT.md declares it."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from icalendar import Calendar

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import buddies, checkins
from tests.conftest import sign_in

API_FIELDS = ["email", "employment_type", "start_date", "ends_on", "buddy_email", "checkins_expected",
              "checkins_logged", "status"]


@pytest.fixture
def starter(make, org):
    person = make.staff("worker", org["teams"]["north"], email="nico@example.org", name="Nico Fraser",
                        start_date=date(2026, 12, 22))
    person.line_manager = org["team_manager"]
    db.session.commit()
    induction = make.induction(person)
    buddies.name_buddy(induction, org["worker"], "", None)
    for item in induction.items:  # everything before the start done, on the Friday before
        if item.deadline == "before_start":
            item.done_on = item.confirmed_on = date(2026, 12, 18)
    db.session.commit()
    return induction


def test_the_timetable_downloads_as_a_calendar_outlook_reads(app, starter, org):
    client = app.test_client()
    sign_in(client, starter.staff)
    response = client.get(f"/inductions/{starter.id}/timetable.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="induction-timetable.ics"' in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == len(starter.days)
    assert sorted(e.decoded("dtstart") for e in events) == sorted(d.on_date for d in starter.days)
    assert all((e.decoded("dtend") - e.decoded("dtstart")).days == 1 for e in events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert str(calendar["prodid"]) == "-//TeamOps//Induction//EN" and str(calendar["method"]) == "PUBLISH"
    first = min(events, key=lambda e: (e.decoded("dtstart"), str(e["summary"])))
    assert str(first["summary"]).startswith("Induction day 1: ")
    buddy_days = [e for e in events if "Buddy check-in" in str(e["summary"])]
    assert buddy_days and all("with Wren Worker" in str(e["description"]) for e in buddy_days)


def test_the_calendar_is_only_for_who_may_see_the_induction(as_role, starter):
    assert as_role("south_manager").get(f"/inductions/{starter.id}/timetable.ics").status_code == 403
    assert as_role("admin").get(f"/inductions/{starter.id}/timetable.ics").status_code == 403


def test_the_new_starters_report_and_its_downloads(make, org, as_role, starter):
    sly = make.staff("worker", org["teams"]["south"], email="sly@example.org", name='=HYPERLINK("http://x","y")',
                     start_date=date(2026, 11, 30))
    make.induction(sly)
    make.induction(make.staff("worker", org["teams"]["north"], name="Early Bird", start_date=date(2026, 6, 1)))
    make.case("4300123", "CIN", False, starter.staff, date(2026, 12, 23))  # as an import may (R-IND-3)
    make.case("4300124", "CIN", False, starter.staff, date(2027, 1, 8))  # the day after the induction: fine
    qait = as_role("qait")
    with freeze(date(2026, 12, 2)):
        page = qait.get("/inductions/starters?since-day=1&since-month=11&since-year=2026").get_data(as_text=True)
        assert "Nico Fraser" in page and "Wren Worker" in page and "Early Bird" not in page
        default = qait.get("/inductions/starters").get_data(as_text=True)
        assert "since 1 July 2026" in default and "Early Bird" not in default  # the quarter before this one
        csv_response = qait.get("/inductions/starters?since=2026-11-01&format=csv")
        xlsx_response = qait.get("/inductions/starters?since=2026-11-01&format=xlsx")
        assert as_role("admin").get("/inductions/starters?since=2026-11-01").status_code == 200
        assert as_role("team_manager").get("/inductions/starters").status_code == 403
    rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Team"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(\"http://x\",\"y\")", "Nico Fraser"]
    assert rows[2][6:9] == ["2026-12-22", "2027-01-07", "Wren Worker"] and rows[2][9:] == ["Planned", "1"]
    assert rows[1][10] == "0"
    assert "4300123" not in csv_response.data.decode()  # a count, never a case reference
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "'=HYPERLINK(\"http://x\",\"y\")"  # text, never a formula
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert values[2][6].date() == date(2026, 12, 22) and values[2][8] == "Wren Worker"
    assert xlsx_response.headers["Content-Disposition"].endswith('new-starters-since-2026-11-01.xlsx"')


def test_a_bad_since_date_is_refused_by_the_field(as_role):
    response = as_role("qait").get("/inductions/starters?since-day=31&since-month=2&since-year=2026")
    assert response.status_code == 400
    assert "must be a real date" in response.get_data(as_text=True)


@pytest.mark.parametrize(("as_of", "status", "expected", "logged", "buddy"), [
    ("2026-12-21", "planned", 0, 0, "worker@example.org"),
    ("2026-12-22", "in_progress", 1, 1, "worker@example.org"),
    ("2026-12-31", "overdue_items", 2, 1, "worker@example.org"),  # day 1's items still open
    ("2026-12-01", "planned", 0, 0, None),  # before the buddy was named
])
def test_the_api_lists_inductions_as_the_contract_says(as_role, starter, org, as_of, status, expected, logged,
                                                       buddy):
    with freeze(date(2026, 12, 2)):
        checkins.log_checkin(starter, org["worker"], held_on=date(2026, 12, 22), mode="phone", doing=3, notes="",
                             concern="")
        db.session.commit()
    body = as_role("team_manager").get(f"/api/v1/inductions?as_of={as_of}").get_json()
    (item,) = [i for i in body["items"] if i["email"] == "nico@example.org"]
    assert list(item) == API_FIELDS
    assert (item["status"], item["checkins_expected"], item["checkins_logged"], item["buddy_email"]) == (
        status, expected, logged, buddy)
    assert (item["start_date"], item["ends_on"], item["employment_type"]) == ("2026-12-22", "2027-01-07",
                                                                            "permanent")


def test_the_api_scope_and_parameters(as_role, starter, org):
    manager = as_role("team_manager")
    assert manager.get(f"/api/v1/inductions?team={org['teams']['south'].id}").status_code == 403
    assert manager.get("/api/v1/inductions?team=99999").status_code == 404
    bad = manager.get("/api/v1/inductions?as_of=2026-02-30")
    assert bad.status_code == 400 and bad.get_json()["field"] == "as_of"
    assert as_role("south_manager").get("/api/v1/inductions").get_json()["items"] == []
    assert as_role("admin").get("/api/v1/inductions").get_json()["items"] == []  # admins read no induction
    text = manager.get("/api/v1/inductions?format=csv").get_data(as_text=True)
    assert text.splitlines()[0] == ",".join(API_FIELDS)

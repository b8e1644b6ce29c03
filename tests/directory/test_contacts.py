"""Specialist contacts and support services: "who is mine?" first, "open now" worked out at each request, the
entry's page, adding (admins) and changing or confirming (admins and the member of staff an entry names), an entry
whose person has left, bad input refused with nothing written, and the demo's entries."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops import dates
from teamops.directory import checking, contacts
from teamops.directory.contact_demo import seed_contacts
from teamops.directory.hours import open_at, parse_hours
from teamops.directory.models import Contact, ContactHours
from teamops.extensions import db
from teamops.org.models import Staff

MONDAY = date(2027, 3, 1)  # frozen at noon: the service desk is open, the out-of-hours team is not
SATURDAY = date(2027, 3, 6)
DESK = "Monday to Thursday 08:30-17:00\nFriday 08:30-16:30"
OUT_OF_HOURS = "Monday to Thursday 17:00-08:30\nFriday 17:00 to Monday 08:30"
NEW = {"name": "Family group conferencing", "summary": "Arranges family meetings", "service_id": "",
       "phone": "50123", "email": "FGC@example.org", "link": "https://fgc.example.org", "hours": DESK,
       "hours_note": "Closed on bank holidays", "active": "y"}


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def make(kind: str, name: str, by: Staff, hours: str = "", service: Any = None, staff: Staff | None = None,
         **values: Any) -> Contact:
    contact = contacts.save_contact(None, kind, {"name": name, "service_id": service.id if service else None,
                                                 "active": True, **values}, parse_hours(hours), by, staff=staff)
    db.session.commit()
    return contact


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def listed(org: dict[str, Any]) -> dict[str, Contact]:
    csc, yj = org["services"]
    admin = org["admin"]
    return {
        "yj": make("specialist", "Advanced practitioner, Youth Justice", admin, service=yj, staff=org["yj_worker"]),
        "lado": make("specialist", "Allegations officer (LADO)", admin, DESK, phone="01632 960101"),
        "csc": make("specialist", "Advanced practitioner, Children's Social Care", admin, service=csc,
                    staff=org["worker"]),
        "ooh": make("specialist", "Out-of-hours team", admin, OUT_OF_HOURS, phone="01632 960999"),
        "desk": make("support", "Employee service desk", admin, DESK, email="desk@example.org"),
        "line": make("support", "Staff counselling line", admin, always_open=True, confidential=True,
                     org_code="DEMO2026", referral="No referral needed", link="https://counselling.example.org"),
        "incident": make("support", "Critical-incident support", admin, referral="Your line manager refers you"),
    }


def order(page: str, *names: str) -> list[int]:
    return [page.index(name) for name in names]


# Reading ---------------------------------------------------------------------------------------------------

def test_who_is_mine_lists_my_service_areas_entries_first_then_everyones(as_role, listed):
    page = text(as_role("worker").get("/directory/contacts"))
    found = order(page, "Advanced practitioner, Children's Social Care", "Allegations officer (LADO)",
                  "Out-of-hours team", "Advanced practitioner, Youth Justice")
    assert found == sorted(found) and "Your service area" in page
    page = text(as_role("yj_worker").get("/directory/contacts"))
    found = order(page, "Advanced practitioner, Youth Justice", "Allegations officer (LADO)",
                  "Advanced practitioner, Children's Social Care")
    assert found == sorted(found)


def test_the_filter_by_service_area_shows_its_entries_and_everyones(as_role, org, listed):
    yj = org["services"][1]
    page = text(as_role("worker").get(f"/directory/contacts?service={yj.id}"))
    assert "Advanced practitioner, Youth Justice" in page and "Allegations officer (LADO)" in page
    assert "Advanced practitioner, Children's Social Care" not in page
    for nonsense in ("abc", "99999999999999999999", "-1", "0"):  # ignored: everything is listed
        page = text(as_role("worker").get(f"/directory/contacts?service={nonsense}"))
        assert "Advanced practitioner, Children's Social Care" in page


def test_support_services_show_open_now_or_closed_at_the_time_of_the_request(as_role, listed):
    with dates.freeze(MONDAY):  # signed in on the frozen day: the session is not timed out
        page = text(as_role("worker").get("/directory/support"))
    desk = page[page.index("Employee service desk"):page.index("Staff counselling line")]
    assert "Open now" in desk and "Open now, until 17:00" in desk
    assert "Monday to Thursday 08:30 to 17:00; Friday 08:30 to 16:30" in desk
    line = page[page.index("Staff counselling line"):]
    assert "Open 24 hours, every day" in line and "Open now" in line and "DEMO2026" in line
    assert "Confidential" in line and "No referral needed" in line
    incident = page[page.index("Critical-incident support"):page.index("Employee service desk")]
    assert "Open now" not in incident and "Closed" not in incident  # no hours published: no indicator
    with dates.freeze(SATURDAY):
        page = text(as_role("worker").get("/directory/support"))
    desk = page[page.index("Employee service desk"):page.index("Staff counselling line")]
    assert "Closed" in desk and "Closed, opens Monday 08:30" in desk


def test_the_out_of_hours_team_is_open_at_the_weekend_on_its_page(as_role, listed):
    url = f"/directory/contacts/{listed['ooh'].id}"
    with dates.freeze(SATURDAY):
        assert "Open now, until Monday 08:30" in text(as_role("worker").get(url))
    with dates.freeze(MONDAY):
        assert "Closed, opens at 17:00" in text(as_role("worker").get(url))
    assert open_at(listed["ooh"], dates.local_now().replace(year=2027, month=3, day=2, hour=23))


def test_an_entry_naming_someone_who_has_left_keeps_its_number_and_needs_a_new_contact(as_role, org, listed):
    leaver = org["yj_worker"]
    contact = listed["yj"]
    contact.phone = "50777"
    leaver.active, leaver.left_on = False, date(2026, 1, 9)
    db.session.commit()
    page = text(as_role("worker").get(f"/directory/contacts/{contact.id}"))
    assert leaver.name not in page and "50777" in page and "Needs a new contact" not in page
    page = text(as_role("admin").get(f"/directory/contacts/{contact.id}"))
    assert leaver.name not in page and "Needs a new contact" in page
    assert checking.to_check(dates.today()).contacts_left == [contact]
    checks = text(as_role("admin").get("/directory/checks"))
    assert f"{leaver.name} has left; the entry needs a new contact" in checks


def test_a_named_person_is_shown_with_their_own_email(as_role, org, listed):
    page = text(as_role("yj_worker").get(f"/directory/contacts/{listed['csc'].id}"))
    assert org["worker"].name in page and org["worker"].email in page


def test_a_javascript_link_never_becomes_a_link(as_role, listed):
    contact = listed["desk"]
    contact.link = "javascript:alert(1)"  # written past the form, as an old import might
    db.session.commit()
    for url in ("/directory/support", f"/directory/contacts/{contact.id}"):
        page = as_role("worker").get(url).get_data(as_text=True)
        assert 'href="javascript' not in page.lower()


def test_unknown_ids_and_unlisted_entries_are_not_found(as_role, listed):
    client = as_role("worker")
    for url in ("/directory/contacts/99999999999", "/directory/contacts/2147483648", "/directory/contacts/0",
                "/directory/contacts/99999/edit"):
        assert client.get(url).status_code == 404
    contact = listed["desk"]
    contact.active = False
    db.session.commit()
    assert client.get(f"/directory/contacts/{contact.id}").status_code == 404
    assert "Employee service desk" not in text(client.get("/directory/support"))
    assert as_role("admin").get(f"/directory/contacts/{contact.id}").status_code == 200


# Adding, changing, confirming ------------------------------------------------------------------------------

def test_an_admin_adds_a_support_service_with_its_hours(as_role, org):
    client = as_role("admin")
    assert client.get("/directory/contacts/new?kind=support").status_code == 200
    response = client.post_form("/directory/contacts/new?kind=support", {**NEW, "confidential": "y",
                                                                        "org_code": "FGC1"})
    assert response.status_code == 303
    added = db.session.scalars(select(Contact).where(Contact.name == "Family group conferencing")).one()
    assert (added.kind, added.email, added.org_code, added.confidential) == ("support", "fgc@example.org", "FGC1",
                                                                            True)
    assert len(added.hours) == 5 and added.checked_on == dates.today() and added.checked_by_id == org["admin"].id
    page = text(client.get(response.headers["Location"]))
    assert "Monday to Thursday 08:30 to 17:00; Friday 08:30 to 16:30. Closed on bank holidays" in page
    assert "Last checked" in page and "by Ada Admin" in page


def test_the_edit_form_shows_the_hours_as_text_and_saving_checks_the_entry(as_role, org, listed):
    contact = listed["ooh"]
    contact.checked_on = date(2020, 1, 1)
    db.session.commit()
    client = as_role("admin")
    page = text(client.get(f"/directory/contacts/{contact.id}/edit"))
    assert "Monday to Thursday 17:00-08:30\nFriday 17:00 to Monday 08:30" in page
    response = client.post_form(f"/directory/contacts/{contact.id}/edit", {
        "name": "Out-of-hours team", "service_id": "", "phone": "01632 960998", "hours": "Every day 17:00-08:30",
        "active": "y"})
    assert response.status_code == 303
    db.session.refresh(contact)
    assert contact.phone == "01632 960998" and len(contact.hours) == 7 and contact.checked_on == dates.today()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"hours": "Monday 25:00-17:00"}, "hours", "Line 1: 25:00 is not a time"),
    ({"hours": "Monday 09:00-17:00\nTuesday nine-five"}, "hours", "Line 2: 'nine' is not a time"),
    ({"hours": "Funday 09:00-17:00"}, "hours", "Line 1: 'Funday' is not a day of the week"),
    ({"hours": "Monday 09:00-09:00"}, "hours", "Line 1: the period opens and closes at 09:00: it is empty"),
    ({"always_open": "y"}, "hours", "Leave the opening hours empty when it is 'Open 24 hours, every day'"),
    ({"phone": "0116 CALL NOW"}, "phone", "Enter a phone number in digits"),
    ({"phone": "123"}, "phone", "Enter a phone number of 5 to 15 digits"),
    ({"link": "javascript:alert(1)"}, "link", "Enter a web address that starts with https://"),
    ({"link": "ftp://files.example.org"}, "link", "Enter a web address that starts with https://"),
    ({"email": "not an address"}, "email", "Enter an e-mail address like name@example.org"),
    ({"name": ""}, "name", "Enter the name of the contact or service"),
    ({"name": "x" * 121}, "name", "Name must be 120 characters or fewer"),
    ({"service_id": "99999"}, "service_id", "Select who it is for from the list"),
    ({"staff_email": "nobody@example.org"}, "staff_email", "There is nobody in TeamOps with this e-mail address"),
])
def test_bad_input_is_refused_with_nothing_written(as_role, listed, changes, field, message):
    client = as_role("admin")
    before = (count(Contact), count(ContactHours))
    response = client.post_form("/directory/contacts/new?kind=support", {**NEW, **changes})
    page = text(response)
    assert response.status_code == 400 and message in page and f'href="#{field}"' in page
    assert 'href="javascript' not in page.lower()
    assert (count(Contact), count(ContactHours)) == before
    if field == "hours" and "hours" in changes:
        assert changes["hours"] in page  # what was typed is kept
    contact = listed["desk"]
    response = client.post_form(f"/directory/contacts/{contact.id}/edit", {**NEW, **changes})
    assert response.status_code == 400 and message in text(response)
    db.session.refresh(contact)
    assert contact.name == "Employee service desk" and contact.link is None and len(contact.hours) == 5


def test_a_leaver_cannot_be_named(as_role, org):
    org["south_worker"].active = False
    db.session.commit()
    response = as_role("admin").post_form("/directory/contacts/new", {**NEW, "staff_email": org["south_worker"].email})
    assert response.status_code == 400 and "This person has left" in text(response)


def test_the_person_named_keeps_their_entry_but_not_who_it_names(as_role, org, listed):
    contact = listed["csc"]
    client = as_role("worker")
    page = text(client.get(f"/directory/contacts/{contact.id}"))
    assert "Change this entry" in page and "Confirm it is still correct" in page
    form = text(client.get(f"/directory/contacts/{contact.id}/edit"))
    assert 'name="staff_email"' not in form and 'name="service_id"' not in form
    response = client.post_form(f"/directory/contacts/{contact.id}/edit", {
        "name": contact.name, "service_id": str(contact.service_id), "phone": "50999", "hours": "Tue 09:00-12:00",
        "staff_email": "admin@example.org", "active": "y"})
    assert response.status_code == 303
    db.session.refresh(contact)
    assert (contact.phone, contact.staff_id, contact.checked_by_id) == ("50999", org["worker"].id, org["worker"].id)
    assert contact.service_id == org["services"][0].id  # not theirs to change


def test_confirming_marks_the_entry_checked_today(as_role, org, listed):
    contact = listed["csc"]
    contact.checked_on = date(2020, 1, 1)
    db.session.commit()
    response = as_role("worker").post_form(f"/directory/contacts/{contact.id}/confirm")
    assert response.status_code == 303
    db.session.refresh(contact)
    assert contact.checked_on == dates.today() and contact.checked_by_id == org["worker"].id


@pytest.mark.parametrize(("role", "status"), [("worker", 403), ("team_manager", 403), ("qait", 403), ("admin", 200)])
def test_only_admins_add_entries(as_role, role, status):
    assert as_role(role).get("/directory/contacts/new?kind=specialist").status_code == status
    assert as_role(role).post_form("/directory/contacts/new", NEW).status_code == (303 if status == 200 else 403)


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait", "admin", "yj_worker"])
def test_everyone_signed_in_reads_the_directory(as_role, listed, role):
    client = as_role(role)
    for url in ("/directory/contacts", "/directory/support", f"/directory/contacts/{listed['lado'].id}"):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["south_worker", "team_manager", "service_manager", "qait"])
def test_nobody_else_changes_or_confirms_an_entry(as_role, listed, role):
    contact = listed["csc"]  # names the North worker
    client = as_role(role)
    assert client.get(f"/directory/contacts/{contact.id}/edit").status_code == 403
    assert client.post_form(f"/directory/contacts/{contact.id}/edit", NEW).status_code == 403
    assert client.post_form(f"/directory/contacts/{contact.id}/confirm").status_code == 403
    assert "Confirm it is still correct" not in text(client.get(f"/directory/contacts/{contact.id}"))


def test_signed_out_visitors_are_sent_to_sign_in(client, listed):
    assert client.get("/directory/support").status_code == 303


def test_an_unknown_kind_is_not_found(as_role):
    assert as_role("admin").get("/directory/contacts/new?kind=nonsense").status_code == 404


# The demo --------------------------------------------------------------------------------------------------

def test_the_demo_lists_every_kind_of_contact_and_service(org):
    staff = list(db.session.scalars(select(Staff).order_by(Staff.id)))
    added = seed_contacts(date(2027, 3, 1), org["services"], staff)
    db.session.commit()
    names = {contact.name: contact for contact in added}
    for wanted in ("Allegations officer (LADO)", "Virtual school", "Practice excellence team",
                   "Quality Assurance and Improvement Team (QAIT)", "HR advice", "Out-of-hours team",
                   "Staff counselling line", "Employee service desk", "Health, safety and wellbeing service",
                   "Critical-incident support"):
        assert wanted in names, wanted
    assert sum("Union" in name for name in names) == 2
    practitioners = [c for c in added if c.name.startswith("Advanced practitioner")]
    assert {c.service_id for c in practitioners} == {s.id for s in org["services"]}
    assert all(c.staff is not None and c.staff.active for c in practitioners)
    line = names["Staff counselling line"]
    assert line.always_open and line.confidential and line.org_code and "No referral needed" in line.referral
    assert "legal and financial advice" in line.summary
    ooh = names["Out-of-hours team"]
    assert open_at(ooh, dates.local_now().replace(year=2027, month=3, day=6, hour=12))  # a Saturday
    assert not open_at(ooh, dates.local_now().replace(year=2027, month=3, day=2, hour=9))  # a Tuesday morning
    assert "referred" in names["Critical-incident support"].referral.lower() or "refers" in names[
        "Critical-incident support"].referral
    assert all((c.email or "x@example.org").endswith("@example.org") for c in added)
    assert all(c.link is None or ".example.org" in c.link for c in added)
    assert seed_contacts(date(2027, 3, 1), org["services"], staff) == []  # once only

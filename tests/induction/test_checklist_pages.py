"""Admins edit the one service checklist (R-IND-15): the page by section; an item needs a service and a job,
a web link or none, and a code of its own; every change counts in the item's own version; an item is retired,
never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teamops.extensions import db
from teamops.induction.template_models import ChecklistItem
from tests.induction.conftest import count, item_of

ITEM = {"code": "C29", "section": "Corporate e-learning and information", "title": "Cyber security e-learning",
        "link": "https://learning.example.org/cyber", "services": ["for_csc", "for_cfws", "for_yos"],
        "jobs": ["for_front_line", "for_managers"], "inductions": ["for_new_starters"], "confirmer": "starter",
        "deadline": "within_6_weeks", "requirement": "mandatory"}


def test_the_checklist_by_section_with_who_confirms_and_when(admin):
    page = admin.get("/admin/induction/checklist").get_data(as_text=True)
    sections = ["Before the start", "Induction bottom lines", "Corporate e-learning and information",
                "CFWS: business support", "New managers", "Support"]
    assert all(f">{section}</h2>" in page for section in sections)
    assert page.index(">Before the start</h2>") < page.index(">Induction bottom lines</h2>") < page.index(
        ">Support</h2>")
    row = page[page.index(f'id="item-{item_of("C12").id}"'):]
    row = row[:row.index("</tr>")]
    for text in ("Introduction to the case-recording system (Mosaic) e-learning", "CSC, CFWS: all staff",
                 "The starter", "Week 1", "Mandatory training", "Full case-system access waits for it"):
        assert text in row, text


def test_an_admin_adds_an_item_to_a_section(admin):
    response = admin.post_form("/admin/induction/checklist/new", ITEM)
    assert response.status_code == 303
    item = item_of("C29")
    assert (item.for_csc, item.for_cfws, item.for_yos) == (True, True, True)
    assert (item.for_front_line, item.for_business_support, item.for_managers) == (True, False, True)
    assert (item.for_new_starters, item.for_movers, item.version, item.active) == (True, False, 1, True)
    assert item.link == "https://learning.example.org/cyber"
    corporate = db.session.scalars(select(ChecklistItem).where(ChecklistItem.section == ITEM["section"],
                                                               ChecklistItem.id != item.id)).all()
    assert item.position == max(other.position for other in corporate)  # last of its section
    page = admin.get("/admin/induction/checklist").get_data(as_text=True)
    start = page.index(">Corporate e-learning and information</h2>")
    section = page[start:page.index(">Children&#39;s Social Care: key information</h2>")]
    assert section.index("C28") < section.index("C29")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"services": []}, "services", "Select at least one service"),
    ({"jobs": []}, "jobs", "Select at least one group of staff"),
    ({"inductions": []}, "inductions", "Select new starters, internal moves or both"),
    ({"link": "javascript:alert(1)"}, "link", "Enter a web address that starts with https://"),
    ({"link": "ftp://files.example.org/x"}, "link", "Enter a web address that starts with https://"),
    ({"link": "https://"}, "link", "Enter a web address that starts with https://"),
    ({"code": "C12"}, "code", "Item C12 already has this code: choose another"),
    ({"code": "c12B"}, "code", "Item C12b already has this code: choose another"),
    ({"code": "C 29"}, "code", "Use only letters and numbers in the code"),
    ({"code": "C123456789"}, "code", "Code must be 8 characters or fewer"),
    ({"title": ""}, "title", "Enter the item"),
    ({"section": ""}, "section", "Enter the section"),
    ({"confirmer": "buddy"}, "confirmer", "Select one of the choices for who confirms it"),
    ({"deadline": ""}, "deadline", "Select the deadline"),
    ({"requirement": "nice"}, "requirement", "Select one of the choices for requirement"),
])
def test_an_item_that_breaks_a_rule_is_refused(admin, changes, field, message):
    before = count(ChecklistItem)
    response = admin.post_form("/admin/induction/checklist/new", {**ITEM, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page, page[:2000]
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert count(ChecklistItem) == before
    if field != "title":
        assert ITEM["title"] in page  # what was typed is kept
    if field not in ("services", "jobs"):
        assert 'value="for_managers" checked' in page and 'value="for_business_support" checked' not in page


def test_changing_an_item_counts_its_version(admin):
    item = item_of("C14")
    values = {"code": "C14", "section": item.section, "title": item.title, "link": "http://hub.example.org/sos",
              "services": ["for_cfws"], "jobs": ["for_front_line", "for_business_support", "for_managers"],
              "inductions": ["for_new_starters", "for_movers"], "confirmer": "manager", "deadline": "within_6_weeks",
              "requirement": "optional"}
    assert admin.post_form(f"/admin/induction/checklist/{item.id}/edit", values).status_code == 303
    db.session.expire_all()
    assert (item.for_cfws, item.for_yos, item.confirmer, item.for_movers, item.version) == (
        True, False, "manager", True, 2)
    assert admin.post_form(f"/admin/induction/checklist/{item.id}/edit", values).status_code == 303
    db.session.expire_all()
    assert item.version == 2  # nothing changed
    page = admin.get(f"/admin/induction/checklist/{item.id}/edit").get_data(as_text=True)
    assert 'value="for_cfws" checked' in page and 'value="for_yos" checked' not in page


def test_an_edit_sent_without_its_boxes_is_refused_as_having_no_audience(admin):
    item = item_of("G1")
    response = admin.post_form(f"/admin/induction/checklist/{item.id}/edit")
    assert response.status_code == 400 and "Select at least one service" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (item.for_cfws, item.version) == (True, 1)


def test_an_item_is_retired_and_put_back(admin):
    item = item_of("K1")
    response = admin.post_form(f"/admin/induction/checklist/{item.id}/active?to=retired")
    assert response.status_code == 303
    assert "K1 retired" in admin.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert (item.active, item.version) == (False, 2)
    assert "Put back in use" in admin.get(f"/admin/induction/checklist/{item.id}/edit").get_data(as_text=True)
    assert admin.post_form(f"/admin/induction/checklist/{item.id}/active", {"to": "active"}).status_code == 303
    db.session.expire_all()
    assert (item.active, item.version) == (True, 3)
    assert admin.post_form(f"/admin/induction/checklist/{item.id}/active?to=later").status_code == 400
    assert admin.post_form(f"/admin/induction/checklist/{item.id}/active?to=active").status_code == 303
    db.session.expire_all()
    assert item.version == 3

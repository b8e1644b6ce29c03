"""Admins edit the timetables (R-IND-15): the pages, the rules (a day within the induction, never shorter than a
day in use, one permanent and one agency timetable in use, unique names) and the version every change counts.
Bad input is answered 400 with the message next to its field and what was typed kept, and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teamops.extensions import db
from teamops.induction import templates
from teamops.induction.template_models import InductionTemplate, InductionTemplateDay
from tests.induction.conftest import count, template_of

DAY = {"day_number": "3", "kind": "shadowing", "host_slot": "a", "description": "Shadow a child protection visit"}


def _template_values(template: InductionTemplate, **changes: str) -> dict[str, str]:
    values = {"name": template.name, "kind": template.kind, "length_days": str(template.length_days),
              "active": "yes" if template.active else "no"}
    return {**values, **changes}


def test_the_list_and_a_timetable_grouped_by_day(admin):
    page = admin.get("/admin/induction/templates").get_data(as_text=True)
    assert "Permanent staff: 2 weeks" in page and "Agency staff: 1 week" in page and "Internal move: 3 days" in page
    permanent = template_of("permanent")
    page = admin.get(f"/admin/induction/templates/{permanent.id}").get_data(as_text=True)
    assert [f'id="day-{n}"' in page for n in range(1, 11)] == [True] * 10 and 'id="day-11"' not in page
    day_six = page[page.index('id="day-6"'):page.index('id="day-7"')]
    assert "Meet your team manager to review the induction" in day_six and "Induction review" in day_six


def test_an_admin_adds_a_timetable(admin):
    response = admin.post_form("/admin/induction/templates/new", {
        "name": "Internal move: 1 week", "kind": "mover", "length_days": "5", "active": "yes"})
    assert response.status_code == 303
    added = db.session.scalars(select(InductionTemplate).where(InductionTemplate.name == "Internal move: 1 week")).one()
    assert (added.kind, added.length_days, added.active, added.version) == ("mover", 5, True, 1)
    assert "Internal move: 1 week" in admin.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "Agency staff: 1 week"}, "A template with this name already exists"),
    ({"name": " PERMANENT STAFF: 2 WEEKS "}, "A template with this name already exists"),
    ({"name": ""}, "Enter the template&#39;s name"),
    ({"name": "x" * 121}, "Name must be 120 characters or fewer"),
    ({"kind": "permanent"}, "Permanent staff: 2 weeks is already in use for permanent staff, and only one can be"),
    ({"kind": "agency"}, "Agency staff: 1 week is already in use for agency staff"),
    ({"kind": "contractor"}, "Select who the induction is for"),
    ({"kind": ""}, "Select who the induction is for"),
    ({"length_days": "0"}, "Enter a number of working days from 1 to 60"),
    ({"length_days": "61"}, "Enter a number of working days from 1 to 60"),
    ({"length_days": "ten"}, "Enter a whole number of working days"),
    ({"length_days": ""}, "Enter the length in working days"),
])
def test_a_new_timetable_that_breaks_a_rule_is_refused(admin, changes, message):
    before = count(InductionTemplate)
    values = {"name": "Newly qualified: 3 weeks", "kind": "mover", "length_days": "15", "active": "yes", **changes}
    response = admin.post_form("/admin/induction/templates/new", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page, page[:3000]
    assert "There is a problem" in page and "govuk-error-message" in page
    assert count(InductionTemplate) == before
    if changes.get("name", "x").strip():
        assert (changes.get("name") or values["name"]).replace("'", "&#39;") in page  # what was typed is kept


def test_a_second_permanent_timetable_may_be_added_retired_and_swapped_in(admin):
    old = template_of("permanent")
    response = admin.post_form("/admin/induction/templates/new", {
        "name": "Permanent staff: 3 weeks", "kind": "permanent", "length_days": "15", "active": "no"})
    assert response.status_code == 303
    new = db.session.scalars(select(InductionTemplate).where(
        InductionTemplate.name == "Permanent staff: 3 weeks")).one()
    assert admin.post_form(f"/admin/induction/templates/{new.id}/edit",
                           _template_values(new, active="yes")).status_code == 400
    assert admin.post_form(f"/admin/induction/templates/{old.id}/edit",
                           _template_values(old, active="no")).status_code == 303
    assert admin.post_form(f"/admin/induction/templates/{new.id}/edit",
                           _template_values(new, active="yes")).status_code == 303
    db.session.expire_all()
    assert (old.active, old.version, new.active, new.version) == (False, 2, True, 2)


def test_a_timetable_is_never_shorter_than_its_last_day_with_items(admin):
    template = templates.save_template(None, name="Long move", kind="mover", length_days=12, active=True)
    for number in (2, 11, 12, 12):
        templates.save_day(template, None, templates.DayValues(number, "reading", None, f"Reading {number}"))
    db.session.commit()
    version, days = template.version, count(InductionTemplateDay)
    response = admin.post_form(f"/admin/induction/templates/{template.id}/edit",
                               _template_values(template, length_days="10", name="Long move, renamed"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Days 11 and 12 have items: move or remove them before shortening the induction to 10 days" in page
    assert 'value="10"' in page and "Long move, renamed" in page
    db.session.expire_all()
    assert (template.name, template.length_days, template.version) == ("Long move", 12, version)
    assert count(InductionTemplateDay) == days
    permanent = template_of("permanent")
    response = admin.post_form(f"/admin/induction/templates/{permanent.id}/edit",
                               _template_values(permanent, length_days="9"))
    assert "Day 10 has items: move or remove them before shortening the induction to 9 days" in \
        response.get_data(as_text=True)
    response = admin.post_form(f"/admin/induction/templates/{template.id}/edit",
                               _template_values(template, length_days="13"))
    assert response.status_code == 303


def test_editing_a_timetable_counts_a_version_and_an_unchanged_one_does_not(admin):
    template = template_of("agency")
    updated_at = template.updated_at
    assert admin.post_form(f"/admin/induction/templates/{template.id}/edit").status_code == 303  # fields kept
    db.session.expire_all()
    assert (template.version, template.length_days, template.active) == (1, 5, True)
    response = admin.post_form(f"/admin/induction/templates/{template.id}/edit",
                               _template_values(template, name="Agency staff: one week"))
    assert response.status_code == 303
    db.session.expire_all()
    assert (template.name, template.version) == ("Agency staff: one week", 2) and template.updated_at > updated_at


def test_an_admin_adds_changes_and_removes_an_item_of_a_day(admin):
    template = template_of("permanent")
    assert 'value="4"' in admin.get(f"/admin/induction/templates/{template.id}/days/new?day=4").get_data(as_text=True)
    response = admin.post_form(f"/admin/induction/templates/{template.id}/days/new", DAY)
    assert response.status_code == 303 and response.headers["Location"].endswith("#day-3")
    day = db.session.scalars(select(InductionTemplateDay).where(
        InductionTemplateDay.description == DAY["description"])).one()
    db.session.expire_all()
    assert (day.template_id, day.day_number, day.kind, day.host_slot, template.version) == (
        template.id, 3, "shadowing", "a", 2)
    assert day.position > max(other.position for other in template.days if other.id != day.id)

    response = admin.post_form(f"/admin/induction/template-days/{day.id}/edit",
                               {**DAY, "day_number": "8", "host_slot": "none"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (day.day_number, day.host_slot, template.version) == (8, None, 3)
    assert admin.post_form(f"/admin/induction/template-days/{day.id}/edit").status_code == 303  # fields kept
    db.session.expire_all()
    assert (day.day_number, template.version) == (8, 3)

    before = count(InductionTemplateDay)
    assert admin.post_form(f"/admin/induction/template-days/{day.id}/delete").status_code == 303
    db.session.expire_all()
    assert count(InductionTemplateDay) == before - 1 and template.version == 4


@pytest.mark.parametrize(("number", "message"), [
    ("12", "Day 12 is after the last day of this 10-day induction: choose a day from 1 to 10"),
    ("11", "Day 11 is after the last day of this 10-day induction: choose a day from 1 to 10"),
    ("0", "Day 0 is not a day of the induction: choose a day from 1 to 10"),
    ("-1", "Enter the day as a whole number"),
    ("", "Enter the day of the induction"),
])
def test_a_day_outside_the_induction_is_refused(admin, number, message):
    template = template_of("permanent")
    before, version = count(InductionTemplateDay), template.version
    response = admin.post_form(f"/admin/induction/templates/{template.id}/days/new", {**DAY, "day_number": number})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert DAY["description"] in page and f'value="{number}"' in page
    db.session.expire_all()
    assert count(InductionTemplateDay) == before and template.version == version


def test_moving_an_item_beyond_the_last_day_is_refused(admin):
    template = template_of("agency")
    day = template.days[-1]
    response = admin.post_form(f"/admin/induction/template-days/{day.id}/edit",
                               {"day_number": "6", "kind": day.kind, "host_slot": "none",
                                "description": day.description})
    assert response.status_code == 400
    assert "Day 6 is after the last day of this 5-day induction: choose a day from 1 to 5" in \
        response.get_data(as_text=True)
    db.session.expire_all()
    assert day.day_number == 5 and template.version == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "party"}, "Select what happens"),
    ({"kind": ""}, "Select what happens"),
    ({"host_slot": "c"}, "Select who hosts it, or nobody in particular"),
    ({"description": ""}, "Describe what happens"),
    ({"description": "x" * 301}, "Description must be 300 characters or fewer"),
])
def test_a_day_with_bad_fields_is_refused(admin, changes, message):
    template = template_of("mover")
    before = count(InductionTemplateDay)
    response = admin.post_form(f"/admin/induction/templates/{template.id}/days/new", {**DAY, **changes})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count(InductionTemplateDay) == before

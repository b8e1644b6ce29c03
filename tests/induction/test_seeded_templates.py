"""The templates migration 0017 seeds match the design brief (docs/design/induction.md §2): the three timetables
day by day, and every item of the service checklist with the audience the procedure gives it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teamops.extensions import db
from teamops.induction.template_models import ChecklistItem, InductionTemplate

# (day, kind, host) in the brief's order, written out from §2.1 (never read from the migration).
PERMANENT = [
    (1, "manager_meeting", "manager"), (1, "e_learning", None), (1, "buddy_checkin", "buddy"),
    (2, "team_meeting", None), (2, "e_learning", None),
    (3, "shadowing", "buddy"), (3, "reading", None),
    (4, "shadowing", None), (4, "e_learning", None),
    (5, "buddy_checkin", "buddy"), (5, "shadowing", "a"), (5, "reading", None),
    (6, "shadowing", None), (6, "shadowing", "buddy"), (6, "induction_review", "manager"),
    (7, "other", None), (7, "team_meeting", None), (7, "reading", None), (7, "buddy_checkin", "buddy"),
    (8, "shadowing", "a"), (8, "reading", None),
    (9, "shadowing", "b"), (9, "reading", None),
    (10, "buddy_checkin", "buddy"), (10, "reading", None),
]
AGENCY = [
    (1, "manager_meeting", "manager"), (1, "e_learning", None), (1, "buddy_checkin", "buddy"),
    (2, "team_meeting", None), (2, "e_learning", None), (2, "case_allocation", "manager"),
    (3, "shadowing", "buddy"), (3, "reading", None),
    (4, "shadowing", None), (4, "e_learning", None),
    (5, "buddy_checkin", "buddy"), (5, "shadowing", "a"), (5, "reading", None),
]
MOVER = [
    (1, "manager_meeting", "manager"), (1, "team_meeting", None), (1, "buddy_checkin", "buddy"),
    (2, "shadowing", "buddy"), (2, "reading", None),
    (3, "buddy_checkin", "buddy"), (3, "induction_review", "manager"),
]
CODES = (
    [f"A{n}" for n in range(1, 8)] + [f"B{n}" for n in range(1, 15)] + [f"C{n}" for n in range(1, 29)] + ["C12b"]
    + [f"D{n}" for n in range(1, 4)] + [f"E{n}" for n in range(1, 5)] + [f"F{n}" for n in range(1, 26)]
    + [f"G{n}" for n in range(1, 17)] + [f"H{n}" for n in range(1, 12)] + [f"I{n}" for n in range(1, 5)]
    + [f"J{n}" for n in range(1, 21)] + [f"K{n}" for n in range(1, 4)]
)


def _template(kind: str) -> InductionTemplate:
    return db.session.scalars(select(InductionTemplate).where(InductionTemplate.kind == kind)).one()


def _item(code: str) -> ChecklistItem:
    return db.session.scalars(select(ChecklistItem).where(ChecklistItem.code == code)).one()


def _audience(item: ChecklistItem) -> tuple[set[str], set[str]]:
    services = {name for name in ("csc", "cfws", "yos") if getattr(item, f"for_{name}")}
    jobs = {name for name in ("front_line", "business_support", "managers") if getattr(item, f"for_{name}")}
    return services, jobs


@pytest.mark.parametrize(("kind", "length", "days"), [("permanent", 10, PERMANENT), ("agency", 5, AGENCY),
                                                      ("mover", 3, MOVER)])
def test_each_timetable_is_seeded_day_by_day(app, kind, length, days):
    template = _template(kind)
    assert (template.length_days, template.active, template.version) == (length, True, 1)
    assert [(day.day_number, day.kind, day.host_slot) for day in template.days] == days
    assert all(day.description for day in template.days)


def test_check_ins_team_meetings_and_the_review_fall_on_the_rules_days(app):
    """R-IND-14 (check-ins days 1, 5, 7, 10; agency 1, 5), R-IND-13 (review day 6), R-IND-3 (no case allocation
    for permanent staff; agency from day 2)."""
    permanent, agency = _template("permanent"), _template("agency")
    assert [d.day_number for d in permanent.days if d.kind == "buddy_checkin"] == [1, 5, 7, 10]
    assert [d.day_number for d in agency.days if d.kind == "buddy_checkin"] == [1, 5]
    assert [d.day_number for d in permanent.days if d.kind == "induction_review"] == [6]
    assert not [d for d in permanent.days if d.kind == "case_allocation"]
    assert [d.day_number for d in agency.days if d.kind == "case_allocation"] == [2]


def test_the_checklist_holds_every_item_of_the_procedure_once(app):
    codes = db.session.scalars(select(ChecklistItem.code).order_by(ChecklistItem.position)).all()
    assert sorted(codes) == sorted(CODES) and len(codes) == len(set(codes)) == 136
    assert all(item.active and item.version == 1 for item in db.session.scalars(select(ChecklistItem)))


def test_the_case_system_e_learning_gates_full_access(app):
    mosaic, careworks = _item("C12"), _item("C12b")
    assert mosaic.gates_case_system and careworks.gates_case_system
    assert _audience(mosaic)[0] == {"csc", "cfws"} and _audience(careworks)[0] == {"yos"}
    assert (mosaic.deadline, mosaic.requirement) == ("week_1", "mandatory")
    gated = db.session.scalars(select(ChecklistItem.code).where(ChecklistItem.gates_case_system.is_(True))).all()
    assert sorted(gated) == ["C12", "C12b"]


def test_signs_of_safety_is_mandatory_in_csc_and_optional_in_cfws_and_yos(app):
    csc, others = _item("C13"), _item("C14")
    assert _audience(csc)[0] == {"csc"} and csc.requirement == "mandatory"
    assert _audience(others)[0] == {"cfws", "yos"} and others.requirement == "optional"
    assert csc.applies_to("csc", "front_line") and not csc.applies_to("cfws", "front_line")
    assert not csc.applies_to("other", "front_line")  # only the items for every service


def test_the_business_support_section_is_for_business_support_only(app):
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.code.like("G%"))).all()
    assert len(items) == 16
    assert all(_audience(item) == ({"cfws", "yos"}, {"business_support"}) for item in items)
    assert all(item.confirmer == "manager" for item in items)


def test_the_items_that_tick_themselves(app):
    assert (_item("A6").automatic, _item("B14").automatic) == ("buddy_named", "review_recorded")
    assert _audience(_item("A1")) == ({"csc", "cfws", "yos"}, {"front_line", "business_support", "managers"})
    assert _item("A1").deadline == "before_start"

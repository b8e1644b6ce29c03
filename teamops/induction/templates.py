"""Admins' edits of the induction templates (R-IND-15) and a team's induction settings: every rule about them,
and every write. Services flush; the request commits.

Each rule is a function that returns the message for what is wrong, so the forms show it next to its field;
the ``save_*`` functions ask the same rules again and raise ``Refused`` before writing anything, so no other
caller can get round them (and the database's own constraints are never what says no).

An induction copies its template when it opens, so these edits never change a running or finished one. Every
saved change counts in ``version`` (a template's also when one of its days changes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.forms import link_problem
from teamops.induction.template_models import (
    MAX_LENGTH_DAYS,
    TEMPLATE_KINDS,
    ChecklistItem,
    InductionTemplate,
    InductionTemplateDay,
)
from teamops.org.models import WEEKDAYS, Staff, Team

ONE_IN_USE = ("permanent", "agency")  # opening an induction by itself picks the one template in use
SERVICE_FLAGS = ("for_csc", "for_cfws", "for_yos")
JOB_FLAGS = ("for_front_line", "for_business_support", "for_managers")


class Refused(ValueError):
    """What was asked breaks a rule: the messages by field. Nothing was written."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


def _refuse_if(problems: Mapping[str, str | None]) -> None:
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise Refused(found)


def _apply(row: Any, values: Mapping[str, Any]) -> bool:
    """Sets the values on the row; whether any of them changed."""
    changed = row.id is None
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _and(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# Templates --------------------------------------------------------------------------------------------

def templates() -> list[tuple[InductionTemplate, int]]:
    """Every template with how many timetable items it has: those in use first, then by kind and name."""
    counts = (select(InductionTemplateDay.template_id, func.count().label("how_many"))
              .group_by(InductionTemplateDay.template_id).subquery())
    rows = db.session.execute(
        select(InductionTemplate, func.coalesce(counts.c.how_many, 0))
        .outerjoin(counts, counts.c.template_id == InductionTemplate.id)
        .order_by(InductionTemplate.active.desc(), InductionTemplate.kind, InductionTemplate.name,
                  InductionTemplate.id))
    return [(template, int(items)) for template, items in rows]


def name_problem(template: InductionTemplate | None, name: str) -> str | None:
    query = select(InductionTemplate.id).where(func.lower(InductionTemplate.name) == name.strip().lower())
    if template is not None and template.id is not None:
        query = query.where(InductionTemplate.id != template.id)
    if db.session.scalar(query) is not None:
        return "A template with this name already exists: choose another name"
    return None


def in_use_problem(template: InductionTemplate | None, kind: str, active: bool) -> str | None:
    """Only one permanent and one agency template may be in use: opening an induction by itself picks it."""
    if not active or kind not in ONE_IN_USE:
        return None
    query = select(InductionTemplate).where(InductionTemplate.kind == kind, InductionTemplate.active.is_(True))
    if template is not None and template.id is not None:
        query = query.where(InductionTemplate.id != template.id)
    other = db.session.scalars(query.limit(1)).first()
    if other is None:
        return None
    return (f"{other.name} is already in use for {TEMPLATE_KINDS[kind].lower()}, and only one can be: save "
            "this one as retired, or retire that one first")


def last_day_in_use(template: InductionTemplate) -> int:
    return db.session.scalar(select(func.max(InductionTemplateDay.day_number))
                             .where(InductionTemplateDay.template_id == template.id)) or 0


def length_problem(template: InductionTemplate | None, length_days: int) -> str | None:
    """A length from 1 to ``MAX_LENGTH_DAYS``, and never shorter than a day that has items."""
    if not 1 <= length_days <= MAX_LENGTH_DAYS:
        return f"Enter a number of working days from 1 to {MAX_LENGTH_DAYS}"
    if template is None or template.id is None or length_days >= last_day_in_use(template):
        return None
    beyond = sorted(db.session.scalars(
        select(InductionTemplateDay.day_number).distinct()
        .where(InductionTemplateDay.template_id == template.id, InductionTemplateDay.day_number > length_days)))
    days = f"Day {beyond[0]} has" if len(beyond) == 1 else f"Days {_and(beyond)} have"
    return f"{days} items: move or remove them before shortening the induction to {length_days} days"


def template_problems(template: InductionTemplate | None, *, name: str, kind: str, length_days: int,
                      active: bool) -> dict[str, str]:
    problems = {"name": name_problem(template, name), "length_days": length_problem(template, length_days),
                "kind": None if kind in TEMPLATE_KINDS else "Select the kind of induction",
                "active": in_use_problem(template, kind, active)}
    return {field: message for field, message in problems.items() if message}


def _touch(template: InductionTemplate) -> None:
    template.version = (template.version or 0) + 1
    template.updated_at = utcnow()


def save_template(template: InductionTemplate | None, *, name: str, kind: str, length_days: int,
                  active: bool) -> InductionTemplate:
    """Adds or changes a template; refused (``Refused``) when it breaks a rule."""
    _refuse_if(template_problems(template, name=name, kind=kind, length_days=length_days, active=active))
    row = template or InductionTemplate(version=0)
    if _apply(row, {"name": name.strip(), "kind": kind, "length_days": length_days, "active": active}):
        _touch(row)
        db.session.add(row)
        db.session.flush()
    return row


# A template's days ------------------------------------------------------------------------------------

def day_problem(template: InductionTemplate, day_number: int) -> str | None:
    """A day of the induction: from 1 to the template's length (a day-12 item in a 10-day induction is refused)."""
    length = template.length_days
    choose = f"choose a day from 1 to {length}" if length > 1 else "choose day 1"
    if day_number < 1:
        return f"Day {day_number} is not a day of the induction: {choose}"
    if day_number > length:
        return f"Day {day_number} is after the last day of this {length}-day induction: {choose}"
    return None


@dataclass(frozen=True)
class DayValues:
    day_number: int
    kind: str
    host_slot: str | None
    description: str


def save_day(template: InductionTemplate, day: InductionTemplateDay | None, values: DayValues) -> InductionTemplateDay:
    """Adds or changes one item of a template's timetable; a new item, or one moved to another day, goes last on
    its day. Refused (``Refused``) for a day outside the induction."""
    _refuse_if({"day_number": day_problem(template, values.day_number)})
    row = day or InductionTemplateDay(template_id=template.id)
    if row.id is None or row.day_number != values.day_number:
        row.position = (db.session.scalar(select(func.max(InductionTemplateDay.position))
                                          .where(InductionTemplateDay.template_id == template.id)) or 0) + 1
    if not _apply(row, {"day_number": values.day_number, "kind": values.kind, "host_slot": values.host_slot,
                        "description": values.description.strip()}):
        return row
    _touch(template)
    db.session.add(row)
    db.session.flush()
    return row


def delete_day(day: InductionTemplateDay) -> None:
    """Removes one item of a timetable. Inductions already opened keep their own copy of it."""
    _touch(day.template)
    db.session.delete(day)
    db.session.flush()


def days_by_number(template: InductionTemplate) -> list[tuple[int, list[InductionTemplateDay]]]:
    """Every day of the induction, each with its items in order (a day may have none)."""
    found: dict[int, list[InductionTemplateDay]] = {n: [] for n in range(1, template.length_days + 1)}
    for day in template.days:
        found.setdefault(day.day_number, []).append(day)
    return sorted(found.items())


# The checklist ----------------------------------------------------------------------------------------

def checklist() -> list[tuple[str, list[ChecklistItem]]]:
    """Every item, in use or retired, by section, the sections in the order of their first item."""
    sections: dict[str, list[ChecklistItem]] = {}
    for item in db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.position, ChecklistItem.id)):
        sections.setdefault(item.section, []).append(item)
    return list(sections.items())


def sections() -> list[str]:
    return [name for name, _items in checklist()]


def code_problem(item: ChecklistItem | None, code: str) -> str | None:
    query = select(ChecklistItem.code).where(func.lower(ChecklistItem.code) == code.strip().lower())
    if item is not None and item.id is not None:
        query = query.where(ChecklistItem.id != item.id)
    taken = db.session.scalar(query)
    return f"Item {taken} already has this code: choose another" if taken else None


def checklist_problems(item: ChecklistItem | None, values: Mapping[str, Any]) -> dict[str, str]:
    problems = {
        "code": code_problem(item, values["code"]),
        "link": link_problem(values.get("link") or ""),
        "services": None if any(values[f] for f in SERVICE_FLAGS) else "Select at least one service",
        "jobs": None if any(values[f] for f in JOB_FLAGS) else "Select at least one group of staff",
        "inductions": None if values["for_new_starters"] or values["for_movers"]
        else "Select new starters, internal moves or both",
    }
    return {field: message for field, message in problems.items() if message}


def _position_in(section: str, item: ChecklistItem) -> int:
    """Where an item joins its section: with its last item (the order then goes by id), or a new section at the
    end of the checklist."""
    last = db.session.scalar(select(func.max(ChecklistItem.position))
                             .where(ChecklistItem.section == section, ChecklistItem.id != (item.id or 0)))
    if last is not None:
        return int(last)
    return (db.session.scalar(select(func.max(ChecklistItem.position))) or 0) + 1


def save_checklist_item(item: ChecklistItem | None, values: Mapping[str, Any]) -> ChecklistItem:
    """Adds or changes a checklist item (code, section, title, link, the six audience flags, confirmer,
    deadline, requirement, whether it gates the case system, which inductions get it). Refused (``Refused``)
    when it breaks a rule."""
    _refuse_if(checklist_problems(item, values))
    row = item or ChecklistItem(version=0, active=True)
    cleaned = {**values, "code": values["code"].strip(), "section": values["section"].strip(),
               "title": values["title"].strip(), "link": (values.get("link") or "").strip() or None}
    if row.id is None or row.section != cleaned["section"]:
        row.position = _position_in(cleaned["section"], row)
    if _apply(row, cleaned):
        row.version = (row.version or 0) + 1
        db.session.add(row)
        db.session.flush()
    return row


def set_item_active(item: ChecklistItem, active: bool) -> bool:
    """Retires an item (inductions opened from now on leave it out) or puts it back; never deletes it, as
    inductions point to it. Whether anything changed."""
    if item.active == active:
        return False
    item.active = active
    item.version = (item.version or 0) + 1
    db.session.flush()
    return True


# A team's induction settings --------------------------------------------------------------------------

def active_members(team: Team) -> list[Staff]:
    return list(db.session.scalars(select(Staff).where(Staff.team_id == team.id, Staff.active.is_(True))
                                   .order_by(Staff.name, Staff.id)))


def business_support_problem(team: Team, person_id: int | None) -> str | None:
    """The business-support contact confirms office items for the team's starters: an active member of it."""
    if person_id is None:
        return None
    person = db.session.get(Staff, person_id) if person_id > 0 else None
    if person is None or not person.active or person.team_id != team.id:
        return f"Choose an active member of {team.name}, or Nobody"
    return None


def save_team_settings(team: Team, *, meeting_weekday: int | None, business_support_id: int | None) -> bool:
    """A team's meeting day (its starters' "meet the team" days fall on it) and business-support contact.
    Refused (``Refused``) for a contact who is not an active member of the team. Whether anything changed."""
    weekday = None if meeting_weekday is None or 0 <= meeting_weekday < len(WEEKDAYS) else "Choose a weekday"
    _refuse_if({"business_support_id": business_support_problem(team, business_support_id),
                "meeting_weekday": weekday})
    changed = _apply(team, {"meeting_weekday": meeting_weekday, "business_support_id": business_support_id})
    db.session.flush()
    return changed


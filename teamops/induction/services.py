"""Opening and planning inductions (R-IND-1, R-IND-15, CONTRACT.md "Induction dates"): what is copied from the
templates, and on which dates. Services flush; the request commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from teamops import dates
from teamops.extensions import db
from teamops.induction.models import Induction, InductionDay, InductionItem
from teamops.induction.template_models import ChecklistItem, InductionTemplate
from teamops.org.models import MANAGER_ROLES, Staff, Team

BUSINESS_SUPPORT_WORDS = ("business support", "administrat")


def job_group_for(person: Staff) -> str:
    """Managers, business support or front-line, from the person's role and job title; the manager can change
    it on the plan page."""
    if person.role in MANAGER_ROLES:
        return "manager"
    title = (person.job_role or "").lower()
    if any(word in title for word in BUSINESS_SUPPORT_WORDS):
        return "business_support"
    return "front_line"


def active_template(kind: str) -> InductionTemplate | None:
    return db.session.scalar(select(InductionTemplate).where(
        InductionTemplate.kind == kind, InductionTemplate.active.is_(True)).order_by(InductionTemplate.id).limit(1))


def open_induction_of(person: Staff) -> Induction | None:
    return db.session.scalar(select(Induction).where(
        Induction.staff_id == person.id, Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None)))


def day_dates(start: date, length_days: int, numbers_and_kinds: Iterable[tuple[int, str]],
              meeting_weekday: int | None) -> list[date]:
    """The date of each timetable item: its working day, except that the team's meetings fall on the team's
    meeting day (the k-th meeting item on the k-th such working day of the induction; any left over keep
    their day). A bank holiday on the meeting day skips that week."""
    items = list(numbers_and_kinds)
    on_dates = [dates.induction_day_date(start, number) for number, _ in items]
    if meeting_weekday is None:
        return on_dates
    meeting_days = [day for day in (dates.induction_day_date(start, n) for n in range(1, length_days + 1))
                    if day.weekday() == meeting_weekday]
    meetings = iter(meeting_days)
    for index in sorted(range(len(items)), key=lambda i: (items[i][0], i)):
        if items[index][1] == "team_meeting":
            on_dates[index] = next(meetings, on_dates[index])
    return on_dates


def _copy_days(induction: Induction, template: InductionTemplate, team: Team) -> None:
    rows = [day for day in template.days if day.day_number <= induction.length_days]
    on_dates = day_dates(induction.start_date, induction.length_days,
                         ((day.day_number, day.kind) for day in rows), team.meeting_weekday)
    for position, (day, on_date) in enumerate(zip(rows, on_dates, strict=True)):
        induction.days.append(InductionDay(day_number=day.day_number, on_date=on_date, kind=day.kind,
                                           host_slot=day.host_slot, description=day.description,
                                           position=position))


def _applying_items(induction: Induction) -> list[ChecklistItem]:
    audience = ChecklistItem.for_movers if induction.kind == "mover" else ChecklistItem.for_new_starters
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.active.is_(True), audience.is_(True))
                               .order_by(ChecklistItem.position, ChecklistItem.id))
    return [item for item in items if item.applies_to(induction.service_group, induction.job_group)]


def _copy_items(induction: Induction) -> None:
    have = {item.source_item_id for item in induction.items}
    for item in _applying_items(induction):
        if item.id in have:
            continue
        induction.items.append(InductionItem(
            source_item_id=item.id, code=item.code, section=item.section, title=item.title, link=item.link,
            confirmer=item.confirmer, deadline=item.deadline, requirement=item.requirement,
            gates_case_system=item.gates_case_system, automatic=item.automatic, position=item.position,
            due_on=dates.induction_deadline(induction.start_date, induction.length_days, item.deadline)))


def date_taken(person: Staff, kind: str, start_date: date, except_id: int | None = None) -> bool:
    """Whether the person already had an induction of this kind from this date (a cancelled one included: it
    stays as a record, and the pair is unique)."""
    query = select(Induction.id).where(Induction.staff_id == person.id, Induction.kind == kind,
                                       Induction.start_date == start_date)
    if except_id is not None:
        query = query.where(Induction.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def open_induction(person: Staff, *, team: Team, kind: str, template: InductionTemplate, start_date: date,
                   opened_via: str, opened_by: Staff | None, job_group: str | None = None) -> Induction:
    """Opens an induction from a template: its days on their working days, and the checklist items for the
    person's service and job (copied, so a later edit of the templates changes nothing here)."""
    induction = Induction(
        staff=person, kind=kind, employment_type=person.employment_type, template=template,
        template_version=template.version, start_date=start_date,
        starts_on=dates.induction_day_date(start_date, 1),
        ends_on=dates.induction_day_date(start_date, template.length_days), length_days=template.length_days,
        service_group=team.service.induction_group, job_group=job_group or job_group_for(person),
        opened_via=opened_via, opened_by=opened_by)
    _copy_days(induction, template, team)
    _copy_items(induction)
    db.session.add(induction)
    db.session.flush()
    return induction


def opens_for(person: Staff, on: date) -> bool:
    """CONTRACT.md "Induction dates": adding or importing someone whose start date is today or later, or within
    the last 10 working days, opens their induction."""
    return dates.in_induction_window(person.start_date, on)


def open_for_new_staff(person: Staff, team: Team, opened_via: str, opened_by: Staff | None) -> Induction | None:
    """The induction a newly added person gets, from their employment type's template; None when the start is
    outside the window, or no template is active (the caller says so)."""
    if not opens_for(person, dates.today()):
        return None
    template = active_template(person.employment_type)
    if template is None:
        return None
    return open_induction(person, team=team, kind="new_starter", template=template,
                          start_date=person.start_date, opened_via=opened_via, opened_by=opened_by)


def is_planned(induction: Induction) -> bool:
    """Not started yet and nothing ticked but the before-the-start items: a new start date simply re-dates it."""
    return induction.is_open and dates.today() < induction.starts_on and all(
        item.done_on is None and item.na_reason is None for item in induction.items
        if item.deadline != "before_start")


def replan(induction: Induction, *, start_date: date, template: InductionTemplate | None, job_group: str,
           team: Team) -> None:
    """A new start date, template or job group: the timetable is made again from the template (from the one it
    came from unless another is chosen) and every open item is re-dated; done and not-applicable items and
    their dates stay. Items that no longer apply go unless they were already done or marked not applicable."""
    template = template or induction.template
    induction.start_date = start_date
    induction.starts_on = dates.induction_day_date(start_date, 1)
    induction.job_group = job_group
    induction.service_group = team.service.induction_group
    if template is not None:
        induction.template, induction.template_version = template, template.version
        induction.length_days = template.length_days
    induction.ends_on = dates.induction_day_date(start_date, induction.length_days)
    if template is not None:
        induction.days.clear()
        db.session.flush()
        _copy_days(induction, template, team)
    else:  # the template is gone: keep the copied days, on their new dates
        on_dates = day_dates(start_date, induction.length_days, ((d.day_number, d.kind) for d in induction.days),
                             team.meeting_weekday)
        for day, on_date in zip(induction.days, on_dates, strict=True):
            day.on_date = on_date
    applying = {item.id for item in _applying_items(induction)}
    for item in list(induction.items):
        if item.source_item_id not in applying and item.done_on is None and item.na_reason is None:
            induction.items.remove(item)
    _copy_items(induction)
    for item in induction.items:
        if item.done_on is None and item.na_reason is None:
            item.due_on = dates.induction_deadline(start_date, induction.length_days, item.deadline)
    db.session.flush()


def start_date_changed(person: Staff, team: Team, opened_by: Staff | None, opened_via: str) -> Induction | None:
    """After a change of start date (the staff form or the import): a planned induction moves with it; someone
    with no new-starter induction whose new start is in the window gets one (a re-hire). A started induction is
    the manager's to re-plan."""
    current = db.session.scalar(select(Induction).where(Induction.staff_id == person.id,
                                                        Induction.kind == "new_starter")
                                .order_by(Induction.start_date.desc()).limit(1))
    if current is None or current.cancelled_at is not None:
        if open_induction_of(person) is None:
            return open_for_new_staff(person, team, opened_via, opened_by)
        return None
    if current.start_date != person.start_date and is_planned(current):
        replan(current, start_date=person.start_date, template=None, job_group=current.job_group, team=team)
        return current
    return None


def cancel(induction: Induction, reason: str, by: Staff | None) -> None:
    induction.cancelled_at = dates.utcnow()
    induction.cancelled_by = by
    induction.cancel_reason = reason.strip()
    db.session.flush()


def close_for_leaver(person: Staff, by: Staff | None) -> None:
    """A leaver's open induction is cancelled, with the day they left as the reason; it stays as a record."""
    induction = open_induction_of(person)
    if induction is not None:
        cancel(induction, f"Left on {person.left_on or dates.today():%-d %B %Y}", by)

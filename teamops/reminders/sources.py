"""What is due for whom on a day (issue 15 item 2): each source reads one kind of thing and gives the reminders
it owes, each keyed by the thing and the moment it is about, so that the run sends it once.

A reminder's line names people, dates and case references, never what a record, an action or an audit says:
the digest is an e-mail, and e-mail leaves TeamOps (the standards' privacy rule).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import url_for
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from teamops import dates, scheduling
from teamops.access import ABOVE_TEAMS, escalated_team_ids
from teamops.cases.models import Case
from teamops.directory import checking
from teamops.directory.models import NetworkContact
from teamops.extensions import db
from teamops.induction import checkins
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction
from teamops.org.models import Staff, Team
from teamops.quality.audit_models import CaseAudit
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord
from teamops.returns import services as returns
from teamops.returns.models import ACCEPTED, SUBMITTED, CaseloadReview, SupervisionReturn

# Categories: what a person may later choose e-mail for; overdue items and escalations always send.
SUPERVISION, ACTIONS, RECORDS, DISAGREEMENTS, INDUCTION, RETURNS, AUDITS, DIRECTORY = (
    "supervision", "actions", "records", "disagreements", "induction", "returns", "audits", "directory")
CATEGORY_HEADINGS = {
    SUPERVISION: "Supervision due", ACTIONS: "Supervision actions", RECORDS: "Supervision records",
    DISAGREEMENTS: "Disagreements to resolve", INDUCTION: "Inductions and buddies",
    RETURNS: "Returns and caseload reports for QAIT", AUDITS: "Case audits", DIRECTORY: "Directory entries to check",
}
# The kinds that have reminders of something coming, which a person may choose to see in TeamOps only (the
# others are all overdue, late or escalated: always e-mailed).
CHOOSABLE = (SUPERVISION, INDUCTION, RETURNS, AUDITS, DIRECTORY)
RECORD_DAYS = 7  # R-SUP-5 and the standards: a record is signed off, filed and acknowledged within 7 days
RECORD_LOOKBACK = 60  # days: an older record's reminders were sent long ago (each once), so it is not read again
RETURN_DUE_SOON_WORKING_DAYS = 2
# A late return is escalated: to the service manager once it is more than 3 working days late, and to the head of
# service once it is more than 6 (issue 15 item 2).
RETURN_SERVICE_MANAGER_AFTER, RETURN_HEAD_AFTER = 3, 6
AUDIT_DUE_SOON_DAYS = scheduling.DUE_SOON_DAYS
CASES_AT_ONCE = 5000


# Reminders of something coming (deferred to a weekly digest, or kept in TeamOps, if the person chooses); every
# other reminder is of something overdue, missed, late or escalated, and always goes by e-mail on the day.
COMING = ("case-due-soon:", "personal-due-soon:", "induction-due-soon:", "audit-due-soon:", "return-due:",
          "caseload-due:", "checkin-due:", "directory-check:")
DISAGREEMENT_EVERY = 7  # days: an unresolved disagreement is brought up again each week


def is_coming(key: str) -> bool:
    return key.startswith(COMING)


@dataclass(frozen=True)
class Reminder:
    staff_id: int
    key: str
    category: str
    line: str
    path: str


def _d(day: date) -> str:
    return f"{day:%-d %B %Y}"


def supervision(on: date) -> Iterator[Reminder]:
    """Case supervision entering the due-soon window (the worker) and overdue (the worker and their line
    manager); personal supervision the same (R-SUP, CONTRACT.md ``due_soon``: 7 days)."""
    cases = list(db.session.scalars(
        select(Case).join(Staff, Staff.id == Case.worker_id)
        .where(or_(Case.closed_on.is_(None), Case.closed_on > on), Case.allocated_on <= on, Staff.active.is_(True))
        .options(joinedload(Case.worker))))
    policy = scheduling.load_policy(on)
    dues: dict[int, scheduling.CaseDue] = {}
    for start in range(0, len(cases), CASES_AT_ONCE):  # each batch's ids are one IN list: within SQLite's limit
        dues.update(scheduling.case_dues(cases[start:start + CASES_AT_ONCE], on, policy))
    for case in cases:
        due = dues[case.id]
        if due.next_due_on is None or due.due_state not in (scheduling.DUE_SOON, scheduling.OVERDUE):
            continue
        path = url_for("cases.show", case_id=case.id)
        worker = case.worker
        if due.due_state == scheduling.DUE_SOON:
            yield Reminder(worker.id, f"case-due-soon:{case.id}:{due.next_due_on}", SUPERVISION,
                           f"Case {case.case_ref}: case supervision is due by {_d(due.next_due_on)}", path)
            continue
        key = f"case-overdue:{case.id}:{due.next_due_on}"
        yield Reminder(worker.id, key, SUPERVISION,
                       f"Case {case.case_ref}: case supervision is overdue (due {_d(due.next_due_on)})", path)
        if worker.line_manager_id is not None:
            yield Reminder(worker.line_manager_id, key, SUPERVISION,
                           f"Case {case.case_ref} ({worker.name}): case supervision is overdue "
                           f"(due {_d(due.next_due_on)})", path)
    people = list(db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.line_manager_id.is_not(None), Staff.start_date <= on)))
    personal = scheduling.person_dues(people, on, policy)
    for person in people:
        due_ = personal[person.id]
        if due_.due_state == scheduling.DUE_SOON:
            yield Reminder(person.id, f"personal-due-soon:{person.id}:{due_.next_due_on}", SUPERVISION,
                           f"Your personal supervision is due by {_d(due_.next_due_on)}",
                           url_for("bookings.mine"))
        elif due_.due_state == scheduling.OVERDUE:
            key = f"personal-overdue:{person.id}:{due_.next_due_on}"
            yield Reminder(person.id, key, SUPERVISION,
                           f"Your personal supervision is overdue (due {_d(due_.next_due_on)})",
                           url_for("bookings.mine"))
            assert person.line_manager_id is not None
            yield Reminder(person.line_manager_id, key, SUPERVISION,
                           f"{person.name}: personal supervision is overdue (due {_d(due_.next_due_on)})",
                           url_for("dashboards.team"))


def actions(on: date) -> Iterator[Reminder]:
    """Supervision actions past their timescale: their owner (R-SUP-6). The action's words stay in TeamOps."""
    rows = db.session.execute(
        select(SupervisionAction.id, SupervisionAction.owner_id, SupervisionAction.due_on, SupervisionRecord.held_on,
               Staff.name)
        .join(SupervisionRecord, SupervisionRecord.id == SupervisionAction.record_id)
        .join(Staff, Staff.id == SupervisionRecord.worker_id)
        .where(SupervisionAction.status == "open", SupervisionAction.due_on < on,
               SupervisionRecord.status == "signed_off"))
    path = url_for("records.actions")
    for action_id, owner_id, due_on, held_on, worker in rows:
        yield Reminder(owner_id, f"action-overdue:{action_id}:{due_on}", ACTIONS,
                       f"A supervision action from {worker}'s supervision of {_d(held_on)} was due {_d(due_on)}",
                       path)


def records(on: date) -> Iterator[Reminder]:
    """Supervision records written in TeamOps more than 7 days ago and still not signed off (the supervisor),
    case discussions not filed on the case system within the 7 days (the supervisor, R-SUP-5), and records signed
    off more than 7 days ago that the worker has not acknowledged (the worker)."""
    cutoff = on - timedelta(days=RECORD_DAYS)
    found = db.session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.held_on <= cutoff, SupervisionRecord.held_on > on - timedelta(days=RECORD_LOOKBACK),
               SupervisionRecord.imported.is_(False),
               or_(SupervisionRecord.status == "draft", SupervisionRecord.acknowledged_at.is_(None),
                   and_(SupervisionRecord.filed_at.is_(None), SupervisionRecord.kind != "personal")))
        .options(joinedload(SupervisionRecord.worker)))
    signed_before = datetime.combine(cutoff, time(), dates.LONDON)
    for record in found:
        path = url_for("records.show", record_id=record.id)
        about = f"{record.worker.name}'s supervision of {_d(record.held_on)}"
        if record.status == "draft":
            yield Reminder(record.supervisor_id, f"record-not-signed-off:{record.id}", RECORDS,
                           f"The record of {about} is not signed off", path)
            continue
        if record.filed_at is None and record.kind != "personal":
            yield Reminder(record.supervisor_id, f"record-not-filed:{record.id}", RECORDS,
                           f"The record of {about} is not yet filed on the child's record (due within "
                           f"{RECORD_DAYS} days of the session)", path)
        if record.acknowledged_at is None and record.signed_off_at is not None \
                and record.signed_off_at <= signed_before:
            yield Reminder(record.worker_id, f"record-not-acknowledged:{record.id}", RECORDS,
                           f"Please read and acknowledge the record of your supervision of {_d(record.held_on)}",
                           path)


def supervision_returns(on: date) -> Iterator[Reminder]:
    """A month's return (R-QA-1/2): due within 2 working days, then overdue, to the team's managers; more than 3
    working days late, also the service manager; more than 6, also the head of service; and QAIT, on the first
    working day any is late, how many teams to chase. The month is last month
    or, at the end of a month whose return falls due in the first days of the next (1 January 2027 is a bank
    holiday, so December 2026's is due on Monday 4 January), this month."""
    for month in (returns.last_month(on), on.replace(day=1)):
        yield from _month_return(month, on)


def _month_return(month: date, on: date) -> Iterator[Reminder]:
    due_on = returns.due_on(month)
    left = dates.working_days_left(on, due_on)
    late = dates.working_days_late(due_on, on)
    if not (late > 0 or 0 < left <= RETURN_DUE_SOON_WORKING_DAYS):
        return
    done = set(db.session.scalars(select(SupervisionReturn.team_id).where(
        SupervisionReturn.month == month, SupervisionReturn.status.in_((SUBMITTED, ACCEPTED)))))
    teams = list(db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)))
    label = dates.month_label(month)
    missing = [team for team in teams if team.id not in done]
    if late > 0 and missing:  # QAIT, once a month, on the first working day a return is late: whom to chase
        count = len(missing)
        for qait in db.session.scalars(select(Staff.id).where(Staff.active.is_(True), Staff.role == "qait")):
            yield Reminder(qait, f"returns-to-chase:{month:%Y-%m}", RETURNS,
                           f"{count} team{'s have' if count != 1 else ' has'} not sent the {label} supervision "
                           f"return due on {_d(due_on)}: chase them from the returns page",
                           url_for("returns.index", month=dates.month_code(month)))
    managers = returns.managers_by_team((team.id for team in missing), on) if late == 0 else {}
    for team in missing:
        path = url_for("returns.team_return", team_id=team.id, month=dates.month_code(month))
        if late == 0:
            for person_id in managers.get(team.id, []):
                yield Reminder(person_id, f"return-due:{team.id}:{month:%Y-%m}", RETURNS,
                               f"{team.name}: the {label} supervision return is due to QAIT by {_d(due_on)}", path)
            continue
        level = 3 if late > RETURN_HEAD_AFTER else 2 if late > RETURN_SERVICE_MANAGER_AFTER else 1
        told = {1: "", 2: "; the service manager has been told", 3: "; the service manager and head of service "
                "have been told"}[level]
        for person in returns.chase_recipients(team, level):
            yield Reminder(person.id, f"return-late:{team.id}:{month:%Y-%m}:{level}", RETURNS,
                           f"{team.name}: the {label} supervision return was due to QAIT on {_d(due_on)} and is "
                           f"{late} working day{'s' if late != 1 else ''} late{told}", path)


def audits(on: date) -> Iterator[Reminder]:
    """Case audits not yet submitted: due within 7 days, then overdue, to the auditor and any audit buddy (not a
    draft the retention purge emptied: it can no longer be written in)."""
    found = db.session.scalars(
        select(CaseAudit).where(CaseAudit.submitted_at.is_(None), CaseAudit.content_purged_on.is_(None),
                                CaseAudit.due_on <= on + timedelta(days=AUDIT_DUE_SOON_DAYS))
        .options(joinedload(CaseAudit.case), joinedload(CaseAudit.round)))
    for audit in found:
        overdue = audit.due_on < on
        state = "overdue" if overdue else "due-soon"
        words = f"was due {_d(audit.due_on)}" if overdue else f"is due by {_d(audit.due_on)}"
        path = url_for("quality.audit", audit_id=audit.id)
        for person_id in (audit.auditor_id, audit.buddy_id):
            if person_id is not None:
                yield Reminder(person_id, f"audit-{state}:{audit.id}:{audit.due_on}", AUDITS,
                               f"Your audit of case {audit.case.case_ref} ({audit.round.name}) {words}", path)


def _open_inductions() -> list[Induction]:
    """Inductions not signed off or cancelled, with their person, days and items (three statements)."""
    return list(db.session.scalars(
        select(Induction).join(Staff, Staff.id == Induction.staff_id)
        .where(Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None), Staff.active.is_(True))
        .options(joinedload(Induction.staff), selectinload(Induction.days), selectinload(Induction.items))))


def induction(on: date) -> Iterator[Reminder]:
    """A starter's checklist (R-IND): tasks to do before the start date, to the starter's line manager, from a
    week before it; the starter's own items from a week before they are due, and once overdue also to the line
    manager. Buddy check-ins (R-IND-14): to the buddy on the day; one missed (from the working day after), to the
    buddy and the line manager."""
    inductions = _open_inductions()
    buddies: dict[int, int] = {induction_id: buddy_id for induction_id, buddy_id in db.session.execute(
        select(InductionBuddy.induction_id, InductionBuddy.buddy_id)
        .where(InductionBuddy.to_date.is_(None), InductionBuddy.induction_id.in_([i.id for i in inductions])))}
    logged: dict[int, list[InductionCheckin]] = defaultdict(list)
    for checkin in db.session.scalars(select(InductionCheckin).where(
            InductionCheckin.induction_id.in_([i.id for i in inductions]))):
        logged[checkin.induction_id].append(checkin)
    soon = on + timedelta(days=scheduling.DUE_SOON_DAYS)
    for found in inductions:
        starter = found.staff
        manager = starter.line_manager_id
        path = url_for("induction.show", induction_id=found.id)
        for item in found.items:
            if item.resolved or item.done_on is not None or item.due_on > soon:
                continue
            state = "overdue" if item.due_on < on else "due-soon"
            words = f"was due {_d(item.due_on)}" if item.due_on < on else f"is due by {_d(item.due_on)}"
            key = f"induction-{state}:{item.id}:{item.due_on}"
            if item.deadline == "before_start":
                if manager is not None:
                    yield Reminder(manager, key, INDUCTION,
                                   f"{starter.name}'s induction, before they start: “{item.title}” {words}", path)
                continue
            yield Reminder(starter.id, key, INDUCTION, f"Your induction: “{item.title}” {words}", path)
            if item.due_on < on and manager is not None:
                yield Reminder(manager, key, INDUCTION, f"{starter.name}'s induction: “{item.title}” {words}", path)
        buddy = buddies.get(found.id)
        if buddy is None:
            continue
        for expected in checkins.matched(found, logged[found.id], on):
            if expected.met_by is None and expected.on == on:
                yield Reminder(buddy, f"checkin-due:{found.id}:{expected.on}", INDUCTION,
                               f"Your buddy check-in with {starter.name} is due today", path)
            elif expected.missed and expected.on >= on - timedelta(days=RECORD_LOOKBACK):
                key = f"checkin-missed:{found.id}:{expected.on}"
                line = f"The buddy check-in with {starter.name} due on {_d(expected.on)} was not logged"
                yield Reminder(buddy, key, INDUCTION, line, path)
                if manager is not None:
                    yield Reminder(manager, key, INDUCTION, line, path)


def caseload_commentary(on: date) -> Iterator[Reminder]:
    """A caseload review waiting for its commentary (R-QA-3): to the team's managers, from 2 working days before
    it is due, and once overdue."""
    reviews = list(db.session.scalars(
        select(CaseloadReview).where(CaseloadReview.returned_at.is_(None))
        .options(joinedload(CaseloadReview.team))))
    managers = returns.managers_by_team({review.team_id for review in reviews}, on)
    for review in reviews:
        late = review.commentary_due_on < on
        if not late and dates.working_days_left(on, review.commentary_due_on) > RETURN_DUE_SOON_WORKING_DAYS:
            continue
        state = "overdue" if late else "due"
        words = f"was due {_d(review.commentary_due_on)}" if late else f"is due by {_d(review.commentary_due_on)}"
        for person_id in managers.get(review.team_id, []):
            yield Reminder(person_id, f"caseload-{state}:{review.id}", RETURNS,
                           f"{review.team.name}: your commentary on the {dates.month_label(review.month)} caseload "
                           f"report {words}", url_for("returns.caseload_review", review_id=review.id))


def _escalation_recipients() -> dict[int, list[int]]:
    """Each team's id and who its escalations come to (its own service manager, or its head of service when it
    has none: R-SUP-7, R-ORG-1), from the one rule in ``teamops.access``; one query per senior manager."""
    found: dict[int, list[int]] = defaultdict(list)
    for person in db.session.scalars(select(Staff).where(Staff.active.is_(True), Staff.role.in_(ABOVE_TEAMS))):
        ids = escalated_team_ids(person)
        for team_id in db.session.scalars(ids) if ids is not None else ():
            found[team_id].append(person.id)
    return found


def disagreements(on: date) -> Iterator[Reminder]:
    """Disagreements not resolved (R-SUP-7), each brought up again every week until someone records how it was
    resolved. About a case's next action: escalated at once, so to the team's service manager. About what a
    record says: to the supervisor from the day after the worker said so, and from the day it escalates (7 days
    on) to the service manager too. Case references and dates only, never what anyone said."""
    senior = _escalation_recipients()
    about_cases = db.session.execute(
        select(CaseDiscussion.id, CaseDiscussion.held_on, Case.case_ref, Staff.name, Staff.team_id)
        .join(Case, Case.id == CaseDiscussion.case_id)
        .join(SupervisionRecord, SupervisionRecord.id == CaseDiscussion.record_id)
        .join(Staff, Staff.id == SupervisionRecord.worker_id)
        .where(CaseDiscussion.disagreement.is_(True), CaseDiscussion.resolved_at.is_(None),
               CaseDiscussion.held_on < on))
    for discussion_id, held_on, case_ref, worker, team_id in about_cases:
        week = (on - held_on).days // DISAGREEMENT_EVERY
        for person_id in senior.get(team_id, ()):
            yield Reminder(person_id, f"disagreement:{discussion_id}:{week}", DISAGREEMENTS,
                           f"Case {case_ref}: {worker} disagrees with the next action agreed in supervision on "
                           f"{_d(held_on)}, and it is not resolved", url_for("records.resolve",
                                                                          discussion_id=discussion_id))
    about_records = list(db.session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.worker_disagrees.is_(True), SupervisionRecord.disagreement_resolved_at.is_(None),
               SupervisionRecord.acknowledged_at.is_not(None))
        .options(joinedload(SupervisionRecord.worker))))
    active = set(db.session.scalars(select(Staff.id).where(
        Staff.active.is_(True), Staff.id.in_({record.supervisor_id for record in about_records}))))
    for record in about_records:
        assert record.acknowledged_at is not None
        said_on = dates.london_date(record.acknowledged_at)
        if said_on >= on:
            continue
        escalates_on = dates.disagreement_escalates_on(record.acknowledged_at)
        week = (on - said_on).days // DISAGREEMENT_EVERY
        path = url_for("records.resolve_disagreement", record_id=record.id)
        line = (f"{record.worker.name} disagrees with what the record of their supervision of "
                f"{_d(record.held_on)} says, and it is not resolved")
        # The supervisor resolves it; one who has left cannot, so the worker's line manager hears instead.
        resolver = record.supervisor_id if record.supervisor_id in active else record.worker.line_manager_id
        if resolver is not None:
            yield Reminder(resolver, f"record-disagreement:{record.id}:{week}", DISAGREEMENTS, line, path)
        if on >= escalates_on:
            for person_id in senior.get(record.worker.team_id, ()):
                yield Reminder(person_id, f"record-disagreement:{record.id}:{week}", DISAGREEMENTS,
                               f"{line} (escalated to you on {_d(escalates_on)})", path)


def directory_checks(on: date) -> Iterator[Reminder]:
    """Directory entries not checked for six months (or never): to whoever keeps each (a team's managers, a
    network's listed contacts, a contact who is a member of staff, the champion themselves), or to the admins
    when nobody here keeps it. Once for each time an entry goes stale: confirming or editing it ends it."""
    found = checking.to_check(on)
    admins = list(db.session.scalars(select(Staff.id).where(Staff.active.is_(True), Staff.role == "admin")))
    listed: dict[int, list[int]] = defaultdict(list)
    for network_id, staff_id in db.session.execute(
            select(NetworkContact.network_id, NetworkContact.staff_id).join(Staff, Staff.id == NetworkContact.staff_id)
            .where(Staff.active.is_(True), NetworkContact.network_id.in_([n.id for n in found.networks]))):
        listed[network_id].append(staff_id)
    staff_active = set(db.session.scalars(select(Staff.id).where(
        Staff.active.is_(True), Staff.id.in_([c.staff_id for c in found.contacts if c.staff_id is not None]))))

    def entry(kind: str, entry_id: int, checked: date | None, name: str, path: str,
              keepers: list[int]) -> Iterator[Reminder]:
        when = f"was last checked on {_d(checked)}" if checked else "has never been checked"
        for person_id in keepers or admins:
            yield Reminder(person_id, f"directory-check:{kind}:{entry_id}:{checked or 'never'}", DIRECTORY,
                           f"The directory entry for {name} {when}: please confirm it is still correct, or change "
                           "it", path)

    managers = returns.managers_by_team((team.id for team in found.teams), on)
    for team in found.teams:
        yield from entry("team", team.id, team.checked_on, team.name, url_for("directory.team", team_id=team.id),
                         managers.get(team.id, []))
    for network in found.networks:
        yield from entry("network", network.id, network.checked_on, network.name,
                         url_for("directory.network", network_id=network.id), listed.get(network.id, []))
    for contact in found.contacts:
        keeper = [contact.staff_id] if contact.staff_id in staff_active else []
        yield from entry("contact", contact.id, contact.checked_on, contact.name,
                         url_for("directory.contact", contact_id=contact.id), keeper)
    for champion in found.champions:
        yield from entry("champion", champion.id, champion.checked_on,
                         f"you as {champion.area.name.lower()} champion", url_for("directory.champion_mine"),
                         [champion.staff_id])


SOURCES: tuple[Callable[[date], Iterator[Reminder]], ...] = (supervision, actions, records, disagreements,
                                                             induction, supervision_returns, caseload_commentary,
                                                             audits, directory_checks)


def due_on(on: date) -> list[Reminder]:
    """Every reminder owed on ``on``, from every source, each person and key once."""
    seen: dict[tuple[int, str], Reminder] = {}
    for source in SOURCES:
        for reminder in source(on):
            seen.setdefault((reminder.staff_id, reminder.key), reminder)
    return list(seen.values())

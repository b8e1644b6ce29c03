"""Every write to supervision records: writing and changing one (the discussions, the review of last time's
actions and the new actions), sign-off by the manager, acknowledgement by the worker (with their comment or
disagreement, and its resolution), versions after sign-off and filing on the case record. Services flush; the
request (or import) commits once.

A double submit (the same booking, or the same session within a minute) gives back the record already
written instead of a second one. Each step of sign-off is only possible in its turn: a worker acknowledges
what was signed off, and a change after sign-off keeps the earlier version readable and asks the worker to
acknowledge again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from teamops.cases.models import Case
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records import labels
from teamops.records.models import ActionReview, CaseDiscussion, RecordVersion, SupervisionAction, SupervisionRecord
from teamops.records.setup import Setup, recorded_booking
from teamops.records.text import snapshot
from teamops.web import format_datetime

DUPLICATE_WINDOW = timedelta(minutes=1)
# What keeping a version changes on the record: the worker's response goes with the version it was about.
VERSION_MARKS = ("version", "acknowledged_at", "filed_at", "worker_response")


@dataclass
class ReviewInput:
    """How this supervision reviewed an open action from last time."""

    action_id: int
    outcome: str
    reason: str = ""


@dataclass
class ActionInput:
    """An action row: a new one (no id), or one the record holds, changed or removed."""

    action_id: int | None
    description: str
    owner_id: int
    due_on: date | None
    remove: bool = False


@dataclass
class SectionInput:
    """One case discussed (``case_id``) or the personal part (``case_id`` None)."""

    case_id: int | None
    values: dict[str, Any]
    reviews: list[ReviewInput] = field(default_factory=list)
    actions: list[ActionInput] = field(default_factory=list)


@dataclass
class RecordContent:
    sections: list[SectionInput]
    held_on: date | None = None  # only when a change moves the session date
    reason: str = ""  # why a signed-off record changes


def find_duplicate(setup: Setup, excluding: int | None = None) -> SupervisionRecord | None:
    """The record this submit would repeat: the booking's, or the same session written in the last minute."""
    if setup.booking is not None:
        found = recorded_booking(setup.booking.id)
        return found if found is not None and found.id != excluding else None
    query = (select(SupervisionRecord).where(
        SupervisionRecord.worker_id == setup.worker.id, SupervisionRecord.kind == setup.kind,
        SupervisionRecord.held_on == setup.held_on, SupervisionRecord.recorded_at >= utcnow() - DUPLICATE_WINDOW)
        .options(selectinload(SupervisionRecord.discussions)).order_by(SupervisionRecord.id))
    if excluding is not None:
        query = query.where(SupervisionRecord.id != excluding)
    wanted = {case.id for case in setup.cases}
    return next((r for r in db.session.scalars(query) if {d.case_id for d in r.discussions} == wanted), None)


def add_record(kind: str, held_on: date, worker: Staff, supervisor: Staff, cases: list[Case] | None = None,
               imported: bool = False) -> SupervisionRecord:
    """A supervision held on ``held_on``: a personal one, or a case/group one discussing ``cases``.
    Imports add it as it is (signed off, nothing to acknowledge); a record written in TeamOps starts here."""
    record = SupervisionRecord(kind=kind, held_on=held_on, worker=worker, supervisor=supervisor,
                               imported=imported, status="signed_off" if imported else "draft")
    for case in cases or []:
        record.discussions.append(CaseDiscussion(case=case, held_on=held_on))
    db.session.add(record)
    db.session.flush()
    return record


def create_record(setup: Setup, supervisor: Staff, content: RecordContent) -> tuple[SupervisionRecord, bool]:
    """Writes the record; ``(record, False)`` when it had already been written (a double submit).

    Two submits of one form can arrive together. Each first locks the worker's row (PostgreSQL) and writes
    its record (which takes SQLite's single write lock), so the second waits for the first to commit and
    then finds the first's record, and leaves without writing its own."""
    db.session.execute(select(Staff.id).where(Staff.id == setup.worker.id).with_for_update())
    try:
        record = add_record(setup.kind, setup.held_on, setup.worker, supervisor, setup.cases)
        record.attendees = list(setup.attendees)
        if setup.booking is not None:
            record.booking = setup.booking
            setup.booking.status = "held"
        db.session.flush()
        existing = find_duplicate(setup, excluding=record.id)
        if existing is not None:
            existing_id = existing.id
            db.session.rollback()
            return db.session.get(SupervisionRecord, existing_id) or existing, False
        apply_content(record, content)
        db.session.flush()
    except IntegrityError:  # the booking's record was written by a submit that got there first
        db.session.rollback()
        existing = find_duplicate(setup)
        if existing is None:
            raise
        return existing, False
    return record, True


def update_record(record: SupervisionRecord, content: RecordContent, editor: Staff) -> bool:
    """Changes a record; False when the submitted content changes nothing. Before sign-off it changes in
    place; after sign-off the previous content is kept as a version with the reason, and the worker
    acknowledges the new version again."""
    before = snapshot(record) if record.status == "signed_off" else None
    if before is not None:
        # The new version is numbered before its content is written, so the audit trail names the version
        # that holds the change; an unchanged save is rolled back below, version and all.
        keep_version(record, before, content.reason, editor)
    if content.held_on is not None and content.held_on != record.held_on:
        record.held_on = content.held_on
        for discussion in record.discussions:
            discussion.held_on = content.held_on  # due dates read the discussion's own date
    apply_content(record, content)
    db.session.flush()
    if before is not None and _without_marks(snapshot(record)) == _without_marks(before):
        db.session.rollback()
        return False
    return True


def _without_marks(content: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without what ``keep_version`` itself changes, to tell whether the content changed."""
    return {key: value for key, value in content.items() if key not in VERSION_MARKS}


def apply_content(record: SupervisionRecord, content: RecordContent) -> None:
    discussions: dict[int, CaseDiscussion] = {d.case_id: d for d in record.discussions}
    reviews = {r.action_id: r for r in db.session.scalars(
        select(ActionReview).where(ActionReview.record_id == record.id)
        .options(selectinload(ActionReview.action)))}
    for section in content.sections:
        target: Any = record if section.case_id is None else discussions[section.case_id]
        for name, value in section.values.items():
            setattr(target, name, value)
        for given in section.reviews:
            _review(record, reviews.get(given.action_id), given)
        for row in section.actions:
            _action(record, section.case_id, row)


def _review(record: SupervisionRecord, review: ActionReview | None, given: ReviewInput) -> None:
    """Stores the review and applies it to the action: done, still open (carried forward), or dropped."""
    if review is None:
        review = ActionReview(record=record, action_id=given.action_id)
        db.session.add(review)
    review.outcome, review.reason = given.outcome, given.reason
    action = db.session.get(SupervisionAction, given.action_id)
    if action is None:
        return
    action.status = {"done": "done", "dropped": "dropped"}.get(given.outcome, "open")
    action.done_on = record.held_on if given.outcome == "done" else None
    action.drop_reason = given.reason if given.outcome == "dropped" else ""


def _action(record: SupervisionRecord, case_id: int | None, row: ActionInput) -> None:
    if row.action_id is None:
        record.actions.append(SupervisionAction(case_id=case_id, owner_id=row.owner_id,
                                                description=row.description, due_on=row.due_on))
        return
    action = next((a for a in record.actions if a.id == row.action_id), None)
    if action is None:
        return
    if row.remove:
        record.actions.remove(action)
        db.session.delete(action)
        return
    action.description, action.owner_id = row.description, row.owner_id
    if row.due_on is not None:
        action.due_on = row.due_on


# "n/a" or "Not applicable" and nothing else: the reason is missing.
_BARE_NOT_APPLICABLE = re.compile(r"^\s*(n\s*/\s*a|not\s+applicable)\s*[.:;,!-]*\s*$", re.IGNORECASE)


def missing_core(record: SupervisionRecord) -> list[str]:
    """Why the record cannot be signed off yet (R-SUP-4): for each case discussed, the child's voice, the
    reflective analysis and the key decisions written, or marked "Not applicable" with the reason. Drafts may be
    incomplete; an empty list means it may be signed off."""
    problems = []
    for discussion in record.discussions:
        for name in labels.CORE_SECTIONS:
            label = labels.DISCUSSION_SECTIONS[name].lower()
            text = getattr(discussion, name).strip()
            if not text:
                problems.append(f"Case {discussion.case.case_ref}: write {label}, or “Not applicable” and why")
            elif _BARE_NOT_APPLICABLE.match(text):
                problems.append(f"Case {discussion.case.case_ref}: say why {label} is not applicable")
    return problems


def not_held_yet(record: SupervisionRecord) -> str | None:
    """Why a record written from a booking cannot be signed off before its session has started."""
    booking = record.booking
    if booking is None or booking.starts_at <= utcnow():
        return None
    return (f"The session starts at {format_datetime(booking.starts_at)}: sign the record off once it has been "
            "held")


def sign_off(record: SupervisionRecord) -> bool:
    """False when it was already signed off (a second click changes nothing). Call ``missing_core`` first."""
    if record.status == "signed_off":
        return False
    record.status = "signed_off"
    record.signed_off_at = utcnow()
    db.session.flush()
    return True


def acknowledge(record: SupervisionRecord, disagrees: bool = False, comment: str = "") -> bool:
    """The worker confirms they have read the signed-off record, with their comment and whether they disagree
    with what was written (R-SUP-7: the form asks the reason); False when not possible or already done. An
    imported record holds no content to read (only its date and cases), so it is not acknowledged."""
    if record.status != "signed_off" or record.acknowledged_at is not None or record.imported:
        return False
    record.acknowledged_at = utcnow()
    record.worker_disagrees = disagrees
    record.worker_comment = comment.strip()
    db.session.flush()
    return True


def resolve_disagreement(record: SupervisionRecord, user: Staff, resolution: str) -> bool:
    """Records how the worker's disagreement was resolved; False when there is none open (nothing changes)."""
    if not record.disagreement_open:
        return False
    record.disagreement_resolution = resolution.strip()
    record.disagreement_resolved_at = utcnow()
    record.disagreement_resolved_by = user
    db.session.flush()
    return True


def mark_filed(record: SupervisionRecord, discussion: CaseDiscussion | None = None) -> bool:
    """The manager has pasted the signed-off record (one case's discussion of it, or all of it) into the
    case-recording system. Each discussion keeps when it was first filed (R-SUP-5: a group record is filed per
    case discussed); the record counts as on file once every discussion is. False when nothing changed."""
    if record.status != "signed_off":
        return False
    now, changed = utcnow(), False
    for each in [discussion] if discussion is not None else record.discussions:
        if each.filed_at is None:
            each.filed_at, changed = now, True
    if record.filed_at is None and all(each.filed_at is not None for each in record.discussions):
        record.filed_at, changed = now, True
    db.session.flush()
    return changed


def keep_version(record: SupervisionRecord, previous: dict[str, Any], reason: str, editor: Staff) -> None:
    """Keeps the signed-off content as it was before a change; the new content is the next version. The worker
    has not read the new version yet, and the case file holds the old one, so both marks are cleared. What the
    worker said about the old version (their comment, a disagreement and its resolution) stays with it, in the
    snapshot; they say again about the new one. An open disagreement is resolved first (the change routes
    ask for it), so no resolution is ever recorded against a version that is gone."""
    if record.disagreement_open:
        raise ValueError("resolve the worker's disagreement before changing the record")
    record.versions.append(RecordVersion(version=record.version, snapshot=previous, reason=reason,
                                         created_by_id=editor.id))
    record.version += 1
    record.acknowledged_at = None
    record.filed_at = None
    record.worker_disagrees = None
    record.worker_comment = record.disagreement_resolution = ""
    record.disagreement_resolved_at = record.disagreement_resolved_by = None

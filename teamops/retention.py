"""Retention and minimisation (issue 16 item 6): what a supervision record said about a case is kept for
``TEAMOPS_RECORD_RETENTION_MONTHS`` after the case closes, then the ``purge-records`` command removes it.

What goes is the words: a record's free text (its discussions' R-SUP-4 and Signs of Safety sections, the scaling
score and its question, the disagreement wording and its resolution, the worker's comment), its actions' wording
and drop reasons, the reasons its reviews of earlier actions gave, the same text inside every earlier version
kept of it, and the management oversight written on the case. What stays is what the figures and the audit trail
count: every row, its dates, kinds, statuses, who and when, the cases discussed, the actions' owners, due and done
dates. Nothing any figure reads (``scheduling``, the returns, the dashboards, the API) is a text column, so the
figures do not move (a submitted return keeps its own frozen rows anyway).

A record is purged once *every* case it discussed closed before the cut-off day (a group record that also
discussed a case still open, or closed more recently, keeps its content until that one is old enough too).
Personal supervision records are about the member of staff, not a case: this policy does not touch them.

Case audits are case content too (R-QA-4/5): once the audited case closed before the cut-off day, an audit's
findings, its answers' comments and its remedial actions' wording go, and the audit is marked (it can no longer
change); its grades, dates, auditor and the actions' owners, due and done dates stay for the findings figures. A
dip sample's comments (R-QA-6) were written about one supervision record: they go when that record's content
does (the ratings stay for the trend). Observations of practice are about the member of staff, not a case (no case
is named on them), so, like personal supervision, this policy does not touch them.

The reminder runs' log (``reminder_sends``: who was reminded of what, by name and case reference) is kept for
the same period, counted from the day of the run: sent rows older than that are deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, false, func, select, update
from sqlalchemy.orm import selectinload

from teamops.audit.services import record_event
from teamops.cases.models import Case, OversightEntry
from teamops.dates import add_months, utcnow
from teamops.extensions import db
from teamops.quality.audit_models import AuditAction, AuditAnswer, CaseAudit
from teamops.quality.models import DipSample
from teamops.records.labels import DISCUSSION_SECTIONS, MAPPING_SECTIONS, PERSONAL_SECTIONS
from teamops.records.models import (
    ActionReview,
    CaseDiscussion,
    RecordVersion,
    SupervisionAction,
    SupervisionRecord,
)
from teamops.reminders.models import SENT, ReminderSend

# Every free-text column of a record and what hangs from it: the purge empties exactly these.
RECORD_TEXT = (*PERSONAL_SECTIONS, "worker_comment", "disagreement_resolution")
DISCUSSION_TEXT = ("actions_review", *DISCUSSION_SECTIONS, *MAPPING_SECTIONS, "disagreement_note", "resolution")
ACTION_TEXT = ("description", "drop_reason")
REVIEW_TEXT = ("reason",)
OVERSIGHT_TEXT = ("decision", "rationale")
# In a kept version's snapshot (``records.text.snapshot``): the same text under the same names.
SNAPSHOT_TEXT = frozenset({*RECORD_TEXT, *DISCUSSION_TEXT, *ACTION_TEXT, *REVIEW_TEXT, "comment"})
SNAPSHOT_NUMBERS = frozenset({"scaling", "scaling_question"})
BATCH = 200  # records loaded at a time: a first run over years of history stays within memory


@dataclass
class PurgeCounts:
    """How many of each were purged (or, on a dry run, would be): counts only, never content."""

    cutoff: date
    records: int = 0
    discussions: int = 0
    actions: int = 0
    reviews: int = 0
    versions: int = 0
    oversight: int = 0
    audits: int = 0
    audit_answers: int = 0
    audit_actions: int = 0
    dip_samples: int = 0
    reminder_sends: int = 0
    record_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def nothing(self) -> bool:
        return not (self.records or self.oversight or self.audits or self.dip_samples or self.reminder_sends)

    def summary(self) -> str:
        return (f"{self.records} supervision records ({self.discussions} case discussions, {self.actions} actions, "
                f"{self.reviews} action reviews, {self.versions} earlier versions), {self.oversight} oversight "
                f"entries, {self.audits} case audits ({self.audit_answers} answers, {self.audit_actions} actions), "
                f"{self.dip_samples} dip-sample comments, {self.reminder_sends} reminder log rows")


def keep_from_purge(row: SupervisionRecord | CaseAudit) -> bool:
    """Called just before text is written to a record or case audit (or about one: a dip sample's comments): True
    when its content is still there, and then the row is locked against the purge until the request commits
    (PostgreSQL's row lock, SQLite's write lock), so the purge either runs after and removes what is written now,
    or ran before and this answers False. False when a purge removed the content since the page read it (its
    ``content_purged_on`` is then read again, to say when): nothing may be written."""
    model = type(row)
    result = db.session.execute(
        update(model).where(model.id == row.id, model.content_purged_on.is_(None)).values(content_purged_on=None)
        .execution_options(synchronize_session=False))
    if int(getattr(result, "rowcount", 0) or 0) == 1:
        return True
    db.session.refresh(row, ["content_purged_on"])
    return False


def _lock_before_reading() -> None:
    """The purge reads what it empties only once no request can still write to it: on SQLite it takes the
    database's write lock first (a write that changes nothing), so a request that locked a row with
    ``keep_from_purge`` commits before the purge reads; on PostgreSQL each batch is read ``FOR UPDATE``."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(ReminderSend).where(false()).values(state=SENT)
                           .execution_options(synchronize_session=False))


def cutoff_for(on: date, months: int) -> date:
    """Content of a case closed before this day has been kept its full period on ``on``."""
    return add_months(on, -months)


def _kept_case(cutoff: date) -> ColumnElement[bool]:
    """The case is open, or closed on or after the cut-off: its records keep their content."""
    return Case.closed_on.is_(None) | (Case.closed_on >= cutoff)


def purgeable_records(cutoff: date) -> Any:
    """The ids of records not yet purged that discussed at least one case, every one closed before ``cutoff``."""
    discussed = exists().where(CaseDiscussion.record_id == SupervisionRecord.id)
    still_kept = exists().where(CaseDiscussion.record_id == SupervisionRecord.id,
                                CaseDiscussion.case_id == Case.id, _kept_case(cutoff))
    return (select(SupervisionRecord.id)
            .where(SupervisionRecord.kind != "personal", SupervisionRecord.content_purged_on.is_(None),
                   discussed, ~still_kept)
            .order_by(SupervisionRecord.id))


def purgeable_oversight(cutoff: date) -> Any:
    return (select(OversightEntry.id).join(Case, Case.id == OversightEntry.case_id)
            .where(OversightEntry.content_purged_on.is_(None), Case.closed_on.is_not(None), Case.closed_on < cutoff)
            .order_by(OversightEntry.id))


def purgeable_audits(cutoff: date) -> Any:
    """Case audits (and re-audits) not yet purged whose case closed before ``cutoff``."""
    return (select(CaseAudit.id).join(Case, Case.id == CaseAudit.case_id)
            .where(CaseAudit.content_purged_on.is_(None), Case.closed_on.is_not(None), Case.closed_on < cutoff)
            .order_by(CaseAudit.id))


def purgeable_dip_samples(cutoff: date) -> Any:
    """Dip samples with comments about a record whose content is gone, or goes in this run."""
    gone = SupervisionRecord.content_purged_on.is_not(None) | SupervisionRecord.id.in_(
        purgeable_records(cutoff).subquery().select())
    return (select(DipSample.id).join(SupervisionRecord, SupervisionRecord.id == DipSample.record_id)
            .where(DipSample.comments != "", gone).order_by(DipSample.id))


def _old_sends(cutoff: date) -> ColumnElement[bool]:
    return (ReminderSend.state == SENT) & (ReminderSend.day < cutoff)


def _count(statement: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def _blank_snapshot(data: Any) -> Any:
    """A kept version's snapshot with the same shape and every piece of text emptied."""
    if isinstance(data, list):
        return [_blank_snapshot(item) for item in data]
    if not isinstance(data, dict):
        return data
    return {key: ("" if key in SNAPSHOT_TEXT and isinstance(value, str)
                  else None if key in SNAPSHOT_NUMBERS else _blank_snapshot(value))
            for key, value in data.items()}


def _purge_record(record: SupervisionRecord, reviews: list[ActionReview], on: date, counts: PurgeCounts) -> None:
    """Empties the record's text. A disagreement still open on it is closed, by nobody, as of now: with its
    wording gone there is nothing left to resolve, and a resolution typed now would be new content on a purged
    record that no later purge would remove."""
    now = utcnow()
    for name in RECORD_TEXT:
        setattr(record, name, "")
    if record.disagreement_open:
        record.disagreement_resolved_at = now
    for discussion in record.discussions:
        for name in DISCUSSION_TEXT:
            setattr(discussion, name, "")
        discussion.scaling = None
        discussion.scaling_question = None
        if discussion.disagreement and discussion.resolved_at is None:
            discussion.resolved_at = now
    for action in record.actions:
        for name in ACTION_TEXT:
            setattr(action, name, "")
    for review in reviews:
        for name in REVIEW_TEXT:
            setattr(review, name, "")
    for version in record.versions:
        version.snapshot = _blank_snapshot(version.snapshot)
        version.reason = ""
    record.content_purged_on = on
    counts.records += 1
    counts.discussions += len(record.discussions)
    counts.actions += len(record.actions)
    counts.reviews += len(reviews)
    counts.versions += len(record.versions)


def _counted(counts: PurgeCounts) -> None:
    """The rows a purge of ``counts.record_ids`` touches, counted without loading them (a dry run)."""
    for ids in _batches(counts.record_ids):
        counts.discussions += _count(select(CaseDiscussion.id).where(CaseDiscussion.record_id.in_(ids)))
        counts.actions += _count(select(SupervisionAction.id).where(SupervisionAction.record_id.in_(ids)))
        counts.reviews += _count(select(ActionReview.id).where(ActionReview.record_id.in_(ids)))
        counts.versions += _count(select(RecordVersion.id).where(RecordVersion.record_id.in_(ids)))


def purge_records(on: date, months: int, *, dry_run: bool = False) -> PurgeCounts:
    """Removes the content the retention period has run out for (or, on a dry run, counts it and writes
    nothing). Flushes; the command commits. A second run on the same day finds nothing new."""
    cutoff = cutoff_for(on, months)
    counts = PurgeCounts(cutoff, record_ids=list(db.session.scalars(purgeable_records(cutoff))))
    oversight_ids = list(db.session.scalars(purgeable_oversight(cutoff)))
    counts.oversight = len(oversight_ids)
    audit_ids = list(db.session.scalars(purgeable_audits(cutoff)))
    counts.audits = len(audit_ids)
    counts.reminder_sends = db.session.scalar(select(func.count(ReminderSend.id)).where(_old_sends(cutoff))) or 0
    if dry_run:
        counts.dip_samples = _count(purgeable_dip_samples(cutoff))
        counts.records = len(counts.record_ids)
        _counted(counts)
        for ids in _batches(audit_ids):
            counts.audit_answers += _count(select(AuditAnswer.id).where(AuditAnswer.audit_id.in_(ids)))
            counts.audit_actions += _count(select(AuditAction.id).where(AuditAction.audit_id.in_(ids)))
        return counts
    _lock_before_reading()
    for ids in _batches(counts.record_ids):
        records = db.session.scalars(
            select(SupervisionRecord).where(SupervisionRecord.id.in_(ids)).order_by(SupervisionRecord.id)
            .with_for_update().execution_options(populate_existing=True)
            .options(selectinload(SupervisionRecord.discussions), selectinload(SupervisionRecord.actions),
                     selectinload(SupervisionRecord.versions))).all()
        reviews: dict[int, list[ActionReview]] = {}
        for review in db.session.scalars(select(ActionReview).where(ActionReview.record_id.in_(ids))
                                          .execution_options(populate_existing=True)):
            reviews.setdefault(review.record_id, []).append(review)
        for record in records:
            _purge_record(record, reviews.get(record.id, []), on, counts)
        db.session.flush()
    for ids in _batches(oversight_ids):
        for entry in db.session.scalars(select(OversightEntry).where(OversightEntry.id.in_(ids))):
            for name in OVERSIGHT_TEXT:
                setattr(entry, name, "")
            entry.content_purged_on = on
        db.session.flush()
    for ids in _batches(audit_ids):
        for audit in db.session.scalars(select(CaseAudit).where(CaseAudit.id.in_(ids)).order_by(CaseAudit.id)
                                        .with_for_update().execution_options(populate_existing=True)
                                        .options(selectinload(CaseAudit.answers), selectinload(CaseAudit.actions))):
            audit.findings = ""
            for answer in audit.answers:
                answer.comment = ""
            for audit_action in audit.actions:
                audit_action.description = ""
            audit.content_purged_on = on
            counts.audit_answers += len(audit.answers)
            counts.audit_actions += len(audit.actions)
        db.session.flush()
    # Read once this run's records are marked (and locked): comments a rating saved before the lock are seen.
    dip_ids = list(db.session.scalars(purgeable_dip_samples(cutoff)))
    counts.dip_samples = len(dip_ids)
    for ids in _batches(dip_ids):
        for sample in db.session.scalars(select(DipSample).where(DipSample.id.in_(ids))):
            sample.comments = ""
        db.session.flush()
    if counts.reminder_sends:
        db.session.execute(delete(ReminderSend).where(_old_sends(cutoff)))
    if not counts.nothing:
        record_event("update", f"retention purge (content of cases closed before {cutoff.isoformat()}): "
                               f"{counts.summary()}"[:300])
    return counts

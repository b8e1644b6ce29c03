"""Supervision records: what was discussed in a session, per case, the actions agreed and how earlier actions
were reviewed, and every earlier version of a record changed after sign-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.bookings.models import KINDS, Booking
from teamops.cases.models import Case
from teamops.dates import days_to_file, disagreement_escalates_on, filed_late, today, utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime

RECORD_STATUSES = ("draft", "signed_off")
ACTION_STATUSES = ("open", "done", "dropped")
REVIEW_OUTCOMES = ("done", "carried_forward", "dropped")
SCALING_QUESTION_MAX = 200


record_attendees = Table(
    "record_attendees", Model.metadata,
    Column("record_id", ForeignKey("supervision_records.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True),
)


class SupervisionRecord(Model):
    """What was discussed in one session. Signed off by the manager, acknowledged by the worker, who may add a
    comment or record that they disagree with what was written (R-SUP-7: the manager resolves it, or after 7
    days the service manager); a change after sign-off is a new version (``RecordVersion`` keeps every earlier
    one readable, with what the worker said about it)."""

    __audited__ = "supervision_record"
    __audit_content__ = ("wellbeing", "workload", "learning", "worker_comment", "disagreement_resolution")
    __audit_version__ = "version"
    __tablename__ = "supervision_records"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {RECORD_STATUSES!r}", name="status"),
        # A person's last personal supervision by a date: one index seek (teamops.scheduling).
        Index("ix_supervision_records_worker_id_kind_held_on", "worker_id", "kind", "held_on"),
        # Workers' disagreements waiting for a resolution: a few rows among a million (the escalations queue).
        Index("ix_supervision_records_worker_disagrees", "worker_disagrees", "disagreement_resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wellbeing: Mapped[str] = mapped_column(Text, default="")
    workload: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    # The worker's voice, given when they acknowledge (R-SUP-7): a comment, and whether they agree with what was
    # written (None: not acknowledged, or acknowledged before workers were asked). A disagreement counts from
    # ``acknowledged_at`` and stays open until someone records how it was resolved.
    worker_comment: Mapped[str] = mapped_column(Text, default="")
    worker_disagrees: Mapped[bool | None] = mapped_column(Boolean)
    disagreement_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disagreement_resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    disagreement_resolution: Mapped[str] = mapped_column(Text, default="")
    # The day the retention purge removed what the record said (every case it discussed had been closed longer
    # than TEAMOPS_RECORD_RETENTION_MONTHS): its rows, dates and people stay for the figures; None while kept.
    content_purged_on: Mapped[date | None] = mapped_column(Date)

    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
    disagreement_resolved_by: Mapped[Staff | None] = relationship(foreign_keys=[disagreement_resolved_by_id])
    booking: Mapped[Booking | None] = relationship()
    attendees: Mapped[list[Staff]] = relationship(secondary=record_attendees, order_by="Staff.name")
    discussions: Mapped[list[CaseDiscussion]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="CaseDiscussion.id")
    actions: Mapped[list[SupervisionAction]] = relationship(
        back_populates="record", foreign_keys="SupervisionAction.record_id", order_by="SupervisionAction.id")
    versions: Mapped[list[RecordVersion]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RecordVersion.version")

    @property
    def label(self) -> str:
        return f"{self.kind} supervision record #{self.id}"

    @property
    def disagreement_open(self) -> bool:
        """The worker disagrees with what was written and nobody has recorded a resolution yet."""
        return bool(self.worker_disagrees) and self.disagreement_resolved_at is None

    @property
    def disagreement_escalates_on(self) -> date | None:
        """The day the worker's disagreement reaches (or reached) the team's service manager if still
        unresolved (R-SUP-7); None when the worker does not disagree."""
        if not self.worker_disagrees or self.acknowledged_at is None:
            return None
        return disagreement_escalates_on(self.acknowledged_at)

    @property
    def disagreement_escalated(self) -> bool:
        """Open, and waiting in the service manager's queue too."""
        escalates_on = self.disagreement_escalates_on
        return self.disagreement_open and escalates_on is not None and escalates_on <= today()


class CaseDiscussion(Model):
    """One case discussed in a case or group supervision: the R-SUP-4 fields and Signs of Safety mapping."""

    __audited__ = "case_discussion"
    __audit_content__ = ("actions_review", "significant_events", "decisions_and_plan", "reflective_analysis",
                         "childs_voice", "worries", "working_well", "needs_to_happen", "scaling",
                         "scaling_question", "disagreement_note", "resolution")
    __audit_version__ = "record.version"
    __tablename__ = "case_discussions"
    __table_args__ = (
        UniqueConstraint("record_id", "case_id", name="uq_case_discussions_record_id_case_id"),
        CheckConstraint("scaling IS NULL OR (scaling BETWEEN 0 AND 10)", name="scaling"),
        # A case's last supervision by a date: one seek in an index that holds the answer (teamops.scheduling).
        Index("ix_case_discussions_case_id_held_on", "case_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    held_on: Mapped[date] = mapped_column(Date, index=True)  # the record's date, kept here for due dates
    actions_review: Mapped[str] = mapped_column(Text, default="")
    significant_events: Mapped[str] = mapped_column(Text, default="")
    decisions_and_plan: Mapped[str] = mapped_column(Text, default="")
    reflective_analysis: Mapped[str] = mapped_column(Text, default="")
    childs_voice: Mapped[str] = mapped_column(Text, default="")
    worries: Mapped[str] = mapped_column(Text, default="")
    working_well: Mapped[str] = mapped_column(Text, default="")
    needs_to_happen: Mapped[str] = mapped_column(Text, default="")
    scaling: Mapped[int | None] = mapped_column(Integer)
    # What 0 and 10 mean for this case (R-SUP-9): a score is compared only with scores on the same question.
    # Given with every score written since it was asked for; None for a score given before, and for no score.
    scaling_question: Mapped[str | None] = mapped_column(String(SCALING_QUESTION_MAX))
    no_further_action: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement_note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")
    # When the manager first marked this discussion as on the child's record (R-SUP-5: measured from the
    # session to here; None for imported history, whose filing date nobody knows).
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    record: Mapped[SupervisionRecord] = relationship(back_populates="discussions")
    case: Mapped[Case] = relationship()
    resolved_by: Mapped[Staff | None] = relationship()

    @property
    def filing_known(self) -> bool:
        """Imported history carries no filing date: never counted late anywhere (R-SUP-5)."""
        return not self.record.imported

    @property
    def days_to_file(self) -> int:
        """Days from the session to its filing on the child's record, or to today while not filed."""
        return days_to_file(self.held_on, self.filed_at)

    @property
    def filed_late(self) -> bool:
        """More than 7 days from the session to the child's record (or, not filed yet, to today)."""
        return self.filing_known and filed_late(self.held_on, self.filed_at)


class SupervisionAction(Model):
    """An action agreed in supervision: always an owner and a due date (R-SUP-6)."""

    __audited__ = "action"
    __audit_content__ = ("description", "drop_reason")
    __audit_version__ = "record.version"
    __tablename__ = "supervision_actions"
    __table_args__ = (
        CheckConstraint(f"status IN {ACTION_STATUSES!r}", name="status"),
        Index("ix_supervision_actions_owner_id_status", "owner_id", "status"),  # open actions by owner
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    description: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)
    drop_reason: Mapped[str] = mapped_column(String(500), default="")

    record: Mapped[SupervisionRecord] = relationship(back_populates="actions", foreign_keys=[record_id])
    case: Mapped[Case | None] = relationship()
    owner: Mapped[Staff] = relationship(active_history=True)

    @property
    def label(self) -> str:
        return self.description[:60]


class ActionReview(Model):
    """How a later supervision reviewed an open action: done, carried forward or dropped (with a reason)."""

    __audited__ = "action_review"
    __audit_content__ = ("reason",)
    __audit_version__ = "record.version"
    __tablename__ = "action_reviews"
    __table_args__ = (CheckConstraint(f"outcome IN {REVIEW_OUTCOMES!r}", name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("supervision_actions.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")

    record: Mapped[SupervisionRecord] = relationship()  # the later record that reviewed the action
    action: Mapped[SupervisionAction] = relationship()


class RecordVersion(Model):
    """A frozen copy of a signed-off record, kept when it is changed afterwards (with the reason)."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_record_versions_record_id_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    record: Mapped[SupervisionRecord] = relationship(back_populates="versions")

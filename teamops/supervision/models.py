"""Supervision data. Due dates are never stored: teamops.scheduling derives them from these rows and the
policy, so a policy change applies to every case at once."""

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
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.audit.services import audited
from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime

CASE_TYPE_CODES = ("CP", "CIN", "EH", "CLA", "CL", "YJ", "PF")
INTERVAL_UNITS = ("weeks", "months")
KINDS = ("personal", "case", "group")
KIND_LABELS = {"personal": "Personal supervision", "case": "Case supervision", "group": "Group supervision"}
BOOKING_STATUSES = ("booked", "cancelled", "held")
RECORD_STATUSES = ("draft", "signed_off")
ACTION_STATUSES = ("open", "done", "dropped")
REVIEW_OUTCOMES = ("done", "carried_forward", "dropped")
OVERSIGHT_KINDS = ("allocation", "assessment_review", "plan_change", "closure", "other")
OVERSIGHT_LABELS = {"allocation": "Allocation", "assessment_review": "Assessment review",
                    "plan_change": "Plan change", "closure": "Closure", "other": "Other"}
CASE_REF_PATTERN = r"^[A-Za-z0-9-]{1,32}$"
LONG_TEXT = 5000


@audited("case_type")
class CaseType(Model):
    """A row of the supervision policy: how often a case of this type is supervised, and why."""

    __tablename__ = "case_types"
    __table_args__ = (
        CheckConstraint(f"interval_unit IN {INTERVAL_UNITS!r}", name="interval_unit"),
        CheckConstraint("interval_count BETWEEN 1 AND 52", name="interval_count"),
    )

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    interval_count: Mapped[int] = mapped_column(Integer)
    interval_unit: Mapped[str] = mapped_column(String(8))
    first_due_on_allocation: Mapped[bool] = mapped_column(Boolean, default=False)
    source_note: Mapped[str] = mapped_column(String(300), default="")

    @property
    def interval_label(self) -> str:
        unit = self.interval_unit if self.interval_count != 1 else self.interval_unit.rstrip("s")
        return f"{self.interval_count} {unit}"


@audited("supervision_settings")
class SupervisionSettings(Model):
    """The caps and the personal interval (CONTRACT.md "Scheduling rules"): one row, id 1."""

    __tablename__ = "supervision_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_cap_months: Mapped[int] = mapped_column(Integer, default=2)
    high_risk_cap_months: Mapped[int] = mapped_column(Integer, default=1)
    personal_interval_months: Mapped[int] = mapped_column(Integer, default=1)


@audited("case")
class Case(Model):
    """A case, held only by its case-system reference: never a child's name."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(32), unique=True)
    case_type_code: Mapped[str] = mapped_column(ForeignKey("case_types.code"), index=True)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    allocated_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case_type: Mapped[CaseType] = relationship()
    worker: Mapped[Staff] = relationship()
    allocations: Mapped[list[CaseAllocation]] = relationship(
        back_populates="case", order_by="CaseAllocation.from_date", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return self.case_ref


@audited("case_allocation")
class CaseAllocation(Model):
    """Who held a case from ``from_date`` until (not including) ``to_date``. Reallocation keeps the clock."""

    __tablename__ = "case_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="allocations")
    worker: Mapped[Staff] = relationship()


booking_cases = Table(
    "booking_cases", Model.metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", ForeignKey("cases.id"), primary_key=True),
)
booking_attendees = Table(
    "booking_attendees", Model.metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True),
)


@audited("booking")
class Booking(Model):
    """A planned supervision session. ``starts_at`` is stored in UTC and shown in UK time."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {BOOKING_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="booked")
    change_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
    cases: Mapped[list[Case]] = relationship(secondary=booking_cases, order_by="Case.case_ref")
    attendees: Mapped[list[Staff]] = relationship(secondary=booking_attendees, order_by="Staff.name")

    @property
    def label(self) -> str:
        return f"{self.kind} supervision #{self.id}"


record_attendees = Table(
    "record_attendees", Model.metadata,
    Column("record_id", ForeignKey("supervision_records.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True),
)


@audited("supervision_record")
class SupervisionRecord(Model):
    """What was discussed in one session. Signed off by the manager, acknowledged by the worker; a change
    after sign-off is a new version (``RecordVersion`` keeps every earlier one readable)."""

    __tablename__ = "supervision_records"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {RECORD_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
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

    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
    booking: Mapped[Booking | None] = relationship()
    attendees: Mapped[list[Staff]] = relationship(secondary=record_attendees, order_by="Staff.name")
    discussions: Mapped[list[CaseDiscussion]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="CaseDiscussion.id")
    actions: Mapped[list[SupervisionAction]] = relationship(
        back_populates="record", foreign_keys="SupervisionAction.record_id", order_by="SupervisionAction.id")
    versions: Mapped[list[RecordVersion]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RecordVersion.version")

    @property
    def recorded_late(self) -> bool:
        """Written more than 7 days after the session (R-SUP-5)."""
        from teamops.dates import LONDON

        return (self.recorded_at.astimezone(LONDON).date() - self.held_on).days > 7

    @property
    def label(self) -> str:
        return f"{self.kind} supervision record #{self.id}"


@audited("case_discussion")
class CaseDiscussion(Model):
    """One case discussed in a case or group supervision: the R-SUP-4 fields and Signs of Safety mapping."""

    __tablename__ = "case_discussions"
    __table_args__ = (
        UniqueConstraint("record_id", "case_id", name="uq_case_discussions_record_id_case_id"),
        CheckConstraint("scaling IS NULL OR (scaling BETWEEN 0 AND 10)", name="scaling"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
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
    no_further_action: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement_note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")

    record: Mapped[SupervisionRecord] = relationship(back_populates="discussions")
    case: Mapped[Case] = relationship()
    resolved_by: Mapped[Staff | None] = relationship()


@audited("action")
class SupervisionAction(Model):
    """An action agreed in supervision: always an owner and a due date (R-SUP-6)."""

    __tablename__ = "supervision_actions"
    __table_args__ = (CheckConstraint(f"status IN {ACTION_STATUSES!r}", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)
    drop_reason: Mapped[str] = mapped_column(String(500), default="")

    record: Mapped[SupervisionRecord] = relationship(back_populates="actions", foreign_keys=[record_id])
    case: Mapped[Case | None] = relationship()
    owner: Mapped[Staff] = relationship()

    @property
    def label(self) -> str:
        return self.description[:60]


@audited("action_review")
class ActionReview(Model):
    """How a later supervision reviewed an open action: done, carried forward or dropped (with a reason)."""

    __tablename__ = "action_reviews"
    __table_args__ = (CheckConstraint(f"outcome IN {REVIEW_OUTCOMES!r}", name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("supervision_actions.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")

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


@audited("oversight")
class OversightEntry(Model):
    """Management oversight recorded on a case (R-SUP-10)."""

    __tablename__ = "oversight_entries"
    __table_args__ = (CheckConstraint(f"kind IN {OVERSIGHT_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entry_date: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    author: Mapped[Staff] = relationship()

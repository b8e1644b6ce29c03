"""A person's induction: the plan copied from the templates when it opened (its days and checklist items, with
their dates), and its review and sign-off (R-IND-13). A finished induction stays as a record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.induction.template_models import (
    CONFIRMERS,
    DAY_KINDS,
    DEADLINES,
    HOST_SLOTS,
    JOB_GROUPS,
    REQUIREMENTS,
    SECTION_MAX,
    TITLE_MAX,
    InductionTemplate,
)
from teamops.org.models import Staff
from teamops.types import UTCDateTime

INDUCTION_KINDS = {"new_starter": "New starter", "mover": "Internal move"}
OPENED_VIA = ("staff_form", "import", "by_hand", "demo")
REASON_MAX = 300
OPEN = text("signed_off_at IS NULL AND cancelled_at IS NULL")


class Induction(Model):
    __audited__ = "induction"
    __audit_content__ = ("review_notes",)
    __tablename__ = "inductions"
    __table_args__ = (
        CheckConstraint(f"kind IN {tuple(INDUCTION_KINDS)!r}", name="kind"),
        CheckConstraint(f"job_group IN {tuple(JOB_GROUPS)!r}", name="job_group"),
        CheckConstraint(f"opened_via IN {OPENED_VIA!r}", name="opened_via"),
        CheckConstraint("length_days >= 1", name="length_days"),
        CheckConstraint("starts_on >= start_date AND ends_on >= starts_on", name="dates"),
        CheckConstraint("signed_off_at IS NULL OR review_held_on IS NOT NULL", name="reviewed"),
        CheckConstraint("(cancelled_at IS NULL) = (cancel_reason IS NULL)", name="cancel_reason"),
        CheckConstraint("signed_off_at IS NULL OR cancelled_at IS NULL", name="one_ending"),
        UniqueConstraint("staff_id", "kind", "start_date", name="uq_inductions_staff_id_kind_start_date"),
        Index("uq_inductions_open_staff", "staff_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_inductions_staff_id_starts_on", "staff_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(12))
    employment_type: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("induction_templates.id", ondelete="SET NULL"))
    template_version: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    length_days: Mapped[int] = mapped_column(Integer)
    service_group: Mapped[str] = mapped_column(String(8))
    job_group: Mapped[str] = mapped_column(String(20))
    opened_via: Mapped[str] = mapped_column(String(12))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_held_on: Mapped[date | None] = mapped_column(Date)
    review_notes: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    signed_off_on: Mapped[date | None] = mapped_column(Date)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    template: Mapped[InductionTemplate | None] = relationship()
    opened_by: Mapped[Staff | None] = relationship(foreign_keys=[opened_by_id])
    signed_off_by: Mapped[Staff | None] = relationship(foreign_keys=[signed_off_by_id])
    cancelled_by: Mapped[Staff | None] = relationship(foreign_keys=[cancelled_by_id])
    days: Mapped[list[InductionDay]] = relationship(
        back_populates="induction", order_by="(InductionDay.on_date, InductionDay.position)",
        cascade="all, delete-orphan")
    items: Mapped[list[InductionItem]] = relationship(
        back_populates="induction", order_by="InductionItem.position", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.signed_off_at is None and self.cancelled_at is None

    @property
    def kind_label(self) -> str:
        return INDUCTION_KINDS.get(self.kind, self.kind)


class InductionDay(Model):
    """One item of a person's timetable, copied from the template, on its working day's date."""

    __audited__ = "induction_day"
    __audit_copied__ = True
    __tablename__ = "induction_days"
    __table_args__ = (
        CheckConstraint("day_number >= 1", name="day_number"),
        CheckConstraint(f"kind IN {tuple(DAY_KINDS)!r}", name="kind"),
        CheckConstraint(f"host_slot IS NULL OR host_slot IN {tuple(HOST_SLOTS)!r}", name="host_slot"),
        Index("ix_induction_days_host_id_on_date", "host_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    induction_id: Mapped[int] = mapped_column(ForeignKey("inductions.id"), index=True)
    day_number: Mapped[int] = mapped_column(Integer)
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    host_slot: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(String(TITLE_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Who hosts a manager's, shadowing host A's or B's day (R-IND-11; a buddy's day is the current buddy's).
    host_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    host_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))  # a host from another service: why

    induction: Mapped[Induction] = relationship(back_populates="days")
    host: Mapped[Staff | None] = relationship()

    @property
    def kind_label(self) -> str:
        return DAY_KINDS.get(self.kind, self.kind)


class InductionItem(Model):
    """A checklist item copied into a person's induction, with its due date and its state: done (by the
    starter, or by whoever confirms it), confirmed, or not applicable with a reason."""

    __audited__ = "induction_item"
    __audit_copied__ = True
    __audit_content__ = ("comment",)
    __tablename__ = "induction_items"
    __table_args__ = (
        CheckConstraint(f"confirmer IN {tuple(CONFIRMERS)!r}", name="confirmer"),
        CheckConstraint(f"deadline IN {tuple(DEADLINES)!r}", name="deadline"),
        CheckConstraint(f"requirement IN {tuple(REQUIREMENTS)!r}", name="requirement"),
        CheckConstraint("na_reason IS NULL OR done_on IS NULL", name="done_or_na"),
        CheckConstraint("confirmed_on IS NULL OR done_on IS NOT NULL", name="confirmed_done"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    induction_id: Mapped[int] = mapped_column(ForeignKey("inductions.id"), index=True)
    source_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("induction_checklist_items.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(8))
    section: Mapped[str] = mapped_column(String(SECTION_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    link: Mapped[str | None] = mapped_column(String(500))
    confirmer: Mapped[str] = mapped_column(String(20))
    deadline: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date)
    requirement: Mapped[str] = mapped_column(String(10))
    gates_case_system: Mapped[bool] = mapped_column(default=False)
    automatic: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    na_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    na_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    na_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(String(500))

    induction: Mapped[Induction] = relationship(back_populates="items")

    @property
    def resolved(self) -> bool:
        """Done and, where someone else must confirm it, confirmed; or not applicable."""
        if self.na_reason is not None:
            return True
        if self.done_on is None:
            return False
        return self.confirmer == "starter" or self.confirmed_on is not None

"""Cases (case-system references only, never a child's name), who held them when, and management oversight."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.policy.models import CaseType
from teamops.types import UTCDateTime

OVERSIGHT_KINDS = ("allocation", "assessment_review", "plan_change", "closure", "other")
OVERSIGHT_LABELS = {"allocation": "Allocation", "assessment_review": "Assessment review",
                    "plan_change": "Plan change", "closure": "Closure", "other": "Other"}


class Case(Model):
    """A case, held only by its case-system reference: never a child's name."""

    __audited__ = "case"
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(32), unique=True)
    case_type_code: Mapped[str] = mapped_column(ForeignKey("case_types.code"), index=True)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    allocated_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # A Section 47 enquiry under way (set on the case page; not in the import or the API): with a child
    # protection case, what an ASYE in their first 6 months may not lead alone (R-ASYE-2).
    section_47: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case_type: Mapped[CaseType] = relationship()
    worker: Mapped[Staff] = relationship(active_history=True)
    allocations: Mapped[list[CaseAllocation]] = relationship(
        back_populates="case", order_by="CaseAllocation.from_date", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return self.case_ref


class CaseAllocation(Model):
    """Who held a case from ``from_date`` until (not including) ``to_date``. Reallocation keeps the clock."""

    __audited__ = "case_allocation"
    __tablename__ = "case_allocations"
    __table_args__ = (CheckConstraint("coworker_id <> worker_id", name="coworker"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    # An experienced colleague named to co-work the case with its lead worker (R-ASYE-2).
    coworker_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="allocations")
    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    coworker: Mapped[Staff | None] = relationship(foreign_keys=[coworker_id])


class OversightEntry(Model):
    """Management oversight recorded on a case (R-SUP-10)."""

    __audited__ = "oversight"
    __audit_content__ = ("decision", "rationale")
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
    # The day the retention purge removed the decision and rationale (the case closed longer ago than
    # TEAMOPS_RECORD_RETENTION_MONTHS); None while kept.
    content_purged_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship()
    author: Mapped[Staff] = relationship()

"""Planned supervision sessions between a manager and a worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.cases.models import Case
from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime

KINDS = ("personal", "case", "group")
KIND_LABELS = {"personal": "Personal supervision", "case": "Case supervision", "group": "Group supervision"}
BOOKING_STATUSES = ("booked", "cancelled", "held")
BOOKED = text("status = 'booked'")


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


class Booking(Model):
    """A planned supervision session. ``starts_at`` is stored in UTC and shown in UK time."""

    __audited__ = "booking"
    __audit_content__ = ("change_reason",)  # why a session moved or was cancelled: often a family's or a worker's news
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {BOOKING_STATUSES!r}", name="status"),
        # One booked session per supervisor, worker and start: a form sent twice at once books once (issue 16)
        Index("uq_bookings_booked_slot", "supervisor_id", "worker_id", "starts_at", unique=True,
              sqlite_where=BOOKED, postgresql_where=BOOKED),
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
    # The invitation's SEQUENCE (RFC 5546): 0 when booked, one more each time it moves or is cancelled, so a
    # calendar program takes the newest change for the same UID.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
    cases: Mapped[list[Case]] = relationship(secondary=booking_cases, order_by="Case.case_ref")
    attendees: Mapped[list[Staff]] = relationship(secondary=booking_attendees, order_by="Staff.name")

    @property
    def label(self) -> str:
        return f"{self.kind} supervision #{self.id}"

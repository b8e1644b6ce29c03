"""Who buddies a starter, from when to when (R-IND-4: a change keeps the history), and the check-ins the buddy
logs (R-IND-14), with any concern raised for the manager."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.induction.models import REASON_MAX, Induction
from teamops.org.models import Staff
from teamops.types import UTCDateTime

CHECKIN_MODES = {"in_person": "In person", "virtual": "Virtual", "phone": "Phone"}
DOING = {3: "Settling in well", 2: "Some worries", 1: "Struggling"}
RESPONSE_MAX = 1000
CURRENT = text("to_date IS NULL")


class InductionBuddy(Model):
    """A buddy of an induction from ``from_date`` until (not including) ``to_date``; open while ``to_date`` is
    empty. A buddy from another service needs the manager's reason."""

    __audited__ = "induction_buddy"
    __tablename__ = "induction_buddies"
    __table_args__ = (
        CheckConstraint("to_date IS NULL OR to_date >= from_date", name="dates"),
        Index("uq_induction_buddies_current", "induction_id", unique=True, sqlite_where=CURRENT,
              postgresql_where=CURRENT),
        Index("ix_induction_buddies_buddy_id_current", "buddy_id", sqlite_where=CURRENT, postgresql_where=CURRENT),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    induction_id: Mapped[int] = mapped_column(ForeignKey("inductions.id"), index=True)
    buddy_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    induction: Mapped[Induction] = relationship()
    buddy: Mapped[Staff] = relationship(foreign_keys=[buddy_id])
    named_by: Mapped[Staff | None] = relationship(foreign_keys=[named_by_id])


class InductionCheckin(Model):
    """A check-in the buddy held with the starter: when, how, how the starter is doing, notes, and a concern
    for the manager, which waits on the manager's home page until they mark it seen. The starter reads it."""

    __audited__ = "induction_checkin"
    __audit_content__ = ("notes", "concern", "concern_response")
    __tablename__ = "induction_checkins"
    __table_args__ = (
        CheckConstraint(f"mode IN {tuple(CHECKIN_MODES)!r}", name="mode"),
        CheckConstraint("doing BETWEEN 1 AND 3", name="doing"),
        CheckConstraint("concern_seen_at IS NULL OR concern IS NOT NULL", name="seen_concern"),
        # One check-in a day by a buddy with their starter: a form sent twice at once logs once (issue 16)
        UniqueConstraint("induction_id", "buddy_id", "held_on", name="uq_induction_checkins_buddy_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    induction_id: Mapped[int] = mapped_column(ForeignKey("inductions.id"), index=True)
    buddy_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    held_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))
    doing: Mapped[int] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    concern: Mapped[str | None] = mapped_column(Text)
    concern_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    concern_seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    concern_response: Mapped[str | None] = mapped_column(String(RESPONSE_MAX))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    induction: Mapped[Induction] = relationship()
    buddy: Mapped[Staff] = relationship(foreign_keys=[buddy_id])
    concern_seen_by: Mapped[Staff | None] = relationship(foreign_keys=[concern_seen_by_id])

    @property
    def mode_label(self) -> str:
        return CHECKIN_MODES.get(self.mode, self.mode)

    @property
    def doing_label(self) -> str:
        return DOING.get(self.doing, str(self.doing))

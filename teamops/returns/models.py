"""What the returns and caseload reviews hold.

A return is one team's for one month (``month`` is the month's first day); its working copy (status, the
manager's commentary per worker and for the team) changes until it is submitted. Each submission is a
``ReturnVersion`` with its own rows: the figures as they were at that moment, which nothing changes afterwards
(a backdated record, a policy change). A month with no row has not been started. Chases are kept by team and
month, so a team that has not started its return can be chased.

A caseload review is one team's report for one month, made on the month's first working day (R-QA-3), with a
row per worker and the manager's commentary per worker.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import EMAIL_MAX, NAME_MAX, Staff, Team
from teamops.types import UTCDateTime

# The workflow (issue 13 item 3). "not_started" is a month with no row.
NOT_STARTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED = "not_started", "draft", "submitted", "returned", "accepted"
RETURN_STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED)
STATUS_LABELS = {NOT_STARTED: "Not started", DRAFT: "Draft", SUBMITTED: "Submitted", RETURNED: "Returned",
                 ACCEPTED: "Accepted"}
DECISIONS = (ACCEPTED, RETURNED)
# Documented limits: a worker's line says why anything is out of timescale and what will happen; the team's a
# little more. Commentary names case references, never children.
WORKER_COMMENTARY_MAX = 1000
TEAM_COMMENTARY_MAX = 3000
DECISION_COMMENT_MAX = 2000
CASELOAD_COMMENTARY_MAX = 1000
CHASE_LEVELS = {1: "the team's managers", 2: "the team's managers and service manager",
                3: "the team's managers, service manager and head of service"}


class SupervisionReturn(Model):
    __audited__ = "supervision_return"
    __audit_content__ = ("team_commentary",)
    __tablename__ = "supervision_returns"
    __table_args__ = (
        UniqueConstraint("team_id", "month", name="uq_supervision_returns_team_month"),
        CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted')", name="status"),
        Index("ix_supervision_returns_month", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month reported
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    team_commentary: Mapped[str] = mapped_column(Text, default="")
    submissions: Mapped[int] = mapped_column(Integer, default=0)  # the latest version's number
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    team: Mapped[Team] = relationship()
    started_by: Mapped[Staff | None] = relationship()
    notes: Mapped[list[ReturnNote]] = relationship(back_populates="supervision_return",
                                                    cascade="all, delete-orphan")
    versions: Mapped[list[ReturnVersion]] = relationship(back_populates="supervision_return",
                                                          order_by="ReturnVersion.number")

    @property
    def label(self) -> str:
        return f"return for {self.month:%B %Y}"


class ReturnNote(Model):
    """The manager's working commentary on one worker's line, until it is submitted with the return."""

    __audited__ = "return_note"
    __audit_content__ = ("commentary",)
    __tablename__ = "return_notes"
    __table_args__ = (UniqueConstraint("return_id", "staff_id", name="uq_return_notes_return_staff"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("supervision_returns.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    commentary: Mapped[str] = mapped_column(Text, default="")

    supervision_return: Mapped[SupervisionReturn] = relationship(back_populates="notes")


class ReturnVersion(Model):
    """One submission, frozen: the figures and commentary as submitted, and QAIT's decision on it."""

    __audited__ = "return_version"
    __audit_content__ = ("team_commentary", "decision_comment")
    __tablename__ = "return_versions"
    __table_args__ = (
        UniqueConstraint("return_id", "number", name="uq_return_versions_return_number"),
        CheckConstraint("decision IS NULL OR decision IN ('accepted', 'returned')", name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("supervision_returns.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    due_on: Mapped[date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    working_days_late: Mapped[int] = mapped_column(Integer, default=0)
    cases_open: Mapped[int] = mapped_column(Integer)
    cases_in_timescale: Mapped[int] = mapped_column(Integer)
    team_commentary: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_comment: Mapped[str] = mapped_column(Text, default="")

    supervision_return: Mapped[SupervisionReturn] = relationship(back_populates="versions")
    submitted_by: Mapped[Staff] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[Staff | None] = relationship(foreign_keys=[decided_by_id])
    rows: Mapped[list[ReturnRow]] = relationship(back_populates="version", order_by="ReturnRow.position",
                                                 cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"submission {self.number}"


class ReturnRow(Model):
    """One worker's line of a submission, as it was submitted (name and e-mail too, should they change)."""

    __tablename__ = "return_rows"
    __table_args__ = (UniqueConstraint("version_id", "staff_id", name="uq_return_rows_version_staff"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("return_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    cases_open: Mapped[int] = mapped_column(Integer)
    cases_in_timescale: Mapped[int] = mapped_column(Integer)
    case_supervisions: Mapped[int] = mapped_column(Integer)  # case discussions held in the month
    personal_last_on: Mapped[date | None] = mapped_column(Date)
    personal_state: Mapped[str] = mapped_column(String(10))  # overdue, due_soon, ok or absent at the month's end
    filed_late: Mapped[int] = mapped_column(Integer)  # the month's case discussions filed after 7 days
    not_filed: Mapped[int] = mapped_column(Integer)  # ... not on the child's record when submitted
    commentary: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[ReturnVersion] = relationship(back_populates="rows")


class ReturnChase(Model):
    """QAIT chased a team's return for a month: the level (1 managers, 2 and the service manager, 3 and the
    head of service) and whom it told, by name."""

    __audited__ = "return_chase"
    __tablename__ = "return_chases"
    __table_args__ = (
        UniqueConstraint("team_id", "month", "level", name="uq_return_chases_team_month_level"),
        CheckConstraint("level BETWEEN 1 AND 3", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    month: Mapped[date] = mapped_column(Date)
    level: Mapped[int] = mapped_column(Integer)
    chased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    chased_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    told: Mapped[str] = mapped_column(Text, default="")  # the names of the people told

    team: Mapped[Team] = relationship()
    chased_by: Mapped[Staff] = relationship()

    @property
    def label(self) -> str:
        return f"chase {self.level} for {self.month:%B %Y}"


class CaseloadReview(Model):
    """A team's caseload report for a month (R-QA-3), made on the month's first working day."""

    __audited__ = "caseload_review"
    __tablename__ = "caseload_reviews"
    __table_args__ = (
        UniqueConstraint("team_id", "month", name="uq_caseload_reviews_team_month"),
        Index("ix_caseload_reviews_month", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month the report opens
    as_of: Mapped[date] = mapped_column(Date)  # the day the figures describe: the last day of the month before
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    commentary_due_on: Mapped[date] = mapped_column(Date)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    team: Mapped[Team] = relationship()
    returned_by: Mapped[Staff | None] = relationship()
    rows: Mapped[list[CaseloadRow]] = relationship(back_populates="review", order_by="CaseloadRow.position",
                                                   cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"caseload review for {self.month:%B %Y}"


class CaseloadRow(Model):
    """One worker's caseload in a review, and the manager's commentary on it."""

    __audited__ = "caseload_row"
    __audit_content__ = ("commentary",)
    __tablename__ = "caseload_rows"
    __table_args__ = (UniqueConstraint("review_id", "staff_id", name="uq_caseload_rows_review_staff"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("caseload_reviews.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    open_cases: Mapped[int] = mapped_column(Integer)
    by_type: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # case type code: open cases
    high_risk: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)  # cases overdue for supervision
    unsupervised_2_months: Mapped[int] = mapped_column(Integer)  # no case supervision for over 2 months
    change: Mapped[int | None] = mapped_column(Integer)  # open cases since last month's report; None: not in it
    commentary: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[CaseloadReview] = relationship(back_populates="rows")

    @property
    def label(self) -> str:
        return f"caseload line of {self.name}"

"""Quarterly thematic case audits (issue 14, DOMAIN.md R-QA-4 and R-QA-5).

QAIT sets up a round: a quarter, a theme, the services taking part, a due date, the grading scale and a short
set of questions, and the briefings before and after. Cases are assigned to managers as auditors (by default
never a case of their own team: an organisation setting), a new manager with an audit buddy for their first
audit. The auditor grades each question, writes findings, agrees remedial actions with the case's team manager
(an owner and a due date each) and submits; a re-audit of the same case can follow to check the actions worked.

The audit's status is "submitted" once submitted, otherwise "overdue" after its due date and "assigned" before.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.cases.models import Case
from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Service, Staff
from teamops.types import UTCDateTime

ASSIGNED, SUBMITTED, OVERDUE = "assigned", "submitted", "overdue"
AUDIT_STATUSES = (ASSIGNED, SUBMITTED, OVERDUE)
THEME_MAX = 120
QUESTION_MAX = 300
SCALE_NAME_MAX = 80
GRADE_LABEL_MAX = 40
FINDINGS_MAX = 5000
ANSWER_COMMENT_MAX = 2000
ACTION_MAX = 500
BRIEFING_PLACE_MAX = 200
# The scale every organisation starts with (Ofsted's four judgements); admins may add their own.
OFSTED_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")

audit_round_services = Table(
    "audit_round_services", Model.metadata,
    Column("round_id", ForeignKey("audit_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class GradeScale(Model):
    """A grading scale for audit answers, best grade first. Admins keep the scales; a scale used by a round
    keeps its grades."""

    __audited__ = "grade_scale"
    __tablename__ = "grade_scales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(SCALE_NAME_MAX), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    grades: Mapped[list[Grade]] = relationship(back_populates="scale", order_by="Grade.position",
                                               cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"grading scale {self.name}"


class Grade(Model):
    """One grade of a scale; position 1 is the best."""

    __audited__ = "grade"
    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("scale_id", "position", name="uq_grades_scale_position"),
                      UniqueConstraint("scale_id", "label", name="uq_grades_scale_label"),
                      CheckConstraint("position >= 1", name="position"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scales.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(GRADE_LABEL_MAX))

    scale: Mapped[GradeScale] = relationship(back_populates="grades")


class AuditRound(Model):
    """A quarter's thematic audit (R-QA-4)."""

    __audited__ = "audit_round"
    __tablename__ = "audit_rounds"
    __table_args__ = (UniqueConstraint("year", "quarter", "theme", name="uq_audit_rounds_year_quarter_theme"),
                      CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(THEME_MAX))
    scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scales.id"))
    due_on: Mapped[date] = mapped_column(Date)
    briefing_before_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    briefing_after_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    briefing_place: Mapped[str] = mapped_column(String(BRIEFING_PLACE_MAX), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scale: Mapped[GradeScale] = relationship()
    services: Mapped[list[Service]] = relationship(secondary=audit_round_services, order_by="Service.name")
    questions: Mapped[list[AuditQuestion]] = relationship(back_populates="round", order_by="AuditQuestion.position",
                                                          cascade="all, delete-orphan")
    audits: Mapped[list[CaseAudit]] = relationship(back_populates="round", cascade="all, delete-orphan")
    created_by: Mapped[Staff | None] = relationship()

    @property
    def name(self) -> str:
        return f"Q{self.quarter} {self.year}: {self.theme}"

    @property
    def label(self) -> str:
        return f"audit round {self.name}"


class AuditQuestion(Model):
    """One question of a round, answered with a grade of the round's scale."""

    __audited__ = "audit_question"
    __tablename__ = "audit_questions"
    __table_args__ = (UniqueConstraint("round_id", "position", name="uq_audit_questions_round_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("audit_rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))

    round: Mapped[AuditRound] = relationship(back_populates="questions")


class CaseAudit(Model):
    """One case assigned to one auditor in a round; a re-audit names the audit it checks (R-QA-5)."""

    __audited__ = "case_audit"
    __audit_content__ = ("findings",)
    __tablename__ = "case_audits"
    __table_args__ = (
        # One audit of a case per round, and one re-audit of an audit (a re-audit may be in the same round).
        Index("uq_case_audits_round_id_case_id", "round_id", "case_id", unique=True,
              sqlite_where=text("reaudit_of_id IS NULL"), postgresql_where=text("reaudit_of_id IS NULL")),
        UniqueConstraint("reaudit_of_id", name="uq_case_audits_reaudit_of_id"),
        Index("ix_case_audits_auditor_id", "auditor_id"),
        Index("ix_case_audits_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("audit_rounds.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    buddy_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # a new manager's first audit
    due_on: Mapped[date] = mapped_column(Date)
    reaudit_of_id: Mapped[int | None] = mapped_column(ForeignKey("case_audits.id"))
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("grades.id"))  # the overall grade
    findings: Mapped[str] = mapped_column(Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_by_manager_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The day purge-records emptied its findings, answers' comments and actions' wording (teamops.retention).
    content_purged_on: Mapped[date | None] = mapped_column(Date)

    round: Mapped[AuditRound] = relationship(back_populates="audits")
    case: Mapped[Case] = relationship()
    auditor: Mapped[Staff] = relationship(foreign_keys=[auditor_id])
    buddy: Mapped[Staff | None] = relationship(foreign_keys=[buddy_id])
    grade: Mapped[Grade | None] = relationship()
    reaudit_of: Mapped[CaseAudit | None] = relationship(remote_side=[id])
    answers: Mapped[list[AuditAnswer]] = relationship(back_populates="audit", cascade="all, delete-orphan")
    actions: Mapped[list[AuditAction]] = relationship(back_populates="audit", order_by="AuditAction.id",
                                                      cascade="all, delete-orphan")

    def status_on(self, on: date) -> str:
        if self.submitted_at is not None:
            return SUBMITTED
        return OVERDUE if on > self.due_on else ASSIGNED

    @property
    def label(self) -> str:
        return "case audit" if self.reaudit_of_id is None else "case re-audit"


class AuditAnswer(Model):
    """The auditor's grade for one question, with a comment."""

    __audited__ = "audit_answer"
    __audit_content__ = ("comment",)
    __tablename__ = "audit_answers"
    __table_args__ = (UniqueConstraint("audit_id", "question_id", name="uq_audit_answers_audit_question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audits.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("audit_questions.id"))
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[CaseAudit] = relationship(back_populates="answers")
    question: Mapped[AuditQuestion] = relationship()
    grade: Mapped[Grade] = relationship()


class AuditAction(Model):
    """A remedial action agreed with the case's team manager (R-QA-5): who does it, by when, and when done."""

    __audited__ = "audit_action"
    __audit_content__ = ("description",)
    __tablename__ = "audit_actions"
    __table_args__ = (Index("ix_audit_actions_owner_id_done_on", "owner_id", "done_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audits.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    audit: Mapped[CaseAudit] = relationship(back_populates="actions")
    owner: Mapped[Staff] = relationship()

    @property
    def wording(self) -> str:
        """What the action says, or, once the retention purge removed it, that it was removed and when (for a
        spreadsheet, where no page can say so)."""
        if self.audit.content_purged_on is not None:
            return f"Content removed on {self.audit.content_purged_on:%-d %B %Y} under the retention policy"
        return self.description

    @property
    def label(self) -> str:
        return "audit action"

"""The organisation's induction templates (R-IND-15): the timetables by employment type and the one service
checklist, seeded from the county's induction procedure and edited by admins. An induction copies what applies
when it opens, so an edit never changes a running or finished induction (``version`` counts the edits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.types import UTCDateTime

TEMPLATE_KINDS = {"permanent": "Permanent staff", "agency": "Agency staff", "mover": "Internal move"}
DAY_KINDS = {
    "manager_meeting": "Manager meeting", "buddy_checkin": "Buddy check-in", "team_meeting": "Team meeting or pod",
    "shadowing": "Shadowing", "e_learning": "E-learning", "reading": "Reading", "case_allocation": "Case allocation",
    "induction_review": "Induction review", "other": "Other",
}
HOST_SLOTS = {"manager": "Their manager", "buddy": "Their buddy", "a": "Shadowing host A", "b": "Shadowing host B"}
SERVICE_GROUPS = {"csc": "Children's Social Care", "cfws": "Children and Families Wellbeing Service",
                  "yos": "Youth offending and youth justice"}
JOB_GROUPS = {"front_line": "Front-line", "business_support": "Business support", "manager": "Managers"}
CONFIRMERS = {"starter": "The starter", "manager": "The manager", "business_support": "Business support"}
DEADLINES = {
    "before_start": "Before the start", "day_1": "Day 1", "within_3_days": "Within 3 working days",
    "week_1": "Week 1", "within_6_weeks": "Within 6 weeks", "end_of_induction": "End of induction",
}
REQUIREMENTS = {"mandatory": "Mandatory training", "required": "Required", "optional": "Optional"}
AUTOMATIC = {"buddy_named": "Ticked when a buddy is named", "review_recorded": "Ticked when the review is recorded"}
MAX_LENGTH_DAYS = 60
TITLE_MAX = 300
SECTION_MAX = 80
LINK_MAX = 500


class InductionTemplate(Model):
    """A timetable: how many working days an induction lasts and what happens on each."""

    __audited__ = "induction_template"
    __tablename__ = "induction_templates"
    __table_args__ = (
        CheckConstraint(f"kind IN {tuple(TEMPLATE_KINDS)!r}", name="kind"),
        CheckConstraint(f"length_days BETWEEN 1 AND {MAX_LENGTH_DAYS}", name="length_days"),
        # Opening an induction by itself needs exactly one active template per employment type.
        Index("uq_induction_templates_active_kind", "kind", unique=True,
              sqlite_where=text("active AND kind IN ('permanent', 'agency')"),
              postgresql_where=text("active AND kind IN ('permanent', 'agency')")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    length_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    days: Mapped[list[InductionTemplateDay]] = relationship(
        back_populates="template", order_by="(InductionTemplateDay.day_number, InductionTemplateDay.position)",
        cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return TEMPLATE_KINDS.get(self.kind, self.kind)


class InductionTemplateDay(Model):
    """One item of a timetable: what happens on working day ``day_number``, and whose it is to host."""

    __audited__ = "induction_template_day"
    __tablename__ = "induction_template_days"
    __table_args__ = (
        CheckConstraint("day_number >= 1", name="day_number"),
        CheckConstraint(f"kind IN {tuple(DAY_KINDS)!r}", name="kind"),
        CheckConstraint(f"host_slot IS NULL OR host_slot IN {tuple(HOST_SLOTS)!r}", name="host_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("induction_templates.id"), index=True)
    day_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    host_slot: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(String(TITLE_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)

    template: Mapped[InductionTemplate] = relationship(back_populates="days")

    @property
    def kind_label(self) -> str:
        return DAY_KINDS.get(self.kind, self.kind)

    @property
    def host_label(self) -> str:
        return HOST_SLOTS.get(self.host_slot, "") if self.host_slot else ""


class ChecklistItem(Model):
    """One item of the organisation's service checklist. It applies to a starter when the flag for their
    service group and the flag for their job group are both set ("all staff" sets all six)."""

    __audited__ = "induction_checklist_item"
    __tablename__ = "induction_checklist_items"
    __table_args__ = (
        CheckConstraint(f"confirmer IN {tuple(CONFIRMERS)!r}", name="confirmer"),
        CheckConstraint(f"deadline IN {tuple(DEADLINES)!r}", name="deadline"),
        CheckConstraint(f"requirement IN {tuple(REQUIREMENTS)!r}", name="requirement"),
        CheckConstraint(f"automatic IS NULL OR automatic IN {tuple(AUTOMATIC)!r}", name="automatic"),
        CheckConstraint("for_csc OR for_cfws OR for_yos", name="service"),
        CheckConstraint("for_front_line OR for_business_support OR for_managers", name="job"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    section: Mapped[str] = mapped_column(String(SECTION_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    link: Mapped[str | None] = mapped_column(String(LINK_MAX))
    for_csc: Mapped[bool] = mapped_column(Boolean, default=True)
    for_cfws: Mapped[bool] = mapped_column(Boolean, default=True)
    for_yos: Mapped[bool] = mapped_column(Boolean, default=True)
    for_front_line: Mapped[bool] = mapped_column(Boolean, default=True)
    for_business_support: Mapped[bool] = mapped_column(Boolean, default=True)
    for_managers: Mapped[bool] = mapped_column(Boolean, default=True)
    confirmer: Mapped[str] = mapped_column(String(20), default="starter")
    deadline: Mapped[str] = mapped_column(String(16))
    requirement: Mapped[str] = mapped_column(String(10), default="required")
    gates_case_system: Mapped[bool] = mapped_column(Boolean, default=False)
    automatic: Mapped[str | None] = mapped_column(String(20))
    for_new_starters: Mapped[bool] = mapped_column(Boolean, default=True)
    for_movers: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def applies_to(self, service_group: str, job_group: str) -> bool:
        """Whether a starter in this service group and job group gets the item (an "other" service gets only
        the items for every service)."""
        services = {"csc": self.for_csc, "cfws": self.for_cfws, "yos": self.for_yos}
        service_ok = services[service_group] if service_group in services else all(services.values())
        jobs = {"front_line": self.for_front_line, "business_support": self.for_business_support,
                "manager": self.for_managers}
        return bool(service_ok and jobs.get(job_group, False))

    @property
    def audience(self) -> str:
        services = [label for key, label in (("for_csc", "CSC"), ("for_cfws", "CFWS"), ("for_yos", "YOS"))
                    if getattr(self, key)]
        jobs = [label for key, label in (("for_front_line", "front-line"),
                                         ("for_business_support", "business support"), ("for_managers", "managers"))
                if getattr(self, key)]
        who = "all staff" if len(jobs) == 3 else ", ".join(jobs)
        return f"{', '.join(services) if len(services) < 3 else 'All services'}: {who}"

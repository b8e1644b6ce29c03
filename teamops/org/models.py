"""Services, teams and staff. A member of staff is also the account that signs in."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, aliased, column_property, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.types import UTCDateTime

ROLES = ("worker", "team_manager", "service_manager", "head_of_service", "qait", "admin")
MANAGER_ROLES = ("team_manager", "service_manager", "head_of_service")  # run teams: book, record, manage cases
ROLE_LABELS = {
    "worker": "Worker",
    "team_manager": "Team manager",
    "service_manager": "Service manager",
    "head_of_service": "Head of service",
    "qait": "QAIT",
    "admin": "Admin",
}
# Roles that read everything or change everything: granting one takes a second person's approval.
APPROVED_ROLES = ("qait", "admin")
GRANT_OUTCOMES = ("approved", "refused")
EMPLOYMENT_TYPES = ("permanent", "agency")
NAME_MAX = 120
EMAIL_MAX = 254
TEXT_MAX = 120
# CONTRACT.md "CSV imports": every case reference, whatever the organisation's own rule narrows it to.
CASE_REF_PATTERN = r"^[A-Za-z0-9-]{1,32}$"
CASE_REF_MAX = 32
# How the organisation's case references look (teamops.org.settings): the contract's rule, digits only (a
# Mosaic ID), or the organisation's own pattern, always within the contract's rule.
CASE_REF_RULES = ("default", "digits", "custom")
CASE_REF_PATTERN_MAX = 100
CASE_REF_HINT_MAX = 100
# Which part of the induction checklist a service's starters get (R-IND-15): "other" gets the items for all.
INDUCTION_GROUPS = ("csc", "cfws", "yos", "other")
PHONE_MAX = 32
DIRECTORY_TEXT_MAX = 2000
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class Service(Model):
    __audited__ = "service"
    __tablename__ = "services"
    __table_args__ = (CheckConstraint(f"induction_group IN {INDUCTION_GROUPS!r}", name="induction_group"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(TEXT_MAX), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    induction_group: Mapped[str] = mapped_column(String(8), default="other")
    # R-QA-3: whether QAIT's monthly caseload review applies to the service's teams (seeded for children's
    # social care).
    caseload_reviews: Mapped[bool] = mapped_column(Boolean, default=False)

    teams: Mapped[list[Team]] = relationship(back_populates="service", order_by="Team.name")

    def __repr__(self) -> str:
        return f"<Service {self.name}>"


class Team(Model):
    __audited__ = "team"
    __tablename__ = "teams"
    __table_args__ = (
        UniqueConstraint("service_id", "name", name="uq_teams_service_id_name"),
        CheckConstraint("meeting_weekday BETWEEN 0 AND 4", name="meeting_weekday"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    name: Mapped[str] = mapped_column(String(TEXT_MAX))
    office_base: Mapped[str] = mapped_column(String(TEXT_MAX))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", use_alter=True, name="fk_teams_manager_id_staff"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekday (Monday 0) of the team's pod or team meeting: a starter's "meet the team" day falls on it.
    meeting_weekday: Mapped[int | None] = mapped_column(Integer)
    # Who confirms a starter's office items (badge, office and health and safety induction), with the manager.
    business_support_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", use_alter=True, name="fk_teams_business_support_id_staff"))
    # The directory's entry for the team (issue 12): what it does, how to reach it, when that was last checked.
    remit: Mapped[str] = mapped_column(String(DIRECTORY_TEXT_MAX), default="")
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    checked_on: Mapped[date | None] = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", use_alter=True, name="fk_teams_checked_by_id_staff"))

    service: Mapped[Service] = relationship(back_populates="teams")
    manager: Mapped[Staff | None] = relationship(foreign_keys=[manager_id], post_update=True)
    business_support: Mapped[Staff | None] = relationship(foreign_keys=[business_support_id], post_update=True)
    checked_by: Mapped[Staff | None] = relationship(foreign_keys=[checked_by_id], post_update=True)
    members: Mapped[list[Staff]] = relationship(
        back_populates="team", foreign_keys="Staff.team_id", order_by="Staff.name"
    )
    other_bases: Mapped[list[TeamBase]] = relationship(
        order_by="TeamBase.name", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def bases(self) -> list[str]:
        """Every office base the team works from, its main one first."""
        return [self.office_base, *(base.name for base in self.other_bases)]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.service.name})"

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class TeamBase(Model):
    """Another office base a team works from, besides its main one (``Team.office_base``)."""

    __tablename__ = "team_bases"
    __table_args__ = (UniqueConstraint("team_id", "name", name="uq_team_bases_team_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TEXT_MAX))


class Staff(UserMixin, Model):
    __audited__ = "staff"
    __audit_hidden__ = ("password_hash", "sso_subject")
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        CheckConstraint(f"employment_type IN {EMPLOYMENT_TYPES!r}", name="employment_type"),
        CheckConstraint("asye_ends_on > asye_starts_on", name="asye_dates"),
        CheckConstraint("(asye_starts_on IS NULL) = (asye_ends_on IS NULL)", name="asye_both"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    job_role: Mapped[str] = mapped_column(String(TEXT_MAX))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    employment_type: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    # A newly qualified social worker's ASYE year (R-ASYE-1: the dates matter, not a flag; teamops.org.asye).
    asye_starts_on: Mapped[date | None] = mapped_column(Date)
    asye_ends_on: Mapped[date | None] = mapped_column(Date)  # the last day
    role: Mapped[str] = mapped_column(String(20), default="worker")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    # For the directory (issue 12): a work phone (often a 5-digit extension) and their own office base, when it
    # is not their team's main one ("nearest" uses it, else the team's).
    work_phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    office_base: Mapped[str | None] = mapped_column(String(TEXT_MAX))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The council account (a SHA-256 of the provider's issuer and ``sub``) that signed in as this person first:
    # from then on single sign-on matches it, not the e-mail address, which the council may give someone else
    # (teamops.auth.sso).
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="members", foreign_keys=[team_id], active_history=True)
    line_manager: Mapped[Staff | None] = relationship(remote_side=[id])
    if TYPE_CHECKING:  # mapped below the classes they ask about
        has_reports: Mapped[bool]
        has_covers: Mapped[bool]

    @property
    def is_active(self) -> bool:  # Flask-Login: a leaver cannot sign in or stay signed in.
        return bool(self.active)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<Staff {self.email}>"


class TeamMembership(Model):
    """A person's team over time (issue 9 item 6, CONTRACT.md "Scheduling rules": team membership is dated).
    From ``from_date`` up to the day before ``to_date`` (open-ended while ``to_date`` is empty), as a case's
    allocation is. Kept by ``teamops.org.memberships`` whenever a person joins or moves; ``Staff.team_id`` is
    the team today."""

    __tablename__ = "team_memberships"
    __table_args__ = (CheckConstraint("to_date IS NULL OR to_date > from_date", name="dates"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship()
    team: Mapped[Team] = relationship()

    def __repr__(self) -> str:
        return f"<TeamMembership {self.staff_id} in {self.team_id} from {self.from_date}>"


ABSENCE_KINDS = {"sickness": "Sickness", "parental_leave": "Parental leave", "secondment": "Secondment",
                 "other": "Other long absence"}


class Absence(Model):
    """A long absence (R-ORG-6: sickness, parental leave, secondment) from a first to a last day, recorded by a
    manager. While it runs the person's personal supervision reads "absent" rather than overdue; it is due
    again a month after the last day unless one is held sooner (``teamops.scheduling``). Their cases are not
    paused. The kind is health or family information: the audit trail records that an absence was recorded
    and its dates, never its kind."""

    __audited__ = "absence"
    __audit_hidden__ = ("kind",)
    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint(f"kind IN {tuple(ABSENCE_KINDS)!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day away (expected, until they are back)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    recorded_by: Mapped[Staff | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def kind_label(self) -> str:
        return ABSENCE_KINDS.get(self.kind, self.kind)


_REPORT = aliased(Staff)
# Whether anyone has this person as their line manager (R-ORG-2: they supervise whoever they line-manage):
# deferred, and loaded with the signed-in account, so the menu and the rules ask no extra question.
Staff.has_reports = column_property(exists().where(_REPORT.line_manager_id == Staff.id), deferred=True)


class RoleGrant(Model):
    """A request to give someone the QAIT or admin role. It takes effect only when a second person approves
    it (``teamops.access`` "approve_role_grant"); until then the person keeps the role they have.
    ``requested_by_id`` is None for a staff import from the command line."""

    __audited__ = "role_grant"
    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(f"role IN {APPROVED_ROLES!r}", name="role"),
        CheckConstraint(f"outcome IN {GRANT_OUTCOMES!r}", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    requested_by: Mapped[Staff | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[Staff | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<RoleGrant {self.role} for {self.staff_id}>"


class Cover(Model):
    """Someone standing in for a team's manager from a date to a date (R-ORG-3). While it runs they reach the
    team as its manager does (``teamops.access``); it ends by itself after ``ends_on``, or when ended by hand
    (``ended_at``). Kept for the history; audited."""

    __audited__ = "cover"
    __tablename__ = "covers"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)  # who covers
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)  # who is covered
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    named_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)

    team: Mapped[Team] = relationship()
    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    manager: Mapped[Staff | None] = relationship(foreign_keys=[manager_id])
    named_by: Mapped[Staff | None] = relationship(foreign_keys=[named_by_id])
    ended_by: Mapped[Staff | None] = relationship(foreign_keys=[ended_by_id])

    def __repr__(self) -> str:
        return f"<Cover of team {self.team_id} by {self.staff_id}>"


# Whether this person holds a cover not ended by hand (R-ORG-3): loaded with the signed-in account, so only
# someone who has ever been named a cover is asked which teams they cover today.
Staff.has_covers = column_property(exists().where(Cover.staff_id == Staff.id, Cover.ended_at.is_(None)),
                                   deferred=True)


class OrganisationSettings(Model):
    """What each organisation chooses for itself: one row, id 1; until an admin saves it, the defaults
    (``teamops.org.settings``). Today: the rule its case references follow."""

    __audited__ = "organisation_settings"
    __tablename__ = "organisation_settings"
    __table_args__ = (CheckConstraint(f"case_ref_rule IN {CASE_REF_RULES!r}", name="case_ref_rule"),
                      CheckConstraint("buddy_min_service_months BETWEEN 0 AND 60", name="buddy_min_service_months"),
                      CheckConstraint("return_due_rule IN ('next', 'before')", name="return_due_rule"),
                      CheckConstraint("dip_samples_per_team BETWEEN 0 AND 20", name="dip_samples_per_team"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref_rule: Mapped[str] = mapped_column(String(10), default="default")
    case_ref_pattern: Mapped[str] = mapped_column(String(CASE_REF_PATTERN_MAX), default="")  # for "custom"
    case_ref_example: Mapped[str] = mapped_column(String(CASE_REF_MAX), default="")
    case_ref_hint: Mapped[str] = mapped_column(String(CASE_REF_HINT_MAX), default="")
    # R-IND-4: a suggested buddy has at least this many months' service (fewer ranks lower, never refused).
    buddy_min_service_months: Mapped[int] = mapped_column(Integer, default=6)
    # R-QA-2: when the first Friday is not a working day, the return is due the next working day ("next") or the
    # working day before ("before", unless that falls inside the month reported).
    return_due_rule: Mapped[str] = mapped_column(String(6), default="next")
    # R-QA-6: how many supervision records of each team its service manager and QAIT aim to dip-sample a month.
    dip_samples_per_team: Mapped[int] = mapped_column(Integer, default=2)
    # R-QA-4: whether a manager may be given a case of their own team to audit (by default never).
    auditors_own_team: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def label(self) -> str:
        return "organisation settings"

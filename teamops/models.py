"""Imports every model module, so the metadata (and Alembic) knows every table."""

from teamops.api.models import ApiToken
from teamops.audit.models import AuditEvent
from teamops.auth.models import HeldForm, PasswordToken, SignInFailure, UserSession
from teamops.bookings.models import Booking
from teamops.cases.models import Case, CaseAllocation, OversightEntry
from teamops.dashboards.models import FiguresVersion
from teamops.directory.models import (
    Champion,
    ChampionArea,
    Contact,
    ContactHours,
    Network,
    NetworkContact,
    NetworkException,
)
from teamops.imports.models import PendingImport
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction, InductionDay, InductionItem
from teamops.induction.template_models import ChecklistItem, InductionTemplate, InductionTemplateDay
from teamops.org.models import (
    Absence,
    Cover,
    OrganisationSettings,
    RoleGrant,
    Service,
    Staff,
    Team,
    TeamBase,
    TeamMembership,
)
from teamops.policy.models import CaseType, PolicyChange, SupervisionSettings
from teamops.quality.audit_models import (
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    AuditRound,
    CaseAudit,
    Grade,
    GradeScale,
)
from teamops.quality.models import DipRating, DipSample, PracticeObservation
from teamops.records.models import ActionReview, CaseDiscussion, RecordVersion, SupervisionAction, SupervisionRecord
from teamops.reminders.models import CalendarFeed, Notification, ReminderPreference, ReminderSend
from teamops.returns.models import (
    CaseloadReview,
    CaseloadRow,
    ReturnChase,
    ReturnNote,
    ReturnRow,
    ReturnVersion,
    SupervisionReturn,
)

__all__ = [
    "Absence",
    "ActionReview",
    "ApiToken",
    "AuditAction",
    "AuditAnswer",
    "AuditEvent",
    "AuditQuestion",
    "AuditRound",
    "Booking",
    "CalendarFeed",
    "Case",
    "CaseAllocation",
    "CaseAudit",
    "CaseDiscussion",
    "CaseType",
    "CaseloadReview",
    "CaseloadRow",
    "Champion",
    "ChampionArea",
    "ChecklistItem",
    "Contact",
    "ContactHours",
    "Cover",
    "DipRating",
    "DipSample",
    "FiguresVersion",
    "Grade",
    "GradeScale",
    "HeldForm",
    "Induction",
    "InductionBuddy",
    "InductionCheckin",
    "InductionDay",
    "InductionItem",
    "InductionTemplate",
    "InductionTemplateDay",
    "Network",
    "NetworkContact",
    "NetworkException",
    "Notification",
    "OrganisationSettings",
    "OversightEntry",
    "PasswordToken",
    "PendingImport",
    "PolicyChange",
    "PracticeObservation",
    "RecordVersion",
    "ReminderPreference",
    "ReminderSend",
    "ReturnChase",
    "ReturnNote",
    "ReturnRow",
    "ReturnVersion",
    "RoleGrant",
    "Service",
    "SignInFailure",
    "Staff",
    "SupervisionAction",
    "SupervisionRecord",
    "SupervisionReturn",
    "SupervisionSettings",
    "Team",
    "TeamBase",
    "TeamMembership",
    "UserSession",
]

"""Imports every model module, so the metadata (and Alembic) knows every table."""

from teamops.api.models import ApiToken
from teamops.audit.models import AuditEvent
from teamops.auth.models import PasswordToken, UserSession
from teamops.imports.models import PendingImport
from teamops.org.models import Service, Staff, Team
from teamops.supervision.models import (
    ActionReview,
    Booking,
    Case,
    CaseAllocation,
    CaseDiscussion,
    CaseType,
    OversightEntry,
    RecordVersion,
    SupervisionAction,
    SupervisionRecord,
    SupervisionSettings,
)

__all__ = [
    "ActionReview", "ApiToken", "AuditEvent", "Booking", "Case", "CaseAllocation", "CaseDiscussion", "CaseType",
    "OversightEntry", "PasswordToken", "PendingImport", "RecordVersion", "Service", "Staff", "SupervisionAction",
    "SupervisionRecord", "SupervisionSettings", "Team", "UserSession",
]

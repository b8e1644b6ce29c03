"""Imports every model module, so the metadata (and Alembic) knows every table."""

from teamops.api.models import ApiToken
from teamops.audit.models import AuditEvent
from teamops.auth.models import PasswordToken, SignInFailure, UserSession
from teamops.bookings.models import Booking
from teamops.cases.models import Case, CaseAllocation, OversightEntry
from teamops.dashboards.models import FiguresVersion
from teamops.imports.models import PendingImport
from teamops.org.models import OrganisationSettings, RoleGrant, Service, Staff, Team
from teamops.policy.models import CaseType, SupervisionSettings
from teamops.records.models import ActionReview, CaseDiscussion, RecordVersion, SupervisionAction, SupervisionRecord

__all__ = [
    "ActionReview", "ApiToken", "AuditEvent", "Booking", "Case", "CaseAllocation", "CaseDiscussion", "CaseType",
    "FiguresVersion", "OrganisationSettings", "OversightEntry", "PasswordToken", "PendingImport", "RecordVersion",
    "RoleGrant", "Service", "SignInFailure", "Staff", "SupervisionAction", "SupervisionRecord", "SupervisionSettings",
    "Team", "UserSession",
]

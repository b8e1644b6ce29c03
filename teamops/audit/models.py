"""The append-only audit trail. Database triggers (see migrations) refuse updates and deletes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.types import UTCDateTime

ACTIONS = ("create", "update", "delete", "sign_in", "sign_out", "sign_in_failed", "password_failed", "throttled",
           "access_denied", "password_reset", "read")
IP_ADDRESS_MAX = 45
# Stored in place of a value the trail must not keep. A secret (a password hash, a token hash) and record
# content (what a supervision record, oversight entry or action says) are both withheld: admins read the
# trail, and may read neither. Content is read only through the record and its versions.
HIDDEN = "(changed)"
CONTENT = "(content)"
WITHHELD = frozenset({HIDDEN, CONTENT})


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))
    entity_type: Mapped[str | None] = mapped_column(String(40), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(IP_ADDRESS_MAX))

    @property
    def withheld_fields(self) -> frozenset[str]:
        """The fields whose values the trail withholds: the page says only that they changed."""
        return frozenset(field for field, values in (self.changes or {}).items()
                         if any(isinstance(value, str) and value in WITHHELD for value in values))

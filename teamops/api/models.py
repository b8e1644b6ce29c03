"""API tokens: only a hash is stored; the token itself is shown once, by ``create-token`` or the API tokens page.

A token is never deleted: revoking it stamps ``revoked_at``, so the owner's and the admins' lists keep saying when
it stopped working and the audit trail keeps the row it refers to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime


class ApiToken(Model):
    __audited__ = "api_token"
    __audit_hidden__ = ("token_hash",)
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()

    def state(self, now: datetime) -> str:
        """``revoked``, ``expired`` or ``active`` at ``now``: what the lists show, and whether revoking it still
        changes anything."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

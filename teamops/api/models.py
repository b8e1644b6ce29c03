"""API tokens: only a hash is stored; the token itself is shown once by ``create-token``."""

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

    staff: Mapped[Staff] = relationship()

"""Server-side sign-in sessions and one-time set-password links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime


class UserSession(Model):
    """One signed-in browser. Deleting the row ends that session wherever its cookie is."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[Staff] = relationship()


class PasswordToken(Model):
    """A one-time, expiring link that lets an account's owner set a password. Only its hash is stored."""

    __audited__ = "password_link"
    __audit_hidden__ = ("token_hash",)
    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()

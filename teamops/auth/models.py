"""Server-side sign-in sessions, one-time set-password links and the failed-password counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
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
    # Started by single sign-on: the provider's session id and subject, so that its back-channel logout can end it
    sso_sid: Mapped[str | None] = mapped_column(String(255), index=True)
    sso_sub: Mapped[str | None] = mapped_column(String(255), index=True)

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


class SignInFailure(Model):
    """One wrong password (or one audited refusal) under a throttle key, kept for the 15-minute window.

    In the database so that every worker and every app server counts the same failures with no extra service.
    The key is stored hashed: a fixed width for the index, whatever length was typed. Not audited: each failure
    already has its own audit event, and rows older than the window are pruned.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_hash_at", "key_hash", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

"""Server-side sign-in sessions, one-time set-password links, the failed-password counts and forms held through a
single sign-on round trip."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
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


class HeldForm(Model):
    """A form sent after the session ended, held while its sender signs in again at the council's provider
    (teamops.auth.holding): too large for the session cookie, and every worker and app server must find it.

    Only the key's hash is stored; the browser's session holds the key. What was typed is kept for 15 minutes at
    most and read once. Not audited: it may be record content, which the trail never holds.
    """

    __tablename__ = "held_forms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)  # where the form was sent: a path on this site (keeping.safe_path)
    fields: Mapped[list[list[str]]] = mapped_column(JSON)  # [name, value] pairs, in the order sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

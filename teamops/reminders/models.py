"""What the reminder runs have claimed and sent (issue 15 item 2).

One row per person and reminder: ``key`` names the thing and the moment it is about (``case-overdue:12:
2026-11-30``: case 12's supervision, due on 30 November, is overdue), so the same reminder is never sent twice,
whatever runs when. A run claims its rows before it sends (the unique constraint on person and key decides
between two runs at once), then marks them sent; a send that fails marks them failed, and the next run takes
them again. A claim left behind by a run that died is taken again once it is an hour old.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.directory.models import Network
from teamops.extensions import Model
from teamops.org.models import Staff
from teamops.types import UTCDateTime

CLAIMED, SENT, FAILED = "claimed", "sent", "failed"
STALE_AFTER = timedelta(hours=1)  # a claim this old belongs to a run that died: the next run takes it
STATES = (CLAIMED, SENT, FAILED)
KEY_MAX = 120
LINE_MAX = 300
ERROR_MAX = 300


class ReminderSend(Model):
    __tablename__ = "reminder_sends"
    __table_args__ = (
        UniqueConstraint("staff_id", "key", name="uq_reminder_sends_staff_key"),
        CheckConstraint(f"state IN {STATES!r}", name="state"),
        Index("ix_reminder_sends_state", "state", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    category: Mapped[str] = mapped_column(String(30))
    # What the digest says of it and where it leads: names, dates and case references only, never content.
    line: Mapped[str] = mapped_column(String(LINE_MAX))
    path: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)  # the run's day that first claimed it
    state: Mapped[str] = mapped_column(String(10), default=CLAIMED)
    run_id: Mapped[str] = mapped_column(String(32), index=True)  # the run that holds the claim now
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))


PENDING, SENDING = "pending", "sending"
OUTBOX_STATES = (PENDING, SENDING, SENT, FAILED)


class OutboxMail(Model):
    """A one-off message to a person (a decision, an access change, a chase, a booking's invitation), written in
    the same transaction as the change that causes it: sent once that transaction commits, and if the relay
    refused it or was down, by the next ``send-reminders`` run. Claimed (``sending``) before each attempt, so two
    processes never send it twice. Names, dates and links only; never a set-password link (those are sent at
    once and kept nowhere)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(f"state IN {OUTBOX_STATES!r}", name="state"),
        Index("ix_mail_outbox_state", "state", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(LINE_MAX))
    text: Mapped[str] = mapped_column(Text)
    invitation_method: Mapped[str | None] = mapped_column(String(10))  # REQUEST or CANCEL
    invitation: Mapped[bytes | None] = mapped_column(LargeBinary)  # the iCalendar text
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    run_id: Mapped[str | None] = mapped_column(String(32), index=True)  # whoever holds the claim
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))

    staff: Mapped[Staff] = relationship()


class CalendarFeed(Model):
    """A person's secret calendar feed (issue 15 item 6): only the SHA-256 of its token is kept, so the address is
    shown once, when it is made; making a new one replaces the hash, and the old address answers 404."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[Staff] = relationship()


class FeedNetwork(Model):
    """A network whose meetings a person chose to have in their calendar feed (issue 15 item 6). Only that person
    ever sees their choices: it is not a membership list (the standards' privacy rule), so no page lists who chose
    a network, and the audit trail does not record it."""

    __tablename__ = "calendar_feed_networks"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()


class Notification(Model):
    """Something for a person to see in TeamOps (issue 15 item 3): what the e-mail said, in a line, and the page
    to act on. Read when they open it or mark everything read."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_staff_unread", "staff_id", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(LINE_MAX))
    path: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()


DAILY, WEEKLY = "daily", "weekly"
DIGESTS = (DAILY, WEEKLY)


class ReminderPreference(Model):
    """How a person wants their due-soon reminders (issue 15 item 4): by e-mail or in TeamOps only, per category,
    and daily or weekly (on Mondays). Overdue items, missed check-ins, late returns and escalations always go, by
    e-mail, the day they fall due: they cannot be turned off. No row: e-mail for everything, daily."""

    __tablename__ = "reminder_preferences"
    __table_args__ = (CheckConstraint(f"digest IN {DIGESTS!r}", name="digest"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(10), default=DAILY)
    email_off: Mapped[str] = mapped_column(String(200), default="")  # categories e-mailed no more, comma-separated

    @property
    def off(self) -> frozenset[str]:
        return frozenset(part for part in self.email_off.split(",") if part)

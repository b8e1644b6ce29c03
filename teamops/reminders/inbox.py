"""In-app notifications (issue 15 item 3): each message TeamOps sends a person, and each reminder when it is
first claimed, is also a line in their notifications, linking to the page to act on. The header shows how many
are unread (asked in the background, so it never counts as activity for the idle time-out)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, insert, select, update

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.reminders.models import LINE_MAX, Notification

MOST_SHOWN_COUNT = 99  # the header says "99+" beyond


def add(person: Staff, line: str, path: str = "/") -> None:
    """A notification for the person (who may not be written yet: an import's new row)."""
    db.session.add(Notification(staff=person, line=line[:LINE_MAX], path=safe_path(path), created_at=utcnow()))


def add_many(rows: Iterable[tuple[int, str, str]], now: datetime) -> None:
    values = [{"staff_id": staff_id, "line": line[:LINE_MAX], "path": safe_path(path), "created_at": now}
              for staff_id, line, path in rows]
    if values:
        db.session.execute(insert(Notification), values)


def safe_path(path: str) -> str:
    """A path inside TeamOps (never another site: ``//host`` or a scheme), else the home page."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def unread_count(staff_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.staff_id == staff_id, Notification.read_at.is_(None))) or 0


def of(staff_id: int) -> Select[tuple[Notification]]:
    """The person's notifications, unread first, newest first."""
    return (select(Notification).where(Notification.staff_id == staff_id)
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()))


def mark_read(notification: Notification, now: datetime) -> None:
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()


def mark_all_read(staff_id: int, now: datetime) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.staff_id == staff_id, Notification.read_at.is_(None)).values(read_at=now))
    return int(getattr(result, "rowcount", 0) or 0)

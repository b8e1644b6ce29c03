"""Keeping the directory true: every entry shows when it was last checked and by whom; whoever keeps an entry
confirms it ("still correct") or edits it, which checks it too; entries not checked for ``STALE_MONTHS`` are
listed for admins."""

from __future__ import annotations

from datetime import date
from typing import Any

from teamops.dates import add_months, today
from teamops.org.models import Staff

STALE_MONTHS = 6


def stale_before(on: date) -> date:
    """Entries last checked before this day need checking again."""
    return add_months(on, -STALE_MONTHS)


def mark_checked(entry: Any, by: Staff, on: date | None = None) -> None:
    """Records that ``by`` checked the entry (a champion, network, contact or team) today."""
    entry.checked_on = on or today()
    entry.checked_by_id = by.id


def is_stale(entry: Any, on: date) -> bool:
    checked = getattr(entry, "checked_on", None)
    return checked is None or checked < stale_before(on)

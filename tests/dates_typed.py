"""Dates as people type them now: the GOV.UK date input's three boxes (issue 10 item 7)."""

from __future__ import annotations

import re
from datetime import date


def date_boxes(name: str, day: date | str) -> dict[str, str]:
    """The form values of a date typed into the ``name`` boxes: ``date`` or text "YYYY-MM-DD" (even impossible)."""
    year, month, day_of_month = (day.isoformat() if isinstance(day, date) else day).split("-")
    return {f"{name}-day": day_of_month, f"{name}-month": month, f"{name}-year": year}


def date_shown(page: str, name: str) -> str:
    """What the ``name`` boxes on a page hold, as "YYYY-MM-DD" (zero-padded), or "" when they are empty."""
    parts = []
    for part in ("year", "month", "day"):
        tag = re.search(rf'<input[^>]*name="{re.escape(name)}-{part}"[^>]*>', page)
        assert tag is not None, f"no {name}-{part} box on the page"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        parts.append(value.group(1) if value else "")
    if not any(parts):
        return ""
    year, month, day = parts
    return f"{year}-{month.zfill(2) if month.isdigit() else month}-{day.zfill(2) if day.isdigit() else day}"

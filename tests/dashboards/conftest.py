"""Dashboard fixtures: a fixed "today" (dates.today() is patched, so every due date in these tests is
known), a factory for cases, records, actions, bookings and escalations, and a reader for HTML tables."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.supervision import services
from teamops.supervision.models import Booking, Case, CaseDiscussion, SupervisionAction, SupervisionRecord

TODAY = date(2026, 3, 18)  # a Wednesday; last month's end is 28 February 2026
_refs = itertools.count(1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    return TODAY


class Supervision:
    """Makes supervision rows; every call commits."""

    def case(self, worker: Staff, case_type: str = "CIN", allocated_on: date = date(2026, 3, 1),
             high_risk: bool = False, ref: str | None = None, closed_on: date | None = None) -> Case:
        return services.create_case(ref or f"MOS-{next(_refs)}", case_type, high_risk, worker, allocated_on,
                                    closed_on)

    def record(self, worker: Staff, supervisor: Staff, held_on: date, kind: str = "case",
               cases: list[Case] | None = None, status: str = "draft", scaling: int | None = None,
               **values: Any) -> SupervisionRecord:
        record = services.add_record(kind, held_on, worker, supervisor, cases, commit=False)
        record.status = status
        for name, value in values.items():
            setattr(record, name, value)
        for discussion in record.discussions:
            discussion.scaling = scaling
        db.session.commit()
        return record

    def action(self, owner: Staff, supervisor: Staff, due_on: date, description: str = "Visit the family",
               status: str = "open", case: Case | None = None) -> SupervisionAction:
        record = self.record(owner, supervisor, date(2026, 3, 2))  # a case record about no case: no due date moves
        action = SupervisionAction(record=record, owner=owner, description=description, due_on=due_on,
                                   status=status, case=case)
        db.session.add(action)
        db.session.commit()
        return action

    def booking(self, worker: Staff, supervisor: Staff, starts_at: datetime, status: str = "booked",
                kind: str = "personal", cases: list[Case] | None = None) -> Booking:
        booking = Booking(kind=kind, worker=worker, supervisor=supervisor, starts_at=starts_at,
                          duration_minutes=60, location="Riverside House, room 2", status=status,
                          cases=cases or [])
        db.session.add(booking)
        db.session.commit()
        return booking

    def escalation(self, case: Case, supervisor: Staff, held_on: date, resolved: bool = False) -> CaseDiscussion:
        record = self.record(case.worker, supervisor, held_on, cases=[case])
        discussion = record.discussions[0]
        discussion.disagreement = True
        discussion.disagreement_note = "The worker wants a strategy meeting first"
        if resolved:
            discussion.resolved_at = dates.utcnow()
            discussion.resolution = "Agreed at the service manager meeting"
        db.session.commit()
        return discussion


@pytest.fixture
def supervision(app: Any) -> Supervision:
    return Supervision()


def soon(days: int = 3) -> datetime:
    return dates.utcnow() + timedelta(days=days)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif self._cell is not None:
            self._cell.append(" ")  # <br>, tags: words on either side stay apart

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    """Every table on the page as rows of cell texts (header row included)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def row_for(html: str, first_cell: str) -> list[str]:
    """The first table row whose first cell is ``first_cell``."""
    for table in tables(html):
        for row in table:
            if row and row[0] == first_cell:
                return row
    raise AssertionError(f"no row for {first_cell!r}")


def text_of(html: str) -> str:
    """The page's words without tags, whitespace collapsed: what a reader sees, links or not."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")

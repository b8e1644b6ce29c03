"""Dashboard fixtures: a fixed "today" (dates.today() is patched, so every due date in these tests is
known), a factory for cases, records, actions, bookings and escalations, and a reader for HTML tables."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from teamops import dates
from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord
from tests import factories

TODAY = date(2026, 3, 18)  # a Wednesday; last month's end is 28 February 2026
_refs = itertools.count(1)


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[date]:
    with dates.freeze(TODAY):
        yield TODAY


class Supervision:
    """The dashboards' shorthand for tests.factories, with dates that suit TODAY."""

    def case(self, worker: Staff, case_type: str = "CIN", allocated_on: date = date(2026, 3, 1),
             high_risk: bool = False, ref: str | None = None, closed_on: date | None = None) -> Case:
        return factories.case(ref, case_type, high_risk, worker, allocated_on, closed_on)

    def record(self, worker: Staff, supervisor: Staff, held_on: date, kind: str = "case",
               cases: list[Case] | None = None, status: str = "draft", scaling: int | None = None,
               **values: Any) -> SupervisionRecord:
        return factories.record(kind, held_on, worker, supervisor, cases, status=status, scaling=scaling, **values)

    def action(self, owner: Staff, supervisor: Staff, due_on: date, description: str = "Visit the family",
               status: str = "open", case: Case | None = None) -> SupervisionAction:
        # held as a case record about no case on 2 March: no due date moves
        made = factories.record("case", date(2026, 3, 2), owner, supervisor)
        action = SupervisionAction(record=made, owner=owner, description=description, due_on=due_on,
                                   status=status, case=case)
        db.session.add(action)
        db.session.commit()
        return action

    def booking(self, worker: Staff, supervisor: Staff, starts_at: datetime, status: str = "booked",
                kind: str = "personal", cases: list[Case] | None = None) -> Booking:
        return factories.booking(worker, supervisor, starts_at, kind=kind, cases_=cases, status=status)

    def escalation(self, case: Case, supervisor: Staff, held_on: date, resolved: bool = False) -> CaseDiscussion:
        return factories.escalation(case, supervisor, held_on, resolved)


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

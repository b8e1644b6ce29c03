"""One definition of "in induction" on a day (design brief 3.4), for R-IND-3 and the lists that show it.

A person's formal induction on a day is their latest new-starter induction that is not cancelled and has begun
by then (``starts_on`` on or before the day), while the day is on or before its ``ends_on``: its own length, so
a template's 10 or 5 working days, or whatever an admin set. An internal move's induction never counts. Someone
with no new-starter induction at all (staff from before inductions were kept) falls back to the contract's
rule, ``dates.in_induction``. Read in one statement for a page's people or a whole import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select

from teamops import dates
from teamops.extensions import db
from teamops.induction.models import Induction
from teamops.org.models import Staff


@dataclass(frozen=True)
class InductionRow:
    """What the rule reads of one new-starter induction."""

    start_date: date
    starts_on: date
    ends_on: date
    employment_type: str
    cancelled_at: datetime | None


@dataclass(frozen=True)
class Period:
    starts_on: date  # working day 1
    ends_on: date  # the last day
    employment_type: str

    def is_first_day(self, on: date) -> bool:
        return on <= self.starts_on


Rows = Mapping[int, Sequence[InductionRow]]


def rows_for(staff_ids: Select[tuple[int]] | Sequence[int]) -> dict[int, list[InductionRow]]:
    """Each person's new-starter inductions, latest start first (one statement; ``staff_ids`` a query of ids,
    or the few people a form names)."""
    found: dict[int, list[InductionRow]] = {}
    query = (select(Induction.staff_id, Induction.start_date, Induction.starts_on, Induction.ends_on,
                    Induction.employment_type, Induction.cancelled_at)
             .where(Induction.kind == "new_starter", Induction.staff_id.in_(staff_ids))
             .order_by(Induction.staff_id, Induction.start_date.desc(), Induction.id.desc()))
    for staff_id, *values in db.session.execute(query):
        found.setdefault(staff_id, []).append(InductionRow(*values))
    return found


def period_on(person: Staff, on: date, rows: Rows) -> Period | None:
    """The person's formal induction running on ``on``, or None."""
    own = rows.get(person.id, ())
    if not own:
        if person.start_date is None or not dates.in_induction(person.start_date, person.employment_type, on):
            return None
        return Period(dates.next_working_day(person.start_date),
                      dates.induction_ends_on(person.start_date, person.employment_type), person.employment_type)
    for row in own:
        if row.cancelled_at is None and row.starts_on <= on:
            return Period(row.starts_on, row.ends_on, row.employment_type) if on <= row.ends_on else None
    return None

"""A newly qualified social worker's ASYE year (R-ASYE-1..3): its dates, and the first 6 months in which they
may not lead a child protection case or Section 47 enquiry alone (R-ASYE-2, ``teamops.cases.allocation_rules``).

The year runs from ``asye_starts_on`` to ``asye_ends_on`` inclusive: 12 months less a day by default, longer when
extended. The first 6 months run while the day is before the start plus 6 months (``dates.add_months``, clamped
to the month's end). Services flush; the request commits."""

from __future__ import annotations

from datetime import date, timedelta

from teamops.dates import add_months
from teamops.extensions import db
from teamops.org.models import Staff

LONGEST_MONTHS = 36  # an extended ASYE; past that the dates are a typing slip


def default_end(starts_on: date) -> date:
    """The last day of a 12-month ASYE: a start on 22 December 2026 ends on 21 December 2027."""
    return add_months(starts_on, 12) - timedelta(days=1)


def first_six_months_end(person: Staff) -> date | None:
    """The last day of the person's first 6 ASYE months, or None when they have no ASYE."""
    if person.asye_starts_on is None:
        return None
    return add_months(person.asye_starts_on, 6) - timedelta(days=1)


def in_first_six_months(person: Staff, on: date) -> bool:
    last = first_six_months_end(person)
    return last is not None and person.asye_starts_on is not None and person.asye_starts_on <= on <= last


def in_asye(person: Staff, on: date) -> bool:
    return (person.asye_starts_on is not None and person.asye_ends_on is not None
            and person.asye_starts_on <= on <= person.asye_ends_on)


def set_asye(person: Staff, starts_on: date | None, ends_on: date | None) -> None:
    """The person's ASYE from ``starts_on`` to ``ends_on`` (default 12 months less a day); no start: none."""
    person.asye_starts_on = starts_on
    person.asye_ends_on = None if starts_on is None else ends_on or default_end(starts_on)
    db.session.flush()

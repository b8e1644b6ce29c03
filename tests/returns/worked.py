"""March 2026 worked out by hand from CONTRACT.md "Scheduling rules", for the API and export tests.

The month's last day E is Tuesday 31 March 2026; today is Wednesday 15 April 2026 (the return was due on Tuesday
7 April: Good Friday and Easter Monday moved it from Friday 3 April).

- North: Wren Worker holds three cases open at E. CP allocated 20 March: first due 4 weeks later, 17 April
  (in timescale at E); CIN allocated 1 March: due 26 April (in); CP allocated 5 January and never supervised:
  due 2 February, overdue at E (out). A fourth case closed on 15 March is not open at E. So 3 open, 2 in
  timescale: 66.7%. Wren's personal supervision on 20 March is next due 20 April: "ok" at E (more than 7 days
  away). No one else in North holds a case or is a worker, so North is 3 / 2 / 66.7.
- South: Sid South holds one CIN allocated 10 March (due 5 May: in). On 10 April, after E, he moves to North:
  at E he was South's, so March counts him and his case for South (1 / 1 / 100.0) and not for North.
- Youth Justice: Yas Justice holds no case and is on a long absence from 1 March to 31 May: her personal
  supervision reads "absent" at E (0 / 0 / null).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Absence
from tests import factories

MONTH = date(2026, 3, 1)
TODAY = date(2026, 4, 15)


def build_march(org: dict[str, Any]) -> dict[str, Any]:
    worker, sid, yas = org["worker"], org["south_worker"], org["yj_worker"]
    factories.case("N-1", "CP", False, worker, date(2026, 3, 20))
    factories.case("N-2", "CIN", False, worker, date(2026, 3, 1))
    factories.case("N-3", "CP", False, worker, date(2026, 1, 5))
    factories.case("N-4", "CIN", False, worker, date(2026, 2, 2), closed_on=date(2026, 3, 15))
    factories.record("personal", date(2026, 3, 20), worker, org["team_manager"])
    factories.case("S-1", "CIN", False, sid, date(2026, 3, 10))
    db.session.add(Absence(staff_id=yas.id, kind="sickness", starts_on=date(2026, 3, 1), ends_on=date(2026, 5, 31),
                           recorded_by_id=org["team_manager"].id))
    db.session.commit()
    with dates.freeze(date(2026, 4, 10)):
        sid.team = org["teams"]["north"]
        db.session.commit()
    return org

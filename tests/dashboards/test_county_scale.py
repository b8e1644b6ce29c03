"""Issue 8: the QAIT figures still answer at three counties' size, on SQLite and on PostgreSQL. Before the
dashboards joined and sub-selected, they sent every open case's id in one ``IN (...)``: 75,000 of them is past
both SQLite's 32,766 and psycopg's 65,535 bound parameters, and the page failed outright.

The county is written in bulk (the import path has its own benchmark): 450 teams of a manager and 19 workers,
75,000 open cases a third of each kind of standing, so the right answer is known without TeamOps' help."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from teamops.cases.models import Case, CaseAllocation
from teamops.dashboards.figures import figures_for_teams
from teamops.dashboards.services import active_team_ids, active_teams
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team, TeamMembership
from teamops.records.models import CaseDiscussion, SupervisionRecord
from tests.dashboards.conftest import TODAY, text_of

TEAMS, WORKERS_PER_TEAM, CASES = 450, 19, 75_000
FIRST_ID = 100_000  # far above the ids the org fixture's rows take


def _three_counties(manager_of_all: Staff) -> None:
    long_ago = date(2025, 1, 6)
    services = [{"id": FIRST_ID + n, "name": f"County service {n + 1}"} for n in range(15)]
    teams = [{"id": FIRST_ID + n, "service_id": FIRST_ID + n % 15, "name": f"County team {n + 1:03d}",
              "office_base": "County Hall"} for n in range(TEAMS)]
    staff: list[dict[str, Any]] = []
    workers: list[int] = []
    for n in range(TEAMS):
        for k in range(WORKERS_PER_TEAM + 1):
            person_id = FIRST_ID + n * 100 + k
            staff.append({"id": person_id, "email": f"p{person_id}@county.example.org", "name": f"Person {person_id}",
                          "job_role": "Social worker", "team_id": FIRST_ID + n, "employment_type": "permanent",
                          "start_date": date(2015, 1, 5), "role": "team_manager" if k == 0 else "worker"})
            if k:
                workers.append(person_id)
    cases: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    discussions: list[dict[str, Any]] = []
    for n in range(CASES):
        worker = workers[n % len(workers)]
        # A third allocated three days ago (in timescale), a third long ago and supervised three days ago (in
        # timescale), a third long ago and never supervised (overdue).
        allocated_on = TODAY - timedelta(days=3) if n % 3 == 0 else long_ago
        cases.append({"id": FIRST_ID + n, "case_ref": f"CTY-{n}", "case_type_code": "CIN", "high_risk": False,
                      "worker_id": worker, "allocated_on": allocated_on})
        allocations.append({"case_id": FIRST_ID + n, "worker_id": worker, "from_date": allocated_on})
        if n % 3 == 1:
            discussions.append({"record_id": worker, "case_id": FIRST_ID + n, "held_on": TODAY - timedelta(days=3)})
    records = [{"id": worker, "kind": "case", "held_on": TODAY - timedelta(days=3), "worker_id": worker,
                "supervisor_id": manager_of_all.id, "status": "signed_off", "imported": True} for worker in workers]
    for model, rows in ((Service, services), (Team, teams), (Staff, staff), (Case, cases),
                        (CaseAllocation, allocations), (SupervisionRecord, records), (CaseDiscussion, discussions)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def test_the_qait_dashboard_answers_at_three_counties(as_role, org):
    _three_counties(org["team_manager"])
    by_team = figures_for_teams(active_teams(), TODAY, team_ids=active_team_ids())
    county = [f for f in by_team.values() if f.team.name.startswith("County team")]
    assert len(county) == TEAMS
    assert sum(f.open_cases for f in county) == CASES
    assert sum(f.now.cases_in_timescale for f in county) == CASES * 2 // 3
    assert sum(f.overdue for f in county) == CASES // 3

    page = as_role("qait").get("/dashboard/qait")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    workers = TEAMS * WORKERS_PER_TEAM + 3  # and the org fixture's three workers, who hold no cases
    assert f"{workers} workers hold {CASES} open cases: {CASES // 3} overdue" in text
    assert "In timescale this month so far: 66.7%" in text


def test_the_returns_list_answers_at_three_counties_in_as_many_statements(as_role, org, count_queries):
    """QAIT's returns for last month (issue 13) over 450 teams and 12 months of trend: the same statements as
    for the org fixture's three teams, and the county's totals right. At 28 February 2026 the 50,000 cases
    allocated long ago are open and none was supervised by then (all overdue); the 25,000 allocated three days
    ago were not open yet."""
    qait = as_role("qait")
    qait.get("/returns/")  # warm up: sign-in bookkeeping
    with count_queries() as small:
        assert qait.get("/returns/").status_code == 200
    _three_counties(org["team_manager"])
    county_staff = db.session.scalars(select(Staff).where(Staff.id >= FIRST_ID)).all()
    db.session.execute(insert(TeamMembership), [{"staff_id": person.id, "team_id": person.team_id,
                                                 "from_date": person.start_date} for person in county_staff])
    db.session.commit()
    with count_queries() as large:
        page = qait.get("/returns/")
    assert page.status_code == 200
    assert large.count == small.count and large.most_parameters < 100
    text = text_of(page.get_data(as_text=True))
    assert "County team 450" in text and "Not started" in text
    opened = CASES * 2 // 3
    assert f"All teams shown {TEAMS + 3} 0 {TEAMS + 3} {opened} 0.0%" in text

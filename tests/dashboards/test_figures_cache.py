"""Issue 8: a dashboard whose data has not changed is not rebuilt, and every write that changes a team's figures
shows on its dashboards at once, whichever worker process or app server serves the next request. Each team's
figures are kept under its version (teamops.dashboards.versions), which moves in the write's own transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy
from flask import Flask
from sqlalchemy import select

from teamops import dates
from teamops.cases import services as case_services
from teamops.cases.models import Case
from teamops.dashboards.models import EVERY_TEAM, FiguresVersion
from teamops.extensions import db
from teamops.imports.services import run_import
from teamops.org.models import Staff
from teamops.returns import caseload
from teamops.returns.models import CaseloadReview
from tests import factories
from tests.conftest import make_app
from tests.dashboards.conftest import row_for


def _versions() -> dict[int, int]:
    db.session.expire_all()
    return {row.team_id: row.version for row in db.session.scalars(select(FiguresVersion))}


def _queries_of(app: Flask, client: Any, url: str) -> int:
    """Statements sent for one request, counted without emptying the cache (unlike ``count_queries``)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_an_unchanged_dashboard_is_not_rebuilt(app, as_role, org, supervision):
    supervision.case(org["worker"], "CP", date(2026, 1, 5))
    client = as_role("team_manager")
    built = _queries_of(app, client, "/dashboard/team")
    kept = _queries_of(app, client, "/dashboard/team")
    # The people, policy, cases and actions are not read again: only the versions that prove nothing moved.
    assert kept <= built - 4


def test_a_supervision_shows_at_once_on_the_team_and_qait_dashboards(as_role, org, supervision):
    case = supervision.case(org["worker"], "CP", date(2026, 1, 5))  # overdue since 2 February
    manager, qait = as_role("team_manager"), as_role("qait")
    assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[4] == "1 overdue"
    assert "Family Safeguarding North" in qait.get("/dashboard/qait").get_data(as_text=True)
    supervision.record(org["worker"], org["team_manager"], date(2026, 3, 16), cases=[case])
    assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[4] == "0"
    assert row_for(qait.get("/dashboard/qait").get_data(as_text=True), "Family Safeguarding North")[3] == "0"


def test_a_write_moves_only_the_teams_it_touches(org, supervision):
    north, south = org["teams"]["north"].id, org["teams"]["south"].id
    supervision.case(org["worker"], "CP", date(2026, 1, 5))
    before = _versions()
    supervision.case(org["south_worker"], "CIN", date(2026, 3, 1))
    after = _versions()
    assert after[south] != before.get(south)
    assert after.get(north) == before.get(north)
    assert after.get(EVERY_TEAM) == before.get(EVERY_TEAM)



def test_a_caseload_review_returned_moves_its_team(org, supervision):
    """The review waits on the manager's kept home page until it is returned (R-QA-3): returning it moves the
    team's version, and only that team's."""
    north, south = org["teams"]["north"], org["teams"]["south"]
    north.service.caseload_reviews = True
    supervision.case(org["worker"], "CP", date(2026, 3, 2))
    caseload.make_reports(date(2026, 4, 1), date(2026, 4, 1))
    db.session.commit()
    review = db.session.scalars(select(CaseloadReview).where(CaseloadReview.team_id == north.id)).one()
    before = _versions()
    caseload.return_to_qait(review, org["team_manager"], dates.utcnow())
    db.session.commit()
    after = _versions()
    assert after[north.id] != before.get(north.id)
    assert after.get(EVERY_TEAM) == before.get(EVERY_TEAM)
    assert after.get(south.id) == before.get(south.id)

def test_a_move_between_teams_moves_both(org, make):
    north, south = org["teams"]["north"], org["teams"]["south"]
    before = _versions()
    org["worker"].team = south
    db.session.commit()
    after = _versions()
    assert after[north.id] != before.get(north.id)
    assert after[south.id] != before.get(south.id)


def test_a_policy_change_moves_every_team(org):
    before = _versions()
    factories.case_type_interval("CP", 2, "weeks")
    assert _versions()[EVERY_TEAM] != before.get(EVERY_TEAM)


def test_an_import_moves_every_team(org):
    """Imports write in bulk, past the flush hook, and say so themselves."""
    before = _versions()
    report = run_import("cases", b"case_ref,case_type,high_risk,worker_email,allocated_on\n"
                                 b"IMP-1,CIN,no,worker@example.org,2026-03-01\n")
    db.session.commit()
    assert report.created == 1
    assert _versions()[EVERY_TEAM] != before.get(EVERY_TEAM)


def test_a_rolled_back_write_moves_nothing(org):
    before = _versions()
    case_services.create_case("ROLLED-BACK", "CIN", False, org["worker"], date(2026, 3, 1))
    db.session.flush()
    db.session.rollback()
    assert _versions() == before
    supervision_free = factories.case(None, "CIN", False, org["south_worker"], date(2026, 3, 1))
    moved = _versions()  # the next transaction's own write still moves its team, and no other
    assert moved[supervision_free.worker.team_id] != before.get(supervision_free.worker.team_id)
    assert moved.get(org["teams"]["north"].id) == before.get(org["teams"]["north"].id)


def test_another_app_server_sees_a_write_at_once(as_role, org, supervision, database_url):
    """Two apps on one database, as two app servers behind a proxy: the first keeps the figures it built, the
    second writes, and the first's next answer has the write: the version is read from the database."""
    case = supervision.case(org["worker"], "CP", date(2026, 1, 5))
    ids = org["worker"].id, org["team_manager"].id, case.id
    manager = as_role("team_manager")
    assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[4] == "1 overdue"
    other = make_app(database_url)
    try:
        with other.app_context():
            worker, supervisor = db.session.get(Staff, ids[0]), db.session.get(Staff, ids[1])
            factories.record("case", date(2026, 3, 16), worker, supervisor, [db.session.get(Case, ids[2])])
        assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[4] == "0"
    finally:
        with other.app_context():
            db.engine.dispose()

"""The demo organisation gives every demo account something real to look at (CONTRACT.md seed-demo)."""

from __future__ import annotations

from sqlalchemy import select

from teamops.cases.models import Case
from teamops.charts import scaling_points, series_of
from teamops.dates import today
from teamops.demo import seed_demo
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.scheduling import DUE_SOON, OK, OVERDUE, case_dues


def test_demo_manager_team_has_cases_in_every_due_state(app):
    seed_demo()
    manager = db.session.scalar(select(Staff).where(Staff.email == "manager@example.org"))
    cases = db.session.scalars(select(Case).join(Staff, Staff.id == Case.worker_id)
                               .where(Staff.team_id == manager.team_id)).all()
    states = {due.due_state for due in case_dues(cases, today()).values()}
    assert {OVERDUE, DUE_SOON, OK} <= states


def test_demo_worker_has_a_case_in_every_state_and_a_scaling_trend(app):
    seed_demo()
    worker = db.session.scalar(select(Staff).where(Staff.email == "worker@example.org"))
    cases = db.session.scalars(select(Case).where(Case.worker_id == worker.id)).all()
    states = [due.due_state for due in case_dues(cases, today()).values()]
    assert states.count(OVERDUE) >= 2 and DUE_SOON in states and OK in states
    assert any(c.high_risk for c in cases)


def test_demo_scaling_trend_keeps_its_question(app):
    seed_demo()
    trend = db.session.scalar(select(Case).where(Case.case_ref == "4300001"))
    [series] = series_of(scaling_points(trend.id))
    assert series.question and series.question.startswith("0 = ") and len(series.points) == 5


def test_demo_case_references_are_never_names(app):
    seed_demo()
    assert all(ref.isdigit() for ref in db.session.scalars(select(Case.case_ref)))


def test_new_starter_has_no_cases_during_induction(app):
    seed_demo()
    starter = db.session.scalar(select(Staff).where(Staff.email == "newstarter@example.org"))
    assert db.session.scalar(select(Case.id).where(Case.worker_id == starter.id)) is None


def test_demo_has_someone_on_a_long_absence(app):
    """R-ORG-6: one demo worker is on parental leave, so "absent" can be seen on their team's dashboard."""
    from teamops.org.models import Absence
    from teamops.scheduling import ABSENT, person_dues

    seed_demo()
    absence = db.session.scalar(select(Absence))
    assert absence is not None and absence.kind == "parental_leave"
    assert person_dues([absence.staff], today())[absence.staff_id].due_state == ABSENT

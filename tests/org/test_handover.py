"""Leavers (R-ORG-4, issue 9 item 4): deactivating someone who still holds cases, supervisees, a team or a
cover is refused with the list; the hand-over page does it in one go (each case reallocated today with a
hand-over supervision due that day, R-ORG-5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.cases.models import Case
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Cover, Staff
from teamops.scheduling import case_dues
from tests import factories


@pytest.fixture
def leaver(org):
    """The north worker: two open cases, a practice supervisor of one colleague, covering the south team."""
    worker = org["worker"]
    first = factories.case("LV-1", "CP", False, worker, today() - timedelta(days=100))
    factories.case("LV-2", "CIN", True, worker, today() - timedelta(days=50))
    factories.record("case", today() - timedelta(days=10), worker, org["team_manager"], [first])
    colleague = factories.staff("worker", org["teams"]["north"], email="colleague@example.org", name="Cole League")
    colleague.line_manager = worker
    taker = factories.staff("worker", org["teams"]["north"], email="taker@example.org", name="Tara Taker")
    worker.job_role = "Senior practitioner"
    db.session.add(Cover(team=org["teams"]["south"], staff=worker, starts_on=today(),
                         ends_on=today() + timedelta(days=5)))
    db.session.commit()
    return {"worker": worker, "colleague": colleague, "taker": taker}


def test_deactivating_someone_with_duties_is_refused_with_the_list(as_role, org, leaver):
    response = as_role("admin").post_form(f"/admin/staff/{org['worker'].id}/active?to=inactive", {})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for item in ("cannot be deactivated yet", "2 open cases allocated to them", "1 person they line-manage",
                 "covering for the manager of Family Safeguarding South", "/handover"):
        assert item in text
    db.session.refresh(org["worker"])
    assert org["worker"].active


def test_the_hand_over_page_does_it_in_one_go(as_role, org, leaver):
    manager = as_role("team_manager")
    page = manager.get(f"/admin/staff/{org['worker'].id}/handover").get_data(as_text=True)
    assert "Case LV-1" in page and "Cole League" in page and "Family Safeguarding South" in page

    bad = manager.post_form(f"/admin/staff/{org['worker'].id}/handover", {})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Choose who takes on case LV-1" in text and "Choose Cole League&#39;s new line manager" in text
    assert db.session.scalar(select(Case.worker_id).where(Case.case_ref == "LV-1")) == org["worker"].id

    taker = leaver["taker"]
    two = db.session.scalar(select(Case.id).where(Case.case_ref == "LV-2"))
    response = manager.post_form(f"/admin/staff/{org['worker'].id}/handover", {
        "all_cases": str(taker.id), f"case_{two}": str(org["team_manager"].id),
        "all_supervisees": str(org["team_manager"].id)})
    assert response.status_code == 303
    db.session.expire_all()
    cases = {c.case_ref: c for c in db.session.scalars(select(Case).where(Case.case_ref.in_(["LV-1", "LV-2"])))}
    assert cases["LV-1"].worker_id == taker.id and cases["LV-2"].worker_id == org["team_manager"].id
    due = case_dues([cases["LV-1"]], today())[cases["LV-1"].id]
    assert due.handover_due_on == today() and due.next_due_on == today()  # R-ORG-5
    assert due.last_supervised_on == today() - timedelta(days=10)  # the clock is kept
    assert db.session.get(Staff, leaver["colleague"].id).line_manager_id == org["team_manager"].id
    assert db.session.scalar(select(Cover)).ended_at is not None
    after = manager.get(f"/admin/staff/{org['worker'].id}/handover").get_data(as_text=True)
    assert "Nothing to hand over" in after

    done = as_role("admin").post_form(f"/admin/staff/{org['worker'].id}/active?to=inactive", {})
    assert done.status_code == 303
    assert not db.session.get(Staff, org["worker"].id).active


def test_a_team_managers_hand_over_names_the_teams_new_manager(as_role, org):
    south_manager = org["south_manager"]
    report = factories.staff("worker", org["teams"]["south"], name="Rory Report")
    report.line_manager = south_manager
    db.session.commit()
    page = as_role("service_manager").get(f"/admin/staff/{south_manager.id}/handover").get_data(as_text=True)
    assert "New manager of Family Safeguarding South" in page
    loop = as_role("service_manager").post_form(f"/admin/staff/{south_manager.id}/handover", {
        "all_supervisees": str(report.id), f"team_{org['teams']['south'].id}": "0"})
    assert loop.status_code == 400 and "cannot line-manage themselves" in loop.get_data(as_text=True)
    response = as_role("service_manager").post_form(f"/admin/staff/{south_manager.id}/handover", {
        "all_supervisees": str(org["team_manager"].id),
        f"team_{org['teams']['south'].id}": str(org["team_manager"].id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert org["teams"]["south"].manager_id == org["team_manager"].id
    assert db.session.get(Staff, report.id).line_manager_id == org["team_manager"].id


@pytest.mark.parametrize("role", ["worker", "admin", "south_manager", "qait"])
def test_only_a_manager_of_the_leavers_team_hands_over(as_role, org, leaver, role):
    assert as_role(role).get(f"/admin/staff/{org['worker'].id}/handover").status_code == 403

"""Observations of practice (issue 14 item 4, DOMAIN.md R-QA-7): a manager records that they observed a worker's
practice (the day, the setting, the feedback given); the team dashboard says when each worker was last observed;
the worker reads their own; nobody else outside the worker's reach reads them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from teamops.audit.models import AuditEvent
from teamops.dates import freeze
from teamops.extensions import db
from teamops.quality.models import PracticeObservation
from tests.dashboards.conftest import row_for
from tests.dates_typed import date_boxes

TODAY = date(2026, 3, 16)
FEEDBACK = "Clear explanation of the safety plan to the family; next time check the child's own words."


def _record(client, worker_id: int, **changes: str):
    """The form as typed: the day in the three date boxes (``observed_on`` as "YYYY-MM-DD", even impossible)."""
    form = {"setting": "home_visit", "feedback": FEEDBACK, **changes}
    form.update(date_boxes("observed_on", form.pop("observed_on", "2026-03-12")) if form.get("observed_on", "x")
                else {"observed_on-day": "", "observed_on-month": "", "observed_on-year": ""})
    form.pop("observed_on", None)
    return client.post_form(f"/quality/observations/{worker_id}", form)


def _count() -> int:
    return db.session.scalar(select(func.count(PracticeObservation.id))) or 0


def test_a_manager_records_an_observation_and_the_team_table_shows_it(as_role, org):
    worker = org["worker"]
    manager = as_role("team_manager")
    with freeze(TODAY):
        assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[-1].startswith("Never")
        answer = _record(manager, worker.id)
        assert answer.status_code == 303
        page = manager.get(f"/quality/observations/{worker.id}").get_data(as_text=True)
        assert "12 March 2026: Home visit" in page and FEEDBACK.replace("'", "&#39;") in page
        assert "Tia Manager" in page
        assert row_for(manager.get("/dashboard/team").get_data(as_text=True), "Wren Worker")[-1].startswith("12 Mar")
        # The worker reads their own, without the form.
        own = as_role("worker").get(f"/quality/observations/{worker.id}").get_data(as_text=True)
        assert "Observations of your practice" in own and "Home visit" in own and "Record the observation" not in own


def test_the_latest_observation_counts_and_never_observed_sorts_first(as_role, org, make):
    north = org["teams"]["north"]
    other = make.staff("worker", north, email="ola@example.org", name="Ola Other")
    db.session.commit()
    manager = as_role("team_manager")
    with freeze(TODAY):
        assert _record(manager, org["worker"].id, observed_on="2026-01-02").status_code == 303
        assert _record(manager, org["worker"].id, observed_on="2026-03-02", setting="court").status_code == 303
        page = manager.get("/dashboard/team?sort=observed&order=asc").get_data(as_text=True)
    assert row_for(page, "Wren Worker")[-1].startswith("2 Mar")
    table = page[page.index("<tbody"):]
    assert table.index("Ola Other") < table.index("Wren Worker")  # never observed: the longest ago
    assert other.id


@pytest.mark.parametrize(("changes", "message"), [
    ({"observed_on": "2026-03-17"}, "The day observed cannot be in the future"),
    ({"observed_on": "2026-02-31"}, "real date"),
    ({"observed_on": ""}, "Enter the day you observed their practice"),
    ({"setting": ""}, "Select where you observed their practice"),
    ({"setting": "pub"}, "Not a valid choice"),
    ({"feedback": "  "}, "Say what feedback you gave"),
    ({"feedback": "x" * 2001}, "must be 2,000 characters or fewer: it has 2,001"),
])
def test_bad_input_is_said_next_to_the_field_and_nothing_is_written(as_role, org, changes, message):
    manager = as_role("team_manager")
    with freeze(TODAY):
        answer = _record(manager, org["worker"].id, **changes)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "There is a problem" in page and message in page
    assert _count() == 0
    if "feedback" in changes and changes["feedback"].strip():
        assert changes["feedback"] in page  # what was typed is kept


def test_a_day_before_the_worker_started_is_refused(as_role, org):
    worker = org["worker"]
    manager = as_role("team_manager")
    before = worker.start_date.replace(day=1) if worker.start_date.day > 1 else date(worker.start_date.year - 1, 12, 1)
    with freeze(TODAY):
        answer = _record(manager, worker.id, observed_on=before.isoformat())
    assert answer.status_code == 400 and f"started on {worker.start_date:%-d %B %Y}" in answer.get_data(as_text=True)
    assert _count() == 0


def test_who_reads_and_who_records(as_role, org):
    worker, south = org["worker"], org["south_worker"]
    with freeze(TODAY):
        assert _record(as_role("team_manager"), worker.id).status_code == 303
        assert as_role("qait").get(f"/quality/observations/{worker.id}").status_code == 200
        assert _record(as_role("qait"), worker.id).status_code == 403  # QAIT reads, does not observe
        assert _record(as_role("worker"), worker.id).status_code == 403  # nobody records their own
        assert as_role("admin").get(f"/quality/observations/{worker.id}").status_code == 403
        assert as_role("south_worker").get(f"/quality/observations/{worker.id}").status_code == 403
        assert as_role("team_manager").get(f"/quality/observations/{south.id}").status_code == 403
        assert _record(as_role("service_manager"), south.id).status_code == 303  # above both teams
    assert _count() == 2


def test_the_audit_trail_keeps_that_it_was_recorded_not_the_feedback(as_role, org):
    with freeze(TODAY):
        assert _record(as_role("team_manager"), org["worker"].id).status_code == 303
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "practice_observation")).one()
    assert "Clear explanation" not in str(event.changes) and "Clear explanation" not in event.summary
    assert "feedback" in (event.changes or {})

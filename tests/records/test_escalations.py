"""Disagreements escalate to the service manager, who resolves them from a queue (R-SUP-7)."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.records.models import CaseDiscussion
from tests.conftest import sign_in


def disagreement(saved_record, **kwargs):
    record = saved_record(disagreement="y", disagreement_note="Worker wants a child protection conference",
                          **kwargs)
    return record, db.session.scalar(select(CaseDiscussion).where(CaseDiscussion.record_id == record.id))


def test_the_service_manager_sees_and_resolves_a_disagreement(as_role, org, saved_record):
    record, discussion = disagreement(saved_record)
    sm = as_role("service_manager")
    home = sm.get("/").get_data(as_text=True)
    assert 'href="/escalations"' in home  # the menu item
    queue = sm.get("/escalations").get_data(as_text=True)
    assert "CP-1001" in queue and "Worker wants a child protection conference" in queue and "Tia Manager" in queue
    page = sm.get(f"/escalations/{discussion.id}")
    assert page.status_code == 200 and "Record the resolution" in page.get_data(as_text=True)
    empty = sm.post_form(f"/escalations/{discussion.id}", {"resolution": "   "})
    assert empty.status_code == 400
    assert "Record how the disagreement was resolved" in empty.get_data(as_text=True)
    response = sm.post_form(f"/escalations/{discussion.id}", {"resolution": "Convene a strategy discussion."})
    assert response.status_code == 303 and response.headers["Location"] == "/escalations"
    db.session.refresh(discussion)
    assert discussion.resolution == "Convene a strategy discussion."
    assert discussion.resolved_at is not None and discussion.resolved_by_id == org["service_manager"].id
    after = sm.get("/escalations").get_data(as_text=True)
    assert "No disagreements are waiting for you." in after and "Recently resolved" in after
    again = sm.post_form(f"/escalations/{discussion.id}", {"resolution": "Something else"})
    assert again.status_code == 303
    db.session.refresh(discussion)
    assert discussion.resolution == "Convene a strategy discussion."
    record_page = as_role("worker").get(f"/records/{record.id}").get_data(as_text=True)
    assert "Disagreement resolved" in record_page and "Convene a strategy discussion." in record_page


def test_an_unresolved_disagreement_shows_on_the_record(as_role, org, saved_record):
    record, _ = disagreement(saved_record)
    page = as_role("team_manager").get(f"/records/{record.id}").get_data(as_text=True)
    assert "Escalated" in page and "to the team's service manager, or its head of service" in page


def test_only_service_managers_of_that_service_resolve(as_role, org, make, saved_record):
    _, discussion = disagreement(saved_record)
    yj_sm = make.staff("service_manager", org["teams"]["yj"], email="yj.sm@example.org")
    other = as_role("worker").application.test_client()
    sign_in(other, yj_sm)
    assert "CP-1001" not in other.get("/escalations").get_data(as_text=True)
    assert other.get(f"/escalations/{discussion.id}").status_code == 403
    assert other.post_form(f"/escalations/{discussion.id}", {"resolution": "No"}).status_code == 403
    for role in ("worker", "team_manager", "qait", "admin"):
        # A team manager opens the queue for workers' disagreements with their records, without case escalations.
        queue = as_role(role).get("/escalations")
        assert queue.status_code == (200 if role == "team_manager" else 403)
        assert "CP-1001" not in queue.get_data(as_text=True)
        assert as_role(role).get(f"/escalations/{discussion.id}").status_code == 403
    db.session.refresh(discussion)
    assert discussion.resolved_at is None


def test_a_discussion_without_disagreement_is_not_an_escalation(as_role, org, saved_record):
    record = saved_record()
    discussion = db.session.scalar(select(CaseDiscussion).where(CaseDiscussion.record_id == record.id))
    assert as_role("service_manager").get(f"/escalations/{discussion.id}").status_code == 404
    assert as_role("service_manager").get("/escalations/999999").status_code == 404


def test_the_queue_does_not_grow_in_queries_with_escalations(as_role, org, saved_record, case_of, count_queries):
    sm = as_role("service_manager")
    disagreement(saved_record, case=case_of(ref="CP-1"))
    with count_queries() as one:
        sm.get("/escalations")
    for n in range(2, 6):
        disagreement(saved_record, case=case_of(ref=f"CP-{n}"))
    with count_queries() as many:
        text = sm.get("/escalations").get_data(as_text=True)
    assert "CP-5" in text
    assert many.count == one.count

"""Escalations go to the team's own service manager, and to the head of service when the team has none (R-SUP-7,
R-ORG-1): the queue and the dashboards show each person only the escalations that come to them."""

from __future__ import annotations

from teamops.extensions import db
from tests.conftest import sign_in
from tests.records.test_escalations import disagreement


def signed_in(as_role, person):
    client = as_role("worker").application.test_client()
    sign_in(client, person)
    return client


def test_the_nearest_service_manager_up_the_line_gets_the_escalation(as_role, org, make, saved_record):
    """Sam line-manages Kit, a service manager who line-manages the North team's manager: Sam still reaches the
    team through the chain, but the team's own service manager is Kit."""
    north = org["teams"]["north"]
    kit = make.staff("service_manager", north, email="kit@example.org", name="Kit Nearer")
    head = make.staff("head_of_service", north, email="hos@example.org", name="Hana Head")
    kit.line_manager = org["service_manager"]
    org["team_manager"].line_manager = kit
    db.session.commit()
    _, discussion = disagreement(saved_record)
    nearest, above, hos = signed_in(as_role, kit), as_role("service_manager"), signed_in(as_role, head)
    assert "CP-1001" in nearest.get("/escalations").get_data(as_text=True)
    assert "CP-1001" in nearest.get("/dashboard/service").get_data(as_text=True)
    assert nearest.get(f"/escalations/{discussion.id}").status_code == 200
    for other in (above, hos):
        assert "CP-1001" not in other.get("/escalations").get_data(as_text=True)
        assert other.get(f"/escalations/{discussion.id}").status_code == 403
    assert above.get(f"/cases/{discussion.case_id}").status_code == 200  # still in Sam's reach
    assert "Family Safeguarding North" in above.get("/dashboard/service").get_data(as_text=True)
    assert "CP-1001" not in above.get("/dashboard/service").get_data(as_text=True)


def test_a_team_without_a_service_manager_escalates_to_the_head_of_service(as_role, org, make, saved_record):
    head = make.staff("head_of_service", org["teams"]["south"], email="hos@example.org", name="Hana Head")
    org["team_manager"].line_manager = head
    db.session.commit()
    _, discussion = disagreement(saved_record)
    hos = signed_in(as_role, head)
    assert "CP-1001" in hos.get("/escalations").get_data(as_text=True)
    assert "CP-1001" in hos.get("/").get_data(as_text=True)  # the home page's escalations
    response = hos.post_form(f"/escalations/{discussion.id}", {"resolution": "Strategy discussion on Monday."})
    assert response.status_code == 303
    db.session.refresh(discussion)
    assert discussion.resolved_by_id == head.id
    sm = as_role("service_manager")  # no longer line-manages the North team's manager
    assert "Family Safeguarding North" not in sm.get("/dashboard/service").get_data(as_text=True)
    assert sm.get(f"/cases/{discussion.case_id}").status_code == 403

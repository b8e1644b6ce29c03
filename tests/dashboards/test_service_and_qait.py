"""The service manager's teams side by side with the escalations queue, and QAIT's every-team view."""

from __future__ import annotations

from datetime import date

import pytest

from tests.dashboards.conftest import row_for


@pytest.fixture
def figures(org, make, supervision):
    """North: one overdue and one in-time case. South: one due soon. Youth Justice: one overdue case."""
    north_case = supervision.case(org["worker"], "CP", date(2026, 1, 5), ref="N-OVERDUE")
    supervision.case(org["worker"], "CIN", date(2026, 3, 1), ref="N-OK")
    south_case = supervision.case(org["south_worker"], "CP", date(2026, 2, 22), ref="S-SOON")
    yj_case = supervision.case(org["yj_worker"], "YJ", date(2026, 1, 5), ref="YJ-OVERDUE")
    supervision.record(org["south_worker"], org["south_manager"], date(2026, 3, 5), kind="personal")
    return {"north": north_case, "south": south_case, "yj": yj_case}


def test_service_manager_sees_their_teams_side_by_side(as_role, figures):
    html = as_role("service_manager").get("/dashboard/service").get_data(as_text=True)
    # Team, workers, open, overdue, due soon, this month, last month, personal overdue
    assert row_for(html, "Family Safeguarding North") == [
        "Family Safeguarding North", "1", "2", "1", "0", "50.0% 1 of 2", "0.0% 0 of 1", "1"]
    assert row_for(html, "Family Safeguarding South") == [
        "Family Safeguarding South", "1", "1", "0", "1", "100.0% 1 of 1", "100.0% 1 of 1", "0"]
    assert row_for(html, "All teams") == ["All teams", "2", "3", "1", "1", "66.7% 2 of 3", "50.0% 1 of 2", "1"]
    assert "Youth Justice Team" not in html
    assert 'href="/dashboard/team?team=' in html


def test_escalations_queue_summary(as_role, org, supervision, figures):
    supervision.escalation(figures["north"], org["team_manager"], date(2026, 3, 4))
    supervision.escalation(figures["south"], org["south_manager"], date(2026, 3, 11))
    supervision.escalation(figures["south"], org["south_manager"], date(2026, 3, 2), resolved=True)
    supervision.escalation(figures["yj"], org["service_manager"], date(2026, 3, 3))
    html = as_role("service_manager").get("/dashboard/service").get_data(as_text=True)
    assert "2 disagreements are waiting for a resolution" in html
    assert row_for(html, "N-OVERDUE") == ["N-OVERDUE", "Family Safeguarding North", "4 March 2026", "14"]
    assert row_for(html, "S-SOON") == ["S-SOON", "Family Safeguarding South", "11 March 2026", "7"]
    assert "YJ-OVERDUE" not in html and "2 March 2026" not in html


def test_escalations_link_to_the_queue(as_role, org, supervision, figures):
    supervision.escalation(figures["north"], org["team_manager"], date(2026, 3, 4))
    html = as_role("service_manager").get("/dashboard/service").get_data(as_text=True)
    assert 'open the escalations queue</a>' in html and 'href="/escalations"' in html


def test_no_escalations(as_role, figures):
    html = as_role("service_manager").get("/dashboard/service").get_data(as_text=True)
    assert "No disagreements are waiting for a resolution." in html


def test_service_manager_home_shows_the_teams(as_role, figures):
    html = as_role("service_manager").get("/").get_data(as_text=True)
    assert "Your teams" in html  # R-ORG-1: the teams whose managers they line-manage
    assert row_for(html, "All teams")[2] == "3"


@pytest.mark.parametrize(("role", "service", "status"), [
    ("service_manager", None, 200),
    ("service_manager", 1, 403),
    ("qait", 1, 200),
    ("team_manager", None, 403),
    ("worker", None, 403),
    ("admin", None, 403),
])
def test_service_dashboard_access(as_role, org, role, service, status):
    query = f"?service={org['services'][service].id}" if service is not None else ""
    assert as_role(role).get(f"/dashboard/service{query}").status_code == status


def test_qait_picks_any_service(as_role, org, figures):
    html = as_role("qait").get(f"/dashboard/service?service={org['services'][1].id}").get_data(as_text=True)
    assert row_for(html, "Youth Justice Team")[2:4] == ["1", "1"]
    assert "Show service" in html


def test_unknown_service_is_404(as_role):
    assert as_role("qait").get("/dashboard/service?service=999999").status_code == 404


def test_qait_sees_every_team_grouped_by_service_with_totals(as_role, figures):
    html = as_role("qait").get("/dashboard/qait").get_data(as_text=True)
    assert row_for(html, "Children's Social Care total") == [
        "Children's Social Care total", "2", "3", "1", "1", "66.7% 2 of 3", "50.0% 1 of 2", "1"]
    assert row_for(html, "Youth Justice total") == [
        "Youth Justice total", "1", "1", "1", "0", "0.0% 0 of 1", "0.0% 0 of 1", "1"]
    assert row_for(html, "Youth Justice Team")[1] == "1"
    assert html.index("Children&#39;s Social Care</caption>") < html.index("Youth Justice</caption>")
    assert "3 workers hold 4 open cases: 2 overdue, 1 due within 7 days." in html


def test_qait_dashboard_is_read_only(as_role, figures):
    html = as_role("qait").get("/dashboard/qait").get_data(as_text=True)
    main = html[html.index('<main'):html.index("</main>")]
    assert 'method="post"' not in main


def test_closed_teams_are_left_out(as_role, org):
    from teamops.extensions import db

    org["teams"]["south"].active = False
    db.session.commit()
    html = as_role("qait").get("/dashboard/qait").get_data(as_text=True)
    assert "Family Safeguarding South" not in html


@pytest.mark.parametrize("role", ["service_manager", "team_manager", "worker", "admin"])
def test_only_qait_opens_the_qait_dashboard(as_role, role):
    assert as_role(role).get("/dashboard/qait").status_code == 403

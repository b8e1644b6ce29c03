"""Dashboards link to other packages' pages only when those pages exist, so they work whichever lands first."""

from __future__ import annotations

from datetime import date

from teamops.dashboards.routes import endpoint_url


def test_endpoint_url_only_for_pages_that_exist(app):
    with app.test_request_context():
        assert endpoint_url("dashboards.team") == "/dashboard/team"
        assert endpoint_url("no_such.page") is None
        assert endpoint_url("dashboards.team_worker") is None  # missing its staff_id: no link, not a 500


def test_case_references_link_to_the_case_page(as_role, org, supervision, app):
    case = supervision.case(org["worker"], "CP", date(2026, 1, 5), ref="LINKED-1")
    html = as_role("team_manager").get(f"/dashboard/team/worker/{org['worker'].id}").get_data(as_text=True)
    linked = f'href="/cases/{case.id}"' in html
    assert linked == ("cases.show" in app.view_functions)
    assert "LINKED-1" in html

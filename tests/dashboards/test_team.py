"""The manager's team dashboard and the drill-down into one worker's cases."""

from __future__ import annotations

from datetime import date

import pytest

from tests.dashboards.conftest import row_for, tables


@pytest.fixture
def north(org, make, supervision):
    """North on 18 March 2026: Wren holds four cases in every state, Oli one overdue case and no personal
    supervision, Nell started on Monday and is in induction, Lee has left."""
    team, manager, wren = org["teams"]["north"], org["team_manager"], org["worker"]
    oli = make.staff("worker", team, name="Oli Overdue")
    nell = make.staff("worker", team, name="Nell New", start_date=date(2026, 3, 16))
    make.staff("worker", team, name="Lee Left", active=False)
    overdue = supervision.case(wren, "CP", date(2026, 1, 5), ref="W-OVERDUE")        # due 2 Feb
    supervision.case(wren, "CIN", date(2026, 2, 20), ref="W-OK")                    # due 17 Apr
    caught_up = supervision.case(wren, "CP", date(2026, 1, 10), ref="W-CAUGHT-UP")  # overdue at 28 Feb
    supervision.record(wren, manager, date(2026, 3, 10), cases=[caught_up])         # now due 7 Apr
    supervision.case(wren, "CP", date(2026, 2, 22), high_risk=True, ref="W-SOON")   # due 22 Mar
    oli_case = supervision.case(oli, "CP", date(2026, 1, 5), ref="O-OVERDUE")
    supervision.case(wren, "CP", date(2026, 1, 5), ref="W-CLOSED", closed_on=date(2026, 2, 1))
    supervision.record(wren, manager, date(2026, 3, 1), kind="personal")
    supervision.action(wren, manager, date(2026, 3, 10))
    supervision.action(wren, manager, date(2026, 3, 30), status="done")
    return {"team": team, "wren": wren, "oli": oli, "nell": nell, "overdue": overdue, "oli_case": oli_case}


def test_one_row_per_active_worker_with_due_figures(as_role, north):
    page = as_role("team_manager").get("/dashboard/team")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Name, personal due, next session booked, open cases, overdue, due soon, open actions, induction, this
    # month, last month, practice last observed (issue 14, R-QA-7). Short dates and a red tag on the overdue
    # count (issue 10 items 2 and 5).
    assert row_for(html, "Wren Worker") == [
        "Wren Worker", "1 Apr 2026 In timescale", "None", "4", "1 overdue", "1", "1", "No", "75.0% 3 of 4",
        "50.0% 2 of 4", "Never : observations of Wren Worker's practice"]
    assert row_for(html, "Oli Overdue") == [
        "Oli Overdue", "6 Feb 2020 Overdue", "None", "1", "1 overdue", "0", "0", "No", "0.0% 0 of 1",
        "0.0% 0 of 1", "Never : observations of Oli Overdue's practice"]
    assert row_for(html, "Nell New")[7] == "In induction until 27 Mar 2026"
    assert row_for(html, "Nell New")[8] == "No open cases"
    assert "Lee Left" not in html
    with pytest.raises(AssertionError):
        row_for(html, "Tia Manager")  # a manager without cases has no row
    assert "60.0% (3 of 5 open cases, as of 18 March 2026)" in html
    assert "40.0% (2 of 5 open cases at 28 February 2026)" in html
    assert "1 of 3 workers" in html  # personal supervision overdue


def test_every_dashboard_states_the_in_timescale_definition(as_role, north):
    from markupsafe import escape

    from teamops.scheduling import IN_TIMESCALE_DEFINITION

    for role, url in [("team_manager", "/dashboard/team"), ("worker", "/dashboard/me"),
                      ("service_manager", "/dashboard/service"), ("qait", "/dashboard/qait"),
                      ("team_manager", f"/dashboard/team/worker/{north['wren'].id}")]:
        html = as_role(role).get(url).get_data(as_text=True)
        assert str(escape(IN_TIMESCALE_DEFINITION)) in html, url


def test_a_manager_holding_cases_gets_a_row_so_team_totals_count_every_case(as_role, org, supervision):
    supervision.case(org["team_manager"], "CIN", date(2026, 3, 1))
    html = as_role("team_manager").get("/dashboard/team").get_data(as_text=True)
    assert row_for(html, "Tia Manager")[3] == "1"


def test_sort_by_any_column_both_ways(as_role, north):
    client = as_role("team_manager")
    names = ["Nell New", "Oli Overdue", "Wren Worker"]

    def order(query):
        html = client.get(f"/dashboard/team?{query}").get_data(as_text=True)
        table = next(t for t in tables(html) if t[0][0].startswith("Name"))
        return [row[0] for row in table[1:]]

    assert order("") == names
    assert order("sort=name&order=desc") == names[::-1]
    assert order("sort=cases&order=desc") == ["Wren Worker", "Oli Overdue", "Nell New"]
    assert order("sort=personal&order=asc") == ["Oli Overdue", "Wren Worker", "Nell New"]
    assert order("sort=induction&order=desc")[0] == "Nell New"
    # No open cases, no percentage: last whichever way "% in timescale" is sorted
    assert order("sort=timescale&order=asc") == ["Oli Overdue", "Wren Worker", "Nell New"]
    assert order("sort=timescale&order=desc") == ["Wren Worker", "Oli Overdue", "Nell New"]


def test_sorted_column_is_marked_and_its_link_reverses(as_role, north):
    html = as_role("team_manager").get("/dashboard/team?sort=overdue&order=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    assert "sort=overdue&amp;order=asc" in html


@pytest.mark.parametrize(("show", "expected"), [
    ("overdue", ["Oli Overdue", "Wren Worker"]),
    ("due_soon", ["Wren Worker"]),
    ("personal_overdue", ["Oli Overdue"]),
    ("actions", ["Wren Worker"]),
    ("induction", ["Nell New"]),
    ("all", ["Nell New", "Oli Overdue", "Wren Worker"]),
])
def test_filters(as_role, north, show, expected):
    html = as_role("team_manager").get(f"/dashboard/team?show={show}").get_data(as_text=True)
    table = next(t for t in tables(html) if t[0][0].startswith("Name"))
    assert [row[0] for row in table[1:]] == expected
    assert f"Showing {len(expected)} of 3 workers" in html


def test_filter_with_no_match_says_so_and_offers_everyone(as_role, org):
    html = as_role("team_manager").get("/dashboard/team?show=overdue").get_data(as_text=True)
    assert "No worker in Family Safeguarding North matches “Only workers with overdue cases”" in html
    assert "Show everyone" in html


@pytest.mark.parametrize("query", ["sort=drop+table&order=sideways&show=nothing", "team=abc", "show=",
                                   "sort=name&sort=overdue"])
def test_unknown_parameters_fall_back_to_the_defaults(as_role, north, query):
    response = as_role("team_manager").get(f"/dashboard/team?{query}")
    assert response.status_code == 200
    assert "Wren Worker" in response.get_data(as_text=True)


def test_a_nul_character_in_a_parameter_is_refused_whole(as_role, north):
    """Issue 16 item 3: the fuzzing found that a NUL (which PostgreSQL cannot hold) answered 500 wherever it
    reached a query, so every address carrying one is now refused with a 400 that says why, this page's
    parameters included (they used to fall back to the defaults)."""
    response = as_role("team_manager").get("/dashboard/team?sort=name&show=%00")
    assert response.status_code == 400
    assert "The address contains a character that cannot be saved" in response.get_data(as_text=True)


def test_htmx_gets_only_the_table_which_refreshes_after_a_supervision_change(as_role, north):
    client = as_role("team_manager")
    fragment = client.get("/dashboard/team?show=overdue", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="teamops-dashboard"')
    assert 'hx-trigger="supervision-changed from:body, every 60s"' in html
    assert "show=overdue" in html.split(">", 1)[0]  # the refresh keeps the filter
    assert "HX-Request" in fragment.headers["Vary"]
    page = client.get("/dashboard/team").get_data(as_text=True)
    assert '<form method="get"' in page and "hx-get=" in page  # works without JS, enhanced with it


def test_a_full_reload_shows_current_data(as_role, north, supervision, org):
    client = as_role("team_manager")
    assert row_for(client.get("/dashboard/team").get_data(as_text=True), "Oli Overdue")[4] == "1 overdue"
    supervision.record(north["oli"], org["team_manager"], date(2026, 3, 18), cases=[north["oli_case"]])
    assert row_for(client.get("/dashboard/team").get_data(as_text=True), "Oli Overdue")[4] == "0"


# Access ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "team", "status"), [
    ("worker", None, 403),
    ("admin", None, 403),
    ("team_manager", "north", 200),
    ("team_manager", "south", 403),
    ("service_manager", "south", 200),
    ("service_manager", "yj", 403),
    ("qait", "yj", 200),
])
def test_team_dashboard_access(as_role, org, role, team, status):
    query = f"?team={org['teams'][team].id}" if team else ""
    assert as_role(role).get(f"/dashboard/team{query}").status_code == status


def test_unknown_team_is_404(as_role):
    assert as_role("service_manager").get("/dashboard/team?team=999999").status_code == 404


def test_service_manager_and_qait_pick_a_team_in_reach(as_role, org):
    html = as_role("service_manager").get(f"/dashboard/team?team={org['teams']['south'].id}").get_data(as_text=True)
    assert "Team dashboard: Family Safeguarding South" in html
    assert "Sid South" in html and "Wren Worker" not in html
    assert "Family Safeguarding North (Children&#39;s Social Care)" in html  # the picker
    assert "Youth Justice Team" not in html


# Drill-down ----------------------------------------------------------------------------------------------

def test_drill_into_a_worker_lists_open_cases_with_due_states(as_role, north):
    html = as_role("team_manager").get(f"/dashboard/team/worker/{north['wren'].id}").get_data(as_text=True)
    assert row_for(html, "W-OVERDUE") == [
        "W-OVERDUE", "Child protection", "Standard", "Not yet", "2 Feb 2026", "Overdue", "44"]
    assert row_for(html, "W-SOON")[2:] == ["High risk", "Not yet", "22 Mar 2026", "Due within 7 days", "0"]
    assert row_for(html, "W-CAUGHT-UP")[3:6] == ["10 Mar 2026", "7 Apr 2026", "In timescale"]
    assert "W-CLOSED" not in html
    table = next(t for t in tables(html) if t[0][0] == "Case")
    assert [row[0] for row in table[1:]] == ["W-OVERDUE", "W-SOON", "W-CAUGHT-UP", "W-OK"]  # soonest due first


@pytest.mark.parametrize(("role", "person", "status"), [
    ("team_manager", "worker", 200),
    ("team_manager", "south_worker", 403),
    ("service_manager", "south_worker", 200),
    ("service_manager", "yj_worker", 403),
    ("qait", "yj_worker", 200),
    ("worker", "worker", 403),
    ("admin", "worker", 403),
])
def test_drill_down_access(as_role, org, role, person, status):
    assert as_role(role).get(f"/dashboard/team/worker/{org[person].id}").status_code == status


def test_drill_down_unknown_worker_is_404(as_role):
    assert as_role("team_manager").get("/dashboard/team/worker/999999").status_code == 404


def test_htmx_writes_tell_the_page_to_refresh_its_dashboards(as_role, org):
    from datetime import date

    from tests import factories

    case = factories.case("LIVE-1", "CP", False, org["worker"], date(2026, 1, 1))
    response = as_role("team_manager").post_form(f"/cases/{case.id}/reopen", headers={"HX-Request": "true"})
    assert response.headers["HX-Trigger"] == "supervision-changed"


def test_dashboard_tables_refresh_themselves_every_minute(as_role):
    text = as_role("team_manager").get("/dashboard/team").get_data(as_text=True)
    assert 'hx-trigger="supervision-changed from:body, every 60s"' in text

"""The worker's own dashboard, also their home page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from teamops import dates
from tests.dashboards.conftest import row_for, soon, tables, text_of


@pytest.fixture
def wren(org, supervision):
    """Wren's supervision on 18 March 2026, with other people's rows that must not show."""
    wren, manager, sid = org["worker"], org["team_manager"], org["south_worker"]
    case = supervision.case(wren, "CP", date(2026, 1, 5), ref="W-OVERDUE")
    supervision.case(wren, "CIN", date(2026, 3, 1), ref="W-OK")
    supervision.case(sid, "CP", date(2026, 1, 5), ref="SID-CASE")
    supervision.booking(wren, manager, soon(10), kind="case", cases=[case])
    supervision.booking(wren, manager, soon(2), status="cancelled")
    supervision.booking(wren, manager, dates.utcnow() - timedelta(days=1))
    supervision.booking(sid, org["south_manager"], soon(1))
    supervision.action(wren, manager, date(2026, 3, 10), "Send the plan to the school", case=case)
    supervision.action(wren, manager, date(2026, 3, 25), "Book the family group conference")
    supervision.action(wren, manager, date(2026, 3, 1), "Finished already", status="done")
    supervision.action(sid, org["south_manager"], date(2026, 3, 1), "Sid's own action")
    supervision.record(wren, manager, date(2026, 3, 4), kind="personal", status="signed_off",
                       signed_off_at=dates.utcnow())
    supervision.record(wren, manager, date(2026, 2, 4), kind="personal", status="signed_off",
                       signed_off_at=dates.utcnow(), acknowledged_at=dates.utcnow())
    supervision.record(wren, manager, date(2026, 3, 11), kind="personal")  # a draft: nothing to acknowledge
    supervision.record(wren, manager, date(2026, 1, 7), kind="personal", status="signed_off", imported=True)
    return {"case": case}


def test_worker_dashboard_shows_their_own_supervision(as_role, wren):
    html = as_role("worker").get("/dashboard/me").get_data(as_text=True)
    assert "Case supervision with Tia Manager" in html
    assert "Cases to discuss</dt>" in html and "W-OVERDUE" in html
    assert "Personal supervision next due 11 April 2026" in " ".join(html.split())
    assert row_for(html, "W-OVERDUE")[4:] == ["2 Feb 2026", "Overdue", "44"]
    assert row_for(html, "W-OK")[5] == "In timescale"
    assert "SID-CASE" not in html
    assert row_for(html, "Send the plan to the school") == [
        "Send the plan to the school", "W-OVERDUE", "10 March 2026", "Overdue"]
    assert row_for(html, "Book the family group conference")[1:] == ["Not about one case", "25 March 2026", "Open"]
    assert "Finished already" not in html and "Sid&#39;s own action" not in html
    assert "Personal supervision on 4 March 2026, signed off by Tia Manager" in text_of(html)
    assert "4 February 2026" not in html and "11 March 2026" not in html and "7 January 2026" not in html


def test_next_booking_is_the_soonest_booked_one_still_to_come(as_role, org, supervision, wren):
    supervision.booking(org["worker"], org["team_manager"], soon(5), kind="personal")
    html = as_role("worker").get("/dashboard/me").get_data(as_text=True)
    assert "Personal supervision with Tia Manager" in html
    assert "Case supervision with" not in html


def test_a_group_session_counts_for_its_attendees(as_role, org, supervision):
    booking = supervision.booking(org["south_worker"], org["team_manager"], soon(4), kind="group")
    booking.attendees.append(org["worker"])
    from teamops.extensions import db

    db.session.commit()
    assert "Group supervision with Tia Manager" in as_role("worker").get("/dashboard/me").get_data(as_text=True)


def test_an_empty_dashboard_says_what_is_missing(as_role, org):
    html = as_role("worker").get("/dashboard/me").get_data(as_text=True)
    for text in ["No supervision is booked for you yet.", "You hold no open cases.", "You have no open actions.",
                 "No signed-off records are waiting for your acknowledgement."]:
        assert text in html


def test_the_worker_home_page_is_their_dashboard(as_role, wren):
    html = as_role("worker").get("/").get_data(as_text=True)
    assert "Your next supervision" in html and "W-OVERDUE" in html and "Send the plan to the school" in html
    assert "Team manager" in html  # their team's details stay


def test_worker_dashboard_fragment_for_htmx_refresh(as_role, wren):
    response = as_role("worker").get("/dashboard/me", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'hx-trigger="supervision-changed from:body, every 60s"' in html


def test_managers_see_their_own_supervision_too(as_role, org, supervision):
    supervision.booking(org["team_manager"], org["service_manager"], soon(3))
    html = as_role("team_manager").get("/dashboard/me").get_data(as_text=True)
    assert "Personal supervision with Sam Service" in html


def test_admins_have_no_supervision_dashboard(as_role):
    assert as_role("admin").get("/dashboard/me").status_code == 403


def _menu(html):
    return dict((text, href) for href, text in re.findall(
        r'service-navigation__link" href="([^"]+)"[^>]*>\s*([^<]+?)\s*<', html))


def test_worker_has_no_dashboard_menu_item_but_managers_do(as_role):
    assert "Dashboard" not in _menu(as_role("worker").get("/").get_data(as_text=True))
    assert "Dashboard" not in _menu(as_role("admin").get("/").get_data(as_text=True))
    for role, href in [("team_manager", "/dashboard/team"), ("service_manager", "/dashboard/service"),
                       ("qait", "/dashboard/qait")]:
        menu = _menu(as_role(role).get("/").get_data(as_text=True))
        assert menu["Dashboard"] == href, role
        assert list(menu).index("Dashboard") < list(menu).index("Staff")  # order 10: right after Home


def test_the_actions_table_lists_overdue_first(as_role, wren):
    html = as_role("worker").get("/dashboard/me").get_data(as_text=True)
    table = next(t for t in tables(html) if t[0][0] == "Action")
    assert [row[0] for row in table[1:]] == ["Send the plan to the school", "Book the family group conference"]

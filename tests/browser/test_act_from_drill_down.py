"""Issue 10 item 1 in a real browser: from the team dashboard to a worker's drill-down, then "Book supervision"
(the form opens with the worker and the overdue case chosen) and "Write a record" (the record's first step
filled in), on a phone with JavaScript and on a desktop without it. axe-core checks every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from teamops.auth.passwords import hash_password
from teamops.dates import today
from teamops.demo import DEMO_PASSWORD
from teamops.extensions import db
from teamops.org.models import Staff, Team
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab, fill_date

pytestmark = pytest.mark.browser


def _worker_with_an_overdue_case(live_server: LiveServer, name: str, ref: str) -> None:
    with live_server.app.app_context():
        manager = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
        team = db.session.get(Team, manager.team_id)
        email = name.lower().replace(" ", ".") + "@example.org"
        worker = Staff(email=email, name=name, team=team, role="worker", job_role="Social worker",
                       employment_type="permanent", start_date=today() - timedelta(days=400),
                       line_manager=manager, password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(worker)
        db.session.commit()
        factories.case(ref, "CP", False, worker, today() - timedelta(days=40))  # overdue: CP every 4 weeks
        db.session.remove()


@pytest.mark.parametrize(("setting", "name", "ref"), [("phone", "Ari Phone", "ACT-P1"),
                                                      ("desktop without JavaScript", "Ari Desk", "ACT-D1")])
def test_book_and_write_from_the_drill_down(request: pytest.FixtureRequest, live_server: LiveServer,
                                            setting: str, name: str, ref: str) -> None:
    _worker_with_an_overdue_case(live_server, name, ref)
    tab: Tab = request.getfixturevalue("tab" if setting == "phone" else "tab_without_js")
    if setting == "phone":
        tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    tab.follow(tab.page.locator(".teamops-dashboard").get_by_role("link", name=name, exact=True).click)
    expect(tab.page.locator("main")).to_contain_text(ref)

    tab.follow(tab.page.get_by_role("link", name=f"Book supervision with {name}").click)
    page = tab.page
    expect(page.get_by_role("radio", name="Case supervision")).to_be_checked()
    expect(page.get_by_label("Worker", exact=True).locator("option:checked")).to_have_text(name)
    expect(page.get_by_role("checkbox", name=re.compile(ref))).to_be_checked()
    day = today() + timedelta(days=7)
    fill_date(page, "Date", day)
    page.get_by_label("Start time", exact=True).fill("06:45" if setting == "phone" else "08:15")  # clear of the demo
    page.get_by_label("Length in minutes", exact=True).fill("60")
    page.get_by_label("Place", exact=True).fill("Riverside House, room 1")
    tab.follow(page.get_by_role("button", name="Book the session").click)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Session with {name} booked")
    expect(page.locator("main")).to_contain_text(ref)

    tab.goto("/dashboard/team")
    tab.follow(page.locator(".teamops-dashboard").get_by_role("link", name=name, exact=True).click)
    tab.follow(page.get_by_role("link", name=f"Write a record for {name}").click)
    expect(page.get_by_label("Worker supervised")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_role("checkbox", name=re.compile(ref))).to_be_checked()
    tab.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator("main")).to_contain_text(f"Case {ref}")

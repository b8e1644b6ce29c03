"""The GOV.UK character count (issue 10 item 6) in a real browser: typing past the limit is not cut, the count
says by how much, and saving gives the error next to the field; axe runs on each page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser


@pytest.fixture
def case_id(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        worker = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        return factories.case("COUNT-1", "CIN", False, worker, today() - timedelta(days=30)).id


def test_typing_past_the_limit_is_counted_not_cut(tab: Tab, case_id: int) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto(f"/cases/{case_id}")
    tab.page.get_by_text("Record management oversight").click()
    decision = tab.page.get_by_label("Decision", exact=True)
    decision.fill("x" * 5003)
    expect(decision).to_have_value("x" * 5003)
    status = tab.page.locator(".govuk-character-count:has(#decision) .govuk-character-count__status")
    expect(status).to_contain_text("You have 3 characters too many")
    tab.page.get_by_label("Rationale", exact=True).fill("Because.")
    tab.follow(tab.page.get_by_role("button", name="Record oversight").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Decision must be 5000 characters or fewer")
    expect(tab.page.get_by_label("Decision", exact=True)).to_have_value("x" * 5003)

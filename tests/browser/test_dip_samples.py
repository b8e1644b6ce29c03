"""Dip-sampling in a real browser, with axe-core on every page: the demo service manager picks a record of the
demo manager's team at random from last month's, reads it and rates it (a missing rating is answered next to its
question), and the demo manager reads the feedback from their home page and marks it read; the page of teams, its
chart and the month picker work without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser
TEAM = "Family Safeguarding North"  # the demo manager's team: last month has a written record left to sample
COMMENT = "A reflective session: agree a date for each action next time."


def test_pick_rate_and_the_supervisor_reads_it(tab: Tab, browser: Browser, live_server: LiveServer) -> None:
    tab.sign_in(ACCOUNTS["service_manager"])
    tab.follow(tab.page.get_by_role("link", name="Dip samples", exact=True).click)
    tab.follow(tab.page.get_by_role("link", name="Previous month").click)
    row = tab.page.get_by_role("row").filter(has_text=TEAM)
    tab.follow(row.get_by_role("link").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(TEAM)
    tab.follow(tab.page.get_by_role("button", name="Pick at random").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("1 record added to your samples")
    tab.follow(tab.page.get_by_role("link", name=re.compile("^Read and rate")).first.click)
    expect(tab.page.locator("main")).to_contain_text("the audit trail notes that you read it")
    expect(tab.page.get_by_role("heading", name="The record")).to_be_visible()
    for group in tab.page.locator("main form .govuk-radios").all()[:-1]:
        group.get_by_label("Met", exact=True).check()
    tab.page.get_by_label("Comments to the supervisor (optional)").fill(COMMENT)
    tab.follow(tab.page.get_by_role("button", name="Save ratings").click, status=400)  # one criterion left out
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Select met, partly met or not met for")
    expect(tab.page.get_by_label("Comments to the supervisor (optional)")).to_have_value(COMMENT)
    tab.page.locator("main form .govuk-radios").last.get_by_label("Partly met").check()
    for group in tab.page.locator("main form .govuk-radios").all()[:-1]:
        group.get_by_label("Met", exact=True).check()
    tab.follow(tab.page.get_by_role("button", name="Save ratings").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("Ratings saved")

    context = browser.new_context(base_url=live_server.url)
    manager = Tab(context.new_page(), live_server.url, tab.axe_source)
    try:
        manager.sign_in(ACCOUNTS["team_manager"])
        expect(manager.page.locator("main")).to_contain_text("Dip samples of your supervision")
        manager.follow(manager.page.get_by_role("link", name=re.compile("^Read the feedback")).click)
        card = manager.page.locator(".govuk-summary-card").filter(has_text=COMMENT)
        expect(card).to_contain_text("Not read")
        manager.follow(card.get_by_role("link", name=re.compile("^Open")).click)
        expect(manager.page.locator("main")).to_contain_text(COMMENT)
        manager.follow(manager.page.get_by_role("button", name="Mark as read").click)
        expect(manager.page.locator(".govuk-notification-banner")).to_contain_text("Marked as read")
        manager.finish()
    finally:
        context.close()


def test_the_teams_and_chart_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["service_manager"])
    tab.goto("/quality/dip-samples")
    expect(tab.page.get_by_role("img", name="Percentage of criteria rated met")).to_be_visible()
    tab.page.get_by_label("Month", exact=True).fill("March")
    tab.follow(tab.page.get_by_role("button", name="Show month").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Enter the month as YYYY-MM")
    expect(tab.page.get_by_label("Month", exact=True)).to_have_value("March")

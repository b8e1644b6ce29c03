"""Supervision returns in a real browser, with axe-core on every page: the demo manager checks and submits last
month's return, QAIT returns it with a comment, the manager explains and resubmits, QAIT accepts; QAIT's list
with its chart fits a phone; the month picker works without JavaScript and refuses a month that is not one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser
TEAM = "Family Safeguarding North"  # the demo manager's team: last month's return is a draft


def test_draft_submit_returned_resubmit_accepted(tab: Tab, browser: Browser, live_server: LiveServer) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    expect(tab.page.locator("main")).to_contain_text("draft saved")
    tab.follow(tab.page.locator("main").get_by_role("link", name=TEAM).first.click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Supervision return for")
    boxes = tab.page.get_by_label(re.compile(r"Commentary on .*'s figures"))
    expect(boxes.first).to_be_visible()
    tab.page.get_by_label("Commentary on the team's return").fill("Two workers were on leave in the month.")
    tab.follow(tab.page.get_by_role("button", name="Submit to QAIT").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("submitted to QAIT")
    expect(tab.page.locator("main")).to_contain_text("Version 1")
    return_path = tab.page.url.removeprefix(live_server.url)

    context = browser.new_context(base_url=live_server.url)
    qait = Tab(context.new_page(), live_server.url, tab.axe_source)
    try:
        qait.sign_in(ACCOUNTS["qait"])
        qait.goto("/returns/")
        row = qait.page.get_by_role("row").filter(has_text=TEAM)
        expect(row).to_contain_text("Submitted")
        qait.follow(row.get_by_role("link", name=TEAM).click)
        qait.page.get_by_label("Return it to the team to change").check()
        qait.follow(qait.page.get_by_role("button", name="Save decision").click, status=400)  # no comment
        expect(qait.page.locator(".govuk-error-summary")).to_contain_text("Say what the team needs to change")
        qait.page.get_by_label("Comment for the team").fill("Say when the overdue cases will be supervised.")
        qait.follow(qait.page.get_by_role("button", name="Save decision").click)
        expect(qait.page.locator(".govuk-notification-banner")).to_contain_text("returned to the team")

        tab.goto(return_path)
        expect(tab.page.locator(".govuk-warning-text")).to_contain_text("Say when the overdue cases")
        tab.page.get_by_label("Commentary on the team's return").fill("Overdue cases are booked for next week.")
        tab.follow(tab.page.get_by_role("button", name="Submit to QAIT").click)
        expect(tab.page.locator("main")).to_contain_text("Version 2")

        qait.goto(return_path)
        qait.page.get_by_label("Accept it").check()
        qait.follow(qait.page.get_by_role("button", name="Save decision").click)
        expect(qait.page.locator("main .govuk-tag").first).to_have_text("Accepted")
        qait.follow(qait.page.get_by_role("link", name="Version 1").click)
        expect(qait.page.locator("main")).to_contain_text("Two workers were on leave in the month.")
        qait.finish()
    finally:
        context.close()


def test_qaits_returns_list_and_chart_fit_a_phone(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["qait"])
    tab.goto("/returns/")
    expect(tab.page.get_by_role("img", name="Percentage of cases in timescale, as returned")).to_be_visible()
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_month_picker_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["service_manager"])
    tab.goto("/returns/")
    expect(tab.page.get_by_role("table", name=re.compile("^Returns for"))).to_contain_text(TEAM)
    tab.page.get_by_label("Month reported").fill("2026-13")
    tab.follow(tab.page.get_by_role("button", name="Show returns").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Give a real month")
    expect(tab.page.get_by_label("Month reported")).to_have_value("2026-13")

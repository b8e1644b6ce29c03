"""Caseload reviews in a real browser, with axe-core on every page (R-QA-3): the demo manager finds this month's
review waiting on their home page, writes commentary (too long is refused with the text kept), returns it to
QAIT, and QAIT reads who returned it and what they said; the review fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser
TEAM = "Family Safeguarding North"  # the demo manager's team: this month's review waits for commentary
SAID = "CP-1042 and CIN-2210 are booked for supervision on Monday; the rest are in timescale."


def test_the_manager_returns_the_review_and_qait_reads_it(tab: Tab, browser: Browser, live_server: LiveServer) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    waiting = tab.page.locator("main").get_by_role("heading", name="Caseload reviews to return to QAIT (1)")
    expect(waiting).to_be_visible()
    tab.follow(tab.page.locator("main").get_by_role("link", name=f"{TEAM},").click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Caseload review:")
    first = tab.page.get_by_label("Commentary on", exact=False).first
    first.fill("x" * 1001)
    tab.follow(tab.page.get_by_role("button", name="Save", exact=True).click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("1,000 characters or fewer")
    expect(tab.page.get_by_label("Commentary on", exact=False).first).to_have_value("x" * 1001)
    tab.page.get_by_label("Commentary on", exact=False).first.fill(SAID)
    tab.follow(tab.page.get_by_role("button", name="Save and return to QAIT").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("QAIT")
    expect(tab.page.get_by_role("button", name="Save and return to QAIT")).to_have_count(0)
    review_path = tab.page.url.removeprefix(live_server.url)
    tab.goto("/")
    expect(tab.page.locator("main")).not_to_contain_text("Caseload reviews to return to QAIT")

    context = browser.new_context(base_url=live_server.url)
    qait = Tab(context.new_page(), live_server.url, tab.axe_source)
    try:
        qait.sign_in(ACCOUNTS["qait"])
        qait.goto("/returns/caseload")
        row = qait.page.get_by_role("row").filter(has_text=TEAM)
        expect(row).to_contain_text("Returned")
        qait.follow(row.get_by_role("link", name=TEAM).click)
        assert qait.page.url.endswith(review_path)
        expect(qait.page.locator("main")).to_contain_text(SAID)
        expect(qait.page.locator("main")).to_contain_text("Returned to QAIT")
        qait.finish()
    finally:
        context.close()
    tab.finish()


def test_a_review_fits_a_phone(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["service_manager"])
    tab.goto("/returns/caseload")
    tab.follow(tab.page.get_by_role("row").filter(has_text=TEAM).get_by_role("link", name=TEAM).click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Caseload review:")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390

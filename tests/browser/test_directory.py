"""The directory in a real browser, with axe-core on every page (the Tab fixture): a new starter finds their
nearest champion, a network's next meetings and the support lines; the live search, debounced and announced, with
the address following it, and the same search without JavaScript; the demo manager approves a volunteer; the
pages fit a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser
MENU = 'nav[aria-label="Main menu"]'


def test_a_new_starter_finds_their_champion_a_network_and_support(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["newstarter"])
    tab.follow(tab.page.locator(MENU).get_by_role("link", name="Directory").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Directory")
    nearest = tab.page.get_by_role("table", name="Your nearest champion for each area")
    abuse = nearest.get_by_role("row").filter(has_text="Domestic abuse")
    expect(abuse).to_contain_text("Wren Taylor")  # the demo worker champions it for their (and her) team
    expect(abuse).to_contain_text("In your team")
    tab.follow(tab.page.get_by_role("link", name="Staff networks and groups").click)
    tab.follow(tab.page.get_by_role("link", name="Diversity advocates").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Diversity advocates")
    expect(tab.page.locator("main")).to_contain_text("third Tuesday")
    expect(tab.page.locator("main")).to_contain_text("14:00")
    tab.goto("/directory/support")
    expect(tab.page.locator("main")).to_contain_text("counselling")
    expect(tab.page.locator("main .govuk-tag").first).to_have_text(re.compile(r"Open now|Closed"))


def test_the_live_search_follows_typing_and_the_address(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto("/directory/search")
    tab.page.evaluate("() => { window.teamopsSamePage = true; }")
    loads_before = tab.loads
    partial: list[str] = []

    def record(request: Request) -> None:
        if request.headers.get("hx-request") == "true":
            partial.append(request.url)

    tab.page.on("request", record)
    box = tab.page.get_by_role("searchbox", name="Search the directory")
    box.press_sequentially("diversity", delay=40)
    results = tab.page.locator(".teamops-results")
    expect(results).to_contain_text("Diversity advocates")
    expect(results).to_have_attribute("aria-live", "polite")
    expect(tab.page).to_have_url(re.compile(r"/directory/search\?q=diversity$"))
    tab.audited()
    assert tab.page.evaluate("() => window.teamopsSamePage === true"), "the search reloaded the whole page"
    assert tab.loads == loads_before
    assert 1 <= len(partial) < len("diversity"), f"typing was not debounced: {partial}"
    # The address is the search: opened afresh it shows the same results.
    tab.goto("/directory/search?q=diversity")
    expect(tab.page.locator(".teamops-results")).to_contain_text("Diversity advocates")
    expect(box).to_have_value("diversity")


def test_the_search_works_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto("/directory/")
    tab.page.get_by_role("searchbox", name="Search the directory").fill("out of hours")
    tab.follow(tab.page.get_by_role("button", name="Search").click)
    assert tab.page.url == tab.url("/directory/search?q=out+of+hours")
    expect(tab.page.locator(".teamops-results")).to_contain_text("Out-of-hours team")


def test_the_demo_manager_approves_a_volunteer(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/directory/")
    tab.follow(tab.page.get_by_role("link", name="Champions in the teams you manage").click)
    offers = tab.page.get_by_role("table", name="Offers waiting for a decision")
    expect(offers).to_contain_text("Mental health first aid")
    tab.follow(offers.get_by_role("button", name=re.compile("^Approve")).first.click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("approved")


@pytest.mark.parametrize("path", ["/directory/", "/directory/champions", "/directory/teams", "/directory/support"])
def test_the_directory_fits_a_phone(tab: Tab, path: str) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto(path)
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390

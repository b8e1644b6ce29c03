"""Back after htmx changed the address shows the whole page again, never a bare fragment.

htmx keeps no history snapshots here (``historyCacheSize=0``), so Back makes htmx ask the server for the
address again with ``HX-Request`` and ``HX-History-Restore-Request``; ``teamops.web.render`` answers that
with the whole page (header, menu, heading and results), as it does a normal visit.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser


def _whole_page(tab: Tab, heading: str) -> None:
    """The restored page has the TeamOps header, the main menu, its heading and one results area."""
    expect(tab.page.locator("header.teamops-header")).to_have_count(1)
    expect(tab.page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(tab.page.locator("main")).to_have_count(1)


def _restored(tab: Tab, address: re.Pattern[str]) -> None:
    with tab.page.expect_response(lambda r: r.request.headers.get("hx-history-restore-request") == "true"):
        tab.page.go_back()
    expect(tab.page).to_have_url(address)


def test_back_after_a_live_search_shows_the_whole_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff")
    search = tab.page.get_by_role("searchbox", name="Search")
    search.press_sequentially("Wren", delay=40)
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?q=Wren&show=active$"))
    search.fill("")
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?q=&show=active$"))

    _restored(tab, re.compile(r"/admin/staff\?q=Wren&show=active$"))
    _whole_page(tab, "Staff")
    expect(tab.page.locator(".teamops-results")).to_have_count(1)
    expect(tab.page.locator(".teamops-results > p")).to_have_text("1 person found.")
    tab.audited()


def test_back_after_a_pagination_click_shows_the_whole_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff")
    tab.page.get_by_role("link", name="Next page").click()
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?page=2$"))
    tab.page.get_by_role("link", name="Previous page").click()
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?page=1$"))

    _restored(tab, re.compile(r"/admin/staff\?page=2$"))
    _whole_page(tab, "Staff")
    expect(tab.page.locator(".teamops-results > p")).to_contain_text("page 2 of")
    tab.audited()


def test_back_after_sorting_the_dashboard_shows_the_whole_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    table = tab.page.locator(".teamops-dashboard table")
    table.get_by_role("link", name="Overdue", exact=True).click()
    expect(tab.page).to_have_url(re.compile(r"sort=overdue&order=desc"))
    table.get_by_role("link", name="Name", exact=True).click()
    expect(tab.page).to_have_url(re.compile(r"sort=name"))

    _restored(tab, re.compile(r"sort=overdue&order=desc"))
    heading = tab.page.get_by_role("heading", level=1).inner_text()
    _whole_page(tab, heading)
    expect(tab.page.locator(".teamops-dashboard")).to_have_count(1)
    expect(tab.page.locator('.teamops-dashboard th[aria-sort="descending"]')).to_contain_text("Overdue")
    tab.audited()

"""Live search and pagination on the Staff page, with htmx and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser

SUMMARY = ".teamops-results > p"
PAGE_OF = re.compile(r"page (\d+) of (\d+)")


def htmx_requests(tab: Tab) -> list[str]:
    """Collects the URLs of the htmx (partial) requests the page makes from now on."""
    seen: list[str] = []

    def record(request: Request) -> None:
        if request.headers.get("hx-request") == "true":
            seen.append(request.url)

    tab.page.on("request", record)
    return seen


def test_live_search_updates_results_and_address_without_a_page_load(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff")
    expect(tab.page.locator(SUMMARY)).to_contain_text("people found")
    tab.page.evaluate("() => { window.teamopsSamePage = true; }")
    loads_before = tab.loads
    partial = htmx_requests(tab)

    search = tab.page.get_by_role("searchbox", name="Search")
    search.press_sequentially("Wren", delay=40)
    expect(tab.page.locator(SUMMARY)).to_have_text("1 person found.")
    expect(tab.page.locator(".teamops-results table")).to_contain_text("Wren Taylor")
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?q=Wren&show=active$"))
    tab.audited()

    assert tab.page.evaluate("() => window.teamopsSamePage === true"), "the search reloaded the whole page"
    assert tab.loads == loads_before, "the search reloaded the whole page"
    assert 1 <= len(partial) < len("Wren"), f"typing was not debounced into one request: {partial}"
    assert all("/admin/staff?" in url for url in partial), partial

    # Clearing the box brings everyone back, and the results stay in step with the address.
    search.fill("")
    expect(tab.page.locator(SUMMARY)).to_contain_text("people found")
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?q=&show=active$"))
    tab.audited()
    assert tab.loads == loads_before

    # The pushed address is a real page: opening it afresh shows the same results.
    tab.goto("/admin/staff?q=Wren&show=active")
    expect(tab.page.locator(SUMMARY)).to_have_text("1 person found.")
    expect(search).to_have_value("Wren")


def test_search_works_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff")
    tab.page.get_by_role("searchbox", name="Search").fill("Wren")
    tab.follow(tab.page.get_by_role("button", name="Search").click)
    assert tab.page.url == tab.url("/admin/staff?q=Wren&show=active")
    expect(tab.page.locator(SUMMARY)).to_have_text("1 person found.")
    expect(tab.page.locator(".teamops-results table")).to_contain_text("Wren Taylor")
    expect(tab.page.get_by_role("searchbox", name="Search")).to_have_value("Wren")

    tab.page.get_by_label("Show").select_option(label="Deactivated")
    tab.page.get_by_role("searchbox", name="Search").fill("")
    tab.follow(tab.page.get_by_role("button", name="Search").click)
    assert tab.page.url == tab.url("/admin/staff?q=&show=left")
    expect(tab.page.get_by_label("Show")).to_have_value("left")


def page_numbers(tab: Tab) -> tuple[int, int]:
    match = PAGE_OF.search(tab.page.locator(SUMMARY).inner_text())
    assert match is not None, "the staff list should span several pages in the demo organisation"
    return int(match.group(1)), int(match.group(2))


def test_next_page_link_swaps_in_the_next_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff")
    assert page_numbers(tab)[0] == 1
    first_name = tab.page.locator(".teamops-results tbody tr").first.inner_text()
    loads_before = tab.loads
    partial = htmx_requests(tab)

    tab.page.get_by_role("link", name="Next page").click()
    expect(tab.page.locator(SUMMARY)).to_contain_text("page 2 of")
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?page=2$"))
    tab.audited()
    assert tab.loads == loads_before, "the next page link reloaded the whole page"
    assert len(partial) == 1, partial
    assert tab.page.locator(".teamops-results tbody tr").first.inner_text() != first_name

    tab.page.get_by_role("link", name="Previous page").click()
    expect(tab.page.locator(SUMMARY)).to_contain_text("page 1 of")
    expect(tab.page).to_have_url(re.compile(r"/admin/staff\?page=1$"))
    tab.audited()


def test_next_page_link_works_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff?q=&show=all")
    _page, pages = page_numbers(tab)
    assert pages > 1
    tab.follow(tab.page.get_by_role("link", name="Next page").click)
    assert tab.page.url == tab.url("/admin/staff?q=&show=all&page=2")
    assert page_numbers(tab) == (2, pages)
    expect(tab.page.get_by_label("Show")).to_have_value("all")

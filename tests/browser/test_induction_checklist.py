"""The induction checklist in a real browser, with axe-core after every page and swap: the demo starter ticks an
item and its row turns "Done" in place (htmx, no page load), then takes it back; without JavaScript, a tick posts
the form and the page comes back at the checklist with a banner and the item done."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser
MARK_DONE = re.compile(r"^Mark done")
UNDO = re.compile(r"^Undo")


def _my_induction(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["newstarter"])
    tab.follow(tab.page.get_by_role("link", name="See your induction").click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Your induction")


def test_the_starter_ticks_an_item_in_place(tab: Tab) -> None:
    _my_induction(tab)
    row = tab.page.get_by_role("row").filter(has_text="Attended team pods and/or team meetings")
    progress = tab.page.locator("#checklist-progress")
    before = int(progress.inner_text().split()[0])
    loads = tab.loads
    row.get_by_role("button", name=MARK_DONE).click()
    expect(row).to_contain_text("Done on time")
    expect(row).to_contain_text("by Nico Fraser")
    expect(progress).to_have_text(re.compile(rf"^{before + 1} of "))
    tab.audited()
    row.get_by_role("button", name=UNDO).click()
    expect(row.get_by_role("button", name=MARK_DONE)).to_be_visible()
    expect(progress).to_have_text(re.compile(rf"^{before} of "))
    tab.audited()
    assert tab.loads == loads, "ticking an item reloaded the page"


def test_without_javascript_the_page_comes_back_with_the_item_done(tab_without_js: Tab) -> None:
    tab = tab_without_js
    _my_induction(tab)
    row = tab.page.get_by_role("row").filter(has_text="Met the team, in person or virtually")
    tab.follow(row.get_by_role("button", name=MARK_DONE).click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("Done: Met the team, in person or virtually")
    row = tab.page.get_by_role("row").filter(has_text="Met the team, in person or virtually")
    expect(row).to_contain_text("by Nico Fraser")
    expect(row.get_by_role("button", name=UNDO)).to_be_visible()
    tab.follow(row.get_by_role("button", name=UNDO).click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("Open again: Met the team")

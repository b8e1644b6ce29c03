"""The induction pages in a real browser, with axe-core on every page (the Tab fixture): a manager follows the
demo new starter's induction from the menu and saves its plan unchanged; the starter reaches theirs
from the home page and sees today marked; the list fits a phone's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser


def test_a_manager_follows_and_re_plans_an_induction(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Inductions").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Inductions")
    tab.follow(tab.page.locator("main").get_by_role("link", name="Nico Fraser").click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Nico Fraser's induction")
    expect(tab.page.locator('tr[aria-current="date"]').first).to_contain_text("Today")
    tab.follow(tab.page.get_by_role("link", name="Change the plan").click)
    tab.follow(tab.page.get_by_role("button", name="Save the plan").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("re-planned")
    tab.goto("/inductions/new")
    tab.follow(tab.page.get_by_role("button", name="Open the induction").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Select someone you supervise")


def test_the_starter_reaches_their_induction_from_home(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["newstarter"])
    tab.follow(tab.page.get_by_role("link", name="See your induction").click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Your induction")
    expect(tab.page.get_by_role("button", name="Cancel the induction")).to_have_count(0)


def test_the_induction_list_fits_a_phone(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/inductions")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_induction_prints_without_menus_and_buttons(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["newstarter"])
    tab.follow(tab.page.get_by_role("link", name="See your induction").click)
    tab.page.emulate_media(media="print")
    expect(tab.page.locator('nav[aria-label="Main menu"]')).to_be_hidden()
    expect(tab.page.get_by_role("link", name="Add the timetable to your calendar (.ics file for Outlook)")
           ).to_be_hidden()
    expect(tab.page.get_by_role("heading", name="Timetable")).to_be_visible()
    expect(tab.page.locator('tr[aria-current="date"]').first).to_contain_text("Today")
    tab.page.emulate_media(media="screen")

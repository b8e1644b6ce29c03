"""The induction templates in a real browser (R-IND-15): an admin, at a phone's width, adds an item to a day
beyond the induction (refused, with the message and what was typed), then to a day within it, and removes it
again; a team manager, without JavaScript, sets the team's meeting day and business-support contact. Every
page is checked with axe, and none scrolls sideways at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fits_a_phone(tab: Tab) -> None:
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{tab.page.url} is {width} px wide at {PHONE['width']} px"


def test_an_admin_adds_and_removes_an_item_of_a_timetable(tab: Tab) -> None:
    tab.page.set_viewport_size(PHONE)
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/")
    menu = tab.page.locator('nav[aria-label="Main menu"]')
    if not menu.get_by_role("link", name="Induction templates").is_visible():
        tab.page.get_by_role("button", name="Menu").click()
    tab.follow(menu.get_by_role("link", name="Induction templates").click)
    _fits_a_phone(tab)
    tab.follow(tab.page.get_by_role("link", name="Internal move: 3 days").click)
    _fits_a_phone(tab)
    tab.follow(tab.page.get_by_role("link", name="Add an item to day 2").click)
    form = tab.page.locator("main form")
    expect(form.get_by_label("Day")).to_have_value("2")
    form.get_by_label("Day").fill("4")
    form.get_by_label("Shadowing", exact=True).check()
    form.get_by_label("Shadowing host A").check()
    form.get_by_label("Description").fill("Shadow a duty visit with worker A")
    tab.follow(tab.page.get_by_role("button", name="Save").click, status=400)
    summary = tab.page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Day 4 is after the last day of this 3-day induction: choose a day from 1 to 3")
    expect(form.get_by_label("Description")).to_have_value("Shadow a duty visit with worker A")
    expect(form.get_by_label("Shadowing host A")).to_be_checked()
    _fits_a_phone(tab)

    form.get_by_label("Day").fill("2")
    tab.follow(tab.page.get_by_role("button", name="Save").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("Day 2 of Internal move")
    day_two = tab.page.get_by_role("table", name="Day 2")
    expect(day_two).to_contain_text("Shadow a duty visit with worker A")
    row = day_two.get_by_role("row").filter(has_text="Shadow a duty visit with worker A")
    tab.follow(row.get_by_role("button", name="Remove").click)
    expect(tab.page.get_by_role("table", name="Day 2")).not_to_contain_text("Shadow a duty visit")

    tab.goto("/admin/induction/checklist")
    _fits_a_phone(tab)
    expect(tab.page.get_by_role("table", name="CFWS: business support")).to_contain_text("Stamp log")


def test_a_manager_sets_the_teams_meeting_day_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/admin/teams")
    tab.follow(tab.page.locator("main").get_by_role("link", name="Family Safeguarding North").click)
    tab.follow(tab.page.get_by_role("link", name="Change team meeting day").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Induction settings")
    form = tab.page.locator("main form")
    form.get_by_label("Thursday").check()
    form.get_by_label("Business-support contact").select_option(label="Wren Taylor, Social worker")
    tab.follow(tab.page.get_by_role("button", name="Save settings").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("Induction settings")
    summary = tab.page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Thursday")
    expect(summary).to_contain_text("Wren Taylor")
    tab.follow(tab.page.get_by_role("link", name="Change team meeting day").click)
    tab.page.locator("main form").get_by_label("No fixed day").check()
    tab.page.locator("main form").get_by_label("Business-support contact").select_option(label="Nobody")
    tab.follow(tab.page.get_by_role("button", name="Save settings").click)
    expect(tab.page.locator(".govuk-summary-list")).to_contain_text("No fixed day")

"""Issue 10 items 7 and 8 in a real browser: a personal session booked by keyboard alone in a browser set to US
English (the date is typed as day, month and year; the time in the 24-hour clock), in a handful of Tab presses
because the form shows only what the kind needs: with JavaScript and without."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from teamops.dates import add_months, today
from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser


def _ambiguous_day() -> date:
    """The 3rd of the month after next: a date a US browser would read with day and month swapped."""
    return add_months(today(), 2).replace(day=3)


def test_a_personal_session_is_booked_by_keyboard_in_a_us_browser(us_tab: Tab) -> None:
    tab = us_tab
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/bookings/new")
    day = _ambiguous_day()
    page = tab.page
    page.get_by_role("radio", name="Personal supervision").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("group", name="Cases to discuss")).to_be_hidden()
    expect(page.get_by_role("group", name="Other attendees")).to_be_hidden()
    tab.audited()
    presses = 0

    def tab_to(then: str | None = None) -> None:
        nonlocal presses
        page.keyboard.press("Tab")
        presses += 1
        if then is not None:
            page.keyboard.type(then)

    tab_to()
    expect(page.get_by_label("Worker", exact=True)).to_be_focused()
    page.keyboard.type("Wren Taylor")  # a select chooses by typing its option's name
    expect(page.get_by_label("Worker", exact=True)).to_have_value(re.compile(r"^[1-9]\d*$"))
    tab_to(str(day.day))
    tab_to(str(day.month))
    tab_to(str(day.year))
    tab_to("14:30")
    tab_to("60")
    tab_to("Riverside House, room 3")
    tab_to()  # "Online": left unticked
    tab_to()
    expect(page.get_by_role("button", name="Book the session")).to_be_focused()
    assert presses <= 10, f"{presses} Tab presses from the kind to the button"
    for _ in range(2):  # the hidden case list has reloaded (a queued reload follows the one under way)
        page.wait_for_timeout(200)
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    tab.follow(lambda: page.keyboard.press("Enter"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"Session with Wren Taylor booked for {day.day} {day:%B %Y} at 14:30")


def test_the_form_shows_what_each_kind_needs_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/bookings/new")
    page = tab.page
    cases, attendees = page.locator(".teamops-for-cases"), page.locator(".teamops-for-group")
    expect(page.get_by_role("radio", name="Case supervision")).to_be_checked()
    expect(cases).to_be_visible()
    expect(attendees).to_be_hidden()
    page.get_by_role("radio", name="Personal supervision").check()
    expect(cases).to_be_hidden()
    page.get_by_role("radio", name="Group supervision").check()
    expect(cases).to_be_visible()
    expect(attendees).to_be_visible()
    tab.audited()

"""Naming a cover for a team's manager in a real browser (R-ORG-3): the form's errors, then the cover on the
team's page, ended again; every page checked with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from teamops import dates
from tests.browser.conftest import ACCOUNTS, Tab, fill_date

pytestmark = pytest.mark.browser


def test_a_manager_names_and_ends_a_cover_from_the_team_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Teams").click)
    tab.follow(tab.page.locator("main").get_by_role("link", name="Family Safeguarding North").click)
    tab.follow(tab.page.get_by_role("link", name="Name a cover").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Name a cover")

    form = tab.page.locator("main form")
    form.get_by_label("Work e-mail of who covers").fill("worker@example.org")  # not a manager or senior
    first = dates.next_working_day(dates.today() + timedelta(days=7))
    fill_date(form, "First day", first)
    fill_date(form, "Last day", first - timedelta(days=1))
    tab.follow(tab.page.get_by_role("button", name="Name the cover").click, status=400)
    summary = tab.page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("of an active manager, or of a senior practitioner or team leader")
    expect(summary).to_contain_text("The last day must be the same as or after the first day")
    expect(form.get_by_label("Work e-mail of who covers")).to_have_value("worker@example.org")

    form.get_by_label("Work e-mail of who covers").fill("rowan.pryce@example.org")
    fill_date(form, "Last day", first + timedelta(days=4))
    tab.follow(tab.page.get_by_role("button", name="Name the cover").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("Rowan Pryce covers")
    covers = tab.page.get_by_role("table", name="Cover for the manager of Family Safeguarding North")
    expect(covers).to_contain_text("Rowan Pryce")
    expect(covers).to_contain_text("To come")

    tab.follow(covers.get_by_role("button", name="End cover").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("has ended")
    expect(covers).to_contain_text("Ended early")

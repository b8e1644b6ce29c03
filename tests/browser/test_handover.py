"""A leaver's hand-over in a real browser (R-ORG-4): from the person's page, the form's errors, then every case
given to a colleague in one go; every page checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser

SHARED = ("Wren Taylor", "Nico Fraser", "Morgan Hale")  # demo people other browser tests look at


def test_a_manager_hands_over_a_leavers_cases_in_one_go(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Teams").click)
    tab.follow(tab.page.locator("main").get_by_role("link", name="Family Safeguarding North").click)
    candidates = []
    for row in tab.page.locator("main table tbody tr").all():
        name, job = row.locator("td").nth(0).inner_text().strip(), row.locator("td").nth(1).inner_text()
        if job in ("Social worker", "Senior practitioner") and name not in SHARED:
            candidates.append(name.replace(" ASYE", ""))
    assert len(candidates) >= 2, candidates
    leaver, taker = candidates[-1], candidates[-2]

    tab.follow(tab.page.locator("main").get_by_role("link", name=leaver, exact=True).click)
    tab.follow(tab.page.get_by_role("link", name=f"Hand over from {leaver} (leaver)").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(f"Hand over from {leaver}")
    expect(tab.page.locator("main")).to_contain_text("open case")

    tab.follow(tab.page.get_by_role("button", name="Hand over").click, status=400)
    summary = tab.page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose who takes on case")

    tab.page.get_by_label("Give every case to").select_option(label=f"{taker} (Family Safeguarding North)")
    tab.follow(tab.page.get_by_role("button", name="Hand over").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text(f"Handed over from {leaver}")
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "hand-over supervision due today")
    expect(tab.page.locator("main")).to_contain_text("Nothing to hand over")

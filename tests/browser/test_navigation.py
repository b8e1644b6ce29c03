"""Every demo account signs in and opens every page its navigation offers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser

NAVIGATION = 'nav[aria-label="Main menu"] a'
CURRENT = re.compile(r"^(page|true)$")  # GOV.UK service navigation marks the active section "true"
# What each role must and must not be offered; other items may join the menu as features arrive.
MUST_SHOW = {
    "admin": {"Home", "Teams", "Staff", "Services", "Induction templates", "New starters", "Import", "Audit trail",
              "Grading scales"},
    "qait": {"Home", "Teams", "Staff", "Inductions", "New starters", "Dip samples", "Audits", "Audit findings"},
    "head_of_service": {"Home", "Dashboard", "Escalations", "Teams", "Staff", "Import", "Inductions", "Dip samples",
                        "Audits", "Audit findings"},
    "service_manager": {"Home", "Dashboard", "Escalations", "Teams", "Staff", "Import", "Inductions", "Dip samples",
                        "Audits", "Audit findings"},
    "team_manager": {"Home", "Escalations", "Teams", "Staff", "Import", "Inductions", "Audits", "Audit findings"},
    "worker": {"Home"},
    "newstarter": {"Home"},
}
MUST_NOT_SHOW = {
    # Admins edit the templates and keep the grading scales, never a starter's induction or an audit's findings.
    "admin": {"Inductions", "Audits", "Audit findings", "Dip samples"},
    "qait": {"Services", "Import", "Induction templates", "Grading scales"},
    "head_of_service": {"Services", "Induction templates", "New starters", "Grading scales"},
    "service_manager": {"Services", "Induction templates", "New starters", "Grading scales"},
    "team_manager": {"Services", "Induction templates", "New starters", "Grading scales", "Dip samples"},
    "worker": {"Teams", "Staff", "Services", "Import", "Audit trail", "Induction templates", "Inductions",
               "New starters", "Audit findings", "Dip samples", "Grading scales"},
    "newstarter": {"Teams", "Staff", "Services", "Import", "Audit trail", "Induction templates", "Inductions",
                   "New starters", "Audit findings", "Dip samples", "Grading scales"},
}


def navigation_links(tab: Tab) -> list[tuple[str, str]]:
    links = tab.page.locator(NAVIGATION)
    return [(link.inner_text().strip(), link.get_attribute("href") or "") for link in links.all()]


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_each_account_can_open_every_page_in_its_navigation(tab: Tab, account: str) -> None:
    tab.sign_in(ACCOUNTS[account])
    expect(tab.page.locator(".teamops-header__account")).to_contain_text("Signed in as")
    links = navigation_links(tab)
    labels = [label for label, _href in links]
    assert labels and labels[0] == "Home", labels
    assert MUST_SHOW[account] <= set(labels), f"{account} is missing {MUST_SHOW[account] - set(labels)}"
    assert not MUST_NOT_SHOW[account] & set(labels), f"{account} is offered {MUST_NOT_SHOW[account] & set(labels)}"
    assert len(set(labels)) == len(labels), f"duplicate navigation items: {labels}"

    for label, href in links:
        link = tab.page.locator(NAVIGATION).filter(has_text=label).first
        tab.follow(link.click)
        assert tab.page.url.split("?")[0] == tab.url(href), f"{label} led to {tab.page.url}"
        expect(tab.page.locator("h1")).to_have_count(1)
        expect(tab.page.locator(NAVIGATION).filter(has_text=label).first).to_have_attribute("aria-current", CURRENT)
        expect(tab.page.locator(f"{NAVIGATION}[aria-current]")).to_have_count(1)  # one current item, never two
        assert navigation_links(tab) == links, f"the menu changed on {label}"

    tab.follow(tab.page.get_by_role("link", name="Change password").click)
    expect(tab.page.locator("h1")).to_have_count(1)

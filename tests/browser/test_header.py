"""The header (issue 10 items 4 and 13): the keyboard goes logo, then the signed-in line, then the menu; at a
phone's width every control in it keeps at least a 24 px target."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser


def _focused(tab: Tab) -> str:
    return tab.page.evaluate("document.activeElement.textContent.trim()")


def test_keyboard_order_and_target_sizes_at_phone_width(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.page.keyboard.press("Tab")  # the skip link
    expect(tab.page.get_by_role("link", name="Skip to main content")).to_be_focused()
    tab.page.keyboard.press("Tab")
    assert _focused(tab) == "TeamOps"
    tab.page.keyboard.press("Tab")
    assert _focused(tab) == "Change password"
    for control in tab.page.locator(".teamops-header a, .teamops-header button").all():
        box = control.bounding_box()
        assert box is not None and box["height"] >= 24, (control.inner_text(), box)

"""At a phone's width (390 px) no list page scrolls sideways: wide tables scroll inside their own labelled,
keyboard-focusable frame (issue 10 item 4). axe runs on every page (the Tab fixture)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser

LISTS = ("/dashboard/team", "/cases", "/records", "/bookings", "/actions", "/admin/staff", "/admin/teams",
         "/escalations", "/policy")


def test_list_pages_fit_a_phone(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["team_manager"])
    for path in LISTS:
        tab.goto(path)
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide at 390 px"
        for frame in tab.page.locator(".teamops-table-scroll").all():
            assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("aria-label")

"""The time-out warning in Chromium (issue 7 item 6, GOV.UK's timeout warning pattern): two minutes before the
idle time-out a modal dialog says so and offers "Stay signed in", which keeps the session; the page's own
background refreshes do not put the warning off. The browser's clock is moved on with Playwright's clock; the
server's answer to "how long is left" is what it would say two minutes before the end."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Route, expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser


def test_the_warning_offers_to_stay_signed_in_and_keeps_the_session(tab: Tab) -> None:
    tab.page.clock.install()
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    dialog = tab.page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_hidden()

    def two_minutes_left(route: Route) -> None:
        assert route.request.headers.get("x-teamops-background") == "true"  # asking does not count as activity
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"seconds_left": 110}))

    tab.page.route("**/session/status", two_minutes_left)
    tab.page.clock.fast_forward("28:30")  # 28 minutes on: the page asks how long is left
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out in 2 minutes.")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()  # a modal dialog moves focus into itself
    tab.audited()

    with tab.page.expect_response(lambda r: r.url.endswith("/session/heartbeat")) as heartbeat:
        stay.click()
    assert heartbeat.value.status == 204
    expect(dialog).to_be_hidden()
    assert "/dashboard/team" in tab.page.url
    tab.audited()


def test_without_javascript_there_is_no_warning_and_the_page_is_whole(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    expect(tab.page.get_by_role("dialog")).to_have_count(0)  # a closed <dialog> is not shown or announced

"""The dashboards in Chromium: sorting and filtering swap the table in place with htmx and work without
JavaScript; the table refreshes itself on the ``supervision-changed`` event; every state passes axe-core
and the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab

pytestmark = pytest.mark.browser
TABLE = ".teamops-dashboard table"


def _names(tab: Tab) -> list[str]:
    return [text.strip() for text in tab.page.locator(f"{TABLE} tbody th").all_inner_texts()]


def test_manager_sorts_filters_and_gets_live_updates_without_a_page_load(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    expect(tab.page.locator(TABLE)).to_be_visible()
    loads = tab.loads

    tab.page.locator(TABLE).get_by_role("link", name="Overdue", exact=True).click()
    expect(tab.page.locator(f'{TABLE} th[aria-sort="descending"]')).to_contain_text("Overdue")
    expect(tab.page).to_have_url(re.compile(r"/dashboard/team\?.*sort=overdue&order=desc"))
    tab.audited()
    # The overdue count is the fifth cell (after the next session booked), a tag reading "N overdue".
    overdue = [int(t.split()[0]) for t in tab.page.locator(f"{TABLE} tbody tr td:nth-child(5)").all_inner_texts()]
    assert overdue == sorted(overdue, reverse=True)

    tab.page.get_by_label("Show").select_option("overdue")
    expect(tab.page).to_have_url(re.compile(r"show=overdue"))
    tab.audited()
    remaining = [int(t.split()[0]) for t in tab.page.locator(f"{TABLE} tbody tr td:nth-child(5)").all_inner_texts()]
    assert remaining and all(n > 0 for n in remaining)

    # Another part of TeamOps answering with HX-Trigger: supervision-changed makes the table fetch itself.
    with tab.page.expect_response(lambda r: "/dashboard/team?" in r.url
                                  and r.request.headers.get("hx-request") == "true") as refresh:
        tab.page.evaluate("() => htmx.trigger(document.body, 'supervision-changed')")
    assert refresh.value.status == 200 and "show=overdue" in refresh.value.url
    expect(tab.page.locator(TABLE)).to_be_visible()
    tab.audited()
    assert tab.loads == loads, "sorting, filtering or refreshing reloaded the whole page"


def test_manager_dashboard_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/dashboard/team")
    tab.page.get_by_label("Show").select_option("overdue")
    tab.follow(tab.page.get_by_role("button", name="Apply").click)
    assert "show=overdue" in tab.page.url
    tab.follow(tab.page.locator(TABLE).get_by_role("link", name="Name", exact=True).click)
    assert "sort=name&order=desc" in tab.page.url and "show=overdue" in tab.page.url
    names = _names(tab)
    assert names == sorted(names, reverse=True)
    tab.follow(tab.page.locator(f"{TABLE} tbody th a").first.click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("cases and due dates")


def test_worker_dashboard_and_scaling_trend(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["worker"])
    expect(tab.page.get_by_role("heading", name="Your next supervision")).to_be_visible()
    case_link = tab.page.get_by_role("link", name="4300001", exact=True)
    case_id = re.search(r"/cases/(\d+)", case_link.get_attribute("href") or "")
    assert case_id is not None
    tab.goto(f"/dashboard/case/{case_id.group(1)}/scaling")
    chart = tab.page.get_by_role("img", name="Scaling scores for case 4300001")
    expect(chart).to_be_visible()
    assert tab.page.locator("svg.teamops-scaling-chart circle").count() == 5  # the key has its own small picture
    expect(tab.page.locator("table")).to_contain_text("6")


@pytest.mark.parametrize(("account", "path"), [("service_manager", "/dashboard/service"),
                                               ("head_of_service", "/dashboard/service"),
                                               ("qait", "/dashboard/qait"), ("qait", "/dashboard/service")])
def test_service_and_qait_dashboards_pass_the_checks(tab: Tab, account: str, path: str) -> None:
    tab.sign_in(ACCOUNTS[account])
    tab.goto(path)
    expect(tab.page.locator(".teamops-dashboard table").first).to_be_visible()

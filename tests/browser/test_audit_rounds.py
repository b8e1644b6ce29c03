"""Audit rounds in a real browser, with axe-core on every page (issue 14 item 1): QAIT sets up a quarter's round
(a mistake first, answered next to its field), is offered a pick of cases stratified by case type, changes one
auditor and confirms it; the round's page then lists the audits. The same at a phone's width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from teamops import dates
from tests.browser.conftest import ACCOUNTS, Tab, fill_date

pytestmark = pytest.mark.browser


def set_up_round(tab: Tab, theme: str) -> None:
    """QAIT opens the form from the rounds page, first without a theme, then complete."""
    tab.goto("/quality/audits/rounds")
    tab.follow(tab.page.get_by_role("link", name="Set up a round").click)
    tab.page.get_by_label("Children's Social Care").check()
    fill_date(tab.page, "Audits due by", dates.today() + timedelta(days=30))
    tab.page.get_by_label("Questions").fill("Is management oversight recorded?\nIs the plan reviewed on time?")
    fill_date(tab.page, "Briefing before the round (optional)", dates.today() + timedelta(days=2))
    tab.page.get_by_label("Time of the briefing before (optional)").fill("10:00")
    tab.page.get_by_label("Where the briefings are (optional)").fill("Riverside House, room 4")
    tab.follow(tab.page.get_by_role("button", name="Save round").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Enter the round's theme")
    expect(tab.page.get_by_label("Questions")).to_have_value(
        "Is management oversight recorded?\nIs the plan reviewed on time?")  # what was typed is kept
    tab.page.get_by_label("Theme").fill(theme)
    tab.follow(tab.page.get_by_role("button", name="Save round").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("saved")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(theme)
    expect(tab.page.locator("main")).to_contain_text("Riverside House, room 4")


def test_qait_sets_up_a_round_and_confirms_the_offered_pick(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["qait"])
    set_up_round(tab, "Management oversight of plans")
    tab.page.get_by_label("Number of cases").fill("4")
    tab.follow(tab.page.get_by_role("button", name="Offer a pick").click)
    table = tab.page.get_by_role("table", name="The cases offered, with their auditors")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(4)
    first = rows.first.get_by_role("combobox")
    choices = first.locator("option").all_inner_texts()
    offered = first.locator("option:checked").inner_text()
    other = next(choice for choice in choices[1:] if choice != offered)
    first.select_option(label=other)  # QAIT changes one auditor
    refs = [row.get_by_role("rowheader").inner_text().strip() for row in rows.all()]  # references, never names
    left_out = _confirm(tab)
    audits = tab.page.get_by_role("table", name="Cases audited in this round")
    for ref in refs:
        if ref != left_out:
            expect(audits).to_contain_text(ref)


def _confirm(tab: Tab) -> str | None:
    """Confirms the pick: given out (303 to the round), or sent back (400) when the changed auditor may not
    audit that case (their own team's, or their own report's): then that row says why, and it is left out."""
    button = tab.page.get_by_role("button", name="Confirm and give out these cases")
    with tab.page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None
    if response.status == 400:
        tab.audited(400)
        expect(tab.page.locator(".govuk-error-summary")).to_be_visible()
        problem = tab.page.locator("tbody tr").filter(has=tab.page.locator(".govuk-error-message")).first
        left_out: str | None = problem.get_by_role("rowheader").inner_text().strip().splitlines()[0]
        problem.get_by_role("combobox").select_option(label="Leave this case out")
        tab.follow(tab.page.get_by_role("button", name="Confirm and give out these cases").click)
    else:
        tab.audited(response.status)
        left_out = None
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("given to auditors")
    return left_out


def test_the_rounds_and_a_round_fit_a_phone(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.sign_in(ACCOUNTS["qait"])
    set_up_round(tab, "Voice of the child")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390
    tab.follow(tab.page.get_by_role("button", name="Offer a pick").click)
    expect(tab.page.get_by_role("table", name="The cases offered, with their auditors")).to_be_visible()
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390  # the wide table scrolls in its frame
    tab.follow(tab.page.get_by_role("button", name="Confirm and give out these cases").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("given to auditors")
    tab.goto("/quality/audits/rounds")
    expect(tab.page.get_by_role("table", name="Audit rounds, newest first")).to_contain_text("Voice of the child")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_round_and_its_pick_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["qait"])
    set_up_round(tab, "Supervision and reflective practice")
    tab.page.get_by_label("Number of cases").fill("2")
    tab.follow(tab.page.get_by_role("button", name="Offer a pick").click)
    expect(tab.page.get_by_role("table", name="The cases offered, with their auditors").locator("tbody tr")) \
        .to_have_count(2)
    tab.follow(tab.page.get_by_role("button", name="Confirm and give out these cases").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("2 cases given to auditors")

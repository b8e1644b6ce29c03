"""Forms in a real browser: adding a team, the error summary on the staff form, and signing out."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, Tab, fill_date

pytestmark = pytest.mark.browser


def test_admin_adds_a_team_through_the_form(tab: Tab) -> None:
    name = f"Browser Test Team {secrets.token_hex(3)}"
    tab.sign_in(ACCOUNTS["admin"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Teams").click)
    tab.follow(tab.page.get_by_role("link", name="Add a team").click)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Add a team")

    tab.page.get_by_label("Service").select_option(label="Youth Justice")
    tab.page.get_by_label("Team name").fill(name)
    tab.page.get_by_label("Office base").fill("Castle Yard")
    tab.page.get_by_label("Team manager's work e-mail").fill("servicemanager@example.org")
    tab.follow(tab.page.get_by_role("button", name="Save").click)

    assert re.search(r"/admin/teams/\d+$", tab.page.url), tab.page.url
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(name)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text(f"Team “{name}” saved.")
    expect(tab.page.locator(".govuk-summary-list")).to_contain_text("Castle Yard")
    expect(tab.page.locator(".govuk-summary-list")).to_contain_text("servicemanager@example.org")

    # The new team is in the list, found by the live search.
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Teams").click)
    tab.page.get_by_role("searchbox", name="Search").fill(name)
    expect(tab.page.locator(".teamops-results > p")).to_have_text("1 team found.")
    expect(tab.page.locator(".teamops-results table")).to_contain_text("Youth Justice")
    tab.audited()


def test_bad_input_on_the_staff_form_shows_the_error_summary_and_field_errors(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["admin"])
    tab.goto("/admin/staff/new")
    form = tab.page.locator("main form")
    form.get_by_label("Full name").fill("")
    form.get_by_label("Work e-mail address").fill("not-an-email")
    form.get_by_label("Job role").fill("Social worker")
    fill_date(form, "Start date", date(2026, 3, 2))
    tab.follow(tab.page.get_by_role("button", name="Save").click, status=400)

    assert tab.page.url == tab.url("/admin/staff/new")
    assert tab.page.title().startswith("Error: "), tab.page.title()
    summary = tab.page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()

    email_error = "Enter an e-mail address like name@example.org"
    expect(summary.get_by_role("link", name=email_error)).to_have_attribute("href", "#email")
    expect(summary.get_by_role("link", name="Enter the person's name")).to_have_attribute("href", "#name")
    expect(summary.get_by_role("link", name="Select a team")).to_have_attribute("href", "#team_id")

    email = tab.page.locator("#email")
    expect(tab.page.locator("#email-error")).to_have_text(f"Error: {email_error}")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(email).to_have_value("not-an-email")
    expect(form.get_by_label("Job role")).to_have_value("Social worker")
    expect(tab.page.locator("#job_role-error")).to_have_count(0)

    # Each summary link takes the keyboard to its field.
    summary.get_by_role("link", name=email_error).click()
    expect(email).to_be_focused()
    tab.audited(status=400)


def test_after_signing_out_back_does_not_show_the_signed_in_page(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    response = tab.goto("/admin/staff")
    assert "no-store" in (response.headers.get("cache-control") or "")
    expect(tab.page.locator(".teamops-results table")).to_contain_text("Wren Taylor")

    tab.follow(tab.page.get_by_role("button", name="Sign out").click)
    assert tab.page.url == tab.url("/sign-in")
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")

    back = tab.page.go_back(wait_until="load")
    assert back is not None, "back showed a stored copy of the signed-in page instead of asking the server"
    tab.audited()
    assert tab.page.url.startswith(tab.url("/sign-in?next=")), tab.page.url
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Sign in to TeamOps")
    expect(tab.page.locator("body")).not_to_contain_text("Wren Taylor")
    expect(tab.page.locator("body")).not_to_contain_text("Signed in as")

"""Booking and the actions page in a real browser, with htmx and without JavaScript, audited by axe-core
on every page load and swap."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from teamops.records.models import SupervisionAction
from tests.bookings.conftest import in_days
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab, fill_date

pytestmark = pytest.mark.browser
PICKER = ".teamops-case-picker"


def settled(tab: Tab) -> None:
    """Waits until htmx has swapped and processed the picker: a change made before that would be missed."""
    tab.page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def fill_session(tab: Tab, day: str, start: str) -> None:
    settled(tab)
    with tab.page.expect_response(lambda response: "/bookings/case-picker" in response.url):
        fill_date(tab.page, "Date", date.fromisoformat(day))
    settled(tab)
    tab.page.get_by_label("Start time", exact=True).fill(start)
    tab.page.get_by_label("Length in minutes", exact=True).fill("60")
    tab.page.get_by_label("Place", exact=True).fill("Riverside House, room 2")


def test_manager_books_with_the_htmx_case_picker_and_confirms_a_clash(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Bookings").click)
    tab.follow(tab.page.get_by_role("link", name="Book a session").click)
    loads = tab.loads

    # Changing the kind fetches the picker too (with no worker yet): let that swap land first.
    with tab.page.expect_response(lambda response: "/bookings/case-picker" in response.url):
        tab.page.get_by_role("radio", name="Group supervision").check()
    settled(tab)
    with tab.page.expect_response(lambda response: "/bookings/case-picker" in response.url):
        tab.page.get_by_role("radio", name="Case supervision").check()
    settled(tab)
    with tab.page.expect_response(lambda response: "/bookings/case-picker" in response.url
                                  and "worker_id=0" not in response.url):
        tab.page.get_by_label("Worker", exact=True).select_option(label="Wren Taylor")
    expect(tab.page.locator(f"{PICKER} input[name=case_ids]")).to_have_count(5)
    tab.audited()
    fill_session(tab, in_days(5).isoformat(), "10:00")
    picker = tab.page.locator(PICKER)
    for due_by_then in ("4300001", "4300002", "4300004", "4300005"):
        expect(picker.get_by_role("checkbox", name=re.compile(due_by_then))).to_be_checked()
    expect(picker.get_by_role("checkbox", name=re.compile("4300003"))).not_to_be_checked()
    tab.audited()
    assert tab.loads == loads, "the picker reloaded the page"

    tab.follow(tab.page.get_by_role("button", name="Book the session").click)
    assert re.search(r"/bookings/\d+$", tab.page.url), tab.page.url
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("Session with Wren Taylor booked")

    # The same time again: a warning, then "Book anyway".
    tab.goto("/bookings/new")
    with tab.page.expect_response(lambda response: "/bookings/case-picker" in response.url):
        tab.page.get_by_label("Worker", exact=True).select_option(label="Wren Taylor")
    settled(tab)
    fill_session(tab, in_days(5).isoformat(), "10:30")
    tab.follow(tab.page.get_by_role("button", name="Book the session").click, status=409)
    expect(tab.page.locator(".govuk-warning-text")).to_contain_text("overlaps")
    tab.follow(tab.page.get_by_role("button", name="Book anyway").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("booked")


def test_booking_without_javascript_uses_the_show_cases_button(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/bookings/new")
    tab.page.get_by_role("radio", name="Case supervision").check()
    tab.page.get_by_label("Worker", exact=True).select_option(label="Wren Taylor")
    fill_date(tab.page, "Date", in_days(12))
    tab.follow(tab.page.get_by_role("button", name=re.compile("Show the worker")).click)
    expect(tab.page.locator(f"{PICKER} input[name=case_ids]")).to_have_count(5)
    expect(tab.page.get_by_role("checkbox", name=re.compile("4300001"))).to_be_checked()
    tab.page.get_by_label("Start time", exact=True).fill("15:00")
    tab.page.get_by_label("Length in minutes", exact=True).fill("45")
    tab.page.get_by_label("Online (video call)").check()
    tab.follow(tab.page.get_by_role("button", name="Book the session").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("booked")
    tab.follow(tab.page.get_by_role("link", name="All bookings").click)
    tab.page.get_by_label("Show").select_option("cancelled")
    tab.follow(tab.page.get_by_role("button", name="Show").click)
    assert tab.page.url.endswith("/bookings?show=cancelled")


def test_worker_marks_an_action_done_in_place(tab: Tab, live_server: LiveServer) -> None:
    app = live_server.server.app
    with app.app_context():
        from sqlalchemy import select

        from teamops.extensions import db
        from teamops.org.models import Staff
        from tests import factories

        worker = db.session.scalar(select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        manager = db.session.scalar(select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
        record = factories.record("personal", in_days(-3), worker, manager)
        db.session.add(SupervisionAction(record=record, owner=worker, description="Browser overdue action",
                                         due_on=in_days(-1)))
        db.session.commit()
        db.session.remove()
    tab.sign_in(ACCOUNTS["worker"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="My actions").click)
    row = tab.page.locator("tr", has_text="Browser overdue action")
    expect(row.locator(".govuk-tag")).to_have_text("Overdue")
    loads = tab.loads
    row.get_by_role("button", name=re.compile("Mark done")).click()
    expect(tab.page.locator("tr", has_text="Browser overdue action").locator(".govuk-tag")).to_contain_text("Done")
    tab.audited()
    assert tab.loads == loads
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="My sessions").click)


def test_a_change_made_while_the_picker_reloads_is_not_lost(tab: Tab) -> None:
    """Issue 10 item 10: the listener is a wrapper that is never swapped, so choosing the worker straight after
    the kind (before the first reload has landed) still shows that worker's cases."""
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto("/bookings/new")
    tab.page.get_by_role("radio", name="Group supervision").check()
    tab.page.get_by_label("Worker", exact=True).select_option(label="Wren Taylor")  # no waiting in between
    settled(tab)
    expect(tab.page.locator(PICKER)).to_contain_text("open cases and those of the attendees")

"""Notifications, reminder settings and the calendar feed in a real browser (issue 15 items 3, 4, 6): reached
from the header, the unread count fetched by htmx, settings saved, a feed made and read by a calendar program.
axe runs on each page (the Tab fixtures)."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.reminders import inbox
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser


@pytest.fixture
def three_unread(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        worker = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        inbox.mark_all_read(worker.id, utcnow())
        for n in range(3):
            inbox.add(worker, f"Browser reminder {n}", "/bookings/mine")
        db.session.commit()


def test_the_header_counts_unread_and_opening_one_goes_to_its_page(tab: Tab, three_unread: None) -> None:
    tab.sign_in(ACCOUNTS["worker"])
    expect(tab.page.locator(".teamops-count-slot")).to_contain_text("3")  # fetched by htmx after the page
    tab.follow(tab.page.get_by_role("link", name="Notifications").click)
    expect(tab.page.locator("h1")).to_have_text("Notifications")
    tab.follow(tab.page.get_by_role("button", name="Browser reminder 2").click)
    assert tab.page.url.endswith("/bookings/mine")
    expect(tab.page.locator(".teamops-count-slot")).to_contain_text("2")
    tab.goto("/notifications")
    tab.follow(tab.page.get_by_role("button", name="Mark all as read").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("marked as read")


def test_reminder_settings_are_saved(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto("/notifications/settings")
    tab.page.get_by_label("Case audits").uncheck()
    tab.page.get_by_label("Once a week, on Monday").check()
    tab.follow(tab.page.get_by_role("button", name="Save settings").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("saved")
    expect(tab.page.get_by_label("Case audits")).not_to_be_checked()
    expect(tab.page.get_by_label("Once a week, on Monday")).to_be_checked()


def test_a_feed_is_made_shown_once_and_read_by_a_calendar(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["newstarter"])
    tab.follow(tab.page.get_by_role("link", name="Calendar feed").click)
    tab.follow(tab.page.get_by_role("button", name=re.compile("Make my feed|Make a new address")).click)
    address = tab.page.locator("#feed-address").inner_text()
    answer = tab.page.request.get(address.replace("http://127.0.0.1:5000", tab.url("")))
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.body()).walk("VEVENT")
    assert any(str(event["summary"]).startswith("Induction day") for event in events)  # the starter's timetable
    tab.goto("/calendar")
    expect(tab.page.locator("#feed-address")).to_have_count(0)  # never shown again


def test_a_network_chosen_on_its_page_is_listed_on_the_feed_page_and_taken_out(tab: Tab) -> None:
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto("/directory/networks")
    tab.follow(tab.page.get_by_role("link", name="Diversity advocates").click)
    tab.follow(tab.page.get_by_role("button", name="Add them to my calendar feed").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("now in your calendar feed")
    expect(tab.page.get_by_role("button", name="Take them out of my calendar feed")).to_be_visible()
    tab.follow(tab.page.get_by_role("link", name="your calendar feed").first.click)
    tab.follow(tab.page.get_by_role("button", name="Take Diversity advocates out").click)
    expect(tab.page.locator("h1")).to_have_text("Your calendar feed")
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text("no longer in your calendar feed")
    expect(tab.page.get_by_role("button", name="Take Diversity advocates out")).to_have_count(0)

"""Issue 10 item 13 in a real browser: "Mark done" swaps the row to offer "Undo", and the list's count follows
both presses without a page load."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser


def test_mark_done_and_undo_keep_the_count_in_step(tab: Tab, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        manager = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
        worker = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        factories.action(worker, manager, today() + timedelta(days=30), "Read the new court guidance",
                         held_on=today() - timedelta(days=3))
    tab.sign_in(ACCOUNTS["worker"])
    tab.goto("/actions")
    page = tab.page
    count = page.locator("#actions-count")
    before = int(count.inner_text().split()[0])
    row = page.get_by_role("row").filter(has_text="Read the new court guidance")
    loads = tab.loads
    row.get_by_role("button", name="Mark done").click()
    expect(row.get_by_role("button", name="Undo")).to_be_visible()
    expect(row).to_contain_text("Done")
    expect(count).to_have_text(re.compile(rf"^{before - 1} open actions?\b"))
    tab.audited()
    row.get_by_role("button", name="Undo").click()
    expect(row.get_by_role("button", name="Mark done")).to_be_visible()
    expect(count).to_have_text(re.compile(rf"^{before} open actions?\b"))
    tab.audited()
    assert tab.loads == loads, "marking done reloaded the page"

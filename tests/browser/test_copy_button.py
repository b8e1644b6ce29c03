"""The copy for the case file (issue 10 item 13): one press copies the text; without JavaScript the button is
not shown and the text is there to select. axe runs on each page (the Tab fixtures)."""

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


@pytest.fixture
def record_id(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        manager = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
        worker = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        record = factories.record("personal", today() - timedelta(days=1), worker, manager, status="signed_off",
                                  wellbeing="Copy me into the case file")
        return record.id


def test_the_copy_button_copies_the_text(tab: Tab, record_id: int) -> None:
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.goto(f"/records/{record_id}/copy")
    button = tab.page.get_by_role("button", name="Copy the text")
    expect(button).to_be_visible()
    button.click()
    expect(tab.page.get_by_role("status")).to_have_text("Copied. Paste it into the case-recording system.")
    assert "Copy me into the case file" in tab.page.evaluate("navigator.clipboard.readText()")


def test_without_javascript_the_text_is_there_to_select(tab_without_js: Tab, record_id: int) -> None:
    tab_without_js.sign_in(ACCOUNTS["team_manager"])
    tab_without_js.goto(f"/records/{record_id}/copy")
    expect(tab_without_js.page.get_by_role("button", name="Copy the text")).to_be_hidden()
    expect(tab_without_js.page.get_by_label("Record text (version 1)")).to_have_value(
        re.compile("Copy me into the case file"))

"""The worker's voice on their own record in a real browser (issue 9 item 13, R-SUP-7): the acknowledgement form
with its error summary and character count, with JavaScript and without; the manager finds the disagreement in
the escalations queue and resolves it. axe-core and the CSP console check run on every page (the Tab fixture)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from teamops import dates
from teamops.auth.passwords import hash_password
from teamops.demo import DEMO_PASSWORD
from teamops.extensions import db
from teamops.org.models import Staff
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab

pytestmark = pytest.mark.browser
REASON = "The plan says weekly visits; we agreed fortnightly while the family moves house."


@pytest.fixture
def signed_off_record(live_server: LiveServer) -> Callable[[], tuple[str, str]]:
    """``make()``: a new worker of the demo manager's team (apart from the demo people other browser tests look
    at) with a signed-off case supervision record waiting for them; gives their e-mail and the record's path."""

    def make() -> tuple[str, str]:
        email = f"voice.{secrets.token_hex(3)}@example.org"
        with live_server.app.app_context():
            manager = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
            worker = factories.staff("worker", manager.team, email=email, name=f"Val {email[6:12]}",
                                     line_manager=manager, password=False)
            worker.password_hash = hash_password(DEMO_PASSWORD)
            db.session.commit()
            case = factories.case(None, "CIN", False, worker, dates.today() - timedelta(days=60))
            record = factories.record("case", dates.today() - timedelta(days=2), worker, manager, [case],
                                      status="signed_off", signed_off_at=dates.utcnow())
            path = f"/records/{record.id}"
            db.session.remove()
        return email, path

    return make


def test_a_worker_disagrees_and_the_manager_resolves_it(tab: Tab, browser: Browser, live_server: LiveServer,
                                                        signed_off_record: Callable[[], tuple[str, str]]) -> None:
    email, path = signed_off_record()
    tab.sign_in(email)
    tab.goto(path)
    form = tab.page.locator("form#acknowledge")
    form.get_by_label("I disagree with what was written").check()
    tab.follow(form.get_by_role("button", name="I have read this record").click, status=400)
    assert tab.page.title().startswith("Error: "), tab.page.title()
    summary = tab.page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Say what you disagree with and why")
    expect(form.get_by_label("I disagree with what was written")).to_be_checked()  # kept as chosen
    comment = form.get_by_label("Comment")
    comment.fill(REASON)
    expect(form.locator(".govuk-character-count__status")).to_contain_text(
        f"You have {2000 - len(REASON):,} characters remaining")
    tab.follow(form.get_by_role("button", name="I have read this record").click)
    expect(tab.page.locator(".govuk-notification-banner--success")).to_contain_text("recorded that you disagree")
    expect(tab.page.locator("#response + .govuk-summary-list")).to_contain_text(REASON)

    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    manager = Tab(context.new_page(), live_server.url, tab.axe_source)
    try:
        manager.sign_in(ACCOUNTS["team_manager"])
        manager.follow(manager.page.locator('nav[aria-label="Main menu"]').get_by_role("link",
                                                                                      name="Escalations").click)
        queue = manager.page.locator("table", has_text="Workers' disagreements")
        expect(queue).to_contain_text(REASON)
        manager.follow(queue.locator("tr", has_text=REASON).get_by_role("link").click)
        manager.page.get_by_label("Resolution").fill("Agreed: fortnightly until the move; the plan is corrected.")
        manager.follow(manager.page.get_by_role("button", name="Record the resolution").click)
        assert manager.page.url == manager.url(path), manager.page.url
        expect(manager.page.locator("main")).to_contain_text("Resolved by")
        manager.finish()
    finally:
        context.close()


def test_without_javascript_the_worker_agrees_with_a_comment(tab_without_js: Tab,
                                                             signed_off_record: Callable[[], tuple[str, str]]) -> None:
    tab = tab_without_js
    email, path = signed_off_record()
    tab.sign_in(email)
    tab.goto(path)
    form = tab.page.locator("form#acknowledge")
    form.get_by_label("Comment").fill("Thanks, a helpful session.")
    tab.follow(form.get_by_role("button", name="I have read this record").click, status=400)
    expect(tab.page.locator(".govuk-error-summary")).to_contain_text("Select whether you agree with the record")
    expect(form.get_by_label("Comment")).to_have_value("Thanks, a helpful session.")
    form.get_by_label("I agree with the record").check()
    tab.follow(form.get_by_role("button", name="I have read this record").click)
    expect(tab.page.locator("main")).to_contain_text("Agrees with the record")
    expect(tab.page.locator("main")).to_contain_text("Thanks, a helpful session.")

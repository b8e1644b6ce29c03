"""Issue 11's browser journey, with axe-core on every page (the Tab fixture): a manager opens an induction for a
new colleague and picks a buddy; the buddy logs a check-in with a concern; the manager sees it on their home page
and marks it seen; the starter reads it on their induction page and ticks an item of their checklist."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, expect

from teamops import dates
from teamops.auth.passwords import hash_password
from teamops.demo import DEMO_PASSWORD
from teamops.extensions import db
from teamops.org.models import Staff
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab, fill_date

pytestmark = pytest.mark.browser
CONCERN = "No laptop yet, so the case-system e-learning is waiting."


@pytest.fixture
def newcomer(live_server: LiveServer) -> Callable[[], tuple[str, str]]:
    """``make()``: a new colleague in the demo manager's team with no induction yet (added straight to the
    database, not by the staff form, which would open one); gives their e-mail and name."""

    def make() -> tuple[str, str]:
        suffix = secrets.token_hex(3)
        email, name = f"starter.{suffix}@example.org", f"Bailey {suffix}"
        with live_server.app.app_context():
            manager = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["team_manager"]))
            person = factories.staff("worker", manager.team, email=email, name=name, line_manager=manager,
                                     start_date=dates.today(), password=False)
            person.password_hash = hash_password(DEMO_PASSWORD)
            db.session.commit()
            db.session.remove()
        return email, name

    return make


@contextmanager
def another(browser: Browser, live_server: LiveServer, tab: Tab, email: str) -> Iterator[Tab]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    other = Tab(context.new_page(), live_server.url, tab.axe_source)
    try:
        other.sign_in(email)
        yield other
        other.finish()
    finally:
        context.close()


def test_an_induction_from_opening_to_a_buddys_concern(tab: Tab, browser: Browser, live_server: LiveServer,
                                                      newcomer: Callable[[], tuple[str, str]]) -> None:
    email, name = newcomer()
    tab.sign_in(ACCOUNTS["team_manager"])
    tab.follow(tab.page.locator('nav[aria-label="Main menu"]').get_by_role("link", name="Inductions").click)
    tab.follow(tab.page.get_by_role("link", name="Open an induction").click)
    form = tab.page.locator("main form")
    form.get_by_label("Who is starting").select_option(label=f"{name}, Family Safeguarding North")
    form.get_by_label("Timetable").select_option(label="Permanent staff: 2 weeks (10 working days)")
    fill_date(form, "Start date", dates.today())
    form.get_by_label("Front-line").check()
    tab.follow(form.get_by_role("button", name="Open the induction").click)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text(f"{name}'s induction")
    induction_path = tab.page.url.removeprefix(live_server.url)

    tab.follow(tab.page.get_by_role("link", name="Choose a buddy").click)
    expect(tab.page.locator("main form .govuk-radios__hint").first).to_contain_text("service")
    tab.page.get_by_role("radio", name="Someone else").check()
    tab.page.get_by_label("Work e-mail of someone else").fill(ACCOUNTS["worker"])
    tab.follow(tab.page.get_by_role("button", name="Save the buddy").click)
    expect(tab.page.locator(".govuk-notification-banner")).to_contain_text(f"is {name}'s buddy from today")

    with another(browser, live_server, tab, ACCOUNTS["worker"]) as buddy:
        section = buddy.page.locator("main")
        expect(section).to_contain_text("New starters you buddy")
        buddy.follow(section.get_by_role("link", name=name).click)
        buddy.follow(buddy.page.get_by_role("link", name="Log a check-in").click)
        form = buddy.page.locator("main form")
        fill_date(form, "Date of the check-in", dates.today())
        form.get_by_label("In person").check()
        form.get_by_label("Some worries").check()
        form.get_by_label("Notes").fill("A good first morning; met the team.")
        form.get_by_label("Raise a concern with the manager").check()
        form.get_by_label("The concern").fill(CONCERN)
        buddy.follow(form.get_by_role("button", name="Log the check-in").click)
        expect(buddy.page.locator(".govuk-notification-banner")).to_contain_text("the concern is with the manager")

    tab.goto("/")
    concerns = tab.page.locator("main ul", has=tab.page.get_by_role("link", name=name))
    expect(tab.page.get_by_role("heading", name="Concerns from buddies")).to_be_visible()
    tab.follow(concerns.get_by_role("link", name=name).click)
    expect(tab.page.locator(".govuk-inset-text")).to_have_text(CONCERN)
    tab.page.get_by_label("Your response (optional)").fill("Laptop ordered; use the hot desk meanwhile.")
    tab.follow(tab.page.get_by_role("button", name="Mark the concern as seen").click)
    assert tab.page.url.endswith(f"{induction_path}#check-ins"), tab.page.url

    with another(browser, live_server, tab, email) as starter:
        starter.follow(starter.page.get_by_role("link", name="See your induction").click)
        expect(starter.page.locator("#check-ins ~ .govuk-summary-card").first).to_contain_text(CONCERN)
        expect(starter.page.locator("main")).to_contain_text("Laptop ordered")
        row = starter.page.get_by_role("row").filter(has_text="Met the team, in person or virtually")
        row.get_by_role("button", name=re.compile(r"^Mark done")).click()
        expect(row).to_contain_text("Done on time")
        starter.audited()

    tab.goto("/inductions")  # the manager's list: the buddy, and no concern waiting now
    listed = tab.page.get_by_role("row").filter(has_text=name)
    expect(listed).to_contain_text("Wren Taylor")
    expect(listed).not_to_contain_text("concern")

"""Browser fixtures: one live TeamOps server on a seeded SQLite file and one Chromium per session, a fresh
browser context per test, and a page wrapper that audits every page load with axe-core and fails on any
console error (a CSP violation, a failed asset, an uncaught exception)."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from teamops import ROOT
from teamops.demo import DEMO_PASSWORD, seed_demo
from teamops.extensions import db
from tests.conftest import make_app
from tests.databases import missing

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_RUN = ("async (tags) => { const r = await axe.run(document,"
           " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});"
           " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
           " nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))})); }")
# What Chromium logs for a document or htmx answer with an error status the test asked for on purpose.
STATUS_MESSAGE = re.compile(r"Failed to load resource: the server responded with a status of (\d{3})")
TIMEOUT_MS = 10_000
# Chromium asks every new page for /favicon.ico; TeamOps has no icon of its own, so that 404 is expected.
IGNORED_URL_ENDINGS = ("/favicon.ico",)

# The seven demo accounts of CONTRACT.md ``seed-demo``, by role.
ACCOUNTS = {
    "admin": "admin@example.org",
    "qait": "qait@example.org",
    "head_of_service": "headofservice@example.org",
    "service_manager": "servicemanager@example.org",
    "team_manager": "manager@example.org",
    "worker": "worker@example.org",
    "newstarter": "newstarter@example.org",
}


@dataclass
class LiveServer:
    url: str
    server: BaseWSGIServer
    thread: threading.Thread
    app: Flask


def _start_server(directory: Path) -> LiveServer:
    """The real app with the demo organisation, served over HTTP from a thread."""
    app = make_app(f"sqlite:///{directory / 'teamops.sqlite'}")
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="teamops-live-server", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{server.server_port}", server, thread, app)


@dataclass
class _Shared:
    """One server, one Playwright driver, one Chromium and one auditor page for the whole run.

    Other test folders import these fixtures into their own conftest.py, and pytest then keeps one
    session fixture per folder; keeping the objects here makes every folder share them (a second sync
    Playwright driver in the same thread would refuse to start). Closed once, when pytest finishes."""

    server: LiveServer | None = None
    playwright: Playwright | None = None
    browser: Browser | None = None
    auditor: Page | None = None

    def close(self) -> None:
        if self.auditor is not None:
            with contextlib.suppress(Error):
                self.auditor.context.close()
        if self.browser is not None:
            with contextlib.suppress(Error):
                self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        if self.server is not None:
            self.server.server.shutdown()
            self.server.server.server_close()
            self.server.thread.join(timeout=10)
            with self.server.app.app_context():
                db.engine.dispose()


_SHARED = pytest.StashKey[_Shared]()


def _shared(config: pytest.Config) -> _Shared:
    if _SHARED not in config.stash:
        config.stash[_SHARED] = _Shared()
        config.add_cleanup(config.stash[_SHARED].close)
    return config.stash[_SHARED]


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    shared = _shared(request.config)
    if shared.server is None:
        shared.server = _start_server(tmp_path_factory.mktemp("browser"))
    return shared.server


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        missing(f"axe-core is not installed at {AXE} (run `npm ci`)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def playwright_driver(request: pytest.FixtureRequest) -> Playwright:
    shared = _shared(request.config)
    if shared.playwright is None:
        shared.playwright = sync_playwright().start()
    return shared.playwright


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest, playwright_driver: Playwright) -> Browser:
    if not CHROMIUM.exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    shared = _shared(request.config)
    if shared.browser is None:
        shared.browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                           args=CHROMIUM_ARGS)
    return shared.browser


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def fill_date(scope: Page | Locator, legend: str, day: date) -> None:
    """Types a date into the GOV.UK date input whose legend is ``legend``: day, month and year boxes."""
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@dataclass
class Tab:
    """A page plus the checks every test makes after every page load and every htmx swap.

    ``goto``/``follow`` navigate and audit; after anything else that loads a page, call ``audited()``.
    The fixture fails a test that left a page load unaudited.
    """

    page: Page
    base_url: str
    axe_source: str
    javascript: bool = True
    auditor: Page | None = None
    console_errors: list[str] = field(default_factory=list)
    loads: int = 0
    audited_loads: int = 0
    audits: int = 0

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught exception: {error}"))
        self.page.on("load", self._on_load)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith(IGNORED_URL_ENDINGS):
            self.console_errors.append(message.text)

    def _on_load(self, _page: Page) -> None:
        self.loads += 1

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, status: int = 200) -> Response:
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        self.audited(status)
        return response

    def audited(self, status: int = 200) -> None:
        """Checks the page as it is now: no console errors (CSP or otherwise), no axe-core violations."""
        self.page.wait_for_load_state("load")
        self.check_console(status)
        if self.javascript:
            self.run_axe()
        else:
            self.run_axe_on_copy()
        self.audited_loads = self.loads
        self.audits += 1

    def check_console(self, status: int = 200) -> None:
        errors = []
        for text in self.console_errors:
            expected = STATUS_MESSAGE.search(text)
            if expected and status != 200 and int(expected.group(1)) == status:
                continue
            errors.append(text)
        self.console_errors.clear()
        assert not errors, f"console errors on {self.page.url}:\n" + "\n".join(errors)

    def run_axe(self) -> None:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.axe_source)
        violations = self.page.evaluate(AXE_RUN, WCAG_TAGS)
        assert not violations, describe_violations(self.page.url, violations)

    def run_axe_on_copy(self) -> None:
        """axe-core cannot finish in a page whose scripts are off (its timers never fire), so audit the same
        markup in the session's scripted auditor page, which serves no page scripts: the copy looks exactly
        like the page without JavaScript. (A <noscript> block would be plain text in the copy; TeamOps
        has none: without JavaScript every page is simply its server-rendered HTML.)"""
        assert self.auditor is not None, "a tab without JavaScript needs the auditor page"
        self.auditor.set_content(self.page.content(), wait_until="load")
        if not self.auditor.evaluate("() => typeof window.axe === 'object'"):
            self.auditor.evaluate(self.axe_source)
        violations = self.auditor.evaluate(AXE_RUN, WCAG_TAGS)
        assert not violations, describe_violations(f"{self.page.url} (without JavaScript)", violations)

    def follow(self, action: Callable[[], None], status: int = 200) -> None:
        """Does something that loads a new page (a click, a form submit), waits for the page, audits it."""
        with self.page.expect_navigation(wait_until="load") as navigation:
            action()
        response = navigation.value
        assert response is not None
        assert response.status == status, f"{response.url} answered {response.status}, expected {status}"
        self.audited(status)

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/sign-in")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.follow(lambda: self.page.get_by_role("button", name="Sign in").click())
        assert self.page.url == self.url("/"), f"sign-in as {email} ended on {self.page.url}"

    def finish(self) -> None:
        if self.loads > self.audited_loads:
            pytest.fail(f"a page load on {self.page.url} was not audited (call tab.audited() after it)",
                        pytrace=False)
        self.check_console()


@pytest.fixture(scope="session")
def auditor(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer) -> Page:
    """A scripted page on the app's origin that loads the app's styles but none of its scripts."""
    shared = _shared(request.config)
    if shared.auditor is None:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        blank = live_server.url + "/__axe__"
        page.route(lambda url: url == blank,
                   lambda route: route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html>"))
        page.route("**/*.js", lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
        page.goto(blank)
        shared.auditor = page
    return shared.auditor


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keeps each phase's report on the test, so a tab's final checks can stay quiet after a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test itself failed (known only where the report hook above is active)."""
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


def _new_tab(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, axe_source: str,
             javascript: bool, auditor: Page | None = None, locale: str = "en-GB",
             timezone_id: str = "Europe/London") -> Iterator[Tab]:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript,
                                  locale=locale, timezone_id=timezone_id)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, live_server.url, axe_source, javascript=javascript, auditor=auditor)
    try:
        yield tab
        if not _failed(request):
            tab.finish()
    finally:
        with contextlib.suppress(Error):
            context.close()


@pytest.fixture
def tab(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, axe_source: str) -> Iterator[Tab]:
    yield from _new_tab(request, browser, live_server, axe_source, javascript=True)


@pytest.fixture
def us_tab(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, axe_source: str) -> Iterator[Tab]:
    """A browser set to US English in New York: native date pickers there read 03/12 as 12 March."""
    yield from _new_tab(request, browser, live_server, axe_source, javascript=True, locale="en-US",
                        timezone_id="America/New_York")


@pytest.fixture
def tab_without_js(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, axe_source: str,
                   auditor: Page) -> Iterator[Tab]:
    yield from _new_tab(request, browser, live_server, axe_source, javascript=False, auditor=auditor)

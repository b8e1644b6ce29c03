"""Single sign-on in a real browser (issue 16 item 1): Chromium follows "Sign in with your council account" to the
OpenID provider the tests run (tests/oidc.py), signs in there, comes back signed in to the page it asked for,
and signing out ends the council session at the provider too (the CSP's form-action lets the sign-out form's
redirect go there). axe-core and the console checks run on every TeamOps page; the provider's pages are not
TeamOps's and are not audited."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

from teamops.extensions import db
from tests.browser.conftest import Tab
from tests.conftest import make_app
from tests.oidc import Provider, running_provider

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sign_on_server(database_url: str, org: dict) -> Iterator[tuple[str, Provider]]:
    """TeamOps with single sign-on and passwords off, on this test's database (``org`` is in it)."""
    from werkzeug.serving import make_server

    with running_provider() as provider:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        app = make_app(database_url, base_url=url, local_passwords=False, **provider.settings())
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield url, provider
        finally:
            server.shutdown()
            server.server_close()
            thread.join(10)
            with app.app_context():
                db.engine.dispose()


def _context(browser: Browser, url: str) -> BrowserContext:
    """A browser context in which the provider's pages load their stylesheet from nowhere (this machine has no
    internet), so its failing request is not taken for one of TeamOps's console errors."""
    context = browser.new_context(base_url=url, locale="en-GB")
    context.route("https://cdn.jsdelivr.net/**", lambda route: route.fulfill(status=200, content_type="text/css",
                                                                             body=""))
    return context


def test_signing_in_and_out_with_the_council_account(browser: Browser, axe_source: str,
                                                     sign_on_server: tuple[str, Provider]) -> None:
    url, provider = sign_on_server
    provider.user("wren-oid", email="worker@example.org", email_verified=True, name="Wren Worker")
    context = _context(browser, url)
    try:
        tab = Tab(context.new_page(), url, axe_source)
        tab.goto("/sign-in?next=/account/tokens")
        page = tab.page
        assert page.get_by_label("Password").count() == 0  # passwords are off
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Sign in with your council account").click()
        assert page.url.startswith(provider.url + "/oauth2/authorize")
        page.locator('input[name="sub"]').fill("wren-oid")
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Authorize").click()
        assert page.url == url + "/account/tokens"
        tab.audited()
        assert "Signed in as Wren Worker" in page.content()

        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Sign out").click()
        assert page.url.startswith(provider.url + "/oauth2/end_session")  # the council's own sign-out page
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button").first.click()
        assert page.url.startswith(url + "/sign-in")
        tab.audited()
        assert "You have signed out" in page.content()
        tab.goto("/account/tokens")  # signed out: the gate sends the browser to the sign-in page
        assert page.url.startswith(url + "/sign-in")
        tab.finish()
    finally:
        context.close()


def test_an_unknown_person_is_told_plainly(browser: Browser, axe_source: str,
                                           sign_on_server: tuple[str, Provider]) -> None:
    url, provider = sign_on_server
    provider.user("stranger", email="stranger@example.org", email_verified=True)
    context = _context(browser, url)
    try:
        tab = Tab(context.new_page(), url, axe_source)
        tab.goto("/sign-in")
        page = tab.page
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Sign in with your council account").click()
        page.locator('input[name="sub"]').fill("stranger")
        with page.expect_navigation(wait_until="load") as navigation:
            page.get_by_role("button", name="Authorize").click()
        assert navigation.value is not None and navigation.value.status == 403
        tab.audited(403)
        summary = page.locator(".govuk-error-summary")
        assert "There is no TeamOps account for stranger@example.org" in summary.inner_text()
        tab.finish()
    finally:
        context.close()

"""The browser checks themselves: a page that breaks the CSP and WCAG must fail them, with and without
JavaScript, so a passing suite means something."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from tests.browser.conftest import Tab

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html>
<html><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="/static/dist/images/no-such-image.png">
<script>document.title = "inline script ran";</script></main></body></html>"""


def serve_broken_page(tab: Tab) -> str:
    url = tab.url("/__broken__")

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=BROKEN_PAGE,
                      headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"})

    tab.page.route(url, fulfil)
    tab.page.goto(url, wait_until="load")
    return url


def test_checks_catch_csp_violations_failed_requests_and_accessibility_failures(tab: Tab) -> None:
    serve_broken_page(tab)
    assert tab.page.title() == "Broken", "the inline script should have been blocked by the CSP"
    with pytest.raises(AssertionError, match=r"(?s)Content Security Policy.*status of 404"):
        tab.check_console()
    with pytest.raises(AssertionError, match=r"(?s)html-has-lang.*image-alt"):
        tab.run_axe()
    tab.audited_loads = tab.loads


def test_checks_catch_accessibility_failures_without_javascript(tab_without_js: Tab) -> None:
    serve_broken_page(tab_without_js)
    with pytest.raises(AssertionError, match=r"(?s)without JavaScript.*image-alt"):
        tab_without_js.run_axe_on_copy()
    with pytest.raises(AssertionError, match="status of 404"):
        tab_without_js.check_console()
    tab_without_js.audited_loads = tab_without_js.loads

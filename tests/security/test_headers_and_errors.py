from __future__ import annotations

import pytest

from teamops.extensions import db
from tests.conftest import PASSWORD, Client, make_app, sign_in


def test_security_headers_on_every_response(client, org):
    for path in ("/sign-in", "/nope", "/static/dist/app.css"):
        with client.get(path) as response:
            _check_headers(response)


def _check_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_vary_on_htmx_and_are_not_stored(client, org):
    sign_in(client, org["admin"])
    response = client.get("/admin/staff")
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"


def test_htmx_is_configured_for_the_csp(client):
    text = client.get("/sign-in").get_data(as_text=True)
    for setting in ('"allowEval": false', '"selfRequestsOnly": true', '"historyCacheSize": 0',
                    '"includeIndicatorStyles": false'):
        assert setting in text
    assert 'hx-headers=\'{"X-CSRFToken": "' in text
    assert "<script>" not in text and "style=" not in text


def test_htmx_library_is_served_from_the_app_and_pinned_to_2_0(client):
    with client.get("/static/dist/htmx.min.js") as response:
        assert response.status_code == 200
        assert b'version:"2.0.' in response.data


def test_stylesheet_uses_a_system_font_not_gds_transport(client):
    with client.get("/static/dist/app.css") as response:
        css = response.get_data(as_text=True)
    assert "GDS Transport" not in css
    assert "system-ui" in css


def test_404_is_a_full_page_and_an_htmx_fragment(client, org):
    sign_in(client, org["worker"])
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "<html" in page.get_data(as_text=True) and "Page not found" in page.get_data(as_text=True)
    fragment = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Page not found" in fragment.get_data(as_text=True)


def test_500_never_shows_a_traceback(app, client, org, monkeypatch):
    from teamops.org import services

    def broken(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "search_teams", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sign_in(client, org["admin"])
    response = client.get("/admin/teams")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Sorry, there is a problem with TeamOps" in text
    assert "secret internals" not in text and "Traceback" not in text


@pytest.mark.parametrize("path", ["/admin/staff/new", "/admin/teams/new", "/admin/services/new"])
def test_state_changes_need_a_csrf_token(as_role, path):
    admin = as_role("admin")
    response = admin.post(path, data={"name": "x"})
    assert response.status_code == 400


def test_htmx_requests_need_the_csrf_header(as_role, org):
    admin = as_role("admin")
    token = admin.csrf_token()
    url = f"/admin/staff/{org['worker'].id}/active?to=inactive"
    assert admin.post(url, headers={"HX-Request": "true"}).status_code == 400
    response = admin.post(url, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 303


def test_missing_secret_key_outside_development_is_refused(monkeypatch, tmp_path):
    from teamops.config import load_config

    monkeypatch.delenv("TEAMOPS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TEAMOPS_ENVIRONMENT", raising=False)
    with pytest.raises(RuntimeError, match="TEAMOPS_SECRET_KEY"):
        load_config(tmp_path)


def test_configuration_comes_from_the_environment(monkeypatch, tmp_path):
    from teamops.config import load_config

    monkeypatch.setenv("TEAMOPS_SECRET_KEY", "from-env")
    monkeypatch.setenv("TEAMOPS_DATABASE_URL", "sqlite:///elsewhere.sqlite")
    monkeypatch.setenv("TEAMOPS_BASE_URL", "https://teamops.example.org")
    config = load_config(tmp_path)
    assert (config.secret_key, config.database_url, config.base_url) == (
        "from-env", "sqlite:///elsewhere.sqlite", "https://teamops.example.org")
    assert config.flask_settings()["SESSION_COOKIE_SECURE"] is True


def test_sqlite_connection_settings(app):
    from sqlalchemy import text

    from teamops.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings only apply to SQLite")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2


def test_api_errors_are_json_even_before_a_route_matches(client, org):
    sign_in(client, org["qait"])
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Page not found"}


def test_405_names_the_allowed_methods_on_pages_and_the_api(as_role):
    """RFC 9110: a 405 carries ``Allow`` (issue 7 item 9), as a page, a fragment and JSON alike."""
    client = as_role("admin")
    for path in ("/admin/staff", "/api/v1/teams"):
        response = client.open(path, method="TRACE")
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}
    response = client.open("/admin/staff", method="PUT", headers={"HX-Request": "true"})
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


# Production defaults over HTTPS (issue 7 item 12) ---------------------------------------------------------

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture
def https_app(database_url):
    app = make_app(database_url, base_url="https://teamops.example.org")
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _https(app):
    """A browser on https://teamops.example.org: the scheme and host, and a same-site Referer (CSRF checks
    it over HTTPS)."""
    client = app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "teamops.example.org",
                                "HTTP_REFERER": "https://teamops.example.org/"})
    return client


def _cookie_attributes(response, name):
    [header] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]
    return [part.strip() for part in header.split(";")[1:]]


def test_over_https_the_session_cookie_is_secure_and_host_prefixed(https_app, org):
    client = _https(https_app)
    attributes = _cookie_attributes(client.get("/sign-in"), "__Host-teamops_session")
    assert "Secure" in attributes and "HttpOnly" in attributes and "Path=/" in attributes
    assert "SameSite=Lax" in attributes and not any(part.lower().startswith("domain") for part in attributes)
    response = client.post_form("/sign-in", {"email": org["worker"].email, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert client.get("/").status_code == 200
    schemes = client.get("/api/v1/openapi.json").get_json()["components"]["securitySchemes"]
    assert schemes["signInSession"]["name"] == "__Host-teamops_session"


def test_over_plain_http_the_cookie_keeps_working_without_the_prefix(client, org):
    attributes = _cookie_attributes(client.get("/sign-in"), "teamops_session")
    assert "Secure" not in attributes and "Path=/" in attributes
    assert not any(value.startswith("__Host-") for value in client.get("/sign-in").headers.getlist("Set-Cookie"))
    sign_in(client, org["worker"])
    assert client.get("/").status_code == 200


def test_over_https_every_response_sends_hsts(https_app, org):
    client = _https(https_app)
    for path in ("/sign-in", "/nope", "/static/dist/app.css", "/health", "/api/v1/teams"):
        with client.get(path) as response:
            assert response.headers["Strict-Transport-Security"] == HSTS, path
    client.post_form("/sign-in", {"email": org["worker"].email, "password": PASSWORD})
    for path in ("/", "/account/tokens", "/admin/audit"):
        with client.get(path) as response:
            assert response.headers["Strict-Transport-Security"] == HSTS, path


def test_over_plain_http_no_hsts_is_sent(client):
    for path in ("/sign-in", "/nope", "/static/dist/app.css"):
        with client.get(path) as response:
            assert "Strict-Transport-Security" not in response.headers

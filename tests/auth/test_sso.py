"""Single sign-on (issue 16 item 1), end to end against a real OpenID provider run by the tests (tests/oidc.py).

TeamOps is driven as a browser would: its sign-in link sends the browser to the provider, the provider's consent
form (posted with ``requests``) sends it back with a code, and TeamOps swaps the code over its own back channel.
The browser version, with axe-core, is tests/browser/test_single_sign_on.py.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, quote_from_bytes, urlsplit

import flask
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy import update as sa_update
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from teamops.audit.models import AuditEvent
from teamops.auth import holding, sso
from teamops.auth.keeping import carried_fields, safe_path
from teamops.auth.models import HeldForm, UserSession
from teamops.config import ConfigError, load_config
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import SupervisionRecord
from tests import factories
from tests.conftest import CSRF_PATTERN, Client, QueryCounter, counting_queries, make_app, sign_in
from tests.fuzz.strategies import hostile_text
from tests.oidc import CLIENT_ID, CLIENT_SECRET, Provider, claims_of, running_provider
from tests.records.conftest import case_data, write_url


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def sso_app(database_url: str, provider: Provider) -> Iterator[flask.Flask]:
    app = make_app(database_url, oidc_issuer=provider.url, oidc_client_id=CLIENT_ID,
                   oidc_client_secret=CLIENT_SECRET, base_url="http://teamops.test")
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sso_queries(sso_app: flask.Flask) -> Callable[[], AbstractContextManager[QueryCounter]]:
    """``with sso_queries() as counter:`` counts the statements the sign-on app sends. Not ``count_queries``: it
    counts on the current app's engine, and that is the plain app the ``org`` fixture pushes after this one, which
    no request here uses (it counted nothing)."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        with sso_app.app_context(), counting_queries() as counter:
            yield counter

    return counting


@pytest.fixture
def browser(sso_app: flask.Flask) -> Client:
    return sso_app.test_client()  # type: ignore[return-value]


def to_provider(browser: Client, next_page: str | None = None) -> str:
    """Follows "Sign in with your council account" to the provider; returns the provider's address it sent to."""
    response = browser.get("/sign-in/sso" + (f"?next={next_page}" if next_page else ""))
    assert response.status_code == 302
    return str(response.headers["Location"])


def consent(authorize_url: str, sub: str, action: str | None = None) -> str:
    """The person signs in at the provider; returns TeamOps's callback path and query the provider sends back."""
    data = {"action": action} if action else {"sub": sub}
    response = requests.post(authorize_url, data=data, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text[:500]
    back = urlsplit(response.headers["Location"])
    assert f"{back.scheme}://{back.netloc}" == "http://teamops.test"
    return f"{back.path}?{back.query}"


def sign_on(browser: Client, sub: str, next_page: str | None = None) -> Any:
    return browser.get(consent(to_provider(browser, next_page), sub))


def signed_in(browser: Client) -> bool:
    return bool(browser.get("/").status_code == 200)


def refusal(response: Any) -> str:
    page = response.get_data(as_text=True)
    assert "You are not signed in" in page
    return str(page)


def test_the_sign_in_link_asks_for_the_code_flow_with_pkce_state_and_nonce(browser, provider, org):
    query = parse_qs(urlsplit(to_provider(browser)).query)
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://teamops.test/sign-in/sso/callback"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert "code_verifier" not in query  # the verifier stays in TeamOps's session until the code is swapped


def test_a_verified_council_address_signs_its_owner_in(browser, provider, org):
    provider.user("worker-oid", email="Worker@Example.org", email_verified=True)
    response = sign_on(browser, "worker-oid", next_page="/account/tokens")
    assert response.status_code == 303 and response.headers["Location"] == "/account/tokens"
    assert signed_in(browser)
    assert "Signed in as Wren Worker" in browser.get("/").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
    assert (event.actor_id, event.summary) == (org["worker"].id, "worker@example.org signed in with single sign-on")
    assert db.session.scalar(select(UserSession.staff_id)) == org["worker"].id


def test_the_sign_in_page_offers_the_council_account_and_passwords(browser, org):
    page = browser.get("/sign-in?next=/account/tokens").get_data(as_text=True)
    assert "Sign in with your council account" in page and 'href="/sign-in/sso?next=/account/tokens"' in page
    assert 'name="password"' in page  # local passwords are still on


def test_a_wrong_state_signs_nobody_in(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    callback = consent(to_provider(browser), "worker-oid")
    forged = callback.replace("state=", "state=forged")
    response = browser.get(forged)
    assert response.status_code == 400
    assert "Signing in with your council account did not work" in refusal(response)
    assert not signed_in(browser)
    assert not provider.tokens, "the code must not even be swapped"


def test_a_callback_with_no_sign_in_started_signs_nobody_in(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    other_browser = browser.application.test_client()
    callback = consent(to_provider(other_browser), "worker-oid")  # started in someone else's browser
    assert browser.get(callback).status_code == 400
    assert not signed_in(browser)


def test_a_replayed_code_signs_nobody_in(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    callback = consent(to_provider(browser), "worker-oid")
    assert browser.get(callback).status_code == 303
    browser.post("/sign-out", data={"csrf_token": _page_token(browser)})
    assert not signed_in(browser)
    # The same address again: its state was used up with the first sign-in.
    assert browser.get(callback).status_code == 400
    # An attacker's own fresh sign-in, with the stolen code put in place of theirs: the provider refuses a code
    # it has already swapped (and one bound to someone else's PKCE verifier).
    attacker = browser.application.test_client()
    own = parse_qs(urlsplit(consent(to_provider(attacker), "someone")).query)
    stolen = parse_qs(urlsplit(callback).query)["code"][0]
    response = attacker.get(f"/sign-in/sso/callback?code={stolen}&state={own['state'][0]}")
    assert response.status_code == 400
    assert not signed_in(attacker)


@pytest.mark.parametrize(("what", "tamper"), [
    ("another audience", lambda c: {**c, "aud": "another-app"}),
    ("expired", lambda c: {**c, "iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}),
    ("another nonce", lambda c: {**c, "nonce": "not-the-one-sent"}),
    ("another issuer", lambda c: {**c, "iss": "http://impostor.test"}),
])
def test_an_id_token_that_fails_its_checks_signs_nobody_in(browser, provider, org, what, tamper):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    provider.tamper = tamper
    response = sign_on(browser, "worker-oid")
    assert response.status_code == 400, what
    assert "Signing in with your council account did not work" in refusal(response)
    assert not signed_in(browser)
    assert db.session.scalar(select(UserSession.id)) is None
    failure = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).one()
    assert failure.summary == "single sign-on refused (provider)"


def test_an_untampered_token_through_the_same_hook_still_signs_in(browser, provider, org):
    """The hook itself re-signs correctly: the refusals above are TeamOps's checks, not a broken token."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    provider.tamper = dict
    assert sign_on(browser, "worker-oid").status_code == 303
    assert signed_in(browser)


def test_an_id_token_signed_with_another_key_signs_nobody_in(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    provider.foreign_key = True
    assert sign_on(browser, "worker-oid").status_code == 400
    assert not signed_in(browser)


def test_an_unknown_address_is_refused_and_nobody_is_registered(browser, provider, org):
    provider.user("stranger", email="stranger@example.org", email_verified=True)
    response = sign_on(browser, "stranger")
    assert response.status_code == 403
    assert "There is no TeamOps account for stranger@example.org" in refusal(response)
    assert not signed_in(browser)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).one()
    assert event.actor_label == "sso: stranger@example.org" and "no such account" in event.summary


def test_a_deactivated_account_is_refused(browser, provider, org):
    org["worker"].active = False
    db.session.commit()
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    response = sign_on(browser, "worker-oid")
    assert response.status_code == 403
    assert "The TeamOps account for worker@example.org is not active" in refusal(response)
    assert not signed_in(browser)


@pytest.mark.parametrize("claims", [{"email": "worker@example.org", "email_verified": False},
                                    {"email": "worker@example.org"}, {"name": "No Address"}])
def test_an_address_the_provider_has_not_verified_is_refused(browser, provider, org, claims):
    provider.user("worker-oid", **claims)
    response = sign_on(browser, "worker-oid")
    assert response.status_code in (400, 403)
    assert "did not give TeamOps a verified e-mail address" in refusal(response)
    assert not signed_in(browser)


def test_the_person_saying_no_at_the_provider_signs_nobody_in(browser, provider, org):
    response = browser.get(consent(to_provider(browser), "", action="deny"))
    assert response.status_code == 400
    assert "Your council account did not let TeamOps sign you in" in refusal(response)


def test_the_first_sign_on_links_the_account_to_the_council_account(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    assert org["worker"].sso_subject is None
    assert sign_on(browser, "worker-oid").status_code == 303
    db.session.expire_all()
    link = sso.subject_link(provider.url, "worker-oid")
    assert org["worker"].sso_subject == link
    linked = db.session.scalars(select(AuditEvent).where(  # in the audit trail, the link itself hidden
        AuditEvent.entity_type == "staff", AuditEvent.entity_id == org["worker"].id,
        AuditEvent.action == "update")).one()
    assert "sso_subject" in json.dumps(linked.changes) and link not in json.dumps(linked.changes)


def test_an_address_given_to_someone_else_does_not_let_them_into_the_account(sso_app, browser, provider, org):
    """The council gives a leaver's address to a newcomer (another council account): the TeamOps account stays
    its linked owner's, and the newcomer is told why, not signed in as them."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    assert sign_on(browser, "worker-oid").status_code == 303
    provider.user("newcomer-oid", email="worker@example.org", email_verified=True)
    other: Client = sso_app.test_client()  # type: ignore[assignment]
    response = sign_on(other, "newcomer-oid")
    assert response.status_code == 403
    assert "The TeamOps account for worker@example.org is linked to a different council account" in refusal(
        response)
    assert not signed_in(other)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).one()
    assert "linked to another council account" in event.summary and event.entity_id == org["worker"].id


def test_the_linked_person_still_signs_in_after_their_address_changes(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    assert sign_on(browser, "worker-oid").status_code == 303
    browser.post_form("/sign-out", {})
    provider.user("worker-oid", email="wren.married-name@example.org", email_verified=True)
    assert sign_on(browser, "worker-oid").status_code == 303
    assert "Signed in as Wren Worker" in browser.get("/").get_data(as_text=True)


def test_an_admin_unlinks_an_account_for_a_new_council_account(sso_app, browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    assert sign_on(browser, "worker-oid").status_code == 303
    runner = sso_app.test_cli_runner()
    result = runner.invoke(args=["teamops", "unlink-sign-on", "Worker@Example.org"])
    assert result.exit_code == 0 and "Unlinked worker@example.org" in result.output
    again = runner.invoke(args=["teamops", "unlink-sign-on", "worker@example.org"])
    assert again.exit_code != 0 and "not linked to a council account" in again.output
    provider.user("worker-new-oid", email="worker@example.org", email_verified=True)
    other: Client = sso_app.test_client()  # type: ignore[assignment]
    assert sign_on(other, "worker-new-oid").status_code == 303 and signed_in(other)
    db.session.expire_all()
    assert org["worker"].sso_subject == sso.subject_link(provider.url, "worker-new-oid")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_label == "cli:unlink-sign-on")).one()
    assert event.entity_id == org["worker"].id


def _linked_first_elsewhere(app: flask.Flask, staff_id: int, subject: str) -> Callable[..., None]:
    """A statement hook: just before the sign-on being tested links an account, another sign-on (in a thread with
    a connection of its own) links account ``staff_id`` to ``subject`` and commits: two at the same instant."""
    done: list[bool] = []

    def link_elsewhere() -> None:
        with app.app_context():
            db.session.execute(sa_update(Staff).where(Staff.id == staff_id).values(sso_subject=subject))
            db.session.commit()
            done.append(True)

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not done and statement.startswith("UPDATE staff SET sso_subject") and (
                threading.current_thread() is threading.main_thread()):
            elsewhere = threading.Thread(target=link_elsewhere)
            elsewhere.start()
            elsewhere.join(timeout=30)
            assert done, "the other sign-on did not finish"

    return before


@pytest.mark.parametrize("who", ["another council account, the same address",
                                 "the same council account, as another account"])
def test_two_first_sign_ons_at_the_same_instant_let_only_the_first_in(sso_app, browser, provider, org, who):
    """Two council accounts with one address signing on for the first time at once (a leaver's address given to
    a newcomer), or one council account matched to two accounts at once: the later finds the link already made
    and is refused, as if it came second; neither a 500 nor a link quietly moved to the later one."""
    worker, manager = org["worker"], org["team_manager"]
    provider.user("newcomer-oid", email="worker@example.org", email_verified=True)
    first = ((worker.id, sso.subject_link(provider.url, "first-oid")) if who.startswith("another")
             else (manager.id, sso.subject_link(provider.url, "newcomer-oid")))
    hook = _linked_first_elsewhere(sso_app, *first)
    with sso_app.app_context():  # the engine the sign-on uses (the org fixture's app is the current one)
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", hook)
    try:
        response = sign_on(browser, "newcomer-oid")
    finally:
        sa_event.remove(engine, "before_cursor_execute", hook)
    assert response.status_code == 403
    assert "The TeamOps account for worker@example.org is linked to a different council account" in refusal(
        response)
    assert not signed_in(browser)
    db.session.expire_all()
    linked = {person.id: person.sso_subject for person in (worker, manager)}
    assert linked == ({worker.id: first[1], manager.id: None} if who.startswith("another")
                      else {worker.id: None, manager.id: first[1]})


def test_a_configured_claim_names_the_account(database_url, provider, org):
    """Entra ID: ``preferred_username`` is the council's own sign-in name for the account."""
    app = make_app(database_url, oidc_issuer=provider.url, oidc_client_id=CLIENT_ID, base_url="http://teamops.test",
                   oidc_client_secret=CLIENT_SECRET, oidc_email_claim="preferred_username")
    app.test_client_class = Client
    provider.user("entra-oid", preferred_username="tm@example.org")
    with app.app_context():
        browser = app.test_client()
        assert sign_on(browser, "entra-oid").status_code == 303  # type: ignore[arg-type]
        assert signed_in(browser)  # type: ignore[arg-type]
        db.session.remove()
        db.engine.dispose()  # this app's connections (PostgreSQL warns of any left open)


def _page_token(browser: Client) -> str:
    match = CSRF_PATTERN.search(browser.get("/").get_data(as_text=True))
    assert match is not None
    return match.group(1) or match.group(2)


def test_signing_out_ends_the_session_and_the_council_session(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser, "worker-oid")
    response = browser.post("/sign-out", data={"csrf_token": _page_token(browser)})
    assert response.status_code == 302
    to = urlsplit(response.headers["Location"])
    assert f"{to.scheme}://{to.netloc}{to.path}" == f"{provider.url}/oauth2/end_session"
    query = parse_qs(to.query)
    assert query["post_logout_redirect_uri"] == ["http://teamops.test/sign-in"]
    assert query["client_id"] == [CLIENT_ID]
    assert not signed_in(browser)
    assert db.session.scalar(select(UserSession.id)) is None
    # The provider's sign-out page, confirmed, sends the browser back to TeamOps's sign-in page.
    confirm = requests.post(f"{provider.url}/oauth2/end_session/confirm",
                            data={"redirect_uri": query["post_logout_redirect_uri"][0]},
                            allow_redirects=False, timeout=5)
    assert confirm.headers["Location"] == "http://teamops.test/sign-in"


def test_signing_out_of_a_password_session_stays_in_teamops(browser, provider, org):
    sign_in(browser, org["worker"])
    response = browser.post("/sign-out", data={"csrf_token": _page_token(browser)})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"


def test_the_csp_lets_sign_out_end_at_the_provider(browser, provider):
    policy = browser.get("/sign-in").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url}" in policy


def test_pressing_sign_in_again_and_again_keeps_the_session_cookie_small(browser, provider, org):
    """Each start's state is kept in the cookie, and browsers drop a cookie over 4 KB: only the newest three stay
    (sign-ons started in several tabs), not one per press for an hour."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    starts = [to_provider(browser) for _ in range(40)]
    cookie = browser.get_cookie("teamops_session")
    assert cookie is not None and len(cookie.value) < 1500, len(cookie.value if cookie else "")
    assert browser.get(consent(starts[-4], "worker-oid")).status_code == 400  # forgotten
    assert browser.get(consent(starts[-3], "worker-oid")).status_code == 303
    assert signed_in(browser)


def test_a_provider_out_of_reach_is_a_clear_message_not_an_error(database_url, org):
    app = make_app(database_url, oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID,
                   oidc_client_secret=CLIENT_SECRET)
    app.test_client_class = Client
    with app.app_context():
        response = app.test_client().get("/sign-in/sso")
        assert response.status_code == 503
        assert "Signing in with your council account did not work" in response.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


# TEAMOPS_LOCAL_PASSWORDS=off -------------------------------------------------------------------------------

@pytest.fixture
def sso_only(database_url: str, provider: Provider) -> Iterator[Client]:
    app = make_app(database_url, oidc_issuer=provider.url, oidc_client_id=CLIENT_ID,
                   oidc_client_secret=CLIENT_SECRET, base_url="http://teamops.test", local_passwords=False)
    app.test_client_class = Client
    with app.app_context():
        yield app.test_client()  # type: ignore[misc]
        db.session.remove()
        db.engine.dispose()


def test_with_passwords_off_a_right_password_signs_nobody_in(sso_only, org):
    page = sso_only.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in page and 'name="password"' not in page
    token = CSRF_PATTERN.search(page)
    assert token is not None  # the page still carries a form token (for the error answer below)
    response = sso_only.post("/sign-in", data={"email": "worker@example.org", "password": "correct horse battery",
                                               "csrf_token": token.group(1) or token.group(2)})
    assert response.status_code == 400
    assert "TeamOps does not use passwords here" in response.get_data(as_text=True)
    assert sso_only.get("/").status_code == 303


def test_with_passwords_off_no_page_sets_or_changes_one(sso_only, provider, org):
    provider.user("admin-oid", email="admin@example.org", email_verified=True)
    assert sign_on(sso_only, "admin-oid").status_code == 303
    home = sso_only.get("/").get_data(as_text=True)
    assert "Change password" not in home
    assert sso_only.get("/account/password").status_code == 404
    member = sso_only.get(f"/admin/staff/{org['worker'].id}").get_data(as_text=True)
    assert "set-password link" not in member and "Reset password" not in member
    response = sso_only.post(f"/admin/staff/{org['worker'].id}/reset-password",
                             data={"csrf_token": _page_token(sso_only)})
    assert response.status_code == 303
    assert "there are no TeamOps passwords to set" in sso_only.get(response.headers["Location"]).get_data(
        as_text=True)
    assert org["worker"].password_hash is not None  # untouched


# Configuration --------------------------------------------------------------------------------------------

TESTING = {"database_url": "sqlite://", "environment": "testing", "secret_key": "x"}


@pytest.mark.parametrize(("settings", "message"), [
    ({"oidc_issuer": "https://login.example.org"}, "TEAMOPS_OIDC_CLIENT_ID, TEAMOPS_OIDC_CLIENT_SECRET is not set"),
    ({"local_passwords": False}, "LOCAL_PASSWORDS=off needs single sign-on"),
    ({"environment": "production", "oidc_issuer": "http://login.example.org", "oidc_client_id": "a",
      "oidc_client_secret": "b"}, "must be an https:// address"),
])
def test_sign_on_settings_that_cannot_work_stop_the_app(tmp_path, settings, message):
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, {**TESTING, **settings})


def test_signing_on_keeps_to_its_query_budget(browser, provider, org, sso_queries):
    """Measured here, not in tests/test_query_budget.py, which runs no provider (its MEASURED_ELSEWHERE)."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    with sso_queries() as counter:
        authorize_url = to_provider(browser)
    assert counter.count == 0
    callback = consent(authorize_url, "worker-oid")
    with sso_queries() as counter:
        assert browser.get(callback).status_code == 303
    # The first time: the account, linking it to the council account (a conditional update, so that two first
    # sign-ons at once link one; then with its audit entry and the team's figures version, as any change to a
    # person's row), pruning old sessions and held forms, the new session, its audit entry, the team for the
    # versions.
    assert counter.count <= 10, counter.count
    browser.post_form("/sign-out", {})
    callback = consent(to_provider(browser), "worker-oid")
    with sso_queries() as counter:
        assert browser.get(callback).status_code == 303
    assert counter.count <= 5, counter.count  # after that: no linking


# Back-channel logout: the provider ends the TeamOps sessions of a sign-on session -----------------------------

LOGOUT_EVENT = {"http://schemas.openid.net/event/backchannel-logout": {}}


def _logout_token(provider: Provider, **claims: Any) -> str:
    return provider.sign({"iss": provider.url, "aud": CLIENT_ID, "iat": int(time.time()), "jti": "x1",
                          "events": LOGOUT_EVENT, **claims})


def _back_channel(browser: Client, token: str) -> Any:
    return browser.post("/sign-in/sso/logout", data={"logout_token": token})  # no form token: a server sends it


def test_the_provider_ends_every_sign_on_session_of_a_person(sso_app, browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    other_device = sso_app.test_client()
    manager = sso_app.test_client()
    sign_on(browser, "worker-oid")
    sign_on(other_device, "worker-oid")
    sign_on(manager, "manager-oid")
    response = _back_channel(sso_app.test_client(), _logout_token(provider, sub="worker-oid"))
    assert response.status_code == 200
    assert not signed_in(browser) and not signed_in(other_device)
    assert signed_in(manager)  # someone else's session stands
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_out")).one()
    assert event.entity_id == org["worker"].id and "back-channel logout" in event.summary


def test_a_logout_token_naming_a_session_ends_only_that_one(sso_app, browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    other_device = sso_app.test_client()
    provider.tamper = lambda claims: {**claims, "sid": "session-one"}
    sign_on(browser, "worker-oid")
    provider.tamper = lambda claims: {**claims, "sid": "session-two"}
    sign_on(other_device, "worker-oid")
    assert _back_channel(browser, _logout_token(provider, sid="session-one", sub="worker-oid")).status_code == 200
    assert not signed_in(browser)
    assert signed_in(other_device)


def test_a_password_session_is_not_ended_by_the_provider(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser.application.test_client(), "worker-oid")  # the provider's key exists once it has signed
    sign_in(browser, org["worker"])
    assert _back_channel(browser, _logout_token(provider, sub="worker-oid")).status_code == 200
    assert signed_in(browser)


@pytest.mark.parametrize(("what", "claims"), [
    ("another audience", {"aud": "another-app"}),
    ("another issuer", {"iss": "http://impostor.test"}),
    ("not a logout event", {"events": {"http://example.org/other": {}}}),
    ("a nonce", {"nonce": "n"}),
    ("no sid or sub", {"sub": None}),
    ("issued long ago", {"iat": int(time.time()) - 3600}),
])
def test_a_logout_token_that_fails_its_checks_ends_nothing(browser, provider, org, what, claims):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser, "worker-oid")
    values = {"sub": "worker-oid", **claims}
    token = _logout_token(provider, **{key: value for key, value in values.items() if value is not None})
    if claims == {"sub": None}:
        token = provider.sign({key: value for key, value in claims_of(token).items() if key != "sub"})
    response = _back_channel(browser, token)
    assert response.status_code == 400, what
    assert signed_in(browser), what


def test_a_logout_token_not_signed_by_the_provider_ends_nothing(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser, "worker-oid")
    forged = jwt.encode({"alg": "RS256", "kid": provider.key_data.get("kid")},
                        {"iss": provider.url, "aud": CLIENT_ID, "iat": int(time.time()), "sub": "worker-oid",
                         "events": LOGOUT_EVENT}, RSAKey.generate_key(2048))
    assert _back_channel(browser, forged).status_code == 400
    assert _back_channel(browser, "not a token").status_code == 400
    assert signed_in(browser)


def test_back_channel_logout_keeps_to_its_query_budget(sso_app, provider, org, sso_queries):
    """A write route, measured here: the same statements for three sessions as for one."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    counts = []
    for sessions in (1, 3):
        for _ in range(sessions):
            sign_on(sso_app.test_client(), "worker-oid")
        with sso_queries() as counter:
            assert _back_channel(sso_app.test_client(), _logout_token(provider, sub="worker-oid")).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4, counts  # who, the delete, the audit entry


def test_an_address_longer_than_any_account_s_is_refused_not_cut_down(browser, provider, org):
    """Cut to 254 characters it could match someone else's account; and the audit label stays within its column."""
    long_address = "w" * 300 + "@example.org"
    provider.user("long-oid", email=long_address, email_verified=True)
    response = sign_on(browser, "long-oid")
    assert response.status_code == 400
    assert "did not give TeamOps a verified e-mail address" in refusal(response)
    assert not signed_in(browser)


def test_an_unsigned_logout_token_ends_nothing_whatever_the_provider_lists(browser, provider, org):
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser, "worker-oid")
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = ".".join([part({"alg": "none", "typ": "logout+jwt"}),
                         part({"iss": provider.url, "aud": CLIENT_ID, "iat": int(time.time()), "sub": "worker-oid",
                               "events": LOGOUT_EVENT}), ""])
    assert _back_channel(browser, unsigned).status_code == 400
    assert signed_in(browser)


def test_a_logout_token_naming_a_session_also_ends_one_stored_without_a_session_id(sso_app, browser, provider,
                                                                                   org):
    """The provider sent no ``sid`` at sign-in but names one at logout: the person's sessions without one end."""
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_on(browser, "worker-oid")  # the mock provider's ID tokens carry no sid
    assert _back_channel(browser, _logout_token(provider, sid="session-x", sub="worker-oid")).status_code == 200
    assert not signed_in(browser)


# A form sent after the session ended, kept through the sign-on (teamops.auth.holding) ------------------------

# What the manager typed: unicode, line breaks and quotes, and sections nearly as long as a section may be.
TYPED = "Ça va — she said “I feel safe now” 🏠, and <b>Zoë</b> & Ñúñez said \"yes\".\nA second line."
LONG = " ".join(f"Paragraph {n}: the plan is reviewed weekly; school says attendance is up." for n in range(62))
HIDDEN_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(name), html.unescape(value)) for name, value in HIDDEN_FIELD.findall(page)]


def _form(page: str, action: str) -> tuple[str, list[tuple[str, str]]]:
    """The page's form that posts to an address starting with ``action``: that address, and its hidden fields."""
    match = re.search(f'<form method="post" action="({re.escape(html.escape(action))}[^"]*)"[^>]*>(.*?)</form>',
                      page, re.DOTALL)
    assert match is not None, f"no form posting to {action} on the page"
    return html.unescape(match[1]), _hidden(match[2])


def _council_form(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The sign-in page's "Sign in with your council account" form."""
    return _form(page, "/sign-in/sso")


@pytest.fixture
def written(org: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A supervision record the team manager writes about the worker's case: its address and what was typed."""
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    data = case_data(case, childs_voice=TYPED, significant_events=LONG, decisions_and_plan=LONG[::-1],
                     reflective_analysis=LONG.upper())
    assert len(LONG) > 4500 and sum(len(value) for value in data.values()) > 13_000
    return write_url(org["worker"], "case", None, [case]), data


def _sent_after_the_session_ended(browser: Client, written: tuple[str, dict[str, str]]) -> str:
    """Opens the form, leaves it 45 minutes, sends it: the sign-in page that keeps it."""
    url, data = written
    token = _page_token(browser)
    factories.age_sessions(45)
    response = browser.post(url, data={**data, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "Your session ended before your form was sent" in page
    assert db.session.scalar(select(func.count(SupervisionRecord.id))) == 0
    return str(page)


def _to_provider_keeping(browser: Client, page: str) -> str:
    """Presses "Sign in with your council account" on that page: the form is held, the browser at the provider."""
    action, fields = _council_form(page)
    response = browser.post(action, data=MultiDict(fields))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return str(response.headers["Location"])


def _held() -> int:
    return db.session.scalar(select(func.count(HeldForm.id))) or 0


def _resend_and_check_it_saves(browser: Client, written: tuple[str, dict[str, str]], response: Any) -> None:
    url, data = written
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Send your form again" in page
    action, fields = _form(page, url)
    assert action == url and fields[0][0] == "csrf_token"
    assert fields[1:] == list(data.items()), "every field back as typed, in order"
    assert _held() == 0, "the held form is deleted as it is used"
    sent = browser.post(url, data=dict(fields))
    assert sent.status_code == 303, sent.get_data(as_text=True)[:3000]
    record = db.session.scalar(select(SupervisionRecord))
    assert record is not None
    discussion = record.discussions[0]
    assert (discussion.childs_voice, discussion.significant_events) == (TYPED, LONG)


def test_with_passwords_off_a_form_sent_after_the_session_ended_comes_back_through_the_sign_on(
        sso_only, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    assert sign_on(sso_only, "manager-oid").status_code == 303
    page = _sent_after_the_session_ended(sso_only, written)
    assert 'name="password"' not in page
    action, fields = _council_form(page)
    assert action == "/sign-in/sso"
    assert fields[0][0] == "csrf_token" and fields[1] == ("kept_url", written[0])
    assert fields[2:] == [(f"kept__{name}", value) for name, value in written[1].items()]

    authorize_url = _to_provider_keeping(sso_only, page)
    assert _held() == 1
    _resend_and_check_it_saves(sso_only, written, sso_only.get(consent(authorize_url, "manager-oid")))


def test_with_passwords_on_the_council_account_button_keeps_the_form_too(browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    assert 'name="password"' in page  # both ways offered, each carrying the form
    assert page.count(f'name="kept__{next(iter(written[1]))}"') == 2
    _resend_and_check_it_saves(browser, written, browser.get(consent(_to_provider_keeping(browser, page),
                                                                     "manager-oid")))


def test_a_refused_sign_on_shows_nothing_kept_and_holds_nothing(browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    provider.user("stranger", email="stranger@example.org", email_verified=True)
    assert sign_on(browser, "manager-oid").status_code == 303
    authorize_url = _to_provider_keeping(browser, _sent_after_the_session_ended(browser, written))
    assert _held() == 1
    response = browser.get(consent(authorize_url, "stranger"))
    assert response.status_code == 403
    page = refusal(response)
    assert "kept__" not in page and "kept_url" not in page and "Paragraph 1:" not in page
    assert _held() == 0
    assert not signed_in(browser)


@pytest.mark.parametrize("failure", ["said no at the provider", "the sign-on failed on its way back"])
def test_a_sign_on_that_fails_before_anyone_is_known_gives_the_form_back_to_try_again(browser, provider, org,
                                                                                     written, failure):
    """The person said no at the provider, or the provider failed: nobody has said who they are, so the sign-in
    page comes back as it was before the button was pressed, with the form in it; the second try sends it."""
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    assert sign_on(browser, "manager-oid").status_code == 303
    page = _sent_after_the_session_ended(browser, written)
    carried = _council_form(page)[1][1:]
    authorize_url = _to_provider_keeping(browser, page)
    assert _held() == 1
    if failure.startswith("said no"):
        response = browser.get(consent(authorize_url, "", action="deny"))
    else:  # the callback with the state of another sign-on: refused like any failure of the provider's answer
        back = urlsplit(consent(authorize_url, "manager-oid"))
        query = {name: values[0] for name, values in parse_qs(back.query).items()}
        response = browser.get(back.path, query_string={**query, "state": "not-the-state"})
    assert response.status_code == 400
    page = refusal(response)
    assert _council_form(page)[1][1:] == carried, "the form back in the page, as before the button"
    assert _held() == 0 and not signed_in(browser)
    _resend_and_check_it_saves(browser, written, browser.get(consent(_to_provider_keeping(browser, page),
                                                                     "manager-oid")))


def test_a_held_form_is_used_once(browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    callback = consent(_to_provider_keeping(browser, _sent_after_the_session_ended(browser, written)),
                       "manager-oid")
    assert "Send your form again" in browser.get(callback).get_data(as_text=True)
    assert _held() == 0
    replay = browser.get(callback)  # the same address again: its state is used up, and so is the form
    assert "Paragraph 1:" not in replay.get_data(as_text=True)
    assert replay.status_code == 400


def test_someone_else_s_sign_on_does_not_get_the_form(sso_app, browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    authorize_url = _to_provider_keeping(browser, _sent_after_the_session_ended(browser, written))
    other: Client = sso_app.test_client()  # type: ignore[assignment]
    assert sign_on(other, "worker-oid").status_code == 303  # its own sign-on: its session holds no key
    assert _held() == 1
    # The manager's callback opened in the other browser: its state is not there, so nothing is signed in or shown.
    response = other.get(consent(authorize_url, "manager-oid"))
    assert response.status_code == 400 and "Paragraph 1:" not in response.get_data(as_text=True)
    assert _held() == 1  # still the manager's, until it is used or expires


def test_a_form_held_longer_than_15_minutes_is_not_used(browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    authorize_url = _to_provider_keeping(browser, _sent_after_the_session_ended(browser, written))
    held = db.session.scalars(select(HeldForm)).one()
    held.created_at -= holding.HOLD + timedelta(seconds=1)
    db.session.commit()
    response = browser.get(consent(authorize_url, "manager-oid"))
    assert response.status_code == 303 and signed_in(browser)  # signed in, as without a form
    assert _held() == 0  # and the old form is gone


def test_holding_a_form_replaces_the_last_one_and_deletes_expired_ones(browser, provider, org, written):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    other: Client = browser.application.test_client()  # type: ignore[assignment]
    _to_provider_keeping(other, _sign_in_page_keeping(other, "/cases/new"))
    for held in db.session.scalars(select(HeldForm)):
        held.created_at -= holding.HOLD + timedelta(minutes=1)
    db.session.commit()
    _to_provider_keeping(browser, page)
    _to_provider_keeping(browser, page)  # pressed twice: one form held for this browser, not two
    assert _held() == 1


def test_what_can_be_held_is_bounded(browser, provider, org, written, monkeypatch, caplog):
    """Anyone can post to the sign-in page, so the table is bounded: past the number held at once (or the size of
    one form) the sign-on goes ahead without holding, and the log says so without what was typed."""
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    monkeypatch.setattr(holding, "MOST_HELD", 2)
    others = [browser.application.test_client() for _ in range(2)]
    for other in others:
        _to_provider_keeping(other, _sign_in_page_keeping(other, "/cases/new"))  # type: ignore[arg-type]
    assert _held() == 2
    action, fields = _council_form(page)
    refused = browser.post(action, data=MultiDict(fields))  # not sent to the provider to lose the form there
    again = refused.get_data(as_text=True)
    assert refused.status_code == 503 and "cannot keep your form through the council sign-in just now" in again
    assert _council_form(again)[1][1:] == fields[1:]  # still in the page, to copy or try again
    assert _held() == 2
    assert "was not held through single sign-on" in caplog.text and TYPED not in caplog.text
    monkeypatch.setattr(holding, "MOST_HELD", 10)
    monkeypatch.setattr(holding, "MOST_HELD_CHARACTERS", 100)  # the written form is longer
    assert browser.post(action, data=MultiDict(fields)).status_code == 503
    assert _held() == 2
    monkeypatch.setattr(holding, "MOST_HELD_CHARACTERS", 1_000_000)
    _to_provider_keeping(browser, page)
    assert _held() == 3


def test_a_form_held_and_abandoned_is_not_offered_to_whoever_signs_on_next(browser, provider, org, written):
    """On a shared computer: someone's form is held, they give up at the provider, and the next person presses the
    plain sign-in button. The form is not theirs: it is deleted, not offered."""
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    provider.user("worker-oid", email="worker@example.org", email_verified=True)
    sign_in(browser, org["team_manager"])
    _to_provider_keeping(browser, _sent_after_the_session_ended(browser, written))
    assert _held() == 1
    response = sign_on(browser, "worker-oid")  # the plain button, then the worker's consent
    assert response.status_code == 303 and "Paragraph 1:" not in response.get_data(as_text=True)
    assert _held() == 0


def test_signed_in_in_another_tab_the_kept_form_is_still_offered(browser, provider, org, written):
    """The sign-in page carrying the form stays open while the person signs in in another tab: pressing either
    button there gives them "Send your form again", not their home page with the form lost."""
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    sign_in(browser, org["team_manager"])  # the other tab
    action, fields = _council_form(page)
    response = browser.post(action, data=MultiDict(fields))
    _resend_and_check_it_saves(browser, written, response)


def test_a_subject_longer_than_openid_allows_is_refused(browser, provider, org):
    long_sub = "s" * 256
    provider.user(long_sub, email="worker@example.org", email_verified=True)
    response = sign_on(browser, long_sub)
    assert response.status_code == 403 and not signed_in(browser)
    db.session.expire_all()
    assert org["worker"].sso_subject is None


def _sign_in_page_keeping(browser: Client, path: str) -> str:
    """The sign-in page someone signed out gets for a form they send (the gate's answer)."""
    response = browser.post(path, data={"csrf_token": browser.csrf_token(), "note": "x"})
    assert response.status_code == 401
    return str(response.get_data(as_text=True))


def test_a_plain_post_holds_nothing_and_a_provider_out_of_reach_keeps_the_form_in_the_page(database_url, org):
    app = make_app(database_url, oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID,
                   oidc_client_secret=CLIENT_SECRET)
    app.test_client_class = Client
    with app.app_context():
        browser: Client = app.test_client()  # type: ignore[assignment]
        page = _sign_in_page_keeping(browser, "/cases/new")
        action, fields = _council_form(page)
        response = browser.post(action, data=MultiDict(fields))
        assert response.status_code == 503
        assert _council_form(response.get_data(as_text=True))[1][1:] == fields[1:]  # to try again
        assert _held() == 0
        db.session.remove()
        db.engine.dispose()


def test_a_post_without_a_kept_form_is_the_plain_sign_on(browser, provider, org):
    response = browser.post("/sign-in/sso?next=/account/tokens", data={"csrf_token": browser.csrf_token()})
    assert response.status_code == 302 and response.headers["Location"].startswith(provider.url)
    assert _held() == 0
    page = browser.post("/sign-in/sso", data={"kept_url": "/somewhere"})  # no form token: refused like any form
    assert page.status_code == 400 and _held() == 0


def test_what_was_typed_reaches_no_log_and_no_audit_entry(browser, provider, org, written, caplog):
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    provider.user("stranger", email="stranger@example.org", email_verified=True)
    caplog.set_level(logging.DEBUG)
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    browser.get(consent(_to_provider_keeping(browser, page), "stranger"))  # refused
    callback = consent(_to_provider_keeping(browser, page), "manager-oid")
    _resend_and_check_it_saves(browser, written, browser.get(callback))
    browser.get(callback)  # replayed: refused, logged
    assert "Single sign-on refused" in caplog.text  # the log was listening
    for text in ("she said", "Paragraph 1:", LONG.upper()[:40], LONG[::-1][:40]):
        assert text not in caplog.text
        for event in db.session.scalars(select(AuditEvent)):
            assert text not in f"{event.summary} {event.actor_label} {json.dumps(event.changes)}", event.action


def test_holding_a_form_keeps_to_its_query_budget(browser, provider, org, written, sso_queries):
    """POST /sign-in/sso (MEASURED_ELSEWHERE in tests/test_query_budget.py) and the callback that gives it back."""
    provider.user("manager-oid", email="tm@example.org", email_verified=True)
    # Linked before: the first sign-on's linking is measured above.
    org["team_manager"].sso_subject = sso.subject_link(provider.url, "manager-oid")
    db.session.commit()
    sign_in(browser, org["team_manager"])
    page = _sent_after_the_session_ended(browser, written)
    action, fields = _council_form(page)
    with sso_queries() as counter:
        response = browser.post(action, data=MultiDict(fields))
    assert response.status_code == 302
    assert counter.count <= 3, counter.count  # expired and replaced forms deleted, how many are held, this one stored
    callback = consent(response.headers["Location"], "manager-oid")
    with sso_queries() as counter:
        assert browser.get(callback).status_code == 200
    # The sign-on's 5 (with the expired forms deleted), the held form taken in one statement, the signed-in
    # person for the page's header.
    assert counter.count <= 7, counter.count


def _read(body: str) -> MultiDict[str, str]:
    """The form TeamOps reads from this body (werkzeug's parsing: an invalid UTF-8 escape stays as it was sent)."""
    builder = EnvironBuilder(method="POST", data=body, content_type="application/x-www-form-urlencoded")
    try:
        return Request(builder.get_environ()).form
    finally:
        builder.close()


def test_hostile_kept_fields_are_held_exactly_as_read_or_refused(browser, provider, org):
    """Fuzzed as tests/fuzz/test_forms.py fuzzes every form (where single sign-on is not configured, so this route
    is only a 404): whatever is sent, no 5xx, and what is held is what the form said, through the database's JSON."""
    token = browser.csrf_token()
    paths = st.one_of(st.sampled_from(("/cases/new", "/records/new/write?worker=1&kind=case", "//evil.example")),
                      hostile_text)
    held: list[int] = []

    @settings(max_examples=int(os.environ.get("TEAMOPS_FUZZ_EXAMPLES", "25")), deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(kept_url=paths, pairs=st.lists(st.tuples(hostile_text, hostile_text), max_size=6))
    def send(kept_url: str, pairs: list[tuple[str, str]]) -> None:
        sent = [("csrf_token", token), ("kept_url", kept_url), *((f"kept__{name}", value) for name, value in pairs)]
        body = "&".join(f"{quote_from_bytes(name.encode('utf-8', 'surrogatepass'))}="
                        f"{quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}" for name, value in sent)
        response = browser.post("/sign-in/sso", data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500
        rows = db.session.scalars(select(HeldForm)).all()
        assert len(rows) <= 1  # this browser's one form, replaced each time
        read = _read(body)
        if response.status_code == 302 and (path := safe_path(read.get("kept_url"))) is not None:
            # Each name's values in order, names in the order they first came (a MultiDict's order).
            assert [(row.path, row.fields) for row in rows] == [
                (path, [[name, value] for name, value in carried_fields(read)])]
            held.append(len(pairs))

    send()
    assert held, "no example held a form: the check above never ran"

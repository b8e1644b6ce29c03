"""Sign-in throttling (issue 7 item 4): behind the proxy one person's typos never refuse someone else, an
address spraying accounts is still stopped, the counts are shared by every worker through the database,
and the audit trail records each lock once, under the address that was typed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.auth import throttle
from teamops.auth.models import SignInFailure
from teamops.extensions import db
from tests.conftest import PASSWORD, Client, make_app, sign_in

WRONG = "not the password at all"
PROXY = "10.0.0.2"


@pytest.fixture
def another_app(database_url: str) -> Iterator[Callable[..., Any]]:
    """``another_app(**settings)``: a second app on the test's database, as another worker or server is."""
    made = []

    def build(**settings: Any) -> Any:
        other = make_app(database_url, **settings)
        other.test_client_class = Client
        made.append(other)
        return other

    yield build
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def proxied(another_app: Callable[..., Any]) -> Any:
    """The app behind one trusted reverse proxy."""
    return another_app(trusted_proxies=1)


def browser(app: Any, address: str, via: str = PROXY) -> Client:
    """A browser at ``address``, reaching the app through the proxy at ``via``."""
    client: Client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": via, "HTTP_X_FORWARDED_FOR": address})
    return client


def attempt(client: Client, email: str, password: str = WRONG, **kwargs: Any) -> int:
    return client.post_form("/sign-in", {"email": email, "password": password}, **kwargs).status_code


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_behind_a_proxy_one_persons_typos_refuse_only_their_own_account(proxied, org):
    typist, colleague = browser(proxied, "192.168.4.10"), browser(proxied, "192.168.4.20")
    assert [attempt(typist, "worker@example.org") for _ in range(5)] == [400] * 5
    assert attempt(typist, "worker@example.org", PASSWORD) == 429
    assert attempt(colleague, "admin@example.org", PASSWORD) == 303
    assert {e.ip_address for e in events("sign_in_failed")} == {"192.168.4.10"}


def test_an_address_spraying_many_accounts_is_refused_after_the_high_limit(proxied, org):
    sprayer = browser(proxied, "198.51.100.7")
    token = sprayer.csrf_token()
    statuses = {sprayer.post("/sign-in", data={"csrf_token": token, "email": f"guess{n}@example.org",
                                               "password": WRONG}).status_code
                for n in range(throttle.ADDRESS_LIMIT)}
    assert statuses == {400}
    assert attempt(sprayer, "admin@example.org", PASSWORD) == 429
    assert attempt(browser(proxied, "192.168.4.20"), "admin@example.org", PASSWORD) == 303


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, org):
    token = client.csrf_token()
    for n in range(throttle.ADDRESS_LIMIT):
        response = client.post("/sign-in", data={"csrf_token": token, "email": f"guess{n}@example.org",
                                                 "password": WRONG},
                               headers={"X-Forwarded-For": f"203.0.113.{n}"})
        assert response.status_code == 400
    assert attempt(client, "admin@example.org", PASSWORD, headers={"X-Forwarded-For": "203.0.113.250"}) == 429
    assert {e.ip_address for e in events("sign_in_failed")} == {"127.0.0.1"}


def test_a_forwarded_address_too_long_for_the_trail_is_cut_not_an_error(proxied, org):
    # With more hops trusted than there are proxies, X-Forwarded-For is whatever the client sent.
    assert attempt(browser(proxied, "f" * 100), "worker@example.org") == 400
    assert [e.ip_address for e in events("sign_in_failed")] == ["f" * 45]


def test_trusted_proxies_take_the_address_and_scheme_from_that_many_hops(database_url):
    assert not isinstance(make_app(database_url).wsgi_app, ProxyFix)
    fixed = make_app(database_url, trusted_proxies=2).wsgi_app
    assert isinstance(fixed, ProxyFix)
    assert (fixed.x_for, fixed.x_proto, fixed.x_host) == (2, 2, 0)


def test_two_workers_on_one_database_share_the_count(client, org, another_app):
    assert [attempt(client, "worker@example.org") for _ in range(5)] == [400] * 5
    second_worker = another_app().test_client()
    assert attempt(second_worker, "worker@example.org", PASSWORD) == 429


def test_a_limits_store_is_still_used_when_configured(another_app, org):
    app = another_app(ratelimit_storage_url="memory://")
    browser_ = app.test_client()
    assert [attempt(browser_, "worker@example.org") for _ in range(5)] == [400] * 5
    assert attempt(browser_, "worker@example.org", PASSWORD) == 429
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 0


def test_change_password_failures_count_and_are_audited(client, org):
    sign_in(client, org["worker"])
    fields = {"new_password": "plum kettle harbour lantern", "confirm_password": "plum kettle harbour lantern"}
    for _ in range(5):
        response = client.post_form("/account/password", {"current_password": WRONG, **fields})
        assert response.status_code == 400
    response = client.post_form("/account/password", {"current_password": PASSWORD, **fields})
    assert response.status_code == 429
    assert "Too many wrong passwords for this account" in response.get_data(as_text=True)
    failed = events("password_failed")
    assert len(failed) == 5
    assert {(e.actor_id, e.entity_type, e.entity_id) for e in failed} == {(org["worker"].id, "staff", org["worker"].id)}
    assert attempt(client.application.test_client(), "worker@example.org", PASSWORD) == 429


def test_the_right_current_password_clears_the_count(client, org):
    sign_in(client, org["worker"])
    fields = {"new_password": "short", "confirm_password": "short"}  # refused, after the current password
    for _ in range(4):
        client.post_form("/account/password", {"current_password": WRONG, **fields})
    client.post_form("/account/password", {"current_password": PASSWORD, **fields})
    statuses = [client.post_form("/account/password", {"current_password": WRONG, **fields}).status_code
                for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_throttled_refusals_write_one_audit_entry_per_window(client, org, monkeypatch):
    for _ in range(5):
        attempt(client, "worker@example.org")
    assert [attempt(client, "worker@example.org", PASSWORD) for _ in range(3)] == [429] * 3
    refusals = events("throttled")
    assert [(e.actor_id, e.actor_label) for e in refusals] == [(None, "typed: worker@example.org")]
    assert "5 failures for this account" in refusals[0].summary

    monkeypatch.setattr(dates, "_offset", dates._offset + throttle.WINDOW + timedelta(seconds=1))
    assert attempt(client, "worker@example.org", PASSWORD) == 303  # the lock lifted by itself
    client.post_form("/sign-out")
    for _ in range(5):
        attempt(client, "worker@example.org")
    assert [attempt(client, "worker@example.org", PASSWORD) for _ in range(2)] == [429] * 2
    assert len(events("throttled")) == 2


def test_a_failed_sign_in_names_only_the_typed_address(client, org):
    attempt(client, "  Worker@Example.ORG ", "my secret guess 1")
    long_address = "x" * 240 + "@example.org"
    attempt(client, long_address, "my secret guess 2")
    known, unknown = events("sign_in_failed")
    assert (known.actor_id, known.actor_label) == (None, "typed: worker@example.org")
    assert (known.entity_type, known.entity_id) == ("staff", org["worker"].id)
    assert unknown.actor_label == ("typed: " + long_address)[:254] and len(unknown.actor_label) == 254
    assert (unknown.actor_id, unknown.entity_id) == (None, None)
    for event in db.session.scalars(select(AuditEvent)):
        assert "secret guess" not in f"{event.actor_label} {event.summary} {event.changes}"


def test_old_failures_are_pruned_when_the_next_is_written(client, org):
    db.session.add(SignInFailure(key_hash="0" * 64, at=dates.utcnow() - throttle.WINDOW - timedelta(seconds=1)))
    db.session.commit()
    attempt(client, "worker@example.org")
    assert db.session.scalar(select(func.count()).where(SignInFailure.key_hash == "0" * 64)) == 0
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 2  # account and address


def test_an_ipv6_address_counts_as_its_64_block():
    assert throttle.address_key("2001:db8::1") == throttle.address_key("2001:db8::ffff:1")
    assert throttle.address_key("2001:db8::1") != throttle.address_key("2001:db8:0:1::1")
    assert throttle.address_key("192.0.2.1") != throttle.address_key("192.0.2.2")

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.auth.models import UserSession
from teamops.extensions import db
from tests.conftest import PASSWORD, sign_in


def test_sign_in_then_home(client, org):
    response = sign_in(client, org["worker"])
    assert response.headers["Location"] == "/"
    assert "Hello, Wren Worker" in client.get("/").get_data(as_text=True)


def test_sign_in_is_case_insensitive_on_email(client, org):
    response = client.post_form("/sign-in", {"email": "  WORKER@Example.org ", "password": PASSWORD})
    assert response.status_code == 303


def test_sign_in_returns_to_requested_page_only_on_this_site(client, org):
    response = client.post_form("/sign-in?next=/admin/staff", {"email": "admin@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/admin/staff"
    client.post_form("/sign-out")
    response = client.post_form("/sign-in?next=//evil.example/x",
                                {"email": "admin@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_bad_password_and_unknown_account_get_the_same_generic_message(client, org):
    wrong = client.post_form("/sign-in", {"email": "worker@example.org", "password": "not the password at all"})
    unknown = client.post_form("/sign-in", {"email": "nobody@example.org", "password": "not the password at all"})
    for response in (wrong, unknown):
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert "Enter a correct e-mail address and password" in text
        assert 'value="nobody@example.org"' in text or 'value="worker@example.org"' in text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")) is not None


def test_empty_fields_are_named(client, org):
    text = client.post_form("/sign-in", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your work e-mail address" in text
    assert "Enter your password" in text
    assert 'aria-invalid="true"' in text


def test_account_without_password_cannot_sign_in(client, make):
    person = make.staff(password=False)
    response = client.post_form("/sign-in", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 400


def test_five_failures_throttle_the_account_even_with_the_right_password(client, org):
    for _ in range(5):
        client.post_form("/sign-in", {"email": "worker@example.org", "password": "wrong password here"})
    response = client.post_form("/sign-in", {"email": "worker@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    # Another account from another address is unaffected.
    other = client.application.test_client()
    ok = other.post_form("/sign-in", {"email": "admin@example.org", "password": PASSWORD},
                         environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert ok.status_code == 303


def test_sign_in_starts_a_new_session(client, org):
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, org["worker"])
    with client.session_transaction() as session:
        assert "planted" not in session
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).all()
    assert [e.actor_label for e in events] == ["worker@example.org"]


def test_sign_out_ends_the_session_for_good(client, org):
    sign_in(client, org["worker"])
    with client.session_transaction() as session:
        stolen = dict(session)
    response = client.post_form("/sign-out")
    assert response.status_code == 303
    assert client.get("/").status_code == 303
    # Replaying the old cookie does not bring the session back.
    with client.session_transaction() as session:
        session.update(stolen)
    assert client.get("/").status_code == 303
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_out")) is not None


def test_sign_out_needs_csrf(client, org):
    sign_in(client, org["worker"])
    client.post("/sign-out")
    assert client.get("/").status_code == 200


def test_pages_with_personal_data_are_not_cached(client, org):
    sign_in(client, org["worker"])
    assert client.get("/").headers["Cache-Control"] == "no-store"


def _age_session(column: str, delta: timedelta) -> None:
    row = db.session.scalar(select(UserSession))
    setattr(row, column, getattr(row, column) - delta)
    db.session.commit()


def test_idle_timeout_after_30_minutes(client, org):
    sign_in(client, org["worker"])
    _age_session("last_seen_at", timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 303
    assert "/sign-in" in response.headers["Location"]


def test_activity_keeps_the_session_alive(client, org):
    sign_in(client, org["worker"])
    _age_session("last_seen_at", timedelta(minutes=29))
    assert client.get("/").status_code == 200
    _age_session("last_seen_at", timedelta(minutes=5))
    assert client.get("/").status_code == 200


def test_absolute_timeout_after_10_hours(client, org):
    sign_in(client, org["worker"])
    _age_session("created_at", timedelta(hours=10, minutes=1))
    assert client.get("/").status_code == 303


def test_deactivating_someone_ends_their_sessions(client, org, as_role):
    sign_in(client, org["worker"])
    admin = as_role("admin")
    admin.post_form(f"/admin/staff/{org['worker'].id}/active?to=inactive")
    assert client.get("/").status_code == 303
    response = client.post_form("/sign-in", {"email": "worker@example.org", "password": PASSWORD})
    assert response.status_code == 400


# Expired sessions are pruned on sign-in (issue 7 item 12) -------------------------------------------------

def test_each_sign_in_deletes_every_accounts_expired_sessions(app, org):
    clients = {role: app.test_client() for role in ("worker", "team_manager", "qait", "admin")}
    for role, client in clients.items():
        sign_in(client, org[role])
    rows = {row.staff_id: row for row in db.session.scalars(select(UserSession))}
    rows[org["worker"].id].last_seen_at -= timedelta(minutes=31)  # idle too long
    rows[org["team_manager"].id].created_at -= timedelta(hours=10, minutes=1)  # signed in too long
    rows[org["qait"].id].last_seen_at -= timedelta(minutes=29)  # still usable
    db.session.commit()
    sign_in(app.test_client(), org["service_manager"])
    left = set(db.session.scalars(select(UserSession.staff_id)))
    assert left == {org["qait"].id, org["admin"].id, org["service_manager"].id}
    assert clients["qait"].get("/").status_code == 200

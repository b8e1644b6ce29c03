from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from teamops.auth.models import PasswordToken, UserSession
from teamops.auth.passwords import HASHER, hash_password, password_problem, verify_password
from teamops.extensions import db
from tests.conftest import PASSWORD, sign_in

NEW = "plum kettle harbour lantern"


def _parameters(encoded: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.search(r"m=(\d+),t=(\d+),p=(\d+)", encoded).groups())


def test_hashes_are_argon2id_at_least_owasp_minimum():
    """Outside the test environment (whose hasher is deliberately tiny): argon2id at no less than OWASP's
    recommended minimum of 19 MiB, 2 iterations, 1 lane (issue 8)."""
    encoded = HASHER.hash("some long passphrase")
    assert encoded.startswith("$argon2id$")
    m, t, p = _parameters(encoded)
    assert m >= 19 * 1024 and t >= 2 and p >= 1


def test_a_hash_made_with_other_parameters_is_remade_at_the_next_sign_in(client, org):
    """When the parameters change, existing hashes move to the new ones as people sign in (here: a hash made
    with RFC 9106's heavier setting, remade with the environment's own)."""
    person = org["worker"]
    person.password_hash = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash(PASSWORD)
    db.session.commit()
    sign_in(client, person)
    db.session.refresh(person)
    assert _parameters(person.password_hash) == _parameters(hash_password(PASSWORD))
    assert client.get("/").status_code == 200  # signed in with the old hash
    assert verify_password(person.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short one", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),
        ("123456789012", "too common"),
        ("abcdefghijklmn", "too common"),
        ("x" * 129, "128 characters or fewer"),
        ("worker.person-secret", "too common"),
    ],
)
def test_password_rule_refuses(password, problem):
    assert problem in password_problem(password, "worker.person@example.org")


@pytest.mark.parametrize("password", [NEW, "TeamOps-demo-1", "correct horse battery staple", "ÄÖÜ sind schön 12"])
def test_password_rule_accepts_long_uncommon_passwords_without_composition_rules(password):
    assert password_problem(password, "someone@example.org") is None


def test_change_password(client, org):
    sign_in(client, org["worker"])
    other = client.application.test_client()
    sign_in(other, org["worker"])
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # this browser carries on
    assert other.get("/").status_code == 303  # every other session ends
    client.post_form("/sign-out")
    assert client.post_form("/sign-in", {"email": "worker@example.org", "password": NEW}).status_code == 303


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current_password": "wrong wrong wrong", "new_password": NEW, "confirm_password": NEW},
         "Your current password is not right"),
        ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
         "at least 12 characters"),
        ({"current_password": PASSWORD, "new_password": "password123456", "confirm_password": "password123456"},
         "too common"),
        ({"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW + "x"},
         "The passwords do not match"),
        ({"current_password": "", "new_password": "", "confirm_password": ""}, "Enter your current password"),
    ],
)
def test_change_password_refusals_write_nothing(client, org, fields, message):
    sign_in(client, org["worker"])
    before = org["worker"].password_hash
    response = client.post_form("/account/password", fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.get(type(org["worker"]), org["worker"].id).password_hash == before


def _issue_link(as_role, person) -> str:
    """The link as the person receives it: in the mail to them (logged for now), never on the admin's page."""
    admin = as_role("admin")
    records = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = admin.application.logger
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        response = admin.post_form(f"/admin/staff/{person.id}/password-link")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert response.status_code == 303
    assert "/set-password/" not in admin.get(response.headers["Location"]).get_data(as_text=True)
    mails = [record.getMessage() for record in records if person.email in record.getMessage()]
    match = re.search(r"http://127\.0\.0\.1:5000(/set-password/\S+)", mails[-1])
    assert match, mails
    return match.group(1)


def test_admin_issues_a_one_time_set_password_link(client, make, as_role, org):
    newcomer = make.staff(password=False, email="newcomer@example.org", team=org["teams"]["north"])
    path = _issue_link(as_role, newcomer)
    assert client.get(path).status_code == 200
    response = client.post_form(path, {"new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 303
    assert client.post_form("/sign-in", {"email": "newcomer@example.org", "password": NEW}).status_code == 303
    # The link works once.
    fresh = client.application.test_client()
    assert fresh.get(path).status_code == 404
    assert "expired or was already used" in fresh.get(path).get_data(as_text=True)


def test_set_password_link_expires_after_72_hours(client, make, as_role, org):
    newcomer = make.staff(password=False, team=org["teams"]["north"])
    path = _issue_link(as_role, newcomer)
    link = db.session.scalar(select(PasswordToken))
    link.expires_at = link.expires_at - timedelta(hours=72, seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_new_link_replaces_the_old_one(client, make, as_role, org):
    newcomer = make.staff(password=False, team=org["teams"]["north"])
    first = _issue_link(as_role, newcomer)
    second = _issue_link(as_role, newcomer)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_set_password_refuses_weak_password_and_keeps_link(client, make, as_role, org):
    newcomer = make.staff(password=False, team=org["teams"]["north"])
    path = _issue_link(as_role, newcomer)
    response = client.post_form(path, {"new_password": "123456789012", "confirm_password": "123456789012"})
    assert response.status_code == 400
    assert "too common" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_only_admins_issue_links(as_role, org):
    response = as_role("team_manager").post_form(f"/admin/staff/{org['worker'].id}/password-link")
    assert response.status_code == 403


def test_sessions_are_stored_server_side_and_hashed(client, org):
    sign_in(client, org["worker"])
    with client.session_transaction() as session:
        token = session["sid"]
    row = db.session.scalar(select(UserSession))
    assert row.token_hash != token and len(row.token_hash) == 64


def test_production_hashes_at_full_strength_and_only_testing_is_cheap(tmp_path):
    """The one test at production parameters: argon2id at OWASP's minimum, 19 MiB, 2 passes, 1 lane (issue 8).
    The testing environment's cheap parameters exist only to keep the suite fast."""
    from teamops import create_app
    from teamops.auth.passwords import hash_password, verify_password

    production = create_app({"database_url": f"sqlite:///{tmp_path / 'p.sqlite'}", "environment": "production",
                             "secret_key": "production-test-key"})
    with production.app_context():
        stored = hash_password(PASSWORD)
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert verify_password(stored, PASSWORD)
        assert not verify_password(stored, PASSWORD + "!")
    testing = create_app({"database_url": f"sqlite:///{tmp_path / 't.sqlite'}", "environment": "testing",
                          "secret_key": "testing-key"})
    with testing.app_context():
        assert hash_password(PASSWORD).startswith("$argon2id$v=19$m=8,t=1,p=1$")

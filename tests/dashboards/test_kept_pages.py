"""Issue 8: kept pages (teamops.kept). A page read again while nothing it shows has changed is answered from the
copy made last time, without loading the account or running the view; every write the page could show, every
change to who may see it, the session ending and the clock passing a booked session answer afresh. A copy is
never shown to another person or in another session."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy
from flask import Flask

from teamops import dates
from teamops.api.models import ApiToken
from teamops.api.tokens import create_token, revoke_token
from teamops.extensions import db
from teamops.kept import forget_pages
from tests import factories
from tests.conftest import sign_in
from tests.dashboards.conftest import row_for, soon

SESSION_COOKIE = "teamops_session"


@pytest.fixture(autouse=True)
def _no_copies_from_other_tests() -> None:
    forget_pages()


def _read(client: Any, url: str, **kwargs: Any) -> tuple[int, Any]:
    """The statements sent for one request, and its answer."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, **kwargs)
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), response


def test_a_page_read_again_is_answered_from_its_copy(as_role, org, supervision):
    supervision.case(org["worker"], "CP", date(2026, 1, 5))
    client = as_role("team_manager")
    built, first = _read(client, "/")
    again, second = _read(client, "/")
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    # One statement, who holds the session with the versions of their team: nothing else is read, no view runs.
    assert again == 1 < built
    assert second.headers["Cache-Control"] == "no-store"  # the security headers come with a copy too
    assert "Content-Security-Policy" in second.headers


def test_every_write_the_page_shows_answers_afresh(as_role, org, supervision):
    client = as_role("team_manager")
    before = row_for(client.get("/").get_data(as_text=True), "Wren Worker")
    supervision.case(org["worker"], "CP", date(2026, 1, 5))  # overdue since February
    after = row_for(client.get("/").get_data(as_text=True), "Wren Worker")
    assert after != before
    assert row_for(client.get("/dashboard/team").get_data(as_text=True), "Wren Worker") == after


def test_a_booking_shows_on_the_workers_home_at_once(as_role, org, supervision):
    client = as_role("worker")
    assert "Case supervision with Tia Manager" not in client.get("/").get_data(as_text=True)
    supervision.booking(org["worker"], org["team_manager"], soon(2), kind="case")
    assert "Case supervision with Tia Manager" in client.get("/").get_data(as_text=True)


def test_a_name_shown_on_another_teams_page_answers_afresh(as_role, org, supervision):
    """Sol manages the south team; a session he booked for Wren (north) shows his name on Wren's home."""
    supervision.booking(org["worker"], org["south_manager"], soon(2), kind="case")
    client = as_role("worker")
    assert "Case supervision with Sol South" in client.get("/").get_data(as_text=True)
    org["south_manager"].name = "Sol Southwell"
    db.session.commit()
    assert "Case supervision with Sol Southwell" in client.get("/").get_data(as_text=True)


def test_the_copy_ends_when_the_booked_session_starts(as_role, org, supervision, monkeypatch):
    supervision.booking(org["worker"], org["team_manager"], dates.utcnow() + timedelta(minutes=5), kind="case")
    client = as_role("worker")
    assert "Case supervision with Tia Manager" in client.get("/").get_data(as_text=True)
    monkeypatch.setattr(dates, "_offset", dates._offset + timedelta(minutes=10))  # the same day, still signed in
    response = client.get("/")
    assert response.status_code == 200
    assert "Case supervision with Tia Manager" not in response.get_data(as_text=True)


def test_a_change_of_role_changes_the_page(as_role, org):
    client = as_role("team_manager")
    assert "Wren Worker" in client.get("/").get_data(as_text=True)  # the team table
    org["team_manager"].role = "worker"
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Wren Worker" not in html
    assert client.get("/dashboard/team").status_code == 403


def test_never_another_persons_or_another_sessions_copy(app, as_role, org):
    manager, south = as_role("team_manager"), as_role("south_manager")
    ours, theirs = manager.get("/").get_data(as_text=True), south.get("/").get_data(as_text=True)
    assert "Family Safeguarding North" in ours and "Family Safeguarding South" in theirs
    assert south.get("/").get_data(as_text=True) == theirs
    second_session = app.test_client()
    sign_in(second_session, org["team_manager"])
    other = second_session.get("/").get_data(as_text=True)
    assert other != ours  # each session's page carries that session's form token
    # The session's own token, without the time it was signed at (a token signed a second later differs):
    token = manager.csrf_token().split(".")[0]
    assert token in ours and token not in other


def test_a_session_ended_elsewhere_gets_no_copy(app, as_role):
    client = as_role("team_manager")
    assert client.get("/").status_code == 200
    old_cookie = client.get_cookie(SESSION_COOKIE)
    assert client.post_form("/sign-out").status_code == 303
    replay = app.test_client()
    replay.set_cookie(SESSION_COOKIE, old_cookie.value)
    response = replay.get("/")
    assert response.status_code == 303 and "/sign-in" in response.headers["Location"]


def test_a_leaver_gets_no_copy(as_role, org):
    client = as_role("team_manager")
    assert client.get("/").status_code == 200
    org["team_manager"].active = False
    db.session.commit()
    assert client.get("/").status_code == 303


def test_an_idle_session_ends_and_a_quiet_minute_is_still_noted(as_role):
    client = as_role("team_manager")
    first = client.get("/").get_data()
    factories.age_sessions(2)  # last seen two minutes ago: this request is activity, and is written down
    assert client.get("/").get_data() == first
    factories.age_sessions(24 * 60)
    response = client.get("/")
    assert response.status_code == 303 and "/sign-in" in response.headers["Location"]


def test_a_message_to_flash_is_shown_not_a_copy(as_role):
    client = as_role("team_manager")
    first = client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Booking saved for 20 March")]
    assert "Booking saved for 20 March" in client.get("/").get_data(as_text=True)
    assert client.get("/").get_data(as_text=True) == first


def test_a_reporting_tools_answers_are_kept_until_its_token_is_revoked(app: Flask, org, supervision):
    supervision.case(org["worker"], "CP", date(2026, 1, 5), ref="KEPT-1")
    token = create_token(org["team_manager"], "kept")
    db.session.commit()
    tool = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/cases?team={org['teams']['north'].id}"
    _, first = _read(tool, url, headers=headers)  # the token's first use is written down: the full check
    _read(tool, url, headers=headers)  # from the copy, learning whose token it is
    again, second = _read(tool, url, headers=headers)
    assert first.status_code == second.status_code == 200 and "KEPT-1" in second.get_data(as_text=True)
    assert again == 1 and second.get_data() == first.get_data()
    assert revoke_token(db.session.scalars(sqlalchemy.select(ApiToken)).one())
    db.session.commit()
    assert tool.get(url, headers=headers).status_code == 401

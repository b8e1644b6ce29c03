"""The idle time-out (issue 7 item 6): an unattended screen does not stay signed in because its dashboard
polls, someone typing stays signed in, and a form sent after the session ended, or with a security token that
ran out, never loses what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from teamops.dates import today
from teamops.extensions import db
from teamops.records.models import SupervisionRecord
from tests import factories
from tests.conftest import PASSWORD
from tests.records.conftest import case_data, write_url

BACKGROUND = {"HX-Request": "true", "X-TeamOps-Background": "true"}
MARKER = "Typed for forty minutes without saving"


def test_dashboard_polls_do_not_keep_an_unattended_screen_signed_in(as_role):
    manager = as_role("team_manager")
    factories.age_sessions(20)
    assert manager.get("/dashboard/team", headers=BACKGROUND).status_code == 200  # still signed in
    factories.age_sessions(11)  # 31 minutes since the manager last did anything: the polls did not count
    response = manager.get("/dashboard/team", headers=BACKGROUND)
    assert response.status_code == 303 and "/sign-in" in response.headers["Location"]


def test_a_foreground_request_and_the_typing_heartbeat_keep_the_session(as_role):
    manager = as_role("team_manager")
    factories.age_sessions(25)
    assert manager.post_form("/session/heartbeat").status_code == 204  # typing in a form
    factories.age_sessions(25)  # 25 minutes after the heartbeat, 50 after the page was opened
    assert manager.get("/dashboard/team").status_code == 200


def test_the_warning_asks_how_long_is_left_without_counting_as_activity(as_role):
    manager = as_role("team_manager")
    factories.age_sessions(28)
    left = manager.get("/session/status", headers={"X-TeamOps-Background": "true"}).get_json()["seconds_left"]
    assert 60 < left <= 120
    assert manager.get("/session/status", headers={"X-TeamOps-Background": "true"}).get_json()["seconds_left"] <= 120
    factories.age_sessions(3)
    assert manager.get("/session/status", headers={"X-TeamOps-Background": "true"}).status_code == 303


def test_a_record_sent_after_the_session_ended_is_kept_and_sent_after_signing_in(as_role, org):
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case])
    data = {**case_data(case, childs_voice=MARKER), "csrf_token": manager.csrf_token()}  # the form, opened
    factories.age_sessions(45)  # ... and sent 45 minutes later
    response = manager.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "Sign in to TeamOps" in page
    assert "Your session ended before your form was sent" in page
    assert f'name="kept__c{case.id}_childs_voice" value="{MARKER}"' in page
    assert db.session.scalar(select(func.count(SupervisionRecord.id))) == 0

    # Signing in again from that page: the same data goes with it, and comes back ready to send.
    carried = {name: value for name, value in _hidden_fields(page) if name.startswith("kept")}
    signed_in = manager.post_form(f"/sign-in?next={url}", {**carried, "email": "tm@example.org",
                                                           "password": PASSWORD})
    resend = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200 and "Send your form again" in resend
    assert f'name="c{case.id}_childs_voice" value="{MARKER}"' in resend
    fields = dict(_hidden_fields(resend))
    sent = manager.post(url, data=fields)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:3000]
    record = db.session.scalar(select(SupervisionRecord))
    assert record is not None and record.discussions[0].childs_voice == MARKER


def test_a_form_with_an_expired_security_token_says_what_happened_and_keeps_the_text(as_role, org):
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case])
    response = manager.post(url, data={**case_data(case, childs_voice=MARKER), "csrf_token": "no-longer-valid"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<header" in page and "Send your form again" in page and "security check had run out" in page
    assert f'value="{MARKER}"' in page
    assert db.session.scalar(select(func.count(SupervisionRecord.id))) == 0
    fields = dict(_hidden_fields(page))
    assert manager.post(url, data=fields).status_code == 303


def test_a_sign_in_page_left_open_too_long_still_carries_the_form(as_role, org):
    """The sign-in page that keeps a form has a security token too: sent after it ran out, the same page comes back
    with a fresh token and the form still in it, rather than the form lost."""
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case])
    data = {**case_data(case, childs_voice=MARKER), "csrf_token": manager.csrf_token()}
    factories.age_sessions(45)
    page = manager.post(url, data=data).get_data(as_text=True)
    carried = {name: value for name, value in _hidden_fields(page) if name.startswith("kept")}
    stale = manager.post("/sign-in", data={**carried, "csrf_token": "ran-out", "email": "tm@example.org",
                                           "password": PASSWORD})
    again = stale.get_data(as_text=True)
    assert stale.status_code == 400 and "Your session ended before your form was sent" in again
    assert f'name="kept__c{case.id}_childs_voice" value="{MARKER}"' in again
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', again)
    assert fresh is not None, "a fresh token in the page"
    signed_in = manager.post(f"/sign-in?next={url}", data={**carried, "csrf_token": fresh[1], "email": "tm@example.org",
                                                           "password": PASSWORD})
    assert "Send your form again" in signed_in.get_data(as_text=True)


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_form_another_site_sent_is_never_kept_to_send_again(as_role, org, site):
    """Another site can make the browser post a form to TeamOps: signed out, or with no valid token, it is refused,
    and its fields are not offered back to "Send it now" as if the person had typed them (Fetch Metadata)."""
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case])
    forged = case_data(case, childs_voice=MARKER)
    no_token = manager.post(url, data=forged, headers={"Sec-Fetch-Site": site})
    page = no_token.get_data(as_text=True)
    assert no_token.status_code == 400 and "Your form could not be sent" in page
    assert MARKER not in page and "Send your form again" not in page and "did not come from a TeamOps page" in page
    token = manager.csrf_token()  # as if the other site had one (it cannot): the session's end alone refuses it
    factories.age_sessions(45)
    signed_out = manager.post(url, data={**forged, "csrf_token": token}, headers={"Sec-Fetch-Site": site})
    page = signed_out.get_data(as_text=True)
    assert signed_out.status_code == 401 and "Sign in to TeamOps" in page
    assert MARKER not in page and "kept__" not in page and "Your session ended before your form was sent" not in page
    assert db.session.scalar(select(func.count(SupervisionRecord.id))) == 0


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://elsewhere.example"}])
def test_a_form_with_no_token_or_from_another_origin_is_not_kept(as_role, org, headers):
    """No TeamOps page sends a form without its token field; an old browser that sends no Sec-Fetch-Site still
    says the Origin: neither form is kept to send again."""
    case = factories.case(None, "CP", False, org["worker"], today() - timedelta(days=365))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case])
    response = manager.post(url, data=case_data(case, childs_voice=MARKER), headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and MARKER not in page and "Send your form again" not in page
    if headers:
        token = manager.csrf_token()
        factories.age_sessions(45)
        signed_out = manager.post(url, data={**case_data(case, childs_voice=MARKER), "csrf_token": token},
                                  headers=headers)
        assert signed_out.status_code == 401 and MARKER not in signed_out.get_data(as_text=True)


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    import html
    import re

    return [(html.unescape(name), html.unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)]

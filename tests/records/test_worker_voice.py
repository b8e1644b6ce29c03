"""The worker's voice on their own record (issue 9 item 13, R-SUP-7): when acknowledging, a worker may comment or
record that they disagree with what was written. A disagreement reaches the manager at once and, unresolved 7
days later, the service manager who gets the team's escalations; whoever resolves it records how, and the
worker reads it. The words stay in the record: never in the audit trail, the mail or the log."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.records.models import CaseDiscussion, RecordVersion
from tests import factories
from tests.conftest import sign_in
from tests.records.conftest import case_data, days_ago, discussion_of, write_url
from tests.records.test_signoff_and_versions import edit_data

REASON = "The record says I agreed to close the case; I asked for a strategy discussion first."
RESOLUTION = "Agreed: the decision was recorded wrongly and is corrected in version 2."


@pytest.fixture
def signed_off(as_role, saved_record):
    """A case supervision of Wren Worker by Tia Manager, signed off and waiting for Wren's acknowledgement."""
    record = saved_record()
    assert as_role("team_manager").post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 303
    return record


def signed_in(app, org, role):
    """A client signed in now: inside ``dates.freeze``, a session signed in at the real time has expired."""
    client = app.test_client()
    sign_in(client, org[role])
    return client


def acknowledge(client, record, agreement="disagree", comment=REASON):
    return client.post_form(f"/records/{record.id}/acknowledge", {"agreement": agreement, "comment": comment})


def test_a_worker_acknowledges_with_a_comment_and_the_manager_reads_it(as_role, org, signed_off):
    worker, manager = as_role("worker"), as_role("team_manager")
    form = worker.get(f"/records/{signed_off.id}").get_data(as_text=True)
    for expected in ("I agree with the record", "I disagree with what was written", "I have read this record",
                     'data-module="govuk-character-count"', 'data-maxlength="2000"', 'href="#acknowledge"'):
        assert expected in form, expected
    response = acknowledge(worker, signed_off, "agree", "  Thanks: a useful session.  ")
    assert response.status_code == 303 and response.headers["Location"] == f"/records/{signed_off.id}"
    db.session.refresh(signed_off)
    assert signed_off.acknowledged_at is not None and signed_off.worker_disagrees is False
    assert signed_off.worker_comment == "Thanks: a useful session."
    page = manager.get(f"/records/{signed_off.id}").get_data(as_text=True)
    assert "Response from Wren Worker" in page and "Agrees with the record" in page
    assert "Thanks: a useful session." in page and "Resolve the disagreement" not in page
    own = worker.get(f"/records/{signed_off.id}").get_data(as_text=True)
    assert "Your response" in own and "I have read this record" not in own  # acknowledged: no form
    text = manager.get(f"/records/{signed_off.id}/cases/{discussion_of(signed_off).id}/copy.txt").get_data(as_text=True)
    assert "The worker's response\nAgrees with the record.\nThanks: a useful session." in text
    assert "Thanks" not in manager.get("/escalations").get_data(as_text=True)  # agreeing is nothing to resolve
    again = acknowledge(worker, signed_off, "disagree", "Changed my mind")
    assert again.status_code == 303
    db.session.refresh(signed_off)
    assert signed_off.worker_disagrees is False  # already acknowledged: nothing changes


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"agreement": "disagree", "comment": "   "}, "comment", "Say what you disagree with and why"),
    ({"comment": "Fine by me"}, "agreement", "Select whether you agree with the record"),
    ({"agreement": "perhaps", "comment": "Fine by me"}, "agreement", "Not a valid choice"),
    ({"agreement": "disagree", "comment": "x" * 2001}, "comment", "Keep your comment to 2,000 characters or fewer"),
])
def test_bad_answers_are_sent_back_with_the_error_next_to_the_field(as_role, signed_off, data, field, message):
    response = as_role("worker").post_form(f"/records/{signed_off.id}/acknowledge", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count(message) == 2  # the error summary and the field
    assert f'href="#{field}"' in page and f'id="{field}-error"' in page and "<title>Error:" in page
    if data.get("comment", "").strip():
        assert data["comment"] in page  # what was typed is kept
    if data.get("agreement") == "disagree":
        assert 'value="disagree" checked' in page
    db.session.refresh(signed_off)
    assert signed_off.acknowledged_at is None and signed_off.worker_disagrees is None


def test_a_worker_cannot_acknowledge_or_resolve_anothers_record(as_role, org, signed_off):
    for role in ("south_worker", "team_manager", "service_manager", "qait", "admin"):
        assert acknowledge(as_role(role), signed_off).status_code == 403, role
    db.session.refresh(signed_off)
    assert signed_off.acknowledged_at is None
    assert acknowledge(as_role("worker"), signed_off).status_code == 303
    for role in ("worker", "south_manager", "south_worker", "qait", "admin"):
        client = as_role(role)
        assert client.get(f"/records/{signed_off.id}/disagreement").status_code == 403, role
        assert client.post_form(f"/records/{signed_off.id}/disagreement",
                                {"resolution": "Settled"}).status_code == 403, role
    db.session.refresh(signed_off)
    assert signed_off.disagreement_open


def test_a_disagreement_reaches_the_manager_at_once_and_the_service_manager_after_7_days(app, org, signed_off,
                                                                                         caplog):
    day = dates.today()
    with caplog.at_level(logging.INFO), dates.freeze(day):
        worker = signed_in(app, org, "worker")
        response = acknowledge(worker, signed_off)
        assert response.status_code == 303
        assert "recorded that you disagree" in worker.get(response.headers["Location"]).get_data(as_text=True)
    # Tia wrote the record and manages Wren: told at once, without the words.
    assert "Mail to Tia Manager <tm@example.org>" in caplog.text and "disagree" in caplog.text
    assert "strategy discussion" not in caplog.text
    for shown_on in (day, day + timedelta(days=6)):
        with dates.freeze(shown_on):
            manager, sm = signed_in(app, org, "team_manager"), signed_in(app, org, "service_manager")
            queue = manager.get("/escalations").get_data(as_text=True)
            assert "Workers who disagree with a record" in queue and "Wren Worker" in queue and REASON in queue
            assert REASON not in sm.get("/escalations").get_data(as_text=True)
            assert sm.get(f"/records/{signed_off.id}/disagreement").status_code == 403
            listed = manager.get("/records?show=disagrees").get_data(as_text=True)
            assert f'href="/records/{signed_off.id}"' in listed and "Worker disagrees" in listed
    with dates.freeze(day + timedelta(days=7)):
        manager, sm = signed_in(app, org, "team_manager"), signed_in(app, org, "service_manager")
        queue = sm.get("/escalations").get_data(as_text=True)
        assert REASON in queue and "Over 7 days" in queue
        assert sm.get(f"/records/{signed_off.id}/disagreement").status_code == 200
        assert REASON in manager.get("/escalations").get_data(as_text=True)  # still the manager's too
        page = signed_in(app, org, "worker").get(f"/records/{signed_off.id}").get_data(as_text=True)
        assert "Not resolved yet" in page and "also with the service manager" in page
        unacknowledged = manager.get("/records?show=unacknowledged").get_data(as_text=True)
        assert f'href="/records/{signed_off.id}"' not in unacknowledged


def test_the_service_manager_resolves_and_it_leaves_both_queues(app, as_role, org, signed_off, caplog):
    day = dates.today()
    with dates.freeze(day):
        acknowledge(signed_in(app, org, "worker"), signed_off)
    with dates.freeze(day + timedelta(days=8)):
        manager, sm = signed_in(app, org, "team_manager"), signed_in(app, org, "service_manager")
        page = sm.get(f"/records/{signed_off.id}/disagreement").get_data(as_text=True)
        assert REASON in page and "Record the resolution" in page
        empty = sm.post_form(f"/records/{signed_off.id}/disagreement", {"resolution": "  "})
        assert empty.status_code == 400 and "Record how the disagreement was resolved" in empty.get_data(as_text=True)
        with caplog.at_level(logging.INFO):
            response = sm.post_form(f"/records/{signed_off.id}/disagreement", {"resolution": RESOLUTION})
        assert response.status_code == 303 and response.headers["Location"] == f"/records/{signed_off.id}"
        assert "Mail to Wren Worker" in caplog.text and "corrected" not in caplog.text
        for client in (sm, manager):
            queue = client.get("/escalations").get_data(as_text=True)
            assert "No workers' disagreements are waiting for you." in queue and "Recently resolved" in queue
        assert f'href="/records/{signed_off.id}"' not in manager.get("/records?show=disagrees").get_data(as_text=True)
        again = manager.post_form(f"/records/{signed_off.id}/disagreement", {"resolution": "Something else"})
        assert again.status_code == 303
    db.session.refresh(signed_off)
    assert signed_off.disagreement_resolution == RESOLUTION and not signed_off.disagreement_open
    assert signed_off.disagreement_resolved_by_id == org["service_manager"].id
    worker = as_role("worker")
    own = worker.get(f"/records/{signed_off.id}").get_data(as_text=True)
    assert "Resolved by Sam Service" in own and RESOLUTION in own
    text = worker.get(f"/records/{signed_off.id}/cases/{discussion_of(signed_off).id}/copy.txt").get_data(as_text=True)
    assert "Disagrees with what was written.\n" + REASON in text and "resolved by Sam Service on " in text
    assert RESOLUTION in text


def test_a_change_waits_for_the_resolution_and_the_response_stays_with_its_version(as_role, org, signed_off):
    worker, manager = as_role("worker"), as_role("team_manager")
    acknowledge(worker, signed_off)
    page = manager.get(f"/records/{signed_off.id}").get_data(as_text=True)
    assert "Resolve the disagreement" in page and "Change record" not in page
    held = manager.get(f"/records/{signed_off.id}/edit")
    assert held.status_code == 303 and held.headers["Location"] == f"/records/{signed_off.id}/disagreement"
    p = f"c{discussion_of(signed_off).case_id}"
    changed = edit_data(signed_off, reason="Corrected the decision",
                        **{f"{p}_decisions_and_plan": "Strategy discussion before any decision to close."})
    assert manager.post_form(f"/records/{signed_off.id}/edit", changed).status_code == 303
    db.session.refresh(signed_off)
    assert signed_off.version == 1  # nothing changed yet
    assert manager.post_form(f"/records/{signed_off.id}/disagreement", {"resolution": RESOLUTION}).status_code == 303
    assert manager.post_form(f"/records/{signed_off.id}/edit", changed).status_code == 303
    db.session.refresh(signed_off)
    assert signed_off.version == 2 and signed_off.acknowledged_at is None
    assert signed_off.worker_disagrees is None and signed_off.worker_comment == ""
    kept = db.session.scalar(select(RecordVersion))
    assert kept.snapshot["worker_response"]["comment"] == REASON
    assert kept.snapshot["worker_response"]["resolution"] == RESOLUTION
    old = worker.get(f"/records/{signed_off.id}/versions/1").get_data(as_text=True)
    assert REASON in old and RESOLUTION in old and "Resolved by Tia Manager" in old
    current = worker.get(f"/records/{signed_off.id}").get_data(as_text=True)
    assert REASON not in current and "I have read this record" in current  # they say again about version 2
    assert acknowledge(worker, signed_off, "agree", "").status_code == 303
    db.session.refresh(signed_off)
    assert signed_off.worker_disagrees is False and not signed_off.disagreement_open


def test_the_audit_trail_says_a_disagreement_was_recorded_never_what_it_says(as_role, org, signed_off):
    acknowledge(as_role("worker"), signed_off)
    as_role("team_manager").post_form(f"/records/{signed_off.id}/disagreement", {"resolution": RESOLUTION})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "supervision_record")).all()
    stored = json.dumps([[event.summary, event.changes] for event in events])
    assert "strategy discussion" not in stored and "corrected" not in stored
    changes = [event.changes for event in events if event.changes and "worker_disagrees" in event.changes]
    assert changes == [{"acknowledged_at": changes[0]["acknowledged_at"], "worker_disagrees": [None, True],
                        "worker_comment": [None, "(content)"]}]
    admin = as_role("admin").get("/admin/audit").get_data(as_text=True)
    assert "strategy discussion" not in admin and "corrected" not in admin


def test_in_a_group_record_only_readers_of_every_part_read_the_response(app, as_role, org, make, case_of,
                                                                        saved_record):
    """A colleague reads the part about their own case, not what the worker said about the whole session; the
    copy for each child's file says whether the worker agreed, not their words."""
    colleague = make.staff("worker", org["teams"]["south"], email="colleague@example.org", name="Cal Colleague")
    mine, theirs = case_of(ref="CP-1"), case_of(colleague, ref="CIN-2", case_type="CIN")
    manager = as_role("service_manager")  # reads both teams
    response = manager.post_form(write_url(org["worker"], "group", days_ago(1), [mine, theirs], [colleague]),
                                 {**case_data(mine), **case_data(theirs)})
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert manager.post_form(f"/records/{record_id}/sign-off", {"confirm": "y"}).status_code == 303
    worker = as_role("worker")
    assert worker.post_form(f"/records/{record_id}/acknowledge",
                            {"agreement": "disagree", "comment": REASON}).status_code == 303
    assert REASON in worker.get(f"/records/{record_id}").get_data(as_text=True)  # their own words
    assert REASON in manager.get(f"/records/{record_id}").get_data(as_text=True)
    tia = as_role("team_manager")  # Wren's manager reads only Wren's part, and resolves the disagreement
    assert REASON in tia.get(f"/records/{record_id}").get_data(as_text=True)
    client = app.test_client()
    sign_in(client, colleague)
    page = client.get(f"/records/{record_id}").get_data(as_text=True)
    assert "CIN-2" in page and REASON not in page and "Response from" not in page
    theirs_part = db.session.scalar(select(CaseDiscussion.id).where(CaseDiscussion.record_id == record_id,
                                                                    CaseDiscussion.case_id == theirs.id))
    text = manager.get(f"/records/{record_id}/cases/{theirs_part}/copy.txt").get_data(as_text=True)
    assert "Disagrees with what was written." in text and REASON not in text
    assert "kept with the group record in TeamOps" in text


def test_an_imported_record_is_not_acknowledged(as_role, org):
    """An imported record holds only its date and cases: there is nothing written to acknowledge, and a
    hand-made POST is refused with the reason, writing nothing."""
    imported = factories.record("personal", dates.today() - timedelta(days=30), org["worker"], org["team_manager"],
                                imported=True, status="signed_off")
    worker = as_role("worker")
    assert 'href="#acknowledge"' not in worker.get(f"/records/{imported.id}").get_data(as_text=True)
    response = acknowledge(worker, imported, "agree", "Fine")
    assert response.status_code == 400 and "nothing to acknowledge" in response.get_data(as_text=True)
    db.session.refresh(imported)
    assert imported.acknowledged_at is None and not imported.worker_comment

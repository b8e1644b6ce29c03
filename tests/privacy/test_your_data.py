"""Your data (issue 16 item 6): a signed-in person downloads their own data as a ZIP, read back here as they
would read it (zipfile, json, csv); it holds their own records and none of anyone else's, and no case content."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.api.models import ApiToken
from teamops.api.tokens import issue_token
from teamops.audit.models import AuditEvent
from teamops.dates import today
from teamops.extensions import db
from teamops.notify import notify
from teamops.org.models import Absence
from teamops.quality.audit_models import AuditAction
from teamops.quality.models import PracticeObservation
from teamops.records.models import SupervisionRecord
from tests import factories
from tests.quality import audit_world
from tests.quality.dip_world import rated
from tests.records.conftest import case_data, days_ago, write_url

CHILD = "ZEBRA"  # written about a child in a case supervision: never in anyone's export
OTHER = "OSPREY"  # in someone else's personal supervision: never in this worker's export
MINE = "MARTEN"  # in the worker's own personal supervision: in their export


def _read(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="teamops-your-data-')
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    files: dict[str, Any] = {}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")
        if name.endswith(".json"):
            files[name] = json.loads(text)
        elif name.endswith(".csv"):
            files[name] = list(csv.DictReader(io.StringIO(text)))
        else:
            files[name] = text
    files["_all_text"] = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    return files


@pytest.fixture
def worker_history(org, as_role) -> dict[str, Any]:
    worker, manager = org["worker"], org["team_manager"]
    case = factories.case("MOS-77", "CP", False, worker, days_ago(365))
    response = as_role("team_manager").post_form(
        write_url(worker, "case", days_ago(3), [case]),
        case_data(case, childs_voice=f"{CHILD} said they are scared", new1_description=f"{CHILD} action"))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    factories.record("personal", days_ago(10), worker, manager, wellbeing=f"{MINE} feeling well supported")
    factories.record("personal", days_ago(10), manager, org["service_manager"], wellbeing=f"{OTHER} is tired")
    factories.record("personal", days_ago(12), org["south_worker"], org["south_manager"],
                     wellbeing=f"{OTHER} south")
    factories.booking(worker, manager, factories.uk_time(today() + timedelta(days=3), 10), kind="personal")
    notify(worker, "Your role changed", "You are now a worker.", "/")
    _, token = issue_token(worker, "Power BI")
    issue_token(org["team_manager"], "Manager's token")
    db.session.commit()
    return {"case": case, "token": token}


def test_a_worker_downloads_their_own_data(org, as_role, worker_history):
    client = as_role("worker")
    page = client.get("/account/your-data")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Download your data" in body and 'href="/account/your-data"' in body  # linked from the account area
    files = _read(client.post_form("/account/your-data/download"))
    assert {"README.txt", "you.json", "team_history.json", "team_history.csv", "personal_supervision.json",
            "case_and_group_supervisions.csv", "bookings.csv", "notifications.csv", "audit_events.csv",
            "api_tokens.csv", "reminder_settings.json"} <= set(files)
    you = files["you.json"]
    assert (you["email"], you["name"], you["role"], you["team"]) == (
        "worker@example.org", "Wren Worker", "worker", "Family Safeguarding North")
    assert "password_hash" not in you and you["has_password"] is True
    assert you["linked_to_a_council_account"] is False and "sso_subject" not in you
    assert [row["team"] for row in files["team_history.csv"]] == ["Family Safeguarding North"]
    personal = files["personal_supervision.json"]
    assert len(personal) == 1 and personal[0]["wellbeing"] == f"{MINE} feeling well supported"
    assert personal[0]["supervisor"] == "Tia Manager"
    sessions = files["case_and_group_supervisions.csv"]
    assert [(row["kind"], row["your_part"], row["case_refs"]) for row in sessions] == [("case", "worker", "MOS-77")]
    assert [row["case_ref"] for row in files["case_actions_you_own.csv"]] == ["MOS-77"]
    assert [row["supervisor"] for row in files["bookings.csv"]] == ["Tia Manager"]
    assert [row["line"] for row in files["notifications.csv"]] == ["Your role changed"]
    assert [row["label"] for row in files["api_tokens.csv"]] == ["Power BI"]
    assert files["reminder_settings.json"]["digest"] == "daily"
    everything = files["_all_text"]
    assert CHILD not in everything  # no case content
    assert OTHER not in everything and "Manager's token" not in everything  # nobody else's data
    token_hash = db.session.scalar(select(ApiToken.token_hash).where(ApiToken.label == "Power BI"))
    assert token_hash not in everything and "token_hash" not in everything
    assert any(row["summary"].startswith("sign_in") or row["action"] == "sign_in"
               for row in files["audit_events.csv"])  # their own sign-in is theirs


def test_the_download_is_audited_without_content(org, as_role, worker_history):
    client = as_role("worker")
    client.post_form("/account/your-data/download")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.summary.like("%subject access export%")))
    assert event is not None
    assert (event.actor_id, event.action, event.entity_type, event.entity_id) == (
        org["worker"].id, "read", "staff", org["worker"].id)
    assert event.changes is None and MINE not in event.summary


def test_each_person_gets_only_their_own(org, as_role, worker_history):
    files = _read(as_role("team_manager").post_form("/account/your-data/download"))
    assert files["you.json"]["email"] == "tm@example.org"
    assert [row["wellbeing"] for row in files["personal_supervision.json"]] == [f"{OTHER} is tired"]
    assert MINE not in files["_all_text"] and CHILD not in files["_all_text"]
    # The case supervision they wrote, as the supervisor: its date and case, not what it says.
    assert [(row["your_part"], row["case_refs"]) for row in files["case_and_group_supervisions.csv"]] == [
        ("supervisor", "MOS-77")]
    assert [row["label"] for row in files["api_tokens.csv"]] == ["Manager's token"]


def test_a_group_session_names_only_their_own_cases(org, as_role, worker_history):
    south_case = factories.case("SOUTH-5", "CP", False, org["south_worker"], days_ago(300))
    record = factories.record("group", days_ago(2), org["worker"], org["team_manager"],
                              [worker_history["case"], south_case])
    record.attendees = [org["south_worker"]]
    db.session.commit()
    mine = _read(as_role("worker").post_form("/account/your-data/download"))
    assert [(row["kind"], row["case_refs"]) for row in mine["case_and_group_supervisions.csv"]] == [
        ("case", "MOS-77"), ("group", "MOS-77")]
    assert "SOUTH-5" not in mine["_all_text"]
    theirs = _read(as_role("south_worker").post_form("/account/your-data/download"))
    assert [(row["your_part"], row["case_refs"]) for row in theirs["case_and_group_supervisions.csv"]] == [
        ("attendee", "SOUTH-5")]
    manager = _read(as_role("team_manager").post_form("/account/your-data/download"))
    assert [row["case_refs"] for row in manager["case_and_group_supervisions.csv"]] == ["MOS-77", "MOS-77 SOUTH-5"]


def test_not_for_anyone_signed_out(client, org, worker_history):
    assert client.get("/account/your-data").status_code == 303
    response = client.post_form("/account/your-data/download")
    assert response.status_code != 200 and response.mimetype != "application/zip"


def test_without_the_form_token_nothing_is_downloaded(org, as_role, worker_history):
    response = as_role("worker").post("/account/your-data/download")
    assert response.mimetype != "application/zip"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.summary.like("%subject access%"))) is None


def test_the_download_takes_the_same_statements_for_more_records(org, as_role, worker_history, count_queries):
    client = as_role("worker")
    client.post_form("/account/your-data/download")  # warm: the session's first request loads more
    with count_queries() as few:
        _read(client.post_form("/account/your-data/download"))
    for n in range(5):
        factories.record("personal", days_ago(20 + n), org["worker"], org["team_manager"], wellbeing=f"{MINE} {n}")
        case = factories.case(f"MOS-9{n}", "CIN", False, org["worker"], days_ago(100))
        factories.record("case", days_ago(20 + n), org["worker"], org["team_manager"], [case])
        factories.booking(org["worker"], org["team_manager"], factories.uk_time(days_ago(20 + n), 10))
    with count_queries() as many:
        files = _read(client.post_form("/account/your-data/download"))
    assert len(files["personal_supervision.json"]) == 6 and len(files["case_and_group_supervisions.csv"]) == 6
    assert many.count == few.count <= 40


def test_absences_observations_dip_feedback_and_audits_are_in_it(org, as_role, worker_history):
    """What QA and the line manager recorded about the person is theirs too: absences with their kind, the feedback
    from observations of their practice and from dip samples of supervision they wrote; audits they did and
    audit actions they own by case and date, never the findings or the action's wording (about a child)."""
    worker, manager = org["worker"], org["team_manager"]
    db.session.add(Absence(staff_id=worker.id, kind="parental_leave", starts_on=days_ago(200), ends_on=days_ago(100),
                           recorded_by_id=manager.id))
    db.session.add(PracticeObservation(worker_id=worker.id, observer_id=manager.id, observed_on=days_ago(30),
                                       setting="home_visit", feedback=f"{MINE} built rapport well"))
    db.session.add(PracticeObservation(worker_id=org["south_worker"].id, observer_id=org["south_manager"].id,
                                       observed_on=days_ago(30), setting="court", feedback=f"{OTHER} in court"))
    record = db.session.scalar(select(SupervisionRecord).where(SupervisionRecord.kind == "case"))
    assert record is not None and record.supervisor_id == manager.id
    rated(record, org["teams"]["north"].id, record.held_on.replace(day=1), org["qait"], met=4, partly=1,
          comments="The plan's actions need dates")
    with dates.freeze(audit_world.TODAY):
        audit = audit_world.case_audit(audit_world.audit_round(audit_world.scale(), list(org["services"])),
                                       worker_history["case"], org["south_manager"])
    audit.findings = f"{CHILD} findings"
    audit.actions.append(AuditAction(description=f"{CHILD} audit action", owner_id=worker.id,
                                     due_on=days_ago(-10)))
    db.session.commit()

    mine = _read(as_role("worker").post_form("/account/your-data/download"))
    assert [(row["kind"], row["first_day"], row["recorded_by"]) for row in mine["absences.csv"]] == [
        ("Parental leave", days_ago(200).isoformat(), "Tia Manager")]
    assert [(row["setting"], row["observer"], row["feedback"]) for row in mine["observations_of_your_practice.csv"]] \
        == [("Home visit", "Tia Manager", f"{MINE} built rapport well")]
    assert [row["due_on"] for row in mine["audit_actions_you_own.csv"]] == [days_ago(-10).isoformat()]
    assert [row["case_ref"] for row in mine["audit_actions_you_own.csv"]] == ["MOS-77"]
    assert mine["dip_sample_feedback.json"] == [] and mine["case_audits_you_did.json"] == []
    assert CHILD not in mine["_all_text"] and OTHER not in mine["_all_text"]

    managers = _read(as_role("team_manager").post_form("/account/your-data/download"))
    [feedback] = managers["dip_sample_feedback.json"]
    assert feedback["comments"] == "The plan's actions need dates" and feedback["sampled_by"] == "Quinn QAIT"
    assert list(feedback["ratings"].values()).count("Met") == 4
    assert managers["observations_of_your_practice.json"] == [] and managers["absences.json"] == []

    auditor = _read(as_role("south_manager").post_form("/account/your-data/download"))
    assert [(row["case_ref"], row["your_part"]) for row in auditor["case_audits_you_did.csv"]] == [
        ("MOS-77", "auditor")]
    # They observed the South worker: that feedback is about the worker, so it is in the worker's export only.
    assert auditor["observations_of_your_practice.json"] == [] and OTHER not in auditor["_all_text"]
    observed = _read(as_role("south_worker").post_form("/account/your-data/download"))
    assert [row["feedback"] for row in observed["observations_of_your_practice.csv"]] == [f"{OTHER} in court"]
    assert CHILD not in auditor["_all_text"]

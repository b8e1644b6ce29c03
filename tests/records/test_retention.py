"""Retention (issue 16 item 6): ``flask teamops purge-records`` removes what records said about cases closed longer
ago than TEAMOPS_RECORD_RETENTION_MONTHS, and nothing any figure reads; pages say the content was removed."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event, func, select, text

from teamops import dates, retention
from teamops.audit.models import AuditEvent
from teamops.cases.models import OversightEntry
from teamops.extensions import db
from teamops.quality.audit_models import AuditAction, AuditAnswer
from teamops.quality.models import RUBRIC
from teamops.records.models import CaseDiscussion, RecordVersion, SupervisionAction, SupervisionRecord
from teamops.reminders.models import SENT, ReminderSend
from tests import factories
from tests.conftest import Client, make_app, sign_in
from tests.quality import audit_world
from tests.quality.dip_world import rated
from tests.records.conftest import case_data, days_ago, write_url
from tests.records.test_signoff_and_versions import edit_data

SECRET = "ZEBRA"  # in every piece of text written about the old case: none of it may survive the purge
KEPT = "KESTREL"  # in what is written about cases still kept
T0 = dates.today()
LATER = dates.add_months(T0, 13)  # the purge runs here: the old case closed 13 months before
MONTHS = [dates.month_code(dates.add_months(T0, n)) for n in range(-3, 13)]


def _text(marker: str, case: Any) -> dict[str, Any]:
    return case_data(case, significant_events=f"{marker} events", decisions_and_plan=f"{marker} plan",
                     reflective_analysis=f"{marker} analysis", childs_voice=f"{marker} voice",
                     worries=f"{marker} worries", working_well=f"{marker} well", needs_to_happen=f"{marker} needs",
                     scaling_question=f"{marker}: 0 unsafe, 10 safe", new1_description=f"{marker} action")


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post_form(url, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 303, body[body.find("govuk-error-summary__list"):][:1500]
    return response


@pytest.fixture
def history(org, as_role, case_of) -> dict[str, Any]:
    """Written through the app today: records of a case that closes now (old), of one closed a year on
    (recent), of an open one, a group record of old and open, a personal record; oversight; reminder log rows."""
    worker, manager = org["worker"], as_role("team_manager")
    old = case_of(ref="OLD-1", allocated_on=days_ago(200))
    recent = case_of(ref="RECENT-1", case_type="CIN", allocated_on=days_ago(200))
    still_open = case_of(ref="OPEN-1", case_type="EH", allocated_on=days_ago(200))
    made = {}
    for name, held, cases, marker in (("old", 40, [old], SECRET), ("recent", 30, [recent], KEPT),
                                      ("open", 30, [still_open], KEPT)):
        response = _post(manager, write_url(worker, "case", days_ago(held), cases), _text(marker, cases[0]))
        made[name] = db.session.get(SupervisionRecord, int(response.headers["Location"].rsplit("/", 1)[1]))
    group = _post(manager, write_url(worker, "group", days_ago(20), [old, still_open]),
                  {**_text(KEPT, old), **_text(KEPT, still_open),
                   **{f"review_{made[name].actions[0].id}": "carried_forward" for name in ("old", "open")}})
    made["group"] = db.session.get(SupervisionRecord, int(group.headers["Location"].rsplit("/", 1)[1]))
    # The old record: signed off, acknowledged with a comment, then changed with a reason (a kept version).
    record = made["old"]
    _post(manager, f"/records/{record.id}/sign-off", {"confirm": "y"})
    _post(as_role("worker"), f"/records/{record.id}/acknowledge",
          {"agreement": "agree", "comment": f"{SECRET} comment"})
    p = f"c{old.id}"
    action = record.actions[0]
    _post(manager, f"/records/{record.id}/edit", edit_data(record, reason=f"{SECRET} reason", **{
        **{f"{p}_{name}": f"{SECRET} {name} changed" for name in ("significant_events", "decisions_and_plan",
                                                                    "reflective_analysis", "childs_voice")},
        f"{p}_scaling": "7", f"{p}_scaling_question": f"{SECRET} question",
        f"action_{action.id}_description": f"{SECRET} action changed"}))
    db.session.refresh(record)
    assert record.version == 2
    for case, marker in ((old, SECRET), (still_open, KEPT)):
        _post(manager, f"/cases/{case.id}/oversight", {"kind": "allocation", "entry_date": days_ago(5).isoformat(),
                                                       "decision": f"{marker} decision",
                                                       "rationale": f"{marker} rationale"})
    made["personal"] = factories.record("personal", days_ago(10), worker, org["team_manager"],
                                        wellbeing=f"{KEPT} wellbeing")
    factories.close_case(old, days_ago(1))
    for day in (days_ago(400), dates.add_months(T0, 12)):  # the second is a month old at LATER
        db.session.add(ReminderSend(staff_id=worker.id, key=f"test:{day}", category="records",
                                    line="Case OLD-1: a reminder", path="/", day=day, state=SENT, run_id="t"))
    db.session.commit()
    with dates.freeze(dates.add_months(T0, 12)):  # the recent case closes a year on: within its period at LATER
        factories.close_case(recent, dates.today())
    return {"cases": {"old": old, "recent": recent, "open": still_open}, "records": made}


def _figures(app, org) -> str:
    """Everything the reporting API says, month by month, as QAIT sees it (the session's login)."""
    client: Client = app.test_client()  # type: ignore[assignment]
    sign_in(client, org["qait"])
    answers = {}
    for month in MONTHS:
        for url in (f"/api/v1/compliance?month={month}", f"/api/v1/returns?month={month}"):
            answers[url] = client.get(url).get_json()
    for url in ("/api/v1/cases?include_closed=true", "/api/v1/staff",
                f"/api/v1/cases?include_closed=true&as_of={T0.isoformat()}"):
        answers[url] = client.get(url).get_json()
    answers["dashboard"] = [line for line in client.get("/dashboard/qait").get_data(as_text=True).splitlines()
                            if "%" in line]
    return json.dumps(answers, sort_keys=True, default=str)


RECORD_TABLES = ("supervision_records", "case_discussions", "supervision_actions", "action_reviews",
                 "record_versions")


def _everything_written() -> str:
    """Every text column tied to records and oversight, read straight from the tables."""
    rows = [db.session.execute(text(f"SELECT * FROM {table}")).all()
            for table in (*RECORD_TABLES, "oversight_entries", "audit_events")]
    return json.dumps([[list(row) for row in table] for table in rows], default=str)


def _purge(runner, *args: str) -> str:
    result = runner.invoke(args=["teamops", "purge-records", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_removes_the_old_cases_content_and_no_figure_moves(app, org, runner, history):
    assert SECRET in _everything_written()
    with dates.freeze(LATER):
        before = _figures(app, org)
        assert "OLD-1" in before and '"cases_open": 2' in before  # the figures do count these cases
        written = _everything_written()
        dry = _purge(runner, "--dry-run")
        assert dry.startswith("Dry run, nothing written: would remove the content of 1 supervision records "
                              "(1 case discussions, 1 actions, 0 action reviews, 1 earlier versions), "
                              "1 oversight entries, 0 case audits (0 answers, 0 actions), 0 dip-sample comments, "
                              "1 reminder log rows")
        db.session.expire_all()
        assert _everything_written() == written  # the dry run wrote nothing
        output = _purge(runner)
        assert output.startswith("Removed the content of 1 supervision records (1 case discussions, 1 actions, "
                                 "0 action reviews, 1 earlier versions), 1 oversight entries, 0 case audits "
                                 "(0 answers, 0 actions), 0 dip-sample comments, 1 reminder log rows, "
                                 f"for cases closed before {dates.add_months(LATER, -12).isoformat()} "
                                 "(kept 12 months).")
        assert SECRET not in output and "OLD-1" not in output
        db.session.expire_all()
        assert _figures(app, org) == before
    after = _everything_written()
    assert SECRET not in after  # from every table, the audit trail and the kept version included
    assert after.count(KEPT) == written.count(KEPT)  # open, recent, group and personal content untouched
    record = history["records"]["old"]
    db.session.refresh(record)
    assert record.content_purged_on == LATER and record.version == 2 and record.status == "signed_off"
    assert record.held_on == days_ago(40) and record.signed_off_at is not None  # dates and who stay
    discussion = record.discussions[0]
    assert (discussion.case.case_ref, discussion.held_on, discussion.scaling) == ("OLD-1", days_ago(40), None)
    assert record.actions[0].due_on is not None and record.actions[0].description == ""
    version = db.session.scalar(select(RecordVersion).where(RecordVersion.record_id == record.id))
    assert version.version == 1 and version.snapshot["discussions"][0]["case_ref"] == "OLD-1"
    for name in ("group", "recent", "open", "personal"):
        assert history["records"][name].content_purged_on is None
    assert db.session.scalar(select(func.count(OversightEntry.id)).where(
        OversightEntry.content_purged_on.is_not(None))) == 1
    assert db.session.scalars(select(ReminderSend.day)).all() == [dates.add_months(T0, 12)]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_label == "cli:purge-records",
                                                       AuditEvent.summary.like("retention purge%")))
    assert event is not None and "1 supervision records" in event.summary


def test_a_second_run_purges_nothing_new(org, runner, history):
    with dates.freeze(LATER):
        _purge(runner)
        db.session.expire_all()
        written = _everything_written()
        again = _purge(runner)
    assert again.startswith("Removed the content of 0 supervision records (0 case discussions, 0 actions, "
                            "0 action reviews, 0 earlier versions), 0 oversight entries, 0 case audits (0 answers, "
                            "0 actions), 0 dip-sample comments, 0 reminder log rows")
    db.session.expire_all()
    assert _everything_written() == written


def test_nothing_is_purged_before_the_period_has_run(org, runner, history):
    with dates.freeze(dates.add_months(T0, 12) - timedelta(days=2)):  # the old case closed 12 months ago less a day
        output = _purge(runner)
    assert output.startswith("Removed the content of 0 supervision records")
    db.session.expire_all()
    assert history["records"]["old"].content_purged_on is None


def test_a_shorter_period_from_the_setting(org, history, database_url, monkeypatch):
    monkeypatch.setenv("TEAMOPS_RECORD_RETENTION_MONTHS", "1")
    one_month = make_app(database_url)
    assert one_month.config["TEAMOPS"].record_retention_months == 1
    with dates.freeze(dates.add_months(T0, 1) + timedelta(days=1)), one_month.app_context():
        output = one_month.test_cli_runner().invoke(args=["teamops", "purge-records"]).output
        db.session.remove()
        db.engine.dispose()
    assert output.startswith("Removed the content of 1 supervision records") and "(kept 1 months)" in output
    db.session.expire_all()
    assert history["records"]["old"].content_purged_on is not None
    assert history["records"]["recent"].content_purged_on is None  # closed a year on: nothing to do yet


def test_pages_say_the_content_was_removed_and_it_cannot_be_changed(app, org, runner, history):
    record = history["records"]["old"]
    old = history["cases"]["old"]
    with dates.freeze(LATER):
        _purge(runner)
        manager: Client = app.test_client()  # type: ignore[assignment]
        sign_in(manager, org["team_manager"])
        removed = f"Content removed on {LATER:%-d %B %Y} under the retention policy"
        for url in (f"/records/{record.id}", f"/records/{record.id}/versions/1", f"/cases/{old.id}"):
            page = manager.get(url)
            assert page.status_code == 200, url
            body = page.get_data(as_text=True)
            assert SECRET not in body, url
        assert removed in manager.get(f"/records/{record.id}").get_data(as_text=True)
        assert removed in manager.get(f"/records/{record.id}/versions/1").get_data(as_text=True)
        assert removed in manager.get(f"/cases/{old.id}").get_data(as_text=True)
        assert "Change record" not in manager.get(f"/records/{record.id}").get_data(as_text=True)
        refused = manager.get(f"/records/{record.id}/edit")
        assert refused.status_code == 303
        shown = manager.get(refused.headers["Location"]).get_data(as_text=True)
        assert "This record cannot be changed: its content was removed on" in shown
        posted = manager.post_form(f"/records/{record.id}/edit", {"held_on": record.held_on.isoformat(),
                                                                  "reason": "x", f"c{old.id}_childs_voice": "new"})
        assert posted.status_code == 303
        db.session.expire_all()
        assert db.session.scalar(select(CaseDiscussion.childs_voice).where(
            CaseDiscussion.record_id == record.id)) == ""
        worker: Client = app.test_client()  # type: ignore[assignment]
        sign_in(worker, org["worker"])
        page = worker.get(f"/records/{record.id}").get_data(as_text=True)
        assert "Acknowledge record" not in page  # changed after their acknowledgement, then purged
        refused = worker.post_form(f"/records/{record.id}/acknowledge", {"agreement": "agree", "comment": "new"})
        assert refused.status_code == 400
        assert "removed under the retention policy, so there is nothing left to acknowledge" in refused.get_data(
            as_text=True)
        db.session.expire_all()
        assert (record.worker_comment, record.acknowledged_at) == ("", None)
        open_record = history["records"]["open"]
        assert KEPT in manager.get(f"/records/{open_record.id}").get_data(as_text=True)


def test_an_action_still_listed_after_the_purge_says_so(app, org, runner, history):
    action = db.session.scalar(select(SupervisionAction).where(
        SupervisionAction.record_id == history["records"]["old"].id))
    assert action.status == "open"
    with dates.freeze(LATER):
        _purge(runner)
        worker: Client = app.test_client()  # type: ignore[assignment]
        sign_in(worker, org["worker"])
        body = worker.get("/actions").get_data(as_text=True)
    assert f"Content removed on {LATER:%-d %B %Y} under the retention policy" in body
    assert SECRET not in body


def test_a_record_of_a_case_still_open_is_never_purged(org, runner, case_of):
    still_open = case_of(ref="OPEN-9", allocated_on=date(2020, 1, 1))
    record = factories.record("case", date(2020, 2, 1), org["worker"], org["team_manager"], [still_open])
    record.discussions[0].childs_voice = f"{KEPT} voice"
    db.session.commit()
    output = _purge(runner)
    assert output.startswith("Removed the content of 0 supervision records")
    db.session.expire_all()
    assert db.session.get(SupervisionRecord, record.id).discussions[0].childs_voice == f"{KEPT} voice"


def test_a_disagreement_still_open_is_closed_by_the_purge_and_takes_no_new_text(app, org, runner, history):
    """With its wording gone there is nothing to resolve; a resolution typed now would be new content on a purged
    record that no later purge would remove (review of issue 16)."""
    record = history["records"]["old"]
    discussion = record.discussions[0]
    record.worker_disagrees, record.disagreement_resolved_at = True, None
    discussion.disagreement, discussion.disagreement_note = True, f"{SECRET} disagreement"
    db.session.commit()
    with dates.freeze(LATER):
        _purge(runner)
        db.session.expire_all()
        assert record.disagreement_resolved_at is not None and discussion.resolved_at is not None
        for who, url in (("team_manager", f"/records/{record.id}/disagreement"),  # the supervisor's
                         ("service_manager", f"/escalations/{discussion.id}")):  # escalated about the case
            resolver: Client = app.test_client()  # type: ignore[assignment]
            sign_in(resolver, org[who])
            assert resolver.post_form(url, {"resolution": f"{SECRET} typed after"}).status_code == 303, url
    db.session.expire_all()
    assert (record.disagreement_resolution, discussion.resolution) == ("", "")
    assert SECRET not in _everything_written()


@pytest.fixture
def quality(org, history) -> dict[str, Any]:
    """A submitted case audit of the old case and one of the open case, each with a comment, findings and an
    action; a rated dip sample of the old record and one of the open record, each with comments."""
    grading = audit_world.scale()
    round_ = audit_world.audit_round(grading, list(org["services"]))
    good = grading.grades[1].id
    made = {}
    for name, marker in (("old", SECRET), ("open", KEPT)):
        audit = audit_world.case_audit(round_, history["cases"][name], org["south_manager"])
        audit.answers = [AuditAnswer(question_id=question.id, grade_id=good, comment=f"{marker} comment")
                         for question in round_.questions]
        audit.grade_id, audit.findings, audit.submitted_at = good, f"{marker} findings", dates.utcnow()
        audit.actions = [AuditAction(description=f"{marker} audit action", owner_id=org["worker"].id,
                                     due_on=dates.add_months(T0, 14))]
        made[name] = audit
    db.session.commit()
    for name, marker in (("old", SECRET), ("open", KEPT)):
        record = history["records"][name]
        made[f"dip_{name}"] = rated(record, org["teams"]["north"].id, record.held_on.replace(day=1), org["qait"],
                                    met=5, comments=f"{marker} dip comments")
    return made


def _quality_text() -> str:
    rows = [db.session.execute(text(f"SELECT * FROM {table}")).all() for table in (
        "case_audits", "audit_answers", "audit_actions", "dip_samples", "audit_events")]
    return json.dumps([[list(row) for row in table] for table in rows], default=str)


def test_case_audits_and_dip_comments_of_old_cases_are_purged_grades_and_dates_kept(app, org, runner, history,
                                                                                   quality):
    """Case audits and dip samples are case content too (README "What TeamOps stores and why"): their words go
    with the case's records; the grades, ratings, owners and dates that the findings and trends count stay."""
    assert SECRET in _quality_text()
    with dates.freeze(LATER):
        findings_before = as_qait(app, org).get("/quality/audits/findings").get_data(as_text=True)
        written = _quality_text()
        dry = _purge(runner, "--dry-run")
        assert "1 case audits (2 answers, 1 actions), 1 dip-sample comments" in dry
        db.session.expire_all()
        assert _quality_text() == written
        output = _purge(runner)
        assert "1 case audits (2 answers, 1 actions), 1 dip-sample comments" in output
        db.session.expire_all()
        findings_after = as_qait(app, org).get("/quality/audits/findings").get_data(as_text=True)
    after = _quality_text()
    assert SECRET not in after and after.count(KEPT) == written.count(KEPT)
    old, still_open = quality["old"], quality["open"]
    assert (old.content_purged_on, still_open.content_purged_on) == (LATER, None)
    assert old.findings == "" and {a.comment for a in old.answers} == {""} and old.actions[0].description == ""
    assert old.grade_id is not None and {a.grade_id for a in old.answers} == {still_open.grade_id}
    assert (old.actions[0].owner_id, old.actions[0].due_on) == (org["worker"].id, dates.add_months(T0, 14))
    assert quality["dip_old"].comments == "" and len(quality["dip_old"].ratings) == 6
    assert quality["dip_open"].comments == f"{KEPT} dip comments"
    # The grade counts on the findings page are as they were (only the open action's wording changed).
    counts = re.compile(r'govuk-table__cell--numeric">(\d+)<')
    assert counts.findall(findings_after) == counts.findall(findings_before)


def as_qait(app, org) -> Client:
    client: Client = app.test_client()  # type: ignore[assignment]
    sign_in(client, org["qait"])
    return client


def test_a_purged_audit_and_dip_sample_say_so_and_take_no_new_text(app, org, runner, history, quality):
    old = quality["old"]
    removed = f"Content removed on {LATER:%-d %B %Y} under the retention policy"
    with dates.freeze(LATER):
        _purge(runner)
        auditor: Client = app.test_client()  # type: ignore[assignment]
        sign_in(auditor, org["south_manager"])
        page = auditor.get(f"/quality/audits/{old.id}").get_data(as_text=True)
        assert removed in page, page[page.find("<main"):][:3000]
        assert "what a case audit said" in page and SECRET not in page
        qait = as_qait(app, org)
        refused = qait.get(f"/quality/audits/{old.id}/reaudit")
        assert refused.status_code == 303
        assert "retention policy" in qait.get(refused.headers["Location"]).get_data(as_text=True)
        round_id = old.round_id
        for url in (f"/quality/audits/rounds/{round_id}/export.xlsx", "/quality/audits/findings.xlsx"):
            response = qait.get(url)
            assert response.status_code == 200, url
            cells = [str(cell.value) for sheet in openpyxl.load_workbook(io.BytesIO(response.get_data()))
                     for row in sheet.iter_rows() for cell in row]
            assert removed in cells and not any(SECRET in cell for cell in cells), url
        worker: Client = app.test_client()  # type: ignore[assignment]
        sign_in(worker, org["worker"])
        home = worker.get("/").get_data(as_text=True)
        assert removed in home and SECRET not in home  # their open audit action, without its wording
        # A draft left on the closed case: purged too, and the auditor can no longer type into it.
        draft = audit_world.case_audit(old.round, history["cases"]["recent"], org["south_manager"])
        draft.findings = f"{KEPT} draft"
        history["cases"]["recent"].closed_on = dates.add_months(LATER, -13)
        db.session.commit()
        _purge(runner)
        db.session.expire_all()
        assert (draft.findings, draft.content_purged_on) == ("", LATER)
        refused = auditor.post_form(f"/quality/audits/{draft.id}", {"findings": f"{SECRET} typed after", "do": "save"})
        assert refused.status_code == 303
        assert "content was removed" in auditor.get(refused.headers["Location"]).get_data(as_text=True)
        db.session.expire_all()
        assert draft.findings == ""
        # The dip sample of the purged record: its page says so, and no new rating or comment is taken.
        sample = quality["dip_old"]
        sampler = as_qait(app, org)
        page = sampler.get(f"/quality/dip-samples/{sample.id}").get_data(as_text=True)
        assert removed in page and SECRET not in page and 'name="comments"' not in page
        refused = sampler.post_form(f"/quality/dip-samples/{sample.id}", {
            **{criterion: "met" for criterion in RUBRIC}, "comments": f"{SECRET} typed after"})
        assert refused.status_code == 303
        db.session.expire_all()
        assert sample.comments == ""
        manager: Client = app.test_client()  # type: ignore[assignment]
        sign_in(manager, org["team_manager"])
        feedback = manager.get("/quality/dip-samples/feedback").get_data(as_text=True)
        assert removed in feedback and SECRET not in feedback


@contextmanager
def purge_just_before(app: Any, *tables: str, save_first: bool = False) -> Iterator[list[str]]:
    """Runs the purge, in another thread with a connection of its own, at the last instant before a request
    first writes to one of ``tables``: the purge and a save racing. Yields the purge's summary, once it ran.
    With ``save_first``, the other way round: just after that first write (the save's lock), the purge starts
    and is given half a second to read what it would empty while the save goes on to write and commit."""
    ran: list[str] = []
    writes = tuple(f"{verb} {table} " for table in tables for verb in ("UPDATE", "INSERT INTO"))
    started: list[threading.Thread] = []

    def purge() -> None:
        with app.app_context():
            counts = retention.purge_records(LATER, app.config["TEAMOPS"].record_retention_months)
            db.session.commit()
            ran.append(counts.summary())

    def purge_first(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not started and statement.startswith(writes) and threading.current_thread() is threading.main_thread():
            started.append(threading.Thread(target=purge))
            started[0].start()
            if save_first:
                time.sleep(0.5)
            else:
                started[0].join(timeout=30)
                assert ran, "the purge did not finish"

    with app.app_context():
        engine = db.engine
    when = "after_cursor_execute" if save_first else "before_cursor_execute"
    event.listen(engine, when, purge_first)
    try:
        yield ran
    finally:
        event.remove(engine, when, purge_first)
        for thread in started:
            thread.join(timeout=30)


def test_a_save_racing_the_purge_writes_nothing_and_says_why(app, org, runner, history, quality):
    """The purge commits between the page reading a record or audit and the save writing to it: the save finds
    the content gone and writes nothing (before, its text landed on a row already marked purged, and no later
    purge would have removed it)."""
    record, recent = history["records"]["old"], history["cases"]["recent"]
    draft = audit_world.case_audit(quality["old"].round, recent, org["south_manager"])  # a draft left open
    sent = edit_data(record, reason=f"{SECRET} racing reason",
                     **{f"c{history['cases']['old'].id}_childs_voice": f"{SECRET} racing voice"})
    with dates.freeze(LATER):
        manager: Client = app.test_client()  # type: ignore[assignment]
        sign_in(manager, org["team_manager"])
        with purge_just_before(app, *RECORD_TABLES) as printed:
            response = manager.post_form(f"/records/{record.id}/edit", sent)
        assert printed and printed[0].startswith("1 supervision records")
        assert response.status_code == 303
        shown = manager.get(response.headers["Location"]).get_data(as_text=True)
        assert f"Nothing was saved: this record&#39;s content was removed on {LATER:%-d %B %Y}" in shown
        recent.closed_on = dates.add_months(LATER, -13)  # now the draft's case is old enough too
        db.session.commit()
        auditor: Client = app.test_client()  # type: ignore[assignment]
        sign_in(auditor, org["south_manager"])
        with purge_just_before(app, "case_audits", "audit_answers", "audit_actions") as printed:
            refused = auditor.post_form(f"/quality/audits/{draft.id}", {"findings": f"{SECRET} racing", "do": "save"})
        assert printed and "1 case audits" in printed[0]
        assert refused.status_code == 303
        assert "content was removed" in auditor.get(refused.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert SECRET not in _everything_written() and SECRET not in _quality_text()
    assert record.version == 2 and draft.content_purged_on == LATER and draft.findings == ""


def test_a_save_that_got_there_first_is_purged_with_the_rest(app, org, runner, history):
    """The other order: the save has locked its record when the purge starts. The purge waits for it (SQLite's
    write lock, PostgreSQL's FOR UPDATE) and reads only then, so what the save wrote, a new action included, is
    removed with the rest (read before, the new action would have been missed)."""
    record, case = history["records"]["old"], history["cases"]["old"]
    sent = edit_data(record, reason="racing first", **{
        f"c{case.id}_childs_voice": f"{SECRET} saved first", f"c{case.id}_new1_description": f"{SECRET} new action",
        f"c{case.id}_new1_owner": str(org["worker"].id), f"c{case.id}_new1_due_on": LATER.isoformat()})
    with dates.freeze(LATER):
        manager: Client = app.test_client()  # type: ignore[assignment]
        sign_in(manager, org["team_manager"])
        with purge_just_before(app, *RECORD_TABLES, save_first=True) as printed:
            response = manager.post_form(f"/records/{record.id}/edit", sent)
        assert response.status_code == 303
        assert "Record changed" in manager.get(response.headers["Location"]).get_data(as_text=True)
    assert printed and printed[0].startswith("1 supervision records")
    db.session.expire_all()
    assert record.version == 3 and record.content_purged_on == LATER
    assert len(record.actions) == 2 and {action.description for action in record.actions} == {""}
    assert SECRET not in _everything_written()

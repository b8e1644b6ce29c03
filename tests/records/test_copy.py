"""The copy for the case file: the record as plain text, selectable and downloadable, and the filed mark."""

from __future__ import annotations

from teamops.extensions import db
from tests.records.conftest import days_ago, discussion_of, personal_data, write_url


def test_copy_page_gives_the_case_discussion_as_plain_text(as_role, org, saved_record):
    record = saved_record(held_on=days_ago(2), worries="Partner's history", extra={})
    discussion = discussion_of(record)
    manager = as_role("team_manager")
    show = manager.get(f"/records/{record.id}").get_data(as_text=True)
    copy_url = f"/records/{record.id}/cases/{discussion.id}/copy"
    assert copy_url in show
    page = manager.get(copy_url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="record-text" rows="30" readonly' in text
    assert "Case supervision: case CP-1001" in text
    assert "not signed off yet" in text
    download = manager.get(copy_url + ".txt")
    assert download.status_code == 200 and download.mimetype == "text/plain"
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="supervision-{days_ago(2).isoformat()}-CP-1001.txt"')
    body = download.get_data(as_text=True)
    assert body.startswith("Case supervision: case CP-1001\nDate held: ")
    for expected in ("Worker: Wren Worker", "Supervisor: Tia Manager", "Significant events since the last supervision",
                     "Strategy meeting held; school attendance improved.", "The child's voice",
                     "Signs of Safety mapping", "What are we worried about?", "Partner's history",
                     "Scaling score: 6 out of 10", "Actions agreed",
                     "- Visit weekly and update the plan (owner: Wren Worker; due ",
                     "Review of actions from last time", "No open actions from last time.",
                     "Not signed off yet (draft, version 1)"):
        assert expected in body, expected
    assert "<" not in body  # plain text, no markup


def test_filing_needs_sign_off_and_is_shown(as_role, org, saved_record):
    record = saved_record()
    discussion = discussion_of(record)
    manager = as_role("team_manager")
    early = manager.post_form(f"/records/{record.id}/filed?discussion={discussion.id}")
    assert early.status_code == 400 and "Sign the record off before filing it" in early.get_data(as_text=True)
    manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    copy_url = f"/records/{record.id}/cases/{discussion.id}/copy"
    assert "Mark as filed in the case-recording system" in manager.get(copy_url).get_data(as_text=True)
    response = manager.post_form(f"/records/{record.id}/filed?discussion={discussion.id}")
    assert response.status_code == 303 and response.headers["Location"] == copy_url
    db.session.refresh(record)
    assert record.filed_at is not None

    page = manager.get(copy_url).get_data(as_text=True)
    assert "Marked as filed in the case-recording system" in page and "Filed on case" in page
    assert "Signed off by the manager" in manager.get(copy_url + ".txt").get_data(as_text=True)


def test_workers_read_the_copy_but_cannot_file(as_role, org, saved_record):
    record = saved_record()
    discussion = discussion_of(record)
    as_role("team_manager").post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    worker = as_role("worker")
    page = worker.get(f"/records/{record.id}/cases/{discussion.id}/copy").get_data(as_text=True)
    assert "Record text" in page and "Mark as filed" not in page
    assert worker.post_form(f"/records/{record.id}/filed").status_code == 403


def test_personal_record_as_plain_text(as_role, org):
    manager = as_role("team_manager")
    response = manager.post_form(write_url(org["worker"], "personal"), personal_data(org["worker"]))
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = manager.get(f"/records/{record_id}/copy")
    assert page.status_code == 200 and "Personal supervision as plain text" in page.get_data(as_text=True)
    body = manager.get(f"/records/{record_id}/copy.txt").get_data(as_text=True)
    assert body.startswith("Personal supervision\n")
    assert "Wellbeing\nFeeling well supported." in body and "- Complete the refresher" in body


def test_a_discussion_of_another_record_is_not_found(as_role, org, saved_record, case_of):
    first = saved_record()
    second = saved_record(case_of(ref="CP-2"))
    other = discussion_of(second)
    manager = as_role("team_manager")
    assert manager.get(f"/records/{first.id}/cases/{other.id}/copy").status_code == 404
    assert manager.get(f"/records/{first.id}/copy").status_code == 404  # not a personal record


def test_another_teams_copy_is_refused(as_role, org, saved_record):
    record = saved_record()
    discussion = discussion_of(record)
    for role in ("south_manager", "south_worker", "admin"):
        assert as_role(role).get(f"/records/{record.id}/cases/{discussion.id}/copy").status_code == 403
        assert as_role(role).get(f"/records/{record.id}/cases/{discussion.id}/copy.txt").status_code == 403

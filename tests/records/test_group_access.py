"""A group record discusses several workers' cases. Each part follows access to its case (issue 7 item 3):
the main worker reads the part about their own case, a colleague at the session reads the part about theirs,
and nobody reads a discussion of a case they may not see, on the record, its copies, its versions or the list."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.records.conftest import case_data, days_ago, write_url

MINE = "MARKER-MAIN-WORKERS-CASE"
THEIRS = "MARKER-COLLEAGUES-CASE"


@pytest.fixture
def group(app, as_role, org, make, case_of):
    """A group supervision of the north worker's case CP-1 and a colleague's case CIN-2, written by the
    team manager, signed off, then changed (so a kept version exists)."""
    colleague = make.staff("worker", org["teams"]["north"], email="colleague@example.org", name="Cal Colleague")
    mine, theirs = case_of(ref="CP-1"), case_of(colleague, ref="CIN-2", case_type="CIN")
    manager = as_role("team_manager")
    url = write_url(org["worker"], "group", days_ago(1), [mine, theirs], [colleague])
    data = {**case_data(mine, childs_voice=MINE), **case_data(theirs, childs_voice=THEIRS)}
    response = manager.post_form(url, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert manager.post_form(f"/records/{record_id}/sign-off", {"confirm": "y"}).status_code == 303
    changed = _edit_data(record_id, {f"c{theirs.id}_worries": "A new worry", "reason": "Added a worry"})
    response = manager.post_form(f"/records/{record_id}/edit", changed)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return {"id": record_id, "colleague": colleague, "mine": mine, "theirs": theirs, "manager": manager}


def _edit_data(record_id, overrides):
    """The change form's data for the record as it stands, plus ``overrides``."""
    from teamops.extensions import db
    from teamops.records.models import SupervisionRecord

    record = db.session.get(SupervisionRecord, record_id)
    data = {"held_on": record.held_on.isoformat()}
    for discussion in record.discussions:
        p = f"c{discussion.case_id}"
        for name in ("significant_events", "decisions_and_plan", "reflective_analysis", "childs_voice"):
            data[f"{p}_{name}"] = getattr(discussion, name)
        data[f"{p}_scaling"] = str(discussion.scaling or "")
        for n in (1, 2, 3):
            data[f"{p}_new{n}_owner"] = str(discussion.case.worker_id)
    for action in record.actions:
        data.update({f"action_{action.id}_description": action.description,
                     f"action_{action.id}_owner": str(action.owner_id),
                     f"action_{action.id}_due_on": action.due_on.isoformat()})
    return {**data, **overrides}


def _client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def _discussion_id(app, group, case):
    from teamops.extensions import db
    from teamops.records.models import CaseDiscussion

    return db.session.scalar(db.select(CaseDiscussion.id).where(CaseDiscussion.record_id == group["id"],
                                                                CaseDiscussion.case_id == case.id))


def test_the_main_worker_reads_only_the_part_about_their_own_case(app, org, group):
    worker = _client(app, org["worker"])
    record = worker.get(f"/records/{group['id']}")
    assert record.status_code == 200
    page = record.get_data(as_text=True)
    assert MINE in page and "CP-1" in page
    assert THEIRS not in page and "CIN-2" not in page
    version = worker.get(f"/records/{group['id']}/versions/1").get_data(as_text=True)
    assert MINE in version and THEIRS not in version and "CIN-2" not in version
    listing = worker.get("/records").get_data(as_text=True)
    assert "CP-1" in listing and "CIN-2" not in listing
    theirs = _discussion_id(app, group, group["theirs"])
    assert worker.get(f"/records/{group['id']}/cases/{theirs}/copy").status_code == 404
    assert worker.get(f"/records/{group['id']}/cases/{theirs}/copy.txt").status_code == 404
    mine = _discussion_id(app, group, group["mine"])
    assert MINE in worker.get(f"/records/{group['id']}/cases/{mine}/copy.txt").get_data(as_text=True)


def test_a_colleague_at_the_session_reads_the_part_about_their_case(app, group):
    colleague = _client(app, group["colleague"])
    record = colleague.get(f"/records/{group['id']}")
    assert record.status_code == 200
    page = record.get_data(as_text=True)
    assert THEIRS in page and "CIN-2" in page
    assert MINE not in page and "CP-1" not in page
    listing = colleague.get("/records").get_data(as_text=True)
    assert "CIN-2" in listing and "CP-1" not in listing
    mine = _discussion_id(app, group, group["mine"])
    assert colleague.get(f"/records/{group['id']}/cases/{mine}/copy.txt").status_code == 404
    theirs = _discussion_id(app, group, group["theirs"])
    assert THEIRS in colleague.get(f"/records/{group['id']}/cases/{theirs}/copy.txt").get_data(as_text=True)
    # Reading is not acknowledging: only the record's worker acknowledges it.
    assert colleague.post_form(f"/records/{group['id']}/acknowledge").status_code == 403


def test_the_manager_reads_every_part_and_others_read_none(app, org, group):
    page = group["manager"].get(f"/records/{group['id']}").get_data(as_text=True)
    assert MINE in page and THEIRS in page
    for outsider in (org["south_worker"], org["south_manager"], org["yj_worker"]):
        client = _client(app, outsider)
        assert client.get(f"/records/{group['id']}").status_code == 403
        assert "CIN-2" not in client.get("/records").get_data(as_text=True)
    admin = _client(app, org["admin"])
    assert admin.get(f"/records/{group['id']}").status_code == 403

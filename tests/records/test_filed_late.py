""""Filed late" replaces "recorded late" (R-SUP-5, corrected): a case supervision is on the child's record no later
than 7 days after the session, measured from the session to the moment the manager marks that case's discussion
filed; a group record is filed per case discussed; imported history is never counted late."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from teamops import dates
from teamops.extensions import db
from teamops.records.models import CaseDiscussion, SupervisionRecord
from tests.conftest import sign_in
from tests.records.conftest import case_data, write_url


def discussions() -> dict[str, CaseDiscussion]:
    db.session.rollback()
    return {d.case.case_ref: d for d in db.session.scalars(select(CaseDiscussion))}


def test_filed_late_is_measured_per_case_of_a_group_record(app, as_role, org, make, case_of):
    held = dates.today() - timedelta(days=3)
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    first, second = case_of(ref="CP-1"), case_of(colleague, ref="CIN-2", case_type="CIN")
    manager = as_role("team_manager")
    response = manager.post_form(write_url(org["worker"], "group", held, [first, second], [colleague]),
                                 {**case_data(first), **case_data(second)})
    record = db.session.scalar(select(SupervisionRecord))
    assert manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 303
    by_case = discussions()
    # Three days after the session, nothing filed: not late yet.
    assert [(d.days_to_file, d.filed_late) for d in by_case.values()] == [(3, False), (3, False)]
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("Not yet filed, 3 days") == 2
    # Filed for the first case three days after the session: on time.
    filed = manager.post_form(f"/records/{record.id}/filed?discussion={by_case['CP-1'].id}")
    assert filed.status_code == 303
    by_case = discussions()
    assert by_case["CP-1"].filed_at is not None and by_case["CIN-2"].filed_at is None
    assert db.session.get(SupervisionRecord, record.id).filed_at is None  # not every case is on file yet

    with dates.freeze(held + timedelta(days=9)):
        client = app.test_client()
        sign_in(client, org["team_manager"])
        page = client.get(f"/records/{record.id}").get_data(as_text=True)
        assert "Not yet filed, 9 days" in page and "Filed on case" in page  # the second late, the first not
        assert "Not yet filed" in client.get("/records").get_data(as_text=True)  # the list's tag
        assert client.post_form(f"/records/{record.id}/filed?discussion={by_case['CIN-2'].id}").status_code == 303
        by_case = discussions()
        assert (by_case["CP-1"].days_to_file, by_case["CP-1"].filed_late) == (3, False)
        assert (by_case["CIN-2"].days_to_file, by_case["CIN-2"].filed_late) == (9, True)
        assert db.session.get(SupervisionRecord, record.id).filed_at is not None  # every case is on file now
        page = client.get(f"/records/{record.id}").get_data(as_text=True)
        assert "Filed late" in page and "9 days after the session" in page and "3 days after the session" in page


def test_seven_days_is_on_time_and_eight_is_late(saved_record, as_role):
    record = saved_record(held_on=dates.today() - timedelta(days=7))
    manager = as_role("team_manager")
    manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    discussion = discussions()["CP-1001"]
    assert (discussion.days_to_file, discussion.filed_late) == (7, False)
    with dates.freeze(dates.today() + timedelta(days=1)):
        assert (discussion.days_to_file, discussion.filed_late) == (8, True)


def test_imported_history_is_never_counted_late(runner, org, make, tmp_path):
    make.case("CP-9", "CP", False, org["worker"], dates.today() - timedelta(days=400))
    held = (dates.today() - timedelta(days=300)).isoformat()
    path = tmp_path / "history.csv"
    path.write_text(f"kind,held_on,worker_email,case_ref,supervisor_email\n"
                    f"case,{held},worker@example.org,CP-9,tm@example.org\n", encoding="utf-8")
    result = runner.invoke(args=["teamops", "import", "supervisions", str(path)])
    assert result.exit_code == 0, result.output
    discussion = discussions()["CP-9"]
    assert discussion.record.imported and discussion.filed_at is None
    assert not discussion.filing_known and not discussion.filed_late

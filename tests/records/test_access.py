"""Who reads which records: workers their own, managers their teams', QAIT all, admins none."""

from __future__ import annotations

import pytest

from teamops.extensions import db
from teamops.records.models import SupervisionRecord
from tests import factories
from tests.records.conftest import case_data, days_ago, discussion_of, personal_data, write_url


@pytest.fixture
def two_records(as_role, org, case_of):
    """A north record (worker) and a south record (south_worker), written by their own managers."""
    north_case = case_of(org["worker"], ref="NORTH-1")
    south_case = case_of(org["south_worker"], ref="SOUTH-1")
    north = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [north_case]),
                                              case_data(north_case))
    south = as_role("south_manager").post_form(write_url(org["south_worker"], "case", None, [south_case]),
                                               case_data(south_case))
    return (int(north.headers["Location"].rsplit("/", 1)[1]), int(south.headers["Location"].rsplit("/", 1)[1]))


@pytest.mark.parametrize(
    ("role", "sees_north", "sees_south"),
    [("worker", True, False), ("south_worker", False, True), ("team_manager", True, False),
     ("south_manager", False, True), ("service_manager", True, True), ("qait", True, True),
     ("yj_worker", False, False)],
)
def test_record_pages_by_role(as_role, two_records, role, sees_north, sees_south):
    north, south = two_records
    client = as_role(role)
    assert client.get(f"/records/{north}").status_code == (200 if sees_north else 403)
    assert client.get(f"/records/{south}").status_code == (200 if sees_south else 403)
    listing = client.get("/records").get_data(as_text=True)
    assert ("NORTH-1" in listing) == sees_north and ("SOUTH-1" in listing) == sees_south


def test_admins_read_no_record_content(as_role, two_records):
    north, _ = two_records
    admin = as_role("admin")
    for path in ("/records", f"/records/{north}", f"/records/{north}/versions", f"/records/{north}/copy",
                 "/records/new", f"/records/{north}/edit"):
        assert admin.get(path).status_code == 403, path
    assert 'href="/records"' not in admin.get("/").get_data(as_text=True)


def test_another_teams_manager_cannot_change_sign_off_or_file(as_role, two_records):
    north, _ = two_records
    south_manager = as_role("south_manager")
    assert south_manager.get(f"/records/{north}/edit").status_code == 403
    assert south_manager.post_form(f"/records/{north}/edit", {}).status_code == 403
    assert south_manager.post_form(f"/records/{north}/sign-off", {"confirm": "y"}).status_code == 403
    assert south_manager.post_form(f"/records/{north}/filed").status_code == 403
    assert south_manager.get(f"/records/{north}/versions").status_code == 403


def test_qait_reads_but_does_not_change(as_role, two_records):
    north, _ = two_records
    qait = as_role("qait")
    page = qait.get(f"/records/{north}").get_data(as_text=True)
    assert "Change record" not in page and "Sign off" not in page
    assert qait.post_form(f"/records/{north}/sign-off", {"confirm": "y"}).status_code == 403
    assert qait.get(f"/records/{north}/edit").status_code == 403


def test_unknown_records_are_404(as_role):
    manager = as_role("team_manager")
    for path in ("/records/999999", "/records/999999/edit", "/records/999999/versions", "/records/999999/copy"):
        assert manager.get(path).status_code == 404, path


def test_menu_items(as_role):
    for role, expected in [("worker", True), ("team_manager", True), ("service_manager", True), ("qait", True)]:
        text = as_role(role).get("/").get_data(as_text=True)
        assert ('href="/records"' in text) == expected, role
        # Team managers resolve workers' disagreements with their records there (R-SUP-7).
        assert ('href="/escalations"' in text) == (role in ("team_manager", "service_manager")), role


def test_the_worker_filter_lists_only_staff_in_reach(as_role, org, two_records):
    text = as_role("team_manager").get("/records").get_data(as_text=True)
    assert "Wren Worker" in text and "Sid South" not in text
    assert 'name="worker"' not in as_role("worker").get("/records").get_data(as_text=True)


def test_the_records_list_does_not_grow_in_queries_with_records(as_role, org, case_of, make, count_queries):
    manager = as_role("team_manager")
    first = case_of(ref="CP-0")
    manager.post_form(write_url(org["worker"], "case", None, [first]), case_data(first))
    with count_queries() as one:
        manager.get("/records")
    for n in range(1, 5):
        person = make.staff("worker", org["teams"]["north"])
        case = case_of(person, ref=f"CP-{n}")
        manager.post_form(write_url(person, "case", None, [case]), case_data(case))
        manager.post_form(write_url(person, "personal"), personal_data(person))
    with count_queries() as many:
        text = manager.get("/records").get_data(as_text=True)
    assert "9 records found" in text
    assert many.count == one.count


def test_the_record_page_does_not_grow_in_queries_with_cases(as_role, org, case_of, make, count_queries):
    manager = as_role("team_manager")
    one_case = case_of(ref="CP-0")
    response = manager.post_form(write_url(org["worker"], "group", None, [one_case]), case_data(one_case))
    small = response.headers["Location"]
    cases = [case_of(ref=f"CP-{n}") for n in range(1, 5)]
    data = {}
    for case in cases:
        data.update(case_data(case))
    large = manager.post_form(write_url(org["worker"], "group", None, cases), data).headers["Location"]
    with count_queries() as one:
        manager.get(small)
    with count_queries() as many:
        text = manager.get(large).get_data(as_text=True)
    assert "CP-4" in text
    assert many.count == one.count


def test_discussion_ids_in_copy_links_belong_to_the_record(as_role, org, case_of):
    case = case_of()
    manager = as_role("team_manager")
    location = manager.post_form(write_url(org["worker"], "case", None, [case]), case_data(case)).headers["Location"]
    record = db.session.get(SupervisionRecord, int(location.rsplit("/", 1)[1]))
    assert f"/cases/{discussion_of(record).id}/copy" in manager.get(location).get_data(as_text=True)


def test_an_imported_supervision_reads_as_imported(as_role, org, case_of):
    record = factories.record("case", days_ago(30), org["worker"], org["team_manager"], [case_of(ref="IMP-1")],
                        imported=True)
    page = as_role("worker").get(f"/records/{record.id}").get_data(as_text=True)
    assert "Imported from the team" in page and "Acknowledge record" not in page
    listing = as_role("worker").get("/records?show=unacknowledged").get_data(as_text=True)
    assert "0 records found" in listing

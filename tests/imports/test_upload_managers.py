"""Team and service managers import cases and supervisions for their own teams on the upload page, with the
same preview and confirm as admins; every row outside their teams is a problem and nothing is written."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from teamops.extensions import db
from tests.conftest import sign_in
from tests.imports.conftest import (
    case,
    case_row,
    cases_csv,
    records,
    supervision_row,
    supervision_state,
    supervisions_csv,
)
from tests.imports.test_upload import URL, confirm, upload

pytestmark = pytest.mark.usefixtures("fixed_today")

PROBLEM_ROW = re.compile(r'<td class="govuk-table__cell">(\d+)</td>\s*<td class="govuk-table__cell"><code>(\w+)</code>'
                         r'</td>\s*<td class="govuk-table__cell">([^<]*)</td>')


def problems(page: str) -> list[tuple[int, str, str]]:
    return [(int(line), column, message) for line, column, message in PROBLEM_ROW.findall(page)]


@pytest.mark.parametrize("role", ["team_manager", "service_manager"])
def test_managers_are_offered_cases_and_supervisions_only(as_role, role):
    page = as_role(role).get(URL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'value="cases"' in text and 'value="supervisions"' in text
    assert 'value="teams"' not in text and 'value="staff"' not in text
    assert "Ask an admin to import teams and staff" in text


@pytest.mark.parametrize(("role", "shown"), [("team_manager", True), ("service_manager", True), ("admin", True),
                                             ("worker", False), ("qait", False)])
def test_the_menu_offers_import_to_those_who_may(as_role, role, shown):
    text = as_role(role).get("/").get_data(as_text=True)
    assert (f'href="{URL}"' in text) is shown


def test_a_team_manager_previews_and_imports_cases_of_their_team(as_role, org):
    manager = as_role("team_manager")
    before = supervision_state()
    response = upload(manager, cases_csv(case_row("1234567"), case_row("7654321", worker_email="tm@example.org")),
                      kind="cases", filename="north-cases.csv")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "north-cases.csv" in page and "2 to create" in page
    assert "1234567" in page and "worker@example.org" in page
    assert supervision_state() == before

    assert confirm(manager, page).status_code == 303
    imported = case("1234567")
    assert imported is not None and imported.worker.email == "worker@example.org"
    assert "2 created, 0 updated, 0 unchanged" in manager.get(URL).get_data(as_text=True)


def test_a_team_manager_cannot_import_cases_for_another_team(as_role, org):
    manager = as_role("team_manager")
    before = supervision_state()
    text = cases_csv(case_row("1234567"), case_row("7654321", worker_email="south.worker@example.org"),
                     case_row("7777777", worker_email="yj.worker@example.org"))
    response = upload(manager, text, kind="cases")

    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == [
        (3, "worker_email", "Nobody with e-mail south.worker@example.org in the teams you manage"),
        (4, "worker_email", "Nobody with e-mail yj.worker@example.org in the teams you manage"),
    ]
    assert supervision_state() == before


def test_a_manager_cannot_take_another_teams_case_by_reallocating_it(as_role, import_cli, org):
    assert import_cli("cases", cases_csv(case_row("7654321", worker_email="south.worker@example.org"))).exit_code == 0
    manager = as_role("team_manager")
    before = supervision_state()
    response = upload(manager, cases_csv(case_row("7654321")), kind="cases")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert problems(page) == [(2, "case_ref", "Case 7654321 is already in TeamOps, in a team you do not manage")]
    assert "south.worker@example.org" not in page  # who holds another team's case is not said
    assert supervision_state() == before


def test_a_service_manager_imports_for_every_team_of_their_service(as_role, org):
    manager = as_role("service_manager")
    text = cases_csv(case_row("1234567"), case_row("7654321", worker_email="south.worker@example.org"))
    page = upload(manager, text, kind="cases").get_data(as_text=True)
    assert "2 to create" in page
    assert confirm(manager, page).status_code == 303

    response = upload(manager, cases_csv(case_row("7777777", worker_email="yj.worker@example.org")), kind="cases")
    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == [
        (2, "worker_email", "Nobody with e-mail yj.worker@example.org in the teams you manage")]


def test_a_team_manager_imports_supervisions_of_their_team_only(as_role, import_cli, org):
    assert import_cli("cases", cases_csv(case_row("1234567"), case_row(
        "7654321", worker_email="south.worker@example.org"))).exit_code == 0
    manager = as_role("team_manager")
    before = supervision_state()
    text = supervisions_csv(supervision_row("case", case_ref="1234567"),
                            supervision_row("personal", worker_email="south.worker@example.org"),
                            supervision_row("group", case_ref="7654321"))
    response = upload(manager, text, kind="supervisions")

    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == [
        (3, "worker_email", "Nobody with e-mail south.worker@example.org in the teams you manage"),
        (4, "case_ref", "No case 7654321 in the teams you manage"),
    ]
    assert supervision_state() == before

    page = upload(manager, supervisions_csv(supervision_row("case", case_ref="1234567")),
                  kind="supervisions").get_data(as_text=True)
    assert "1 to create" in page
    assert confirm(manager, page).status_code == 303
    [record] = records()
    assert (record.kind, record.held_on, record.imported) == ("case", date(2026, 4, 6), True)


def test_an_admin_imports_cases_anywhere(as_role, org):
    admin = as_role("admin")
    text = cases_csv(case_row("1234567", worker_email="yj.worker@example.org", case_type="YJ"))
    page = upload(admin, text, kind="cases").get_data(as_text=True)
    assert confirm(admin, page).status_code == 303
    imported = case("1234567")
    assert imported is not None and imported.worker.email == "yj.worker@example.org"


def test_a_preview_cannot_be_confirmed_by_someone_no_longer_a_manager(app, make, org):
    manager = make.staff("team_manager", org["teams"]["north"], email="acting.tm@example.org")
    client: Any = app.test_client()
    sign_in(client, manager)
    page = upload(client, cases_csv(case_row("1234567")), kind="cases").get_data(as_text=True)
    manager.role = "worker"
    db.session.commit()

    assert confirm(client, page).status_code == 403
    assert case("1234567") is None


def test_a_header_only_file_previews_as_nothing_to_import(as_role):
    response = upload(as_role("team_manager"), "case_ref,case_type,high_risk,worker_email,allocated_on\n",
                      kind="cases")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0 to create" in page and "no data rows" in page
    assert 'action="/admin/import/' not in page


def test_a_manager_cannot_import_their_own_supervision(as_role, org):
    """Issue 7 item 7: the record form never lets a manager record their own supervision; nor does the import
    (their status would show "ok" with nothing held)."""
    manager = as_role("team_manager")
    before = supervision_state()
    response = upload(manager, supervisions_csv(supervision_row("personal", worker_email="tm@example.org",
                                                                supervisor_email="sm@example.org")),
                      kind="supervisions")
    assert response.status_code == 400
    [(line, column, message)] = problems(response.get_data(as_text=True))
    assert (line, column) == (2, "worker_email") and "your own supervision" in message
    assert supervision_state() == before


def test_a_manager_cannot_name_anyone_in_the_organisation_as_supervisor(as_role, org):
    manager = as_role("team_manager")
    before = supervision_state()
    text = supervisions_csv(supervision_row("personal", supervisor_email="south.tm@example.org"),
                            supervision_row("personal", held_on="2026-05-11", supervisor_email="yj.worker@example.org"))
    response = upload(manager, text, kind="supervisions")
    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == [
        (2, "supervisor_email", "Nobody with e-mail south.tm@example.org in the teams you manage"),
        (3, "supervisor_email", "Nobody with e-mail yj.worker@example.org in the teams you manage"),
    ]
    assert supervision_state() == before
    # Themselves, or someone in the team they run, is what the record form would record.
    page = upload(manager, supervisions_csv(supervision_row("personal")), kind="supervisions")
    assert page.status_code == 200 and "1 to create" in page.get_data(as_text=True)


def test_a_case_supervision_is_of_a_case_the_worker_held_that_day(as_role, import_cli, make, org):
    colleague = make.staff("worker", org["teams"]["north"], email="colleague@example.org")
    assert import_cli("cases", cases_csv(case_row("1234567"), case_row(
        "7654321", worker_email="colleague@example.org"))).exit_code == 0
    manager = as_role("team_manager")
    before = supervision_state()
    response = upload(manager, supervisions_csv(supervision_row("case", case_ref="7654321")), kind="supervisions")
    assert response.status_code == 400
    [(line, column, message)] = problems(response.get_data(as_text=True))
    assert (line, column) == (2, "case_ref")
    assert message.startswith("Case 7654321 was not allocated to worker@example.org on 2026-04-06")
    assert supervision_state() == before
    # A group supervision may discuss a colleague's case, as the record form allows.
    page = upload(manager, supervisions_csv(supervision_row("group", case_ref="7654321")), kind="supervisions")
    assert page.status_code == 200, problems(page.get_data(as_text=True))
    assert colleague.email == "colleague@example.org"


# Out of reach reads as not there (issue 7 item 12) ---------------------------------------------------------

def _same_answer(out_of_reach: list[tuple[int, str, str]], unknown: list[tuple[int, str, str]],
                 replace: tuple[str, str]) -> None:
    """Two uploads' problems are the same once the one thing that differs in the file is swapped."""
    assert [(line, column, message.replace(*replace)) for line, column, message in out_of_reach] == unknown


def test_a_worker_outside_the_managers_teams_reads_like_nobody_in_a_cases_import(as_role, make, org):
    make.staff(team=org["teams"]["south"], email="south.leaver@example.org", active=False)
    manager = as_role("team_manager")
    found = []
    for email in ("south.worker@example.org", "south.leaver@example.org", "nobody@example.org"):
        page = upload(manager, cases_csv(case_row("1234567", worker_email=email)), kind="cases")
        assert page.status_code == 400
        found.append(problems(page.get_data(as_text=True)))
    _same_answer(found[0], found[2], ("south.worker@", "nobody@"))
    _same_answer(found[1], found[2], ("south.leaver@", "nobody@"))  # not "has left": that would say who exists
    assert found[2] == [(2, "worker_email", "Nobody with e-mail nobody@example.org in the teams you manage")]


def test_a_worker_outside_the_managers_teams_reads_like_nobody_in_a_supervisions_import(as_role, org):
    manager = as_role("team_manager")
    out_of_reach = upload(manager, supervisions_csv(supervision_row(
        "personal", worker_email="south.worker@example.org")), kind="supervisions")
    unknown = upload(manager, supervisions_csv(supervision_row(
        "personal", worker_email="nobody@example.org")), kind="supervisions")
    _same_answer(problems(out_of_reach.get_data(as_text=True)), problems(unknown.get_data(as_text=True)),
                 ("south.worker@", "nobody@"))


def test_another_teams_case_reads_like_no_case_in_a_supervisions_import(as_role, import_cli, org):
    assert import_cli("cases", cases_csv(case_row("MOS-77", worker_email="south.worker@example.org"))).exit_code == 0
    manager = as_role("team_manager")
    out_of_reach = upload(manager, supervisions_csv(supervision_row("case", case_ref="mos-77")), kind="supervisions")
    unknown = upload(manager, supervisions_csv(supervision_row("case", case_ref="mos-78")), kind="supervisions")
    assert problems(out_of_reach.get_data(as_text=True)) == [
        (2, "case_ref", "No case mos-77 in the teams you manage")]  # as the file spells it, not as TeamOps does
    _same_answer(problems(out_of_reach.get_data(as_text=True)), problems(unknown.get_data(as_text=True)),
                 ("mos-77", "mos-78"))


def test_a_taken_reference_says_nothing_about_the_other_teams_case(as_role, import_cli, org):
    """References are unique, so a manager's new case with another team's reference must fail; but neither
    whose the case is, nor its dates, nor how TeamOps spells the reference may show in the answer."""
    assert import_cli("cases", cases_csv(case_row("MOS-77", worker_email="south.worker@example.org",
                                                  allocated_on="2026-01-05", closed_on="2026-02-02"))).exit_code == 0
    manager = as_role("team_manager")
    page = upload(manager, cases_csv(case_row("mos-77", allocated_on="2026-03-02")), kind="cases")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert problems(text) == [(2, "case_ref", "Case mos-77 is already in TeamOps, in a team you do not manage")]
    for secret in ("2026-01-05", "2026-02-02", "MOS-77", "south.worker", "Family Safeguarding South"):
        assert secret not in text

"""``flask teamops import staff FILE``: CONTRACT.md "Command line" and "CSV imports" (key: email)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import RoleGrant
from teamops.reminders.models import OutboxMail
from tests.imports.conftest import (
    csv_text,
    database_state,
    person,
    problem_keys,
    problem_lines,
    staff_csv,
    staff_row,
)

pytestmark = pytest.mark.usefixtures("org")


def test_creates_staff_and_prints_the_counts(import_cli, org):
    text = staff_csv(
        staff_row("ravi.patel@example.org", name="Ravi Patel", job_role="Senior practitioner",
                  employment_type="agency", start_date="2025-03-17", line_manager_email="tm@example.org",
                  role="team_manager"),
        staff_row("Lee.Ng@Example.org", name="Lee Ng", team="Youth Justice Team"),
    )
    result = import_cli("staff", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 2, updated 0, unchanged 0")
    ravi = person("ravi.patel@example.org")
    assert ravi is not None
    assert (ravi.name, ravi.job_role, ravi.employment_type, ravi.start_date, ravi.role) == (
        "Ravi Patel", "Senior practitioner", "agency", date(2025, 3, 17), "team_manager")
    assert ravi.team.name == "Family Safeguarding North"
    assert ravi.line_manager is not None and ravi.line_manager.email == "tm@example.org"
    assert ravi.active
    lee = person("lee.ng@example.org")  # e-mails are stored in lower case
    assert lee is not None and lee.team.name == "Youth Justice Team"
    assert lee.role == "worker"  # the default when no role is given
    assert lee.line_manager is None


def test_role_defaults_to_worker_when_the_column_is_left_out(import_cli):
    columns = ["email", "name", "team", "job_role", "employment_type", "start_date"]
    result = import_cli("staff", staff_csv(staff_row("new.person@example.org"), columns=columns))
    assert result.exit_code == 0, result.output
    new = person("new.person@example.org")
    assert new is not None and new.role == "worker"


def test_reimporting_the_same_file_changes_nothing(import_cli):
    text = staff_csv(
        staff_row("a.one@example.org", line_manager_email="tm@example.org", role="team_manager"),
        staff_row("b.two@example.org", line_manager_email="a.one@example.org"),
        staff_row("c.three@example.org"),
    )
    assert import_cli("staff", text).exit_code == 0
    before = database_state()

    again = import_cli("staff", text)

    assert again.exit_code == 0, again.output
    assert again.stdout.strip().endswith("created 0, updated 0, unchanged 3")
    assert database_state() == before  # not even an audit entry


def test_an_edited_row_counts_as_updated(import_cli):
    rows = [staff_row("a.one@example.org"), staff_row("b.two@example.org")]
    assert import_cli("staff", staff_csv(*rows)).exit_code == 0
    rows[1] = staff_row("b.two@example.org", job_role="Senior practitioner", team="Family Safeguarding South")

    result = import_cli("staff", staff_csv(*rows))

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 1")
    changed = person("b.two@example.org")
    assert changed is not None
    assert (changed.job_role, changed.team.name) == ("Senior practitioner", "Family Safeguarding South")


def test_existing_people_are_matched_by_email_whatever_its_case(import_cli, org):
    text = staff_csv(staff_row("WORKER@Example.ORG", name="Wren Worker", start_date="2020-01-06"))
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 1")


def test_a_blank_role_leaves_an_existing_persons_role_alone(import_cli, org):
    """Blank optional cells mean "not given": an HR file without roles must not demote managers."""
    manager = org["team_manager"]
    text = staff_csv(staff_row(manager.email, name=manager.name, job_role=manager.job_role,
                               start_date=manager.start_date.isoformat()))
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 1")
    reloaded = person(manager.email)
    assert reloaded is not None and reloaded.role == "team_manager"


def test_a_blank_line_manager_leaves_the_existing_one_alone(import_cli, org):
    worker = org["worker"]
    start = worker.start_date.isoformat()
    assert import_cli("staff", staff_csv(staff_row(worker.email, name=worker.name, start_date=start,
                                                   line_manager_email="tm@example.org"))).exit_code == 0
    result = import_cli("staff", staff_csv(staff_row(worker.email, name=worker.name, start_date=start)))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 1")
    reloaded = person(worker.email)
    assert reloaded is not None and reloaded.line_manager is not None
    assert reloaded.line_manager.email == "tm@example.org"


def test_a_work_phone_is_imported_and_a_blank_one_leaves_it_alone(import_cli, org):
    """An addition to the contract: HR files carry extensions, which the directory shows (issue 12)."""
    worker = org["worker"]
    start = worker.start_date.isoformat()
    result = import_cli("staff", staff_csv(staff_row("new.starter@example.org", work_phone=" 50222 "),
                                           staff_row(worker.email, name=worker.name, start_date=start,
                                                     work_phone="0116 305 0000")))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 1, updated 1, unchanged 0")
    assert person("new.starter@example.org").work_phone == "50222"
    assert person(worker.email).work_phone == "0116 305 0000"
    again = import_cli("staff", staff_csv(staff_row(worker.email, name=worker.name, start_date=start)))
    assert again.stdout.strip().endswith("created 0, updated 0, unchanged 1"), again.output
    assert person(worker.email).work_phone == "0116 305 0000"


def test_a_given_role_and_line_manager_are_updated(import_cli, org):
    worker = org["worker"]
    text = staff_csv(staff_row(worker.email, name=worker.name, role="team_manager", start_date="2020-01-06",
                               line_manager_email="sm@example.org"))
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 0")
    reloaded = person(worker.email)
    assert reloaded is not None and reloaded.role == "team_manager"
    assert reloaded.line_manager is not None and reloaded.line_manager.email == "sm@example.org"


def test_dry_run_reports_the_counts_and_writes_nothing(import_cli, org):
    before = database_state()
    text = staff_csv(staff_row("new.one@example.org"), staff_row(org["worker"].email, name="Renamed Worker"))

    result = import_cli("staff", text, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "created 1, updated 1, unchanged 0" in result.stdout
    assert database_state() == before


def test_dry_run_of_a_bad_file_fails_like_the_real_import(import_cli):
    before = database_state()
    result = import_cli("staff", staff_csv(staff_row("new.one@example.org", start_date="2026-02-30")), "--dry-run")
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "start_date")}
    assert database_state() == before


def test_line_manager_may_be_another_row_of_the_same_file(import_cli):
    text = staff_csv(
        staff_row("worker.one@example.org", line_manager_email="senior.one@example.org"),
        staff_row("senior.one@example.org", line_manager_email="New.Manager@example.org",
                  role="team_manager"),
        staff_row("new.manager@example.org", role="service_manager"),
    )
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 3, updated 0, unchanged 0")
    worker = person("worker.one@example.org")
    assert worker is not None and worker.line_manager is not None
    assert worker.line_manager.email == "senior.one@example.org"
    assert worker.line_manager.line_manager is not None
    assert worker.line_manager.line_manager.email == "new.manager@example.org"
    assert import_cli("staff", text).stdout.strip().endswith("created 0, updated 0, unchanged 3")


def test_people_who_would_line_manage_each_other_are_refused(import_cli):
    before = database_state()
    text = staff_csv(
        staff_row("first@example.org", line_manager_email="second@example.org"),
        staff_row("second@example.org", line_manager_email="first@example.org"),
        staff_row("third@example.org", line_manager_email="first@example.org"),
    )
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "line_manager_email")}
    assert "first@example.org" in result.output and "second@example.org" in result.output
    assert database_state() == before


def test_a_circle_through_someone_already_in_teamops_is_refused(import_cli, org):
    # tm@example.org is already in TeamOps; the file makes them report to a new person who reports to them.
    text = staff_csv(
        staff_row("tm@example.org", name="Tia Manager", line_manager_email="boss@example.org"),
        staff_row("boss@example.org", line_manager_email="tm@example.org"),
    )
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert (2, "line_manager_email") in problem_keys(result)


def test_own_line_manager_is_refused(import_cli):
    result = import_cli("staff", staff_csv(staff_row("me@example.org", line_manager_email="ME@example.org")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "line_manager_email")}


def test_unknown_line_manager(import_cli):
    before = database_state()
    result = import_cli("staff", staff_csv(staff_row("new@example.org", line_manager_email="nobody@example.org")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "line_manager_email")}
    assert "nobody@example.org" in problem_lines(result)[0]
    assert database_state() == before


def test_a_line_manager_who_has_left_is_refused(import_cli, make, org):
    make.staff("team_manager", org["teams"]["north"], email="gone@example.org", active=False)
    result = import_cli("staff", staff_csv(staff_row("new@example.org", line_manager_email="gone@example.org")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "line_manager_email")}
    assert "left" in problem_lines(result)[0]


def test_a_line_manager_who_has_left_is_refused_even_when_in_the_file(import_cli, make, org):
    """The import does not bring leavers back, so they cannot become anyone's line manager through it."""
    gone = make.staff("team_manager", org["teams"]["north"], email="gone@example.org", active=False)
    text = staff_csv(
        staff_row("new@example.org", line_manager_email="gone@example.org"),
        staff_row("gone@example.org", name=gone.name, role="team_manager"),
    )
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "line_manager_email")}


def test_unknown_team(import_cli):
    result = import_cli("staff", staff_csv(staff_row("new@example.org", team="Imaginary Team")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "team")}
    assert "Imaginary Team" in problem_lines(result)[0]


def test_team_names_match_whatever_their_case(import_cli):
    result = import_cli("staff", staff_csv(staff_row("new@example.org", team="family safeguarding NORTH")))
    assert result.exit_code == 0, result.output
    new = person("new@example.org")
    assert new is not None and new.team.name == "Family Safeguarding North"


def test_a_closed_team_is_refused(import_cli, make):
    closed = make.team("Old Duty Team")
    closed.active = False
    db.session.commit()
    result = import_cli("staff", staff_csv(staff_row("new@example.org", team="Old Duty Team")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "team")}
    assert "closed" in problem_lines(result)[0]


def test_a_team_name_shared_by_two_services_is_refused(import_cli, make, org):
    make.team("Family Safeguarding North", org["services"][1])
    result = import_cli("staff", staff_csv(staff_row("new@example.org")))
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "team")}
    assert "Family Safeguarding North" in problem_lines(result)[0]


def test_a_shared_team_name_is_fine_when_only_one_of_those_teams_is_open(import_cli, make, org):
    other = make.team("Family Safeguarding North", org["services"][1])
    other.active = False
    db.session.commit()
    result = import_cli("staff", staff_csv(staff_row("new@example.org")))
    assert result.exit_code == 0, result.output
    new = person("new@example.org")
    assert new is not None and new.team_id == org["teams"]["north"].id


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.org"}, "email"),
        ({"email": "spaces in@example.org"}, "email"),
        ({"email": ""}, "email"),
        ({"name": ""}, "name"),
        ({"name": "N" * 121}, "name"),
        ({"job_role": ""}, "job_role"),
        ({"job_role": "J" * 121}, "job_role"),
        ({"team": ""}, "team"),
        ({"employment_type": "contractor"}, "employment_type"),
        ({"employment_type": ""}, "employment_type"),
        ({"role": "boss"}, "role"),
        ({"role": "Team Manager"}, "role"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": "2025-13-01"}, "start_date"),
        ({"start_date": "31/02/2026"}, "start_date"),  # UK dates are accepted (CONTRACT.md), impossible ones not
        ({"start_date": "2026-1-5"}, "start_date"),
        ({"start_date": "2026-01-05T09:00:00"}, "start_date"),
        ({"start_date": ""}, "start_date"),
        ({"line_manager_email": "manager at example.org"}, "line_manager_email"),
        ({"work_phone": "ext 50222"}, "work_phone"),
        ({"work_phone": "1234"}, "work_phone"),
        ({"work_phone": "5" * 33}, "work_phone"),
    ],
)
def test_an_invalid_cell_is_reported_on_its_line_and_column(import_cli, cells, column):
    before = database_state()
    text = staff_csv(staff_row("fine@example.org"), staff_row(**{"email": "new@example.org", **cells}))
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(3, column)}, result.output
    assert database_state() == before


def test_names_of_exactly_120_characters_are_accepted(import_cli):
    result = import_cli("staff", staff_csv(staff_row("long.name@example.org", name="N" * 120)))
    assert result.exit_code == 0, result.output
    new = person("long.name@example.org")
    assert new is not None and new.name == "N" * 120


def test_codes_are_accepted_in_any_case(import_cli):
    result = import_cli("staff", staff_csv(staff_row("new@example.org", employment_type="Agency",
                                                                   role="Team_Manager")))
    assert result.exit_code == 0, result.output
    new = person("new@example.org")
    assert new is not None and (new.employment_type, new.role) == ("agency", "team_manager")


def test_the_same_email_twice_in_one_file_is_refused(import_cli):
    before = database_state()
    text = staff_csv(staff_row("twice@example.org"), staff_row("other@example.org"),
                     staff_row("Twice@Example.org", name="Someone Else"))
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(4, "email")}
    assert "line 2" in problem_lines(result)[0]
    assert database_state() == before


def test_every_problem_is_reported_with_its_line_number_and_nothing_is_written(import_cli, org):
    before = database_state()
    text = (
        "email,name,team,job_role,employment_type,start_date,line_manager_email\n"
        "good.one@example.org,Good One,Family Safeguarding North,Social worker,permanent,2024-01-08,\n"
        "\n"
        "bad.date@example.org,Bad Date,Family Safeguarding North,Social worker,permanent,2026-02-30,\n"
        "   \n"
        "good.two@example.org,Good Two,Family Safeguarding South,Social worker,agency,2024-01-08,tm@example.org\n"
        "bad.many@example.org,,Nowhere,Social worker,temp,2024-01-08,ghost@example.org\n"
        "\n"
        "\n"
        "not-an-email,Bad Email,Family Safeguarding North,Social worker,permanent,2024-01-08,\n"
    )
    result = import_cli("staff", text)

    assert result.exit_code == 1
    assert problem_keys(result) == {
        (4, "start_date"),
        (7, "name"), (7, "team"), (7, "employment_type"), (7, "line_manager_email"),
        (10, "email"),
    }
    assert len(problem_lines(result)) == 6
    assert "nothing was imported" in result.output
    assert "created" not in result.stdout
    assert database_state() == before


def test_problem_lines_follow_the_format_line_column_message(import_cli):
    result = import_cli("staff", staff_csv(staff_row("new@example.org", employment_type="contractor")))
    [line] = problem_lines(result)
    assert line.startswith("line 2: employment_type: ")
    assert "contractor" in line and "permanent" in line and "agency" in line


def test_imported_creates_and_updates_are_in_the_audit_trail(import_cli, org):
    text = staff_csv(staff_row("audited.new@example.org", name="Audited New"),
                     staff_row(org["worker"].email, name="Wren Renamed", start_date="2020-01-06"))
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "staff")
                                .where(AuditEvent.actor_label.startswith("cli:"))).all()
    created = [e for e in events if e.action == "create"]
    updated = [e for e in events if e.action == "update"]
    new = person("audited.new@example.org")
    assert new is not None
    assert [e.entity_id for e in created] == [new.id]
    assert created[0].changes is not None and created[0].changes["name"] == [None, "Audited New"]
    assert [e.entity_id for e in updated] == [org["worker"].id]
    assert updated[0].changes == {"name": ["Wren Worker", "Wren Renamed"]}
    assert all(e.actor_id is None for e in events)


def test_a_leaver_in_the_file_is_updated_but_stays_a_leaver(import_cli, make, org):
    gone = make.staff("worker", org["teams"]["north"], email="gone@example.org", name="Gone Person", active=False)
    result = import_cli("staff", staff_csv(staff_row(gone.email, name="Gone Person", job_role="Family support worker")))
    assert result.exit_code == 0, result.output
    reloaded = person("gone@example.org")
    assert reloaded is not None and reloaded.job_role == "Family support worker"
    assert not reloaded.active


def test_a_thousand_rows_take_a_fixed_number_of_queries(import_cli, count_queries):
    """No query per row: the cost of checking a file must not grow with its length (see benchmarks/)."""

    def file(n: int, prefix: str) -> str:
        rows = [staff_row(f"{prefix}.lead@example.org", role="team_manager")]
        rows += [staff_row(f"{prefix}.{i}@example.org", line_manager_email=f"{prefix}.lead@example.org",
                           team="Family Safeguarding South" if i % 2 else "Family Safeguarding North")
                 for i in range(n)]
        return csv_text(["email", "name", "team", "job_role", "employment_type", "start_date",
                         "line_manager_email", "role"], rows)

    with count_queries() as small:
        assert import_cli("staff", file(10, "small"), "--dry-run").exit_code == 0
    with count_queries() as large:
        assert import_cli("staff", file(1000, "large"), "--dry-run").exit_code == 0
    assert large.count == small.count



def test_the_qait_role_from_the_command_line_waits_for_approval(import_cli, org):
    """Issue 7 item 2: a QAIT or admin role is asked for, never given, by an import; from the command line
    nobody in TeamOps asked, so any eligible approver decides."""
    result = import_cli("staff", staff_csv(staff_row("new@example.org", role="qait")))
    assert result.exit_code == 0, result.output
    new = person("new@example.org")
    assert new is not None and new.role == "worker"
    grant = db.session.scalar(select(RoleGrant))
    assert (grant.staff_id, grant.role, grant.requested_by_id, grant.outcome) == (new.id, "qait", None, None)


def test_a_role_asked_for_someone_whose_new_manager_comes_later_in_the_file(import_cli, org):
    """Telling the person a role was asked for them (the mail outbox, issue 15) must not write the import's rows
    before their turn: the line manager named here is a new person on a later line."""
    result = import_cli("staff", staff_csv(
        staff_row("asked@example.org", role="qait", line_manager_email="later.manager@example.org"),
        staff_row("later.manager@example.org", name="Lee Later", job_role="Team manager", role="team_manager")))
    assert result.exit_code == 0, result.output
    asked = person("asked@example.org")
    assert asked is not None and asked.line_manager is not None and asked.line_manager.name == "Lee Later"
    subjects = [row.subject for row in db.session.scalars(select(OutboxMail))]
    assert subjects == ["TeamOps: the QAIT role was asked for you"]  # and sent at the end of the command

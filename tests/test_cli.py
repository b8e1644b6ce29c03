"""``flask --app wsgi teamops …`` commands (CONTRACT.md "Command line"): seed-demo, create-admin, import."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from teamops import access
from teamops.audit.models import AuditEvent
from teamops.dates import in_induction_window, today
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from tests.conftest import Client, make_app

DEMO_PASSWORD = "TeamOps-demo-1"
DEMO_ACCOUNTS = {
    "admin@example.org": "admin",
    "qait@example.org": "qait",
    "headofservice@example.org": "head_of_service",
    "servicemanager@example.org": "service_manager",
    "manager@example.org": "team_manager",
    "worker@example.org": "worker",
    "newstarter@example.org": "worker",
}
ADMIN_PASSWORD = "lantern orchard pebble ferry"


def count(model: Any) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def staff(email: str) -> Staff | None:
    db.session.rollback()
    return db.session.scalar(select(Staff).where(Staff.email == email))


def signs_in(app: Flask, email: str, password: str) -> bool:
    client = app.test_client()
    response = client.post_form("/sign-in", {"email": email, "password": password})  # type: ignore[attr-defined]
    return response.status_code == 303 and client.get("/").status_code == 200


def everything() -> dict[str, Any]:
    db.session.rollback()
    return {
        "services": db.session.execute(select(Service.id, Service.name).order_by(Service.id)).all(),
        "teams": db.session.execute(select(Team.id, Team.name, Team.manager_id).order_by(Team.id)).all(),
        "staff": db.session.execute(select(Staff.id, Staff.email, Staff.role, Staff.team_id, Staff.password_hash)
                                    .order_by(Staff.id)).all(),
        "audit": count(AuditEvent),
    }


# seed-demo -----------------------------------------------------------------------------------------

@pytest.fixture
def seeded(app: Flask, runner: Any) -> Any:
    result = runner.invoke(args=["teamops", "seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def test_seed_demo_creates_the_seven_demo_accounts(app, seeded):
    for email, role in DEMO_ACCOUNTS.items():
        person = staff(email)
        assert person is not None, email
        assert (person.role, person.active) == (role, True), email
    assert signs_in(app, "manager@example.org", DEMO_PASSWORD)
    assert signs_in(app, "admin@example.org", DEMO_PASSWORD)
    assert not signs_in(app, "worker@example.org", "not-the-demo-password")


@pytest.mark.parametrize("email", sorted(set(DEMO_ACCOUNTS) - {"manager@example.org", "admin@example.org"}))
def test_every_demo_account_signs_in_with_the_demo_password(app, seeded, email):
    assert signs_in(app, email, DEMO_PASSWORD)


def test_seed_demo_builds_a_whole_organisation(seeded):
    assert count(Service) >= 2
    assert count(Team) >= 8
    assert 90 <= count(Staff) <= 130
    teams = db.session.scalars(select(Team)).all()
    assert all(team.manager is not None for team in teams)
    assert all(len(team.members) >= 2 for team in teams)


def test_the_demo_manager_leads_a_team_with_workers_and_a_new_starter(seeded):
    manager = staff("manager@example.org")
    worker = staff("worker@example.org")
    starter = staff("newstarter@example.org")
    assert manager is not None and worker is not None and starter is not None
    team = manager.team
    assert team.manager_id == manager.id
    assert worker.team_id == team.id and starter.team_id == team.id
    assert sum(1 for member in team.members if member.role == "worker") >= 3
    assert in_induction_window(starter.start_date, today())
    assert not in_induction_window(worker.start_date, today())
    assert worker.line_manager_id == manager.id and starter.line_manager_id == manager.id


def test_the_demo_service_manager_line_manages_the_manager_under_the_head_of_service(seeded):
    """CONTRACT.md seed-demo and R-ORG-1: the service manager line-manages manager@example.org and reaches some,
    not all, of the service's teams; the head of service line-manages the service manager and reaches them all."""
    manager, head = staff("manager@example.org"), staff("headofservice@example.org")
    service_manager = staff("servicemanager@example.org")
    assert manager is not None and service_manager is not None and head is not None
    assert manager.line_manager_id == service_manager.id and service_manager.line_manager_id == head.id
    reached = set(db.session.scalars(access.reach_team_ids(service_manager)))
    service_teams = set(db.session.scalars(access.reach_team_ids(head)))
    assert manager.team_id in reached and reached < service_teams
    assert service_teams == {team.id for team in manager.team.service.teams}


def test_seed_demo_is_idempotent(runner, seeded):
    before = everything()
    again = runner.invoke(args=["teamops", "seed-demo"])
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert everything() == before


def test_seed_demo_is_in_the_audit_trail_as_the_command(seeded):
    labels = set(db.session.scalars(select(AuditEvent.actor_label).where(AuditEvent.action == "create")))
    assert labels == {"cli:seed-demo"}


@pytest.fixture
def production(database_url: str) -> Any:
    """The app as production runs it (TEAMOPS_ENVIRONMENT=production)."""
    app = make_app(database_url, environment="production")
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_seed_demo_refuses_production_without_force(production):
    """Issue 7 item 12: the demo accounts' password is published, so a live database is never seeded by accident."""
    result = production.test_cli_runner().invoke(args=["teamops", "seed-demo"])
    assert result.exit_code == 1
    assert "TEAMOPS_ENVIRONMENT is production" in result.output and "--force" in result.output
    assert count(Staff) == 0
    result = production.test_cli_runner().invoke(args=["teamops", "seed-demo", "--only-if-empty"])
    assert result.exit_code == 1 and count(Staff) == 0


def test_seed_demo_runs_in_production_with_force(production):
    result = production.test_cli_runner().invoke(args=["teamops", "seed-demo", "--force"])
    assert result.exit_code == 0, result.output
    assert staff("manager@example.org") is not None


def test_seed_demo_works_alongside_imported_teams(app, runner, tmp_path):
    """A database that already has some of the demo's service and team names still gets the demo."""
    teams = tmp_path / "teams.csv"
    teams.write_text("service,team,office_base\nYouth Justice,Youth Justice Team,Castle Yard\n"
                     "Youth Justice,Youth Justice Court Team,Castle Yard\n")
    assert runner.invoke(args=["teamops", "import", "teams", str(teams)]).exit_code == 0

    result = runner.invoke(args=["teamops", "seed-demo"])

    assert result.exit_code == 0, result.output
    assert signs_in(app, "manager@example.org", DEMO_PASSWORD)
    assert db.session.scalar(select(func.count()).select_from(Service).where(Service.name == "Youth Justice")) == 1


# create-admin --------------------------------------------------------------------------------------

def create_admin(runner: Any, *args: str, password: str | None = ADMIN_PASSWORD, **kwargs: Any) -> Any:
    return runner.invoke(args=["teamops", "create-admin", *args], env={"TEAMOPS_ADMIN_PASSWORD": password},
                         **kwargs)


def test_create_admin_with_the_password_from_the_environment(app, runner):
    result = create_admin(runner, "--email", " Chris.Admin@Council.example ", "--name", "Chris Admin")
    assert result.exit_code == 0, result.output
    admin = staff("chris.admin@council.example")
    assert admin is not None and (admin.role, admin.name, admin.active) == ("admin", "Chris Admin", True)
    assert signs_in(app, "chris.admin@council.example", ADMIN_PASSWORD)
    assert app.test_client().get("/admin/import").status_code == 303  # signed out: sent to sign in


def test_the_new_admin_can_use_the_admin_pages(app, runner):
    assert create_admin(runner, "--email", "chris@council.example", "--name", "Chris Admin").exit_code == 0
    client = app.test_client()
    client.post_form("/sign-in", {"email": "chris@council.example", "password": ADMIN_PASSWORD})  # type: ignore[attr-defined]
    assert client.get("/admin/import").status_code == 200


def test_create_admin_asks_for_the_password_when_the_environment_has_none(app, runner):
    result = create_admin(runner, "--email", "chris@council.example", "--name", "Chris Admin", password=None,
                          input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert ADMIN_PASSWORD not in result.output
    assert signs_in(app, "chris@council.example", ADMIN_PASSWORD)


def test_create_admin_refuses_an_email_already_in_use(runner, org):
    before = everything()
    result = create_admin(runner, "--email", "ADMIN@example.org", "--name", "Second Admin")
    assert result.exit_code == 1
    assert "admin@example.org" in result.output and "already" in result.output
    assert everything() == before


@pytest.mark.parametrize(("password", "message"), [
    ("short-pw", "at least 12 characters"),
    ("password1234", "too common"),
])
def test_create_admin_refuses_a_weak_password(app, runner, password, message):
    result = create_admin(runner, "--email", "chris@council.example", "--name", "Chris Admin", password=password)
    assert result.exit_code == 1
    assert message in result.output
    assert staff("chris@council.example") is None


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "not-an-email", "--name", "Chris Admin"], "e-mail"),
    (["--email", "chris@council.example", "--name", "   "], "name"),
    (["--email", "chris@council.example", "--name", "N" * 121], "name"),
])
def test_create_admin_refuses_a_bad_email_or_name(app, runner, args, message):
    before = everything()
    result = create_admin(runner, *args)
    assert result.exit_code == 1
    assert message in result.output.lower()
    assert everything() == before


def test_create_admin_is_in_the_audit_trail_without_the_password(app, runner):
    assert create_admin(runner, "--email", "chris@council.example", "--name", "Chris Admin").exit_code == 0
    admin = staff("chris@council.example")
    assert admin is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "staff",
                                                       AuditEvent.entity_id == admin.id))
    assert event is not None and event.actor_label == "cli:create-admin"
    assert event.changes is not None and event.changes["password_hash"] == [None, "(changed)"]
    assert ADMIN_PASSWORD not in str(event.changes)


# import ---------------------------------------------------------------------------------------------

def test_import_refuses_an_unknown_kind(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    result = runner.invoke(args=["teamops", "import", "people", str(path)])
    assert result.exit_code == 2
    assert "people" in result.output


def test_import_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["teamops", "import", "staff", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "missing.csv" in result.output


def test_import_prints_counts_on_stdout_and_problems_as_lines(runner, org, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("service,team,office_base\nEarly Help,Early Help Hub,Castle Yard\n")
    result = runner.invoke(args=["teamops", "import", "teams", str(good)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0"

    bad = tmp_path / "bad.csv"
    bad.write_text("service,team,office_base\nEarly Help,,Castle Yard\n")
    result = runner.invoke(args=["teamops", "import", "teams", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "line 2: team: Required: enter a value"


def test_import_cases_then_supervisions_and_again_unchanged(runner, org, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("case_ref,case_type,high_risk,worker_email,allocated_on,closed_on\n"
                     "1234567,CP,yes,worker@example.org,2026-03-02,\n"
                     "EH-0042,EH,no,south.worker@example.org,2026-01-05,2026-04-30\n")
    supervisions = tmp_path / "supervisions.csv"
    supervisions.write_text("kind,held_on,worker_email,case_ref,supervisor_email\n"
                            "case,2026-03-30,worker@example.org,1234567,tm@example.org\n"
                            "personal,2026-04-02,worker@example.org,,tm@example.org\n")

    for path, created in ((cases, 2), (supervisions, 2)):
        dry = runner.invoke(args=["teamops", "import", path.stem, str(path), "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert dry.stdout.splitlines()[-1].endswith(f"created {created}, updated 0, unchanged 0")
        result = runner.invoke(args=["teamops", "import", path.stem, str(path)])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == f"created {created}, updated 0, unchanged 0"

    before = everything()
    for path in (cases, supervisions):
        result = runner.invoke(args=["teamops", "import", path.stem, str(path)])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 2"
    assert everything() == before


def test_import_cases_and_supervisions_print_each_problem_and_write_nothing(runner, org, tmp_path):
    from teamops.cases.models import Case
    from teamops.records.models import SupervisionRecord

    cases = tmp_path / "cases.csv"
    cases.write_text("case_ref,case_type,high_risk,worker_email,allocated_on\n"
                     "1234567,XX,maybe,worker@example.org,2026-03-02\n")
    result = runner.invoke(args=["teamops", "import", "cases", str(cases)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "line 2: case_type: 'XX' is not a case type: use one of CP, CIN, EH, CLA, CL, YJ, PF",
        "line 2: high_risk: 'maybe' must be one of: yes, no"]

    supervisions = tmp_path / "supervisions.csv"
    supervisions.write_text("kind,held_on,worker_email,case_ref\ncase,2026-03-30,worker@example.org,1234567\n")
    result = runner.invoke(args=["teamops", "import", "supervisions", str(supervisions)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "line 2: case_ref: No case 1234567 in TeamOps: import the cases first",
        "line 2: supervisor_email: Required: worker@example.org has no line manager in TeamOps, so give the "
        "supervisor's e-mail"]
    assert (count(Case), count(SupervisionRecord)) == (0, 0)


def test_import_of_a_header_only_file_succeeds_with_nothing_to_do(runner, org, tmp_path):
    path = tmp_path / "no-cases-yet.csv"
    path.write_text("case_ref,case_type,high_risk,worker_email,allocated_on\n")
    before = everything()
    result = runner.invoke(args=["teamops", "import", "cases", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 0"
    assert everything() == before

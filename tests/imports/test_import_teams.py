"""``flask teamops import teams FILE``: columns service, team, office_base; key service + team."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import Service, Team
from tests.imports.conftest import database_state, problem_keys, problem_lines

HEADER = "service,team,office_base\n"

pytestmark = pytest.mark.usefixtures("org")


def team(service: str, name: str) -> Team | None:
    db.session.rollback()
    return db.session.scalar(select(Team).join(Team.service).where(Service.name == service, Team.name == name))


def test_creates_teams_and_their_services(import_cli):
    text = HEADER + ("Children's Social Care,Disabled Children's Team,Riverside House\n"
                     "Children and Family Wellbeing Service,Wellbeing East,Orchard Centre\n"
                     "Children and Family Wellbeing Service,Wellbeing West,Millbrook Family Hub\n")
    result = import_cli("teams", text)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 3, updated 0, unchanged 0")
    disabled = team("Children's Social Care", "Disabled Children's Team")
    assert disabled is not None and disabled.office_base == "Riverside House" and disabled.active
    east = team("Children and Family Wellbeing Service", "Wellbeing East")
    west = team("Children and Family Wellbeing Service", "Wellbeing West")
    assert east is not None and west is not None and east.service_id == west.service_id
    names = db.session.scalars(select(Service.name)).all()
    assert sorted(names) == ["Children and Family Wellbeing Service", "Children's Social Care", "Youth Justice"]


def test_reimporting_the_same_file_changes_nothing(import_cli):
    text = HEADER + "Early Help,Early Help Hub,Castle Yard\nEarly Help,Early Help Outreach,Castle Yard\n"
    assert import_cli("teams", text).exit_code == 0
    before = database_state()
    again = import_cli("teams", text)
    assert again.exit_code == 0, again.output
    assert again.stdout.strip().endswith("created 0, updated 0, unchanged 2")
    assert database_state() == before


def test_existing_teams_match_whatever_the_case(import_cli):
    text = HEADER + "children's social care,family safeguarding north,Riverside House\n"
    result = import_cli("teams", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 1")


def test_a_new_office_base_counts_as_updated(import_cli, org):
    text = HEADER + ("Children's Social Care,Family Safeguarding North,Station Road Offices\n"
                     "Children's Social Care,Family Safeguarding South,Riverside House\n")
    result = import_cli("teams", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 0, updated 1, unchanged 1")
    north = team("Children's Social Care", "Family Safeguarding North")
    assert north is not None and north.office_base == "Station Road Offices"
    assert north.manager is not None and north.manager.email == "tm@example.org"  # untouched


def test_the_same_team_name_in_two_services_makes_two_teams(import_cli):
    text = HEADER + "Early Help,Duty Team,Castle Yard\nYouth Justice,Duty Team,Castle Yard\n"
    result = import_cli("teams", text)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 2, updated 0, unchanged 0")
    assert team("Early Help", "Duty Team") is not None and team("Youth Justice", "Duty Team") is not None


def test_dry_run_writes_nothing(import_cli):
    before = database_state()
    result = import_cli("teams", HEADER + "Early Help,Early Help Hub,Castle Yard\n", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "created 1, updated 0, unchanged 0" in result.stdout
    assert database_state() == before


def test_every_problem_is_reported_and_nothing_is_written(import_cli):
    before = database_state()
    text = HEADER + ("Early Help,Early Help Hub,Castle Yard\n"
                     "\n"
                     "Early Help,,Castle Yard\n"
                     ",Lost Team,Castle Yard\n"
                     "Early Help,Early Help Outreach,\n"
                     "early help,EARLY HELP HUB,Market Street Hub\n"
                     f"Early Help,{'T' * 121},Castle Yard\n")
    result = import_cli("teams", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(4, "team"), (5, "service"), (6, "office_base"), (7, "team"), (8, "team")}
    duplicate = next(line for line in problem_lines(result) if line.startswith("line 7:"))
    assert "line 2" in duplicate
    assert database_state() == before


def test_an_unknown_column_is_named(import_cli):
    result = import_cli("teams", "service,team,office\nEarly Help,Hub,Castle Yard\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, "office"), (1, "office_base")}


def test_imported_teams_are_in_the_audit_trail(import_cli):
    text = HEADER + ("Early Help,Early Help Hub,Castle Yard\n"
                     "Children's Social Care,Family Safeguarding North,Station Road Offices\n")
    assert import_cli("teams", text).exit_code == 0
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_label.startswith("cli:"))).all()
    hub = team("Early Help", "Early Help Hub")
    assert hub is not None
    assert {(e.action, e.entity_type, e.entity_id) for e in events} >= {
        ("create", "service", hub.service_id), ("create", "team", hub.id),
        ("update", "team", team("Children's Social Care", "Family Safeguarding North").id),  # type: ignore[union-attr]
    }
    update = next(e for e in events if e.action == "update")
    assert update.changes == {"office_base": ["Riverside House", "Station Road Offices"]}

"""A 10,000-row staff file must import in seconds (``flask teamops import staff FILE``), into a fresh
database and again unchanged. Run with ``make bench``; each round uses its own fresh database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from benchmarks.conftest import report_seconds
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team

STAFF = 10_000
TEAMS = 20
MANAGERS = 200
# Far above the few seconds it takes, so a slow machine passes and an accidental query per row does not.
LIMIT_SECONDS = 15.0


def staff_file(path: Path) -> Path:
    """Workers first, then their line managers: every line manager is a later row of the same file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "team", "job_role", "employment_type", "start_date",
                     "line_manager_email", "role"])
    workers = STAFF - MANAGERS
    for n in range(workers):
        manager = n % MANAGERS
        writer.writerow([f"worker.{n}@example.org", f"Worker {n}", f"Team {manager % TEAMS}", "Social worker",
                         "agency" if n % 9 == 0 else "permanent", date(2015, 1, 5) + timedelta(days=n % 3000),
                         f"manager.{manager}@example.org", ""])
    for n in range(MANAGERS):
        writer.writerow([f"manager.{n}@example.org", f"Manager {n}", f"Team {n % TEAMS}", "Team manager",
                         "permanent", "2012-04-02", "", "team_manager"])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def organisation(app: Flask) -> None:
    with app.app_context():
        services = [Service(name="Children's Social Care"), Service(name="Early Help")]
        db.session.add_all(Team(service=services[n % 2], name=f"Team {n}", office_base="Riverside House")
                           for n in range(TEAMS))
        db.session.commit()


def import_staff(runner: FlaskCliRunner, path: Path) -> Result:
    return runner.invoke(args=["teamops", "import", "staff", str(path)])


def staff_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Staff)) or 0


@pytest.fixture
def file(tmp_path: Path) -> Path:
    return staff_file(tmp_path / "staff.csv")


def test_import_10000_staff_into_a_fresh_database(benchmark: Any, new_app: Callable[[str], Flask],
                                                  fresh_database: Callable[[], str], file: Path) -> None:
    apps: list[Flask] = []

    def setup() -> tuple[tuple[FlaskCliRunner, Path], dict[str, Any]]:
        app = new_app(fresh_database())
        organisation(app)
        apps.append(app)
        return (app.test_cli_runner(), file), {}

    result = benchmark.pedantic(import_staff, setup=setup, rounds=3)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"created {STAFF}, updated 0, unchanged 0")
    assert staff_count(apps[-1]) == STAFF
    seconds = report_seconds(benchmark)
    assert seconds is None or seconds < LIMIT_SECONDS, f"{STAFF} staff took {seconds:.1f} s to import"


def test_reimport_10000_unchanged_staff(benchmark: Any, new_app: Callable[[str], Flask],
                                        fresh_database: Callable[[], str], file: Path) -> None:
    app = new_app(fresh_database())
    organisation(app)
    runner = app.test_cli_runner()
    assert import_staff(runner, file).exit_code == 0

    result = benchmark.pedantic(import_staff, args=(runner, file), rounds=3)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"created 0, updated 0, unchanged {STAFF}")
    seconds = report_seconds(benchmark)
    assert seconds is None or seconds < LIMIT_SECONDS, f"{STAFF} unchanged staff took {seconds:.1f} s"

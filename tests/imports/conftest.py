"""Helpers for the import tests: write a CSV, run ``flask teamops import`` on it, read back what changed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team

STAFF_COLUMNS = ["email", "name", "team", "job_role", "employment_type", "start_date", "line_manager_email", "role"]


def csv_text(columns: list[str], rows: Iterable[dict[str, str]]) -> str:
    """A CSV file's text: the header, then one line per row (missing cells blank)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return out.getvalue()


def staff_row(email: str, **cells: str) -> dict[str, str]:
    """A valid staff row for a team of the ``org`` fixture; override any cell by keyword."""
    row = {"email": email, "name": "Alex Example", "team": "Family Safeguarding North", "job_role": "Social worker",
           "employment_type": "permanent", "start_date": "2024-01-08"}
    row.update(cells)
    return row


def staff_csv(*rows: dict[str, str], columns: list[str] | None = None) -> str:
    return csv_text(columns or STAFF_COLUMNS, rows)


def problem_lines(result: Result) -> list[str]:
    """Every ``line N: column: message`` line the command printed."""
    return [line for line in result.output.splitlines() if line.startswith("line ")]


def problem_keys(result: Result) -> set[tuple[int, str]]:
    """(line, column) of every problem printed, for exact checks of where problems were found."""
    keys = set()
    for line in problem_lines(result):
        where, column, _message = line.split(": ", 2)
        keys.add((int(where.removeprefix("line ")), column))
    return keys


def database_state() -> dict[str, Any]:
    """Everything an import may write, read fresh from the database (not from the session's cache)."""
    db.session.rollback()
    return {
        "services": db.session.execute(select(Service.id, Service.name).order_by(Service.id)).all(),
        "teams": db.session.execute(
            select(Team.id, Team.service_id, Team.name, Team.office_base, Team.active).order_by(Team.id)).all(),
        "staff": db.session.execute(
            select(Staff.id, Staff.email, Staff.name, Staff.team_id, Staff.job_role, Staff.employment_type,
                   Staff.start_date, Staff.line_manager_id, Staff.role, Staff.active).order_by(Staff.id)).all(),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
    }


def person(email: str) -> Staff | None:
    db.session.rollback()
    return db.session.scalar(select(Staff).where(Staff.email == email))


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1, 1000))

    def write(content: str | bytes, name: str | None = None) -> Path:
        path = tmp_path / (name or f"import-{next(counter)}.csv")
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def import_cli(runner: FlaskCliRunner, write_csv: Callable[..., Path]) -> Callable[..., Result]:
    """``import_cli("staff", text_or_bytes, "--dry-run")`` runs the real command on a file holding that text."""

    def run(kind: str, content: str | bytes, *options: str) -> Result:
        path = write_csv(content)
        return runner.invoke(args=["teamops", "import", kind, str(path), *options])

    return run

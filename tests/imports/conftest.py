"""Helpers for the import tests: write a CSV, run ``flask teamops import`` on it, read back what changed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.cases.models import Case, CaseAllocation
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.records.models import CaseDiscussion, SupervisionRecord

STAFF_COLUMNS = ["email", "name", "team", "job_role", "employment_type", "start_date", "line_manager_email", "role",
                 "work_phone"]


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


# Cases and supervisions ---------------------------------------------------------------------------

TODAY = date(2026, 6, 15)  # a Monday; every case and supervision test runs on this day
CASE_COLUMNS = ["case_ref", "case_type", "high_risk", "worker_email", "allocated_on", "closed_on"]
SUPERVISION_COLUMNS = ["kind", "held_on", "worker_email", "case_ref", "supervisor_email"]


@pytest.fixture
def fixed_today() -> Iterator[date]:
    """Makes TODAY today for the whole app, so that "in the future" and reallocation dates are known."""
    with dates.freeze(TODAY):
        yield TODAY


def case_row(case_ref: str = "1234567", **cells: str) -> dict[str, str]:
    """A valid case row for the ``org`` fixture's north worker; override any cell by keyword."""
    row = {"case_ref": case_ref, "case_type": "CIN", "high_risk": "no", "worker_email": "worker@example.org",
           "allocated_on": "2026-03-02"}
    row.update(cells)
    return row


def cases_csv(*rows: dict[str, str], columns: list[str] | None = None) -> str:
    return csv_text(columns or CASE_COLUMNS, rows)


def supervision_row(kind: str = "case", **cells: str) -> dict[str, str]:
    """A valid supervision row: the north worker supervised by the north team manager."""
    row = {"kind": kind, "held_on": "2026-04-06", "worker_email": "worker@example.org",
           "supervisor_email": "tm@example.org"}
    row.update(cells)
    return row


def supervisions_csv(*rows: dict[str, str], columns: list[str] | None = None) -> str:
    return csv_text(columns or SUPERVISION_COLUMNS, rows)


def case(case_ref: str) -> Case | None:
    db.session.rollback()
    return db.session.scalar(select(Case).where(Case.case_ref == case_ref))


def allocations(case_ref: str) -> list[tuple[str, date, date | None]]:
    """The case's allocation history as (worker e-mail, from, to), oldest first."""
    db.session.rollback()
    rows = db.session.execute(
        select(Staff.email, CaseAllocation.from_date, CaseAllocation.to_date)
        .join(CaseAllocation, CaseAllocation.worker_id == Staff.id).join(Case, Case.id == CaseAllocation.case_id)
        .where(Case.case_ref == case_ref).order_by(CaseAllocation.from_date, CaseAllocation.id))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def supervision_state() -> dict[str, Any]:
    """Every case, allocation, record and discussion, read fresh: what the two kinds may write."""
    db.session.rollback()
    return {
        "cases": db.session.execute(
            select(Case.id, Case.case_ref, Case.case_type_code, Case.high_risk, Case.worker_id, Case.allocated_on,
                   Case.closed_on).order_by(Case.id)).all(),
        "allocations": db.session.execute(
            select(CaseAllocation.id, CaseAllocation.case_id, CaseAllocation.worker_id, CaseAllocation.from_date,
                   CaseAllocation.to_date).order_by(CaseAllocation.id)).all(),
        "records": db.session.execute(
            select(SupervisionRecord.id, SupervisionRecord.kind, SupervisionRecord.held_on,
                   SupervisionRecord.worker_id, SupervisionRecord.supervisor_id, SupervisionRecord.status,
                   SupervisionRecord.imported).order_by(SupervisionRecord.id)).all(),
        "discussions": db.session.execute(
            select(CaseDiscussion.id, CaseDiscussion.record_id, CaseDiscussion.case_id, CaseDiscussion.held_on)
            .order_by(CaseDiscussion.id)).all(),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
    }


def audit_trail(actor_label: str) -> dict[tuple[str | None, int | None], tuple[Any, ...]]:
    """Every event the actor wrote, by (entity, id): (action, summary, changes, actor id, address)."""
    db.session.rollback()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_label == actor_label))
    return {(event.entity_type, event.entity_id): (event.action, event.summary, event.changes, event.actor_id,
                                                   event.ip_address) for event in events}


def records() -> list[SupervisionRecord]:
    db.session.rollback()
    return list(db.session.scalars(select(SupervisionRecord).order_by(SupervisionRecord.id)))

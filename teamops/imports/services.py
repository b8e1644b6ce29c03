"""The import machinery (CONTRACT.md "CSV imports"): validate every row, then write all or nothing.

Each kind (one module each in ``teamops.imports.kinds``) checks the rows against the database and the file
itself and plans its changes; ``run_import`` applies them in one transaction only when no row has a problem.
Admins import every kind; team and service managers import cases and supervisions for the teams they run.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_

from teamops.access import can, reach_team_ids
from teamops.dashboards import versions
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.imports.core import EVERYONE, Change, Checker, Report, Scope, is_email
from teamops.imports.csvfile import Problems, Row, _decode, read_rows
from teamops.imports.kinds.cases import CASE_COLUMNS, CASE_OPTIONAL, plan_cases
from teamops.imports.kinds.staff import STAFF_COLUMNS, STAFF_OPTIONAL, plan_staff
from teamops.imports.kinds.supervisions import SUPERVISION_COLUMNS, SUPERVISION_OPTIONAL, plan_supervisions
from teamops.imports.kinds.teams import TEAM_COLUMNS, plan_teams
from teamops.imports.models import PendingImport
from teamops.org.models import Staff

__all__ = ["KINDS", "Change", "Checker", "Kind", "Report", "Scope", "is_email", "kinds_for", "run_import",
           "scope_for"]


@dataclass(frozen=True)
class Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    plan: Callable[[list[Row], Report, Scope], None]
    label: str
    notes: str


PENDING_KEPT_FOR = timedelta(days=1)


def kind_of(data: bytes, kinds: list[str]) -> str | None:
    """The one kind among ``kinds`` whose columns the file's header row names (every required column, nothing
    unknown), or None when none or several fit (issue 10 item 14: no silent default)."""
    text = _decode(data)
    if not isinstance(text, str):
        return None
    header = next((cells for cells in csv.reader(io.StringIO(text[:20000], newline="")) if any(
        cell.strip() for cell in cells)), [])
    named = {cell.strip().lower() for cell in header if cell.strip()}
    fits = [name for name in kinds
            if set(KINDS[name].required) <= named <= set(KINDS[name].required) | set(KINDS[name].optional)]
    return fits[0] if len(fits) == 1 else None

KINDS: dict[str, Kind] = {
    "teams": Kind(TEAM_COLUMNS, (), plan_teams, "Teams",
                  "A service named for the first time is created with the team."),
    "staff": Kind(STAFF_COLUMNS, STAFF_OPTIONAL, plan_staff, "Staff",
                  "Employment type is permanent or agency; role is one of worker, team_manager, service_manager, "
                  "head_of_service, qait, admin (default worker). A line manager may be another row of the file."),
    "cases": Kind(CASE_COLUMNS, CASE_OPTIONAL, plan_cases, "Cases",
                  "case_ref is the case system's reference (letters, numbers and hyphens), never a name. "
                  "case_type is one of CP, CIN, EH, CLA, CL, YJ, PF; high_risk is yes or no; the worker must be "
                  "an active member of staff. A different worker for a case already in TeamOps reallocates it "
                  "from today, keeping its supervision history. A blank closed_on leaves the case as it is."),
    "supervisions": Kind(SUPERVISION_COLUMNS, SUPERVISION_OPTIONAL, plan_supervisions, "Supervisions held",
                         "kind is case, personal or group; case and group supervisions need the case_ref of a "
                         "case already in TeamOps (import the cases first), personal ones have none. A blank "
                         "supervisor_email means the worker's line manager. A supervision already in TeamOps "
                         "is left as it is, never duplicated."),
}


def kinds_for(user: Staff) -> list[str]:
    """The kinds this person may import (teamops.access "import_data")."""
    return [name for name in KINDS if can("import_data", name, user=user)]


def scope_for(user: Staff) -> Scope:
    """Admins import for the whole organisation; a manager only for the teams they run."""
    ids = None if can("manage_organisation", user=user) else reach_team_ids(user)
    return Scope(None if ids is None else frozenset(db.session.scalars(ids)), importer_id=user.id)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Every row, planned change and row to write lives until the import ends: the cyclic garbage collector
    would walk them all again each time they grew by a quarter (a third of a 100,000-row import) and free
    nothing. Reference counting still frees everything else; the collector resumes (if it ran) afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_cycle_collection_paused()
def run_import(kind: str, data: bytes, dry_run: bool = False, scope: Scope = EVERYONE,
               problem_limit: int | None = None, row_limit: int | None = None) -> Report:
    """Checks every row; writes everything (flushed; the caller commits) only if there is no problem at all.

    The upload page sets the limits, so that a file of a million tiny bad rows costs neither gigabytes nor
    minutes: ``problem_limit`` keeps only the first problems (the page shows no more) and counts the rest, and
    a file of more than ``row_limit`` rows is one problem. The command line has no limit: it prints every
    problem (CONTRACT.md) and reads files of any size."""
    spec = KINDS[kind]
    report = Report(problems=Problems(problem_limit))
    rows = read_rows(data, spec.required, spec.optional, report.problems, row_limit)
    if report.problems:
        return report
    with db.session.no_autoflush:
        spec.plan(rows, report, scope)
    if report.problems:
        report.changes, report.writes = [], []
        db.session.rollback()
        return report
    if dry_run:
        db.session.rollback()
        return report
    try:
        with db.session.no_autoflush:
            for change in report.changes:
                if change.apply is not None:
                    change.apply()
            for write in report.writes:
                write()
        db.session.flush()
        versions.changed_everything()  # rows written in bulk reach no flush hook: every team's figures may move
    except Exception:
        db.session.rollback()
        raise
    return report


def hold_for_confirmation(uploader: Staff, kind: str, filename: str, content: bytes) -> PendingImport:
    """Keeps a checked file until its uploader confirms it. One waiting file per person; files nobody
    confirmed within a day go (they hold personal data)."""
    db.session.execute(delete(PendingImport).where(or_(
        PendingImport.uploaded_by_id == uploader.id, PendingImport.uploaded_at < utcnow() - PENDING_KEPT_FOR)))
    pending = PendingImport(kind=kind, filename=filename, content=content, uploaded_by_id=uploader.id,
                            uploaded_at=utcnow())
    db.session.add(pending)
    db.session.flush()
    return pending


def forget_pending(pending: PendingImport) -> None:
    """The file has been imported (or abandoned): its content is not kept."""
    db.session.delete(pending)
    db.session.flush()

"""Kind ``supervisions`` (CONTRACT.md "CSV imports"): supervisions already held, from a team's spreadsheet.

The key is every column: a row that matches a supervision TeamOps already holds (same kind, date, worker,
supervisor and case, whether imported or written in TeamOps) is left alone, so re-importing never
duplicates. Each held case or group supervision counts for its case's due date (CONTRACT.md "Scheduling
rules"). Rows of one session (same kind, date, worker and supervisor) become one signed-off record with one
discussion per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import func, select

from teamops import dates
from teamops.audit.services import insert_audited
from teamops.cases.models import Case, CaseAllocation
from teamops.extensions import db
from teamops.imports.core import Change, Checker, Report, Scope, chunks, known_person
from teamops.imports.csvfile import Row
from teamops.imports.kinds.cases import case_ref, staff_by_email
from teamops.org.models import Staff
from teamops.org.settings import CaseRefRule, case_ref_rule
from teamops.records.models import CaseDiscussion, SupervisionRecord

SUPERVISION_COLUMNS = ("kind", "held_on", "worker_email")
SUPERVISION_OPTIONAL = ("case_ref", "supervisor_email")
SUPERVISION_KINDS = ("case", "personal", "group")
CASE_KINDS = ("case", "group")
IMPORTED_STATUS = "signed_off"  # what teamops.supervision.services.add_record gives an imported record

# (kind, held_on, worker id, supervisor id, case id or None): what makes two supervisions the same.
Key = tuple[str, date, int, int, int | None]
# (kind, held_on, worker id, supervisor id): one session, which may discuss several cases.
Session = tuple[str, date, int, int]


@dataclass
class _Held:
    """What TeamOps already holds for the workers in the file, over the file's dates."""

    keys: set[Key]
    imported_sessions: dict[Session, int]  # an imported record that a new case row may join, by id


def _held(worker_ids: set[int], first: date, last: date) -> _Held:
    held = _Held(set(), {})
    for chunk in chunks(sorted(worker_ids)):
        rows = db.session.execute(
            select(SupervisionRecord.id, SupervisionRecord.kind, SupervisionRecord.held_on,
                   SupervisionRecord.worker_id, SupervisionRecord.supervisor_id, SupervisionRecord.imported,
                   CaseDiscussion.case_id)
            .outerjoin(CaseDiscussion, CaseDiscussion.record_id == SupervisionRecord.id)
            .where(SupervisionRecord.worker_id.in_(chunk), SupervisionRecord.held_on.between(first, last)))
        for record_id, kind, held_on, worker_id, supervisor_id, imported, case_id in rows:
            held.keys.add((kind, held_on, worker_id, supervisor_id, case_id))
            if imported and kind in CASE_KINDS:
                held.imported_sessions.setdefault((kind, held_on, worker_id, supervisor_id), record_id)
    return held


@dataclass
class _Case:
    """What a row needs of its case, read as columns: 25,000 ORM objects would cost seconds."""

    id: int
    case_ref: str
    worker_id: int
    allocated_on: date
    allocations: list[tuple[int, date, date | None]]  # who held it (worker id) from when until when


def _cases(refs: set[str]) -> dict[str, _Case]:
    """The cases with these references (lower case) and their allocation histories, in a few queries."""
    found: dict[str, _Case] = {}
    for chunk in chunks(sorted(refs)):
        rows = db.session.execute(
            select(Case.id, Case.case_ref, Case.worker_id, Case.allocated_on, CaseAllocation.worker_id,
                   CaseAllocation.from_date, CaseAllocation.to_date)
            .outerjoin(CaseAllocation, CaseAllocation.case_id == Case.id)
            .where(func.lower(Case.case_ref).in_(chunk)))
        for case_id, ref, worker_id, allocated_on, holder_id, from_date, to_date in rows:
            case = found.setdefault(ref.lower(), _Case(case_id, ref, worker_id, allocated_on, []))
            if holder_id is not None:
                case.allocations.append((holder_id, from_date, to_date))
    return found


def _worker(check: Checker, people: dict[str, Staff], scope: Scope) -> Staff | None:
    """Someone who has since left is fine: their supervisions are history, and still count for their cases."""
    found = known_person(check, people, "worker_email", scope)
    if found is None:
        return None
    if found[1].id == scope.importer_id:
        check.fail("worker_email", "You cannot import your own supervision: the person who supervises you "
                                   "records it, as on the record form")
        return None
    return found[1]


def _supervisor(check: Checker, worker: Staff | None, people: dict[str, Staff],
                by_id: dict[int, Staff], scope: Scope) -> Staff | None:
    """The given supervisor (who may since have left, like the worker), else the worker's line manager. A
    manager importing names themselves or someone in the teams they run, as the record form records the
    manager who writes it: never anyone in the organisation."""
    email = check.email("supervisor_email", required=False)
    if email is not None:
        supervisor = people.get(email)
        if supervisor is None:
            check.fail("supervisor_email", f"Nobody with e-mail {email} in TeamOps: import the staff first")
    elif worker is None:
        return None
    elif worker.line_manager_id is None:
        check.fail("supervisor_email", f"Required: {worker.email} has no line manager in TeamOps, so give the "
                                       "supervisor's e-mail")
        return None
    else:
        supervisor = by_id[worker.line_manager_id]
    if supervisor is not None and worker is not None and supervisor.id == worker.id:
        check.fail("supervisor_email", "Someone cannot supervise themselves")
        return None
    if (supervisor is not None and supervisor.id != scope.importer_id
            and not scope.reaches(supervisor.team_id)):
        check.fail("supervisor_email", scope.nobody(supervisor.email))
        return None
    return supervisor


def _case(check: Checker, kind: str | None, held_on: date | None, worker: Staff | None, cases: dict[str, _Case],
          by_id: dict[int, Staff], scope: Scope, rule: CaseRefRule) -> _Case | None:
    ref = case_ref(check, required=False)
    given = bool(check.row.cells.get("case_ref"))
    if kind == "personal" and given:
        check.fail("case_ref", "A personal supervision is about the worker, not a case: leave case_ref empty")
        return None
    if kind not in CASE_KINDS:
        return None
    if not given:
        check.fail("case_ref", f"Required for a {kind} supervision: enter the case system's reference")
    if ref is None:
        return None
    case = cases.get(ref.lower())
    if case is None or not scope.reaches(by_id[case.worker_id].team_id):
        # Another team's case reads as no case at all; a reference the organisation's rule refuses (a name,
        # say) as not a reference, without repeating it.
        check.fail("case_ref", scope.no_case(ref) if rule.accepts(ref) else rule.message)
    elif held_on is not None and held_on < case.allocated_on:
        check.fail("held_on", f"'{held_on.isoformat()}' is before case {case.case_ref} was allocated "
                              f"({case.allocated_on.isoformat()})")
    elif (kind == "case" and held_on is not None and worker is not None
          and not _held_by(case, worker.id, held_on)):
        check.fail("case_ref", f"Case {case.case_ref} was not allocated to {worker.email} on "
                               f"{held_on.isoformat()}: a case supervision is of the worker's own case")
    else:
        return case
    return None


def _held_by(case: _Case, worker_id: int, on: date) -> bool:
    """Whether ``worker_id`` held the case on ``on``, by its allocation history (the record form offers a
    case supervision only the worker's own cases)."""
    return any(holder_id == worker_id and from_date <= on and (to_date is None or on < to_date)
               for holder_id, from_date, to_date in case.allocations)


@dataclass
class _Planned:
    row: Row
    key: Key
    worker: Staff
    supervisor: Staff
    case: _Case | None


def plan_supervisions(rows: list[Row], report: Report, scope: Scope) -> None:
    on = dates.today()
    people = staff_by_email()
    by_id = {person.id: person for person in people.values()}
    cases = _cases({row.cells.get("case_ref", "").lower() for row in rows if row.cells.get("case_ref")})
    rule = case_ref_rule()
    seen: dict[Key, int] = {}
    planned: list[_Planned] = []
    for row in rows:
        check = Checker(row, report.problems)
        before = report.problems.found
        kind = check.choice("kind", SUPERVISION_KINDS)
        held_on = check.past_date("held_on", on)
        worker = _worker(check, people, scope)
        case = _case(check, kind, held_on, worker, cases, by_id, scope, rule)
        supervisor = _supervisor(check, worker, people, by_id, scope)
        if report.problems.found > before or not (kind and held_on and worker and supervisor):
            continue
        key: Key = (kind, held_on, worker.id, supervisor.id, case.id if case is not None else None)
        if key in seen:
            check.fail("row", f"Same supervision as line {seen[key]}")
            continue
        seen[key] = row.line
        planned.append(_Planned(row, key, worker, supervisor, case))
    if report.problems or not planned:
        return
    held_dates = [plan.key[1] for plan in planned]
    held = _held({plan.worker.id for plan in planned}, min(held_dates), max(held_dates))
    new: list[_Planned] = []
    for plan in planned:
        label = " ".join([plan.key[0], plan.key[1].isoformat(), plan.worker.email]
                         + ([plan.case.case_ref] if plan.case is not None else []))
        if plan.key in held.keys:
            report.changes.append(Change(plan.row.line, "unchanged", label))
            continue
        report.changes.append(Change(plan.row.line, "create", label, {"supervisor": (None, plan.supervisor.email)}))
        new.append(plan)
    if new:
        report.writes.append(partial(_insert, [plan.key for plan in new], held.imported_sessions))


def _insert(keys: list[Key], imported_sessions: dict[Session, int]) -> None:
    """Writes each row as a discussion of its session's record: an imported one TeamOps holds, or a new record
    made as teamops.records.services.add_record makes an imported one (signed off, each case's discussion on
    the session's date), one per case session and per personal row. In a few statements: 100,000 rows in
    seconds (benchmarks/bench_import_supervisions.py)."""
    records: list[dict[str, Any]] = []
    new_sessions: dict[Session, int] = {}  # a case session's new record, by its place in ``records``
    for kind, held_on, worker_id, supervisor_id, case_id in keys:
        session: Session = (kind, held_on, worker_id, supervisor_id)
        if case_id is not None and (session in imported_sessions or session in new_sessions):
            continue
        if case_id is not None:
            new_sessions[session] = len(records)
        records.append({"kind": kind, "held_on": held_on, "worker_id": worker_id, "supervisor_id": supervisor_id,
                        "imported": True, "status": IMPORTED_STATUS})
    written = insert_audited(SupervisionRecord, records)
    discussions: list[dict[str, Any]] = []
    versions: list[int | None] = []
    for kind, held_on, worker_id, supervisor_id, case_id in keys:
        if case_id is None:
            continue
        session = (kind, held_on, worker_id, supervisor_id)
        if session in imported_sessions:
            # The trail names a discussion added to a record TeamOps holds without the record's version, as the
            # flush always has (it saw the record's id, not the record).
            record_id, version = imported_sessions[session], None
        else:
            record = written[new_sessions[session]]
            record_id, version = record["id"], record["version"]
        discussions.append({"record_id": record_id, "case_id": case_id, "held_on": held_on})
        versions.append(version)
    insert_audited(CaseDiscussion, discussions, versions)

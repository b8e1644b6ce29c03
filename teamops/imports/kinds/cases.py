"""Kind ``cases`` (CONTRACT.md "CSV imports"); key ``case_ref``, whatever its letter case.

A case is only its case-system reference, type, risk flag, worker and dates: a reference that is not one
(a name, say) is refused without being repeated back. A new case's reference follows the organisation's rule
(teamops.org.settings: digits only, say); a case already in TeamOps keeps its own. An existing case keeps its
allocation history and its supervision clock: a different worker in the file is a reallocation (as
teamops.cases.services does it), never a new case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from teamops import dates
from teamops.audit.services import insert_audited
from teamops.cases.allocation_rules import Verdict, allocation_check
from teamops.cases.models import Case, CaseAllocation
from teamops.cases.services import current_allocation, reallocate
from teamops.extensions import db
from teamops.imports.core import REFERENCE_TAKEN, Change, Checker, Report, Scope, chunks, known_person
from teamops.imports.csvfile import Problem, Row
from teamops.induction import periods
from teamops.org.models import Staff
from teamops.org.settings import CONTRACT_RULE, case_ref_rule
from teamops.policy.models import CASE_TYPE_CODES, CaseType

CASE_COLUMNS = ("case_ref", "case_type", "high_risk", "worker_email", "allocated_on")
CASE_OPTIONAL = ("closed_on",)
YES_NO = ("yes", "no")


def case_ref(check: Checker, required: bool = True) -> str | None:
    """The case reference, or None. The message never repeats the cell: it may be a child's name."""
    value = check.row.cells.get("case_ref", "")
    if not value:
        if required:
            check.fail("case_ref", "Required: enter the case system's reference")
        return None
    if not CONTRACT_RULE.fullmatch(value):
        check.fail("case_ref", "Must be the case system's reference (letters, numbers and hyphens, up to 32 "
                               "characters), never a name")
        return None
    return value


def load_cases(refs: set[str]) -> dict[str, Case]:
    """The cases in TeamOps with these references (lower case) and their allocations, in a few queries
    whatever their number."""
    found: dict[str, Case] = {}
    for chunk in chunks(sorted(refs)):
        query = select(Case).where(func.lower(Case.case_ref).in_(chunk)).options(selectinload(Case.allocations))
        found.update((case.case_ref.lower(), case) for case in db.session.scalars(query))
    return found


def staff_by_email() -> dict[str, Staff]:
    return {person.email.lower(): person for person in db.session.scalars(select(Staff))}


@dataclass
class _Planned:
    row: Row
    ref: str
    existing: Case | None
    values: dict[str, Any]  # case_type_code, high_risk, allocated_on and, when given, closed_on
    worker: Staff


def _worker(check: Checker, people: dict[str, Staff], scope: Scope) -> Staff | None:
    found = known_person(check, people, "worker_email", scope)
    if found is None:
        return None
    email, worker = found
    if not worker.active:
        check.fail("worker_email", f"{email} has left: a case's worker must be an active member of staff")
        return None
    return worker


def _case_type(check: Checker, codes: list[str]) -> str | None:
    given = check.text("case_type", 40)
    if given is None:
        return None
    if given.upper() not in codes:
        check.fail("case_type", f"'{given}' is not a case type: use one of {', '.join(codes)}")
        return None
    return given.upper()


def _dates_agree(check: Checker, existing: Case | None, allocated_on: date, closed_on: date | None) -> None:
    """Closure on or after allocation; a new allocation date still before the case's first reallocation."""
    if closed_on is not None and closed_on < allocated_on:
        check.fail("closed_on", f"'{closed_on.isoformat()}' is before allocated_on {allocated_on.isoformat()}: "
                                "a case closes on or after its allocation")
    if existing is None:
        return
    if closed_on is None and existing.closed_on is not None and existing.closed_on < allocated_on:
        check.fail("allocated_on", f"The case closed on {existing.closed_on.isoformat()}: it cannot have been "
                                   "allocated after that")
    first = existing.allocations[0] if existing.allocations else None
    if (allocated_on != existing.allocated_on and first is not None and first.to_date is not None
            and allocated_on >= first.to_date):
        check.fail("allocated_on", f"The case was reallocated on {first.to_date.isoformat()}: its first "
                                   "allocation must start before that")


def plan_cases(rows: list[Row], report: Report, scope: Scope) -> None:
    on = dates.today()
    known = set(db.session.scalars(select(CaseType.code)))
    codes = [code for code in CASE_TYPE_CODES if code in known] + sorted(known - set(CASE_TYPE_CODES))
    people = staff_by_email()
    by_id = {person.id: person for person in people.values()}
    cases = load_cases({row.cells.get("case_ref", "").lower() for row in rows if row.cells.get("case_ref")})
    rule = case_ref_rule()
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for row in rows:
        check = Checker(row, report.problems)
        before = report.problems.found
        ref = case_ref(check)
        code = _case_type(check, codes)
        high_risk = check.choice("high_risk", YES_NO)
        worker = _worker(check, people, scope)
        allocated_on = check.past_date("allocated_on", on)
        closed_on = check.past_date("closed_on", on, required=False)
        if ref is None:
            continue
        if ref.lower() in seen:
            check.fail("case_ref", f"Same case_ref as line {seen[ref.lower()]}")
            continue
        seen[ref.lower()] = row.line
        existing = cases.get(ref.lower())
        if existing is None and not rule.accepts(ref):
            check.fail("case_ref", rule.message)  # never repeats the cell: it may be a name
            continue
        if existing is not None and not scope.reaches(by_id[existing.worker_id].team_id):
            # Nothing about another team's case is said (nor checked against it): not whose, nor its dates.
            check.fail("case_ref", f"Case {ref} {REFERENCE_TAKEN}")
        elif allocated_on is not None:
            _dates_agree(check, existing, allocated_on, closed_on)
        if report.problems.found > before or code is None or high_risk is None or worker is None:
            continue
        values: dict[str, Any] = {"case_type_code": code, "high_risk": high_risk == "yes",
                                  "allocated_on": allocated_on}
        if closed_on is not None:
            values["closed_on"] = closed_on
        planned.append(_Planned(row, ref, existing, values, worker))
    if report.problems:
        return
    rows_by_person = periods.rows_for(select(Staff.id)) if planned else {}
    for plan in planned:
        if plan.existing is None:
            change = _create(plan)
            verdict = allocation_check(plan.worker, plan.values["allocated_on"], plan.values["case_type_code"],
                                       rows=rows_by_person)
        else:
            change, verdict = _update(plan, plan.existing, by_id, on, rows_by_person)
        report.changes.append(change)
        if verdict is not None:
            report.warnings.append(Problem(plan.row.line, "worker_email", verdict.imported))
    new = [plan for plan in planned if plan.existing is None]
    if new:
        report.writes.append(partial(_insert_cases, new))


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the preview shows them: the file's column names and words."""
    names = {"case_type_code": "case_type"}
    return {names.get(key, key): ("yes" if value else "no") if key == "high_risk" else value
            for key, value in values.items()}


def _create(plan: _Planned) -> Change:
    shown = {key: (None, value) for key, value in _shown(plan.values).items()}
    shown["worker"] = (None, plan.worker.email)
    return Change(plan.row.line, "create", plan.ref, shown)


def _insert_cases(plans: list[_Planned]) -> None:
    """Writes new cases, each allocated to its worker from its allocation date, as
    teamops.cases.services.create_case does, but in a few statements: 25,000 cases in seconds
    (benchmarks/bench_import_cases.py)."""
    cases = insert_audited(Case, [{"case_ref": plan.ref, "worker_id": plan.worker.id, **plan.values}
                                  for plan in plans])
    insert_audited(CaseAllocation, [{"case_id": case["id"], "worker_id": case["worker_id"],
                                     "from_date": case["allocated_on"]} for case in cases])


def reallocation_date(case: Case, allocated_on: date, closed_on: date | None, on: date) -> date:
    """When a worker change in the file takes effect. The file has no date for it, so: today; for a closed
    case, its closure date; never before the allocation it ends begins."""
    when = on if closed_on is None else min(on, closed_on)
    current = current_allocation(case)
    if current is None or (case.allocations and current is case.allocations[0]):
        return max(when, allocated_on)
    return max(when, allocated_on, current.from_date)


def _update(plan: _Planned, case: Case, by_id: dict[int, Staff], on: date,
            rows: periods.Rows) -> tuple[Change, Verdict]:
    """The change to an existing case, and what the allocation rules say of it: of its new worker from the day
    they take it, or (the same worker) of a new case type."""
    values, worker = plan.values, plan.worker
    changed = {key: (getattr(case, key), value) for key, value in values.items() if getattr(case, key) != value}
    moves = worker.id != case.worker_id
    closed_on = values.get("closed_on", case.closed_on)
    when = reallocation_date(case, values["allocated_on"], closed_on, on) if moves else None
    before = _shown({key: old for key, (old, _) in changed.items()})
    after = _shown({key: new for key, (_, new) in changed.items()})
    shown = {key: (before[key], after[key]) for key in after}
    if when is not None:
        shown["worker"] = (by_id[case.worker_id].email, f"{worker.email} from {when.isoformat()}")
    if not changed and not moves:
        return Change(plan.row.line, "unchanged", case.case_ref), None
    verdict = None
    if when is not None:  # the file names no co-worker: a new worker has none
        verdict = allocation_check(worker, when, values["case_type_code"], case.section_47, rows=rows)
    elif "case_type_code" in changed:
        current = current_allocation(case)
        coworker = by_id.get(current.coworker_id or 0) if current is not None else None
        verdict = allocation_check(worker, on, values["case_type_code"], case.section_47, coworker,
                                   new_worker=False, rows=rows)

    def apply() -> None:
        if "allocated_on" in changed and case.allocations:
            case.allocations[0].from_date = values["allocated_on"]
        for key, (_, value) in changed.items():
            setattr(case, key, value)
        if when is not None:
            reallocate(case, worker, when, flush=False)  # run_import flushes every change at once

    return Change(plan.row.line, "update", case.case_ref, shown, apply), verdict

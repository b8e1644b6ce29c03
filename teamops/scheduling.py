"""The supervision scheduling rules of CONTRACT.md "Scheduling rules", in one module.

Pages, returns and the API all call these functions, so "due", "overdue" and "% in timescale" mean the same
everywhere. Nothing here is stored: due dates are derived from the last supervision and the policy in force on the day
asked about (policy changes take effect from a date and never rewrite the past).
Batch functions load what they need in a fixed number of queries, however many cases or people there are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ScalarSelect, Select, and_, func, or_, select, true

from teamops import dates
from teamops.cases.models import Case, CaseAllocation
from teamops.dates import add_months, add_weeks, today
from teamops.extensions import db
from teamops.org.models import Absence, Staff
from teamops.policy.models import (
    DEFAULT_ASYE_INTERVAL,
    DEFAULT_CASE_CAP_MONTHS,
    DEFAULT_HIGH_RISK_CAP_MONTHS,
    DEFAULT_PERSONAL_INTERVAL_MONTHS,
    CaseType,
    PolicyChange,
    SupervisionSettings,
)
from teamops.records.models import CaseDiscussion, SupervisionRecord

OVERDUE, DUE_SOON, OK = "overdue", "due_soon", "ok"
ABSENT = "absent"  # personal supervision during a long absence (R-ORG-6): neither due nor overdue
DUE_SOON_DAYS = 7
DUE_STATE_LABELS = {OVERDUE: "Overdue", DUE_SOON: "Due within 7 days", OK: "In timescale", ABSENT: "Absent"}
IN_TIMESCALE_DEFINITION = (
    "A case is in timescale when its next case supervision is not overdue. \"% in timescale\" for a month "
    "is taken on the month's last day: open cases that are not overdue, divided by all open cases."
)


@dataclass(frozen=True)
class Interval:
    count: int
    unit: str  # weeks or months
    first_due_on_allocation: bool = False

    def after(self, day: date) -> date:
        return add_weeks(day, self.count) if self.unit == "weeks" else add_months(day, self.count)


@dataclass(frozen=True)
class Policy:
    intervals: dict[str, Interval]
    case_cap_months: int = DEFAULT_CASE_CAP_MONTHS
    high_risk_cap_months: int = DEFAULT_HIGH_RISK_CAP_MONTHS
    personal_interval_months: int = DEFAULT_PERSONAL_INTERVAL_MONTHS
    labels: dict[str, str] = field(default_factory=dict)  # case type code to its name, for pages
    # R-ASYE-3: personal supervision of someone in their ASYE year (a setting, monthly by default).
    asye_interval: Interval = Interval(*DEFAULT_ASYE_INTERVAL)
    # Next due dates already worked out with this policy: a county's cases share far fewer (type, risk, date)
    # combinations than there are cases.
    memo: dict[tuple[str, bool, bool, date], date] = field(default_factory=dict, repr=False, compare=False)


class PolicyHistory:
    """The policy on any day: the rule before any change, with every change in force by that day applied in
    order (CONTRACT.md "Scheduling rules"). Read in two small queries; each distinct policy is made once."""

    def __init__(self, base: Policy, changes: Sequence[PolicyChange]) -> None:
        self.base = base
        self.changes = sorted(changes, key=lambda c: (c.effective_from, c.id))
        self._days = [change.effective_from for change in self.changes]
        self._made: dict[int, Policy] = {0: base}

    def on(self, day: date) -> Policy:
        count = bisect_right(self._days, day)
        found = self._made.get(count)
        if found is None:
            found = self._made[count] = _apply(self.base, self.changes[:count])
        return found


def _apply(base: Policy, changes: Iterable[PolicyChange]) -> Policy:
    intervals = dict(base.intervals)
    case_cap, high_risk_cap, personal = base.case_cap_months, base.high_risk_cap_months, base.personal_interval_months
    asye_interval = base.asye_interval
    for change in changes:
        if change.case_type_code is not None:
            intervals[change.case_type_code] = Interval(change.interval_count or 1, change.interval_unit or "weeks",
                                                        bool(change.first_due_on_allocation))
        else:
            case_cap = change.case_cap_months or case_cap
            high_risk_cap = change.high_risk_cap_months or high_risk_cap
            personal = change.personal_interval_months or personal
            if change.asye_interval_count and change.asye_interval_unit:
                asye_interval = Interval(change.asye_interval_count, change.asye_interval_unit)
    return Policy(intervals, case_cap, high_risk_cap, personal, labels=base.labels, asye_interval=asye_interval)


def load_history() -> PolicyHistory:
    """Every version of the policy (two small queries)."""
    rows = db.session.execute(select(CaseType, SupervisionSettings).outerjoin(SupervisionSettings, true())).all()
    intervals = {row.code: Interval(row.interval_count, row.interval_unit, row.first_due_on_allocation)
                 for row, _ in rows}
    labels = {row.code: row.label for row, _ in rows}
    settings = rows[0][1] if rows else None
    base = Policy(intervals, labels=labels) if settings is None else Policy(
        intervals, settings.case_cap_months, settings.high_risk_cap_months, settings.personal_interval_months,
        labels, asye_interval=Interval(settings.asye_interval_count, settings.asye_interval_unit))
    return PolicyHistory(base, list(db.session.scalars(select(PolicyChange))))


def load_policy(on: date | None = None) -> Policy:
    """The policy in force on ``on`` (default today)."""
    return load_history().on(on or today())


def case_next_due_on(policy: Policy, case_type: str, high_risk: bool, allocated_on: date,
                     last_supervised_on: date | None) -> date:
    """The earliest of: the type's interval, the 2-month cap and (high risk) the 1-month cap, counted from
    the last case or group supervision, or from allocation when there has been none."""
    key = (case_type, high_risk, last_supervised_on is None, last_supervised_on or allocated_on)
    found = policy.memo.get(key)
    if found is None:
        found = policy.memo[key] = _next_due_on(policy, case_type, high_risk, allocated_on, last_supervised_on)
    return found


def _next_due_on(policy: Policy, case_type: str, high_risk: bool, allocated_on: date,
                 last_supervised_on: date | None) -> date:
    interval = policy.intervals.get(case_type, Interval(policy.case_cap_months, "months"))
    if last_supervised_on is None and interval.first_due_on_allocation:
        return allocated_on
    base = last_supervised_on or allocated_on
    candidates = [interval.after(base), add_months(base, policy.case_cap_months)]
    if high_risk:
        candidates.append(add_months(base, policy.high_risk_cap_months))
    return min(candidates)


def personal_next_due_on(policy: Policy, start_date: date, last_personal_on: date | None,
                         asye: tuple[date | None, date | None] = (None, None)) -> date:
    """The last personal supervision (else the start date) plus the personal interval; plus the ASYE interval
    when that day falls in the person's ASYE year (``asye``: its first and last day, R-ASYE-3)."""
    base = last_personal_on or start_date
    first, last = asye
    if first is not None and last is not None and first <= base <= last:
        return policy.asye_interval.after(base)
    return add_months(base, policy.personal_interval_months)


def due_state(next_due_on: date, on: date) -> str:
    if next_due_on < on:
        return OVERDUE
    if next_due_on <= on + timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return OK


def days_overdue(next_due_on: date, on: date) -> int:
    return max(0, (on - next_due_on).days)


def percentage(part: int, whole: int) -> float | None:
    """Rounded half-up to one decimal; None when there is nothing to divide by."""
    if whole == 0:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CaseDue:
    case_id: int
    last_supervised_on: date | None
    next_due_on: date | None  # None for a case closed on or before the date asked about
    due_state: str | None
    days_overdue: int
    handover_due_on: date | None = None  # a reallocation's hand-over supervision, not yet held (R-ORG-5)


@dataclass(frozen=True)
class PersonDue:
    staff_id: int
    last_personal_on: date | None
    next_due_on: date
    due_state: str
    days_overdue: int
    absent_until: date | None = None  # the last day of a long absence running on the day asked about


def case_facts_on(case_ids: Iterable[int], on: date) -> dict[int, tuple[date | None, date | None]]:
    """Per case: the last case or group supervision held on or before ``on`` (whoever the worker was) and
    ``reallocated_on(on)`` (one query). For the cases of a page or a form; a team's or a county's cases use
    the column functions themselves."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Case.id, last_case_supervision_on(on), reallocated_on(on)).where(Case.id.in_(ids)))
    return {case_id: (last_on, moved_on) for case_id, last_on, moved_on in rows}


def reallocated_on(day: date) -> ScalarSelect[date]:
    """The day the outer query's case came to the worker holding it on ``day``, when that was a reallocation
    (after its first allocation); null when it has stayed with its first worker."""
    return (select(func.max(CaseAllocation.from_date))
            .where(CaseAllocation.case_id == Case.id, CaseAllocation.from_date <= day,
                   CaseAllocation.from_date > Case.allocated_on)
            .correlate(Case).scalar_subquery())


def personal_facts(staff_ids: Iterable[int], on: date) -> dict[int, tuple[date | None, date | None]]:
    """Each person's last personal supervision on or before ``on`` and ``absence_end_on(on)`` (one query)."""
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Staff.id, last_personal_supervision_on(on), absence_end_on(on)).where(Staff.id.in_(ids)))
    return {staff_id: (last_on, absence_end) for staff_id, last_on, absence_end in rows}


def absence_end_on(day: date) -> ScalarSelect[date]:
    """The outer query's person's long absences begun by ``day`` (R-ORG-6): the last day of the one that ends
    latest. On or after ``day``: they are away then, until that day; before it: they came back after it."""
    return (select(func.max(Absence.ends_on))
            .where(Absence.staff_id == Staff.id, Absence.starts_on <= day)
            .correlate(Staff).scalar_subquery())


def last_personal_supervision_on(day: date) -> ScalarSelect[date]:
    """The outer query's person's last personal supervision on or before ``day`` (one index seek each)."""
    return (select(func.max(SupervisionRecord.held_on))
            .where(SupervisionRecord.worker_id == Staff.id, SupervisionRecord.kind == "personal",
                   SupervisionRecord.held_on <= day)
            .correlate(Staff).scalar_subquery())


def case_dues(cases: Iterable[Case | CaseFacts], on: date, policy: Policy | None = None) -> dict[int, CaseDue]:
    """Due date and state at ``on`` for each case."""
    cases = list(cases)
    policy = policy or load_policy(on)
    facts = case_facts_on((c.id for c in cases), on)
    return {case.id: case_due(policy, case, on, *facts.get(case.id, (None, None))) for case in cases}


def case_due(policy: Policy, case: Case | CaseFacts, on: date, last_on: date | None,
             reallocated: date | None = None) -> CaseDue:
    """The case's due date and state at ``on``, given its last case or group supervision by then and, when it
    was reallocated (``reallocated``: the day), the hand-over: the case keeps its supervision clock, and a
    hand-over supervision is due on the reallocation day until one is held on or after it (R-ORG-5)."""
    if case.closed_on is not None and case.closed_on <= on:
        return CaseDue(case.id, last_on, None, None, 0)
    next_due = case_next_due_on(policy, case.case_type_code, case.high_risk, case.allocated_on, last_on)
    handover = reallocated if reallocated is not None and (last_on is None or last_on < reallocated) else None
    if handover is not None:
        next_due = min(next_due, handover)
    return CaseDue(case.id, last_on, next_due, due_state(next_due, on), days_overdue(next_due, on), handover)


def person_dues(people: Iterable[Staff], on: date, policy: Policy | None = None) -> dict[int, PersonDue]:
    """Personal supervision due date and state at ``on`` for each person."""
    people = list(people)
    policy = policy or load_policy(on)
    facts = personal_facts((p.id for p in people), on)
    return {person.id: person_due(policy, person, on, *facts.get(person.id, (None, None))) for person in people}


def person_due(policy: Policy, person: Staff, on: date, last_on: date | None,
               absence_end: date | None = None) -> PersonDue:
    """Personal supervision at ``on``. After a long absence (``absence_end``: see ``absence_end_on``) it is due
    again a month after the absence's last day, unless one was held since (R-ORG-6); during it, "absent"."""
    next_due = personal_next_due_on(policy, person.start_date, last_on, (person.asye_starts_on, person.asye_ends_on))
    if absence_end is not None and (last_on is None or last_on <= absence_end):
        next_due = max(next_due, add_months(absence_end, policy.personal_interval_months))
    if absence_end is not None and absence_end >= on:
        return PersonDue(person.id, last_on, next_due, ABSENT, 0, absent_until=absence_end)
    return PersonDue(person.id, last_on, next_due, due_state(next_due, on), days_overdue(next_due, on))


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need of a case and what a dashboard shows of it: read as columns, not as a Case, so a
    county's 25,000 open cases cost tuples rather than ORM objects."""

    id: int
    case_ref: str
    case_type_code: str
    high_risk: bool
    allocated_on: date
    closed_on: date | None


@dataclass(frozen=True)
class OpenCaseAt:
    case: CaseFacts
    worker_id: int
    due: CaseDue  # as of the day asked about

    @property
    def in_timescale(self) -> bool:
        return self.due.due_state != OVERDUE


# Whose cases: a query of staff ids (a team's members, everyone in a service), so the SQL sent has the same
# few parameters however many people and cases there are; or a short list (one worker's drill-down).
Workers = Select[tuple[int]] | Sequence[int]


def open_cases_at(end: date, workers: Workers | None = None,
                  policy: Policy | PolicyHistory | None = None) -> list[OpenCaseAt]:
    """Cases open at ``end`` (allocated on or before it, not closed on or before it), each with the worker
    it was allocated to that day and its due date and state then (in timescale: not overdue)."""
    return open_cases_on([end], workers, policy)[end]


def _open_on(day: date, allocated_on: date, closed_on: date | None) -> bool:
    return allocated_on <= day and (closed_on is None or closed_on > day)


def last_case_supervision_on(day: date) -> ScalarSelect[date]:
    """The last case or group supervision of the outer query's case held on or before ``day``: one index seek
    per case (case_discussions' case id and date index), so the cost follows the cases asked about."""
    return (select(func.max(CaseDiscussion.held_on))
            .where(CaseDiscussion.case_id == Case.id, CaseDiscussion.held_on <= day)
            .correlate(Case).scalar_subquery())


def open_cases_on(days: Sequence[date], workers: Workers | None = None,
                  policy: Policy | PolicyHistory | None = None) -> dict[date, list[OpenCaseAt]]:
    """``open_cases_at`` for several days (a dashboard's today and last month's end) in one query: the cases
    with the allocations that held them on any of the days, and their last supervisions by each day. Each day
    uses the policy in force that day, unless one ``Policy`` is given for all of them."""
    days = sorted(set(days))
    if not days:
        return {}
    allocation_on_a_day = or_(*(and_(CaseAllocation.from_date <= day,
                                     or_(CaseAllocation.to_date.is_(None), CaseAllocation.to_date > day))
                                for day in days))
    open_on_a_day = or_(*(and_(Case.allocated_on <= day, or_(Case.closed_on.is_(None), Case.closed_on > day))
                          for day in days))
    query = (
        select(Case.id, Case.case_ref, Case.case_type_code, Case.high_risk, Case.allocated_on, Case.closed_on,
               CaseAllocation.worker_id, CaseAllocation.from_date, CaseAllocation.to_date,
               *(last_case_supervision_on(day) for day in days))
        .join(CaseAllocation, CaseAllocation.case_id == Case.id)
        .where(allocation_on_a_day, open_on_a_day)
        .order_by(CaseAllocation.id)
    )
    if workers is not None:
        query = query.where(CaseAllocation.worker_id.in_(workers if isinstance(workers, Select) else list(workers)))
    policy_on = _policy_on(policy)
    policies = {day: policy_on(day) for day in days}
    found: dict[date, list[OpenCaseAt]] = {day: [] for day in days}
    for row in db.session.execute(query).tuples():
        facts = CaseFacts(*row[:6])
        worker_id, from_date, to_date = row[6:9]
        for day, last_on in zip(days, row[9:], strict=True):
            if _open_on(day, facts.allocated_on, facts.closed_on) and _open_on(day, from_date, to_date):
                moved_on = from_date if from_date > facts.allocated_on else None
                found[day].append(OpenCaseAt(facts, worker_id,
                                             case_due(policies[day], facts, day, last_on, moved_on)))
    return found


def _policy_on(policy: Policy | PolicyHistory | None) -> Callable[[date], Policy]:
    if isinstance(policy, Policy):
        return lambda day: policy
    return (policy or load_history()).on


def month_end_of(month: str) -> date:
    """``YYYY-MM`` to that month's last day; ValueError for anything else."""
    first = dates.month_start(month)
    return dates.month_end(first.year, first.month)


@dataclass(frozen=True)
class Compliance:
    cases_open: int
    cases_in_timescale: int

    @property
    def pct_in_timescale(self) -> float | None:
        return percentage(self.cases_in_timescale, self.cases_open)


def compliance_by_worker(open_cases: Iterable[OpenCaseAt]) -> dict[int, Compliance]:
    totals: dict[int, list[int]] = {}
    for row in open_cases:
        counts = totals.setdefault(row.worker_id, [0, 0])
        counts[0] += 1
        counts[1] += row.in_timescale
    return {worker_id: Compliance(n, ok) for worker_id, (n, ok) in totals.items()}


def total(compliances: Iterable[Compliance]) -> Compliance:
    items = list(compliances)
    return Compliance(sum(c.cases_open for c in items), sum(c.cases_in_timescale for c in items))

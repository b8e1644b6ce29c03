"""Giving a round's cases to auditors (issue 14 item 1, DOMAIN.md R-QA-4): the random pick stratified by case
type that QAIT is offered, the rules every assignment keeps (an active manager of the services taking part, never
a case of their own team unless the organisation allows it, never a case whose worker they line-manage), and
the audit buddy a first-time auditor is given.

The pick is drawn with ``random.Random(seed)``: the same round, number and seed offer the same cases and
auditors, so the page can carry the seed and a test can check a pick worked out by hand. Services flush; the
request commits.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select

from teamops.cases.models import Case
from teamops.extensions import db
from teamops.notify import notify
from teamops.org.models import MANAGER_ROLES, Staff, Team
from teamops.org.settings import settings
from teamops.quality.audit_models import AuditRound, CaseAudit, audit_round_services
from teamops.quality.rounds import Refused

MOST_PICKED = 60  # cases in one pick: a quarter's audits, not a census


@dataclass(frozen=True)
class Candidate:
    """An open case of a team of the services taking part, not yet in the round: a reference, never a name."""

    case_id: int
    case_ref: str
    case_type: str
    team_id: int
    team_name: str
    worker_id: int
    line_manager_id: int | None


@dataclass(frozen=True)
class Auditor:
    """An active manager of a team of the services taking part."""

    id: int
    name: str
    team_id: int
    team_name: str
    service_id: int


def new_seed() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def _round_services(round_: AuditRound) -> Select[tuple[int]]:
    return select(audit_round_services.c.service_id).where(audit_round_services.c.round_id == round_.id)


def candidates(round_: AuditRound, on: date, case_ids: Sequence[int] | None = None) -> list[Candidate]:
    """The open cases on ``on`` of the teams of the round's services (the team of the case's worker), not yet
    audited in the round (a re-audit aside), in one statement."""
    already = select(CaseAudit.case_id).where(CaseAudit.round_id == round_.id, CaseAudit.reaudit_of_id.is_(None))
    query = (select(Case.id, Case.case_ref, Case.case_type_code, Team.id, Team.name, Staff.id, Staff.line_manager_id)
             .join(Staff, Staff.id == Case.worker_id).join(Team, Team.id == Staff.team_id)
             .where(Team.service_id.in_(_round_services(round_)), Case.allocated_on <= on,
                    or_(Case.closed_on.is_(None), Case.closed_on > on), Case.id.not_in(already))
             .order_by(Case.id))
    if case_ids is not None:
        query = query.where(Case.id.in_(list(case_ids)))
    return [Candidate(*row) for row in db.session.execute(query)]


def auditors(round_: AuditRound) -> list[Auditor]:
    """The active team managers, service managers and heads of service of the round's services, by name."""
    rows = db.session.execute(
        select(Staff.id, Staff.name, Team.id, Team.name, Team.service_id).join(Team, Team.id == Staff.team_id)
        .where(Staff.active.is_(True), Staff.role.in_(MANAGER_ROLES), Team.service_id.in_(_round_services(round_)))
        .order_by(Staff.name, Staff.id))
    return [Auditor(*row) for row in rows]


def own_team_allowed() -> bool:
    """The organisation's setting (R-QA-4): whether a manager may audit a case of their own team."""
    return bool(settings().auditors_own_team)


def why_not(auditor: Auditor, case: Candidate, own_team: bool) -> str | None:
    """Why this manager may not audit this case, or None."""
    if case.worker_id == auditor.id:
        return f"{auditor.name} holds {case.case_ref}: choose another auditor"
    if case.line_manager_id == auditor.id:
        return f"{auditor.name} line-manages the worker of {case.case_ref}: choose another auditor"
    if not own_team and case.team_id == auditor.team_id:
        return (f"{case.case_ref} is a case of {auditor.name}'s own team ({case.team_name}): choose an auditor "
                "from another team")
    return None


def stratify(counts: Mapping[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` cases to draw from each case type, in proportion to ``counts`` (largest remainder),
    every type with cases getting at least one while ``n`` allows: when ``n`` is smaller than the number of
    types, the types with the most cases get one each (ties by code)."""
    types = sorted((code for code, count in counts.items() if count > 0), key=lambda code: (-counts[code], code))
    total = sum(counts[code] for code in types)
    n = max(0, min(n, total))
    if n < len(types):
        return {code: 1 for code in types[:n]}
    target = {code: n * counts[code] / total for code in types}
    seats = {code: max(1, min(counts[code], int(target[code]))) for code in types}
    while sum(seats.values()) > n:  # the minimum of one pushed the sum over: take from the biggest surplus
        code = max((c for c in types if seats[c] > 1), key=lambda c: (seats[c] - target[c], counts[c]))
        seats[code] -= 1
    while sum(seats.values()) < n:
        code = max((c for c in types if seats[c] < counts[c]), key=lambda c: (target[c] - seats[c], counts[c]))
        seats[code] += 1
    return seats


@dataclass(frozen=True)
class OfferRow:
    case: Candidate
    auditor_id: int


@dataclass(frozen=True)
class Offer:
    rows: list[OfferRow]
    auditors: list[Auditor]
    available: int  # open cases at least one auditor may audit
    first_timers: frozenset[int]  # auditors with no audit in another round: a buddy will be offered


def offer(round_: AuditRound, n: int, seed: int, on: date) -> Offer:
    """``n`` cases drawn at random within case types in proportion to their numbers, each paired with the
    least-loaded auditor who may audit it (the cases with the fewest possible auditors first), so the work is
    spread evenly. Only cases that some auditor may audit are drawn."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    every_auditor = auditors(round_)
    own_team = own_team_allowed()
    every_case = candidates(round_, on)
    allowed = {case.case_id: [a for a in every_auditor if why_not(a, case, own_team) is None] for case in every_case}
    pool = [case for case in every_case if allowed[case.case_id]]
    seats = stratify(Counter(case.case_type for case in pool), min(n, MOST_PICKED))
    chosen: list[Candidate] = []
    for code in sorted(seats):
        chosen += rng.sample([case for case in pool if case.case_type == code], seats[code])
    order = list(every_auditor)
    rng.shuffle(order)
    rank = {auditor.id: n for n, auditor in enumerate(order)}
    load: Counter[int] = Counter()
    paired: dict[int, int] = {}
    for case in sorted(chosen, key=lambda c: (len(allowed[c.case_id]), c.case_ref)):
        best = min(allowed[case.case_id], key=lambda a: (load[a.id], rank[a.id]))
        paired[case.case_id] = best.id
        load[best.id] += 1
    rows = [OfferRow(case, paired[case.case_id]) for case in sorted(chosen, key=lambda c: (c.team_name, c.case_ref))]
    return Offer(rows, every_auditor, len(pool), first_timers(round_, {row.auditor_id for row in rows}))


def first_timers(round_: AuditRound, auditor_ids: set[int]) -> frozenset[int]:
    """Those of ``auditor_ids`` with no audit in any other round: their first audit gets a buddy (R-QA-4)."""
    if not auditor_ids:
        return frozenset()
    audited = set(db.session.scalars(select(CaseAudit.auditor_id).where(
        CaseAudit.auditor_id.in_(auditor_ids), CaseAudit.round_id != round_.id).distinct()))
    return frozenset(auditor_ids - audited)


# Assigning -------------------------------------------------------------------------------------------------

LEFT_OUT = 0  # an auditor choice of 0: the case is left out of the pick


def assign(round_: AuditRound, rows: Sequence[tuple[int, int]], by: Staff, on: date) -> list[CaseAudit]:
    """Gives each case of ``rows`` (case id, auditor id; auditor 0: left out) to its auditor, with a buddy for a
    first-time auditor, and tells them. Every rule is checked first: any row that breaks one is refused with
    its message under ``case-N`` or ``auditor-N`` (N: the row's position), and nothing is written."""
    chosen = [(n, case_id, auditor_id) for n, (case_id, auditor_id) in enumerate(rows) if auditor_id != LEFT_OUT]
    if not chosen:
        raise Refused({"case-0" if rows else "rows": "Choose an auditor for at least one case"})
    if len(chosen) > MOST_PICKED:
        raise Refused({"rows": f"Give at most {MOST_PICKED} cases at a time"})
    cases = {case.case_id: case for case in candidates(round_, on, [case_id for _n, case_id, _a in chosen])}
    managers = {auditor.id: auditor for auditor in auditors(round_)}
    own_team = own_team_allowed()
    problems: dict[str, str] = {}
    seen: set[int] = set()
    for n, case_id, auditor_id in chosen:
        case, auditor = cases.get(case_id), managers.get(auditor_id)
        if case is None:
            problems[f"case-{n}"] = ("This case is not an open case of the services taking part, or is already in "
                                     "this round")
        elif case_id in seen:
            problems[f"case-{n}"] = f"{case.case_ref} is in the list twice: leave one of them out"
        if auditor is None:
            problems[f"auditor-{n}"] = "Choose an active manager of the services taking part"
        elif case is not None and (reason := why_not(auditor, case, own_team)):
            problems[f"auditor-{n}"] = reason
        seen.add(case_id)
    if problems:
        raise Refused(problems)
    new = first_timers(round_, {auditor_id for _n, _c, auditor_id in chosen})
    buddies = _Buddies(round_, managers)
    made = []
    for _n, case_id, auditor_id in chosen:
        buddy_id = buddies.pick(managers[auditor_id]) if auditor_id in new else None
        audit = CaseAudit(round=round_, case_id=case_id, auditor_id=auditor_id, buddy_id=buddy_id,
                          due_on=round_.due_on)
        db.session.add(audit)
        made.append(audit)
    db.session.flush()
    for audit in made:
        _tell(audit)
    return made


def add_case(round_: AuditRound, case_ref: str, auditor_id: int, by: Staff, on: date) -> CaseAudit:
    """One case by its reference, with an auditor: the same rules as a pick (problems under the form's own
    field names, ``case_ref`` and ``auditor_id``)."""
    case_id = db.session.scalar(select(Case.id).where(Case.case_ref == case_ref.strip()))
    if case_id is None:
        raise Refused({"case_ref": "No case has that reference: check it against the case system"})
    try:
        return assign(round_, [(case_id, auditor_id)], by, on)[0]
    except Refused as refused:
        names = {"case-0": "case_ref", "auditor-0": "auditor_id", "rows": "case_ref"}
        raise Refused({names[key]: message for key, message in refused.problems.items()}) from None


def remove(audit: CaseAudit) -> None:
    """Takes a case out of the round while its audit is not submitted (its draft answers go with it)."""
    if audit.submitted_at is not None:
        raise Refused({"audit": "This audit has been submitted: it stays in the round"})
    if db.session.scalar(select(func.count(CaseAudit.id)).where(CaseAudit.reaudit_of_id == audit.id)):
        raise Refused({"audit": "A re-audit checks this audit: remove the re-audit first"})
    db.session.delete(audit)
    db.session.flush()


# Buddies (R-QA-4: a new manager gets a buddy for their first audit) -----------------------------------------

def experienced() -> list[tuple[Staff, int]]:
    """Active managers who have submitted audits, with how many (one statement): who may be a buddy."""
    submitted = func.count(CaseAudit.id)
    return [(person, count) for person, count in db.session.execute(
        select(Staff, submitted).join(CaseAudit, CaseAudit.auditor_id == Staff.id)
        .where(CaseAudit.submitted_at.is_not(None), Staff.active.is_(True), Staff.role.in_(MANAGER_ROLES))
        .group_by(Staff.id).order_by(Staff.name, Staff.id))]


class _Buddies:
    """The buddies offered in one assignment: an experienced auditor of the new auditor's service where there
    is one, else of any service; the fewest buddyings in the round first, then the most audits submitted. A new
    auditor already given a buddy in this round keeps them."""

    def __init__(self, round_: AuditRound, managers: Mapping[int, Auditor]) -> None:
        self.round = round_
        self.people = experienced()
        self.service_of: dict[int, int] = {person_id: service_id for person_id, service_id in db.session.execute(
            select(Staff.id, Team.service_id).join(Team, Team.id == Staff.team_id)
            .where(Staff.id.in_([p.id for p, _count in self.people])))}
        self.load: Counter[int] = Counter(db.session.scalars(select(CaseAudit.buddy_id).where(
            CaseAudit.round_id == round_.id, CaseAudit.buddy_id.is_not(None))))
        self.kept: dict[int, int] = {auditor_id: buddy_id for auditor_id, buddy_id in db.session.execute(
            select(CaseAudit.auditor_id, CaseAudit.buddy_id).where(CaseAudit.round_id == round_.id,
                                                                   CaseAudit.buddy_id.is_not(None)))
            if buddy_id is not None}

    def pick(self, auditor: Auditor) -> int | None:
        if auditor.id in self.kept:
            return self.kept[auditor.id]
        options = [(person, count) for person, count in self.people if person.id != auditor.id]
        if not options:
            return None
        person, _count = min(options, key=lambda option: (
            self.service_of.get(option[0].id) != auditor.service_id, self.load[option[0].id], -option[1],
            option[0].name, option[0].id))
        self.load[person.id] += 1
        self.kept[auditor.id] = person.id
        return person.id


def buddy_choices(audit: CaseAudit) -> list[tuple[Staff, int]]:
    """Whom QAIT may name as an audit's buddy: any active manager but the auditor, with their audits submitted
    (most experienced first)."""
    submitted = (select(func.count(CaseAudit.id)).where(CaseAudit.auditor_id == Staff.id,
                                                        CaseAudit.submitted_at.is_not(None))
                 .correlate(Staff).scalar_subquery())
    rows = db.session.execute(select(Staff, submitted).where(
        Staff.active.is_(True), Staff.role.in_(MANAGER_ROLES), Staff.id != audit.auditor_id)
        .order_by(submitted.desc(), Staff.name, Staff.id))
    return [(person, count) for person, count in rows]


def set_buddy(audit: CaseAudit, buddy_id: int | None) -> None:
    """QAIT changes or clears an audit's buddy (not once it is submitted); a new buddy is told."""
    if audit.submitted_at is not None:
        raise Refused({"buddy_id": "This audit has been submitted: its buddy can no longer change"})
    if buddy_id is None:
        audit.buddy_id = None
        db.session.flush()
        return
    if buddy_id not in {person.id for person, _count in buddy_choices(audit)}:
        raise Refused({"buddy_id": "Choose an active manager other than the auditor"})
    changed = audit.buddy_id != buddy_id
    audit.buddy_id = buddy_id
    db.session.flush()
    if changed:
        db.session.refresh(audit, ["buddy"])
        _tell_buddy(audit)


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def _tell(audit: CaseAudit) -> None:
    """The auditor hears of the case (its reference only) and their buddy; the buddy of the auditor."""
    round_ = audit.round
    buddy = f" As it is your first audit, {audit.buddy.name} is your audit buddy: ask them anything." \
        if audit.buddy is not None else ""
    notify(audit.auditor, f"TeamOps: a case to audit for {round_.name}",
           f"You have been given case {audit.case.case_ref} to audit in the {round_.name} round, due on "
           f"{_day(audit.due_on)}.{buddy} Your audits in TeamOps list it with the round's briefings.")
    if audit.buddy is not None:
        _tell_buddy(audit)


def _tell_buddy(audit: CaseAudit) -> None:
    assert audit.buddy is not None
    notify(audit.buddy, f"TeamOps: you are {audit.auditor.name}'s audit buddy",
           f"{audit.auditor.name} is auditing case {audit.case.case_ref} in the {audit.round.name} round, due on "
           f"{_day(audit.due_on)}: their first audit. Your audits in TeamOps list it.")


def cases_by_id(case_ids: Sequence[int]) -> dict[int, Candidate]:
    """Any cases by id, as the pick's rows show them (a pick sent back with its problems)."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Case.id, Case.case_ref, Case.case_type_code, Team.id, Team.name, Staff.id, Staff.line_manager_id)
        .join(Staff, Staff.id == Case.worker_id).join(Team, Team.id == Staff.team_id)
        .where(Case.id.in_(list(case_ids))))
    return {row[0]: Candidate(*row) for row in rows}

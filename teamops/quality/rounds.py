"""Quarterly thematic audit rounds (issue 14 item 1, DOMAIN.md R-QA-4): the grading scales admins keep, the
rounds QAIT sets up (a quarter, a theme, the services taking part, a due date, a scale, the questions and the
briefings before and after), and how a round reads: its progress and its grades by service and by question.

Picking the cases and pairing them with auditors is ``round_picks``. Services flush; the request commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.quality.audit_models import (
    OFSTED_GRADES,
    OVERDUE,
    SUBMITTED,
    AuditAnswer,
    AuditQuestion,
    AuditRound,
    CaseAudit,
    Grade,
    GradeScale,
)

OFSTED_SCALE = "Ofsted judgements"
FEWEST_GRADES, MOST_GRADES = 2, 7
MOST_QUESTIONS = 10
QUARTER_MONTHS = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}


class Refused(ValueError):
    """What was asked breaks a rule: the messages by field name. Nothing was written."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


# Grading scales ---------------------------------------------------------------------------------------------

def default_scale() -> GradeScale:
    """The Ofsted scale every organisation starts with, made the first time it is needed (no data migration:
    an organisation that renames it keeps its own name, so it is found by its grades as well)."""
    found = db.session.scalars(select(GradeScale).where(GradeScale.name == OFSTED_SCALE)).first()
    if found is not None:
        return found
    for scale in db.session.scalars(select(GradeScale).options(selectinload(GradeScale.grades))):
        if tuple(grade.label for grade in scale.grades) == OFSTED_GRADES:
            return scale
    scale = GradeScale(name=OFSTED_SCALE, active=True,
                       grades=[Grade(position=n, label=label) for n, label in enumerate(OFSTED_GRADES, start=1)])
    db.session.add(scale)
    db.session.flush()
    return scale


def ensure_default_scale() -> bool:
    """Makes the Ofsted scale when there is no scale at all; whether it made it (the caller commits)."""
    if db.session.scalar(select(exists().where(GradeScale.id.is_not(None)))):
        return False
    default_scale()
    return True


@dataclass(frozen=True)
class ScaleRow:
    scale: GradeScale
    rounds: int  # rounds using it: its grades can no longer change


def scales() -> list[ScaleRow]:
    """Every scale, in use first then by name, with how many rounds use it (two statements)."""
    used = (select(func.count(AuditRound.id)).where(AuditRound.scale_id == GradeScale.id)
            .correlate(GradeScale).scalar_subquery())
    rows = db.session.execute(select(GradeScale, used).options(selectinload(GradeScale.grades))
                              .order_by(GradeScale.active.desc(), GradeScale.name, GradeScale.id))
    return [ScaleRow(scale, count) for scale, count in rows]


def rounds_using(scale: GradeScale) -> int:
    return db.session.scalar(select(func.count(AuditRound.id)).where(AuditRound.scale_id == scale.id)) or 0


def active_scales() -> list[GradeScale]:
    return list(db.session.scalars(select(GradeScale).where(GradeScale.active.is_(True))
                                   .options(selectinload(GradeScale.grades)).order_by(GradeScale.name)))


def save_scale(scale: GradeScale | None, name: str, grades: Sequence[str], active: bool) -> GradeScale:
    """A new scale, or a change to one: its name, whether it is offered for new rounds, and (while no round uses
    it) its grades, best first. The form has checked the grades themselves (2 to 7, none twice)."""
    name = name.strip()
    taken = select(GradeScale.id).where(func.lower(GradeScale.name) == name.lower())
    if scale is not None:
        taken = taken.where(GradeScale.id != scale.id)
    if db.session.scalar(select(taken.exists())):
        raise Refused({"name": f"There is already a scale called {name}: give this one another name"})
    grades = [grade.strip() for grade in grades]
    if scale is None:
        scale = GradeScale(name=name, active=active,
                           grades=[Grade(position=n, label=label) for n, label in enumerate(grades, start=1)])
        db.session.add(scale)
        db.session.flush()
        return scale
    if [grade.label for grade in scale.grades] != grades:
        used = rounds_using(scale)
        if used:
            raise Refused({"grades": f"This scale is used by {used} audit round{'s' if used != 1 else ''}, so its "
                                     "grades cannot change: add a new scale instead"})
        scale.grades.clear()
        db.session.flush()  # the old grades go before the new ones take their positions
        scale.grades.extend(Grade(position=n, label=label) for n, label in enumerate(grades, start=1))
    scale.name, scale.active = name, active
    db.session.flush()
    return scale


# Rounds ---------------------------------------------------------------------------------------------------

def quarter_start(year: int, quarter: int) -> date:
    """The first day of a calendar quarter (Q1 is January to March)."""
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarter_of(on: date) -> int:
    return (on.month - 1) // 3 + 1


@dataclass(frozen=True)
class RoundDetails:
    """What the round form gives."""

    year: int
    quarter: int
    theme: str
    service_ids: tuple[int, ...]
    due_on: date
    scale_id: int
    questions: tuple[str, ...]
    briefing_before_at: datetime | None = None
    briefing_after_at: datetime | None = None
    briefing_place: str = ""


def submitted_count(round_: AuditRound) -> int:
    return db.session.scalar(select(func.count(CaseAudit.id)).where(
        CaseAudit.round_id == round_.id, CaseAudit.submitted_at.is_not(None))) or 0


def locked_message(round_: AuditRound) -> str | None:
    """Why a round can no longer be edited: an audit of it has been submitted."""
    if submitted_count(round_):
        return "An audit of this round has been submitted, so the round can no longer change"
    return None


def has_answers(round_: AuditRound) -> bool:
    """Whether an auditor has graded any question of the round yet (its questions and scale then stay)."""
    return bool(db.session.scalar(select(exists().where(
        AuditAnswer.audit_id == CaseAudit.id, CaseAudit.round_id == round_.id))))


def save_round(round_: AuditRound | None, details: RoundDetails, by: Staff) -> AuditRound:
    """Sets up a round, or changes one while none of its audits is submitted. Refused (with the field): the same
    theme twice in a quarter, a service whose cases are being audited taken out, a scale or questions changed
    once an auditor has answered, a retired scale chosen."""
    if round_ is not None and (message := locked_message(round_)):
        raise Refused({"theme": message})
    theme = " ".join(details.theme.split())
    same = select(AuditRound.id).where(AuditRound.year == details.year, AuditRound.quarter == details.quarter,
                                       func.lower(AuditRound.theme) == theme.lower())
    if round_ is not None:
        same = same.where(AuditRound.id != round_.id)
    if db.session.scalar(select(same.exists())):
        raise Refused({"theme": f"There is already a round on {theme} in Q{details.quarter} {details.year}: "
                                "choose another theme or quarter"})
    services = list(db.session.scalars(select(Service).where(Service.id.in_(details.service_ids))
                                       .order_by(Service.name)))
    if not services or len(services) != len(set(details.service_ids)):
        raise Refused({"service_ids": "Choose the services taking part"})
    scale = db.session.get(GradeScale, details.scale_id)
    if scale is None or (not scale.active and (round_ is None or round_.scale_id != scale.id)):
        raise Refused({"scale_id": "Choose a grading scale in use"})
    questions = [" ".join(text.split()) for text in details.questions]
    if round_ is None:
        round_ = AuditRound(created_by=by)
        db.session.add(round_)
    else:
        _check_changes(round_, services, scale, questions)
    round_.year, round_.quarter, round_.theme = details.year, details.quarter, theme
    round_.services = services
    round_.scale = scale
    round_.due_on = details.due_on
    round_.briefing_before_at, round_.briefing_after_at = details.briefing_before_at, details.briefing_after_at
    round_.briefing_place = details.briefing_place.strip()
    for audit in round_.audits:  # not submitted (a submitted audit locks the round)
        audit.due_on = details.due_on
    if [question.text for question in round_.questions] != questions:
        round_.questions.clear()
        db.session.flush()  # the old questions go before the new ones take their positions
        round_.questions.extend(AuditQuestion(position=n, text=text) for n, text in enumerate(questions, start=1))
    db.session.flush()
    return round_


def _check_changes(round_: AuditRound, services: list[Service], scale: GradeScale, questions: list[str]) -> None:
    kept = {service.id for service in services}
    dropped = [service for service in round_.services if service.id not in kept]
    if dropped:
        audited = db.session.scalars(
            select(Service.name).join(Team, Team.service_id == Service.id).join(Staff, Staff.team_id == Team.id)
            .join(Case, Case.worker_id == Staff.id).join(CaseAudit, CaseAudit.case_id == Case.id)
            .where(CaseAudit.round_id == round_.id, Service.id.in_([s.id for s in dropped]))
            .distinct().order_by(Service.name)).all()
        if audited:
            raise Refused({"service_ids": f"Cases of {', '.join(audited)} are being audited in this round: remove "
                                          "those audits before taking the service out"})
    changed_questions = [question.text for question in round_.questions] != questions
    if (scale.id != round_.scale_id or changed_questions) and has_answers(round_):
        field = "scale_id" if scale.id != round_.scale_id else "questions"
        raise Refused({field: "An auditor has started answering, so the scale and the questions cannot change"})


def rounds_newest_first() -> Select[tuple[AuditRound]]:
    return select(AuditRound).order_by(AuditRound.year.desc(), AuditRound.quarter.desc(),
                                       AuditRound.created_at.desc(), AuditRound.id.desc())


# Reading a round ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    total: int = 0
    submitted: int = 0
    overdue: int = 0

    @property
    def assigned(self) -> int:
        """Not submitted and not yet due (the "assigned" status)."""
        return self.total - self.submitted - self.overdue

    @classmethod
    def of(cls, audits: Sequence[CaseAudit], on: date) -> Progress:
        """The same counts from audits already loaded (a round's page)."""
        statuses = Counter(audit.status_on(on) for audit in audits)
        return cls(len(audits), statuses[SUBMITTED], statuses[OVERDUE])


def progress(round_ids: Sequence[int], on: date) -> dict[int, Progress]:
    """Each round's audits by their status on ``on`` (``CaseAudit.status_on`` in SQL), in one statement."""
    if not round_ids:
        return {}
    submitted = CaseAudit.submitted_at.is_not(None)
    overdue = and_(CaseAudit.submitted_at.is_(None), CaseAudit.due_on < on)
    rows = db.session.execute(
        select(CaseAudit.round_id, func.count(CaseAudit.id), func.sum(case((submitted, 1), else_=0)),
               func.sum(case((overdue, 1), else_=0)))
        .where(CaseAudit.round_id.in_(round_ids)).group_by(CaseAudit.round_id))
    return {round_id: Progress(total, int(done or 0), int(late or 0)) for round_id, total, done, late in rows}


def round_audits(round_: AuditRound) -> list[CaseAudit]:
    """The round's audits with their case, team, auditor, buddy and grade, by team then case reference."""
    return list(db.session.scalars(
        select(CaseAudit).join(Case, Case.id == CaseAudit.case_id).join(Staff, Staff.id == Case.worker_id)
        .join(Team, Team.id == Staff.team_id)
        .options(joinedload(CaseAudit.case).joinedload(Case.worker).joinedload(Staff.team),
                 joinedload(CaseAudit.auditor), joinedload(CaseAudit.buddy), joinedload(CaseAudit.grade))
        .where(CaseAudit.round_id == round_.id).order_by(Team.name, Case.case_ref, CaseAudit.id)))


@dataclass(frozen=True)
class GradeCounts:
    """Counts per grade of the round's scale for one service or question (``counts[grade_id]``)."""

    label: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def grades_by_service(round_: AuditRound) -> list[GradeCounts]:
    """The overall grades of the round's submitted audits, per service of the case's team (one statement)."""
    rows = db.session.execute(
        select(Service.name, CaseAudit.grade_id, func.count(CaseAudit.id))
        .join(Case, Case.id == CaseAudit.case_id).join(Staff, Staff.id == Case.worker_id)
        .join(Team, Team.id == Staff.team_id).join(Service, Service.id == Team.service_id)
        .where(CaseAudit.round_id == round_.id, CaseAudit.submitted_at.is_not(None),
               CaseAudit.grade_id.is_not(None))
        .group_by(Service.name, CaseAudit.grade_id).order_by(Service.name))
    found: dict[str, dict[int, int]] = {}
    for name, grade_id, count in rows:
        found.setdefault(name, {})[grade_id] = count
    return [GradeCounts(name, counts) for name, counts in found.items()]


def grades_by_question(round_: AuditRound) -> list[GradeCounts]:
    """The grades given to each question in the round's submitted audits (one statement), in question order."""
    rows = db.session.execute(
        select(AuditAnswer.question_id, AuditAnswer.grade_id, func.count(AuditAnswer.id))
        .join(CaseAudit, CaseAudit.id == AuditAnswer.audit_id)
        .where(CaseAudit.round_id == round_.id, CaseAudit.submitted_at.is_not(None))
        .group_by(AuditAnswer.question_id, AuditAnswer.grade_id))
    found: dict[int, dict[int, int]] = {}
    for question_id, grade_id, count in rows:
        found.setdefault(question_id, {})[grade_id] = count
    return [GradeCounts(f"{question.position}. {question.text}", found.get(question.id, {}))
            for question in round_.questions]


def audits_of(person: Staff) -> list[CaseAudit]:
    """The audits this person does or buddies, soonest due first, with their round and case (one statement)."""
    return list(db.session.scalars(
        select(CaseAudit).join(AuditRound, AuditRound.id == CaseAudit.round_id)
        .options(joinedload(CaseAudit.round), joinedload(CaseAudit.case), joinedload(CaseAudit.auditor),
                 joinedload(CaseAudit.buddy))
        .where(or_(CaseAudit.auditor_id == person.id, CaseAudit.buddy_id == person.id))
        .order_by(CaseAudit.submitted_at.is_not(None), CaseAudit.due_on, CaseAudit.id)))

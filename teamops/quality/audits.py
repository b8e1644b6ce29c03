"""Doing a case audit (issue 14 item 2, DOMAIN.md R-QA-4 and R-QA-5): the auditor's draft and submission, the
remedial actions agreed with the case's team manager, what that manager is told and sees on their home page,
marking an action done, and QAIT's re-audit to check the actions worked.

The case system holds the case file; TeamOps holds the judgement: an audit names its case by reference and its
team, never a child. The findings, the answers' comments and the actions' descriptions are record content (the
models' ``__audit_content__``): the audit trail keeps that they changed, not what they say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.orm import aliased, contains_eager, joinedload

from teamops import dates
from teamops.access import return_team_ids
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.notify import notify
from teamops.org import covers
from teamops.org.models import MANAGER_ROLES, Cover, Staff, Team
from teamops.org.settings import settings
from teamops.quality.audit_models import AuditAction, AuditAnswer, CaseAudit
from teamops.retention import keep_from_purge
from teamops.returns.services import team_managers
from teamops.web import format_date

FINDINGS_SHOWN = 10  # unread audits on a manager's home page
ACTIONS_SHOWN = 20  # open audit actions on a home page


class AuditRefused(Exception):
    """A change the audit cannot take (it was submitted; a grade not of the round's scale): said to the user."""


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    grade_id: int | None
    comment: str


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner_id: int
    due_on: date


def team_of(audit: CaseAudit) -> Team:
    """The case's team: its worker's team now."""
    return audit.case.worker.team


def grade_ids(audit: CaseAudit) -> set[int]:
    """The grades an answer of this audit may take: its round's scale."""
    return {grade.id for grade in audit.round.scale.grades}


def is_open(audit: CaseAudit) -> bool:
    """The auditor may still write in it: not submitted, and its content not removed by the retention purge (a
    draft left on a case closed long ago: what is typed now would be new content no later purge removes)."""
    return audit.submitted_at is None and audit.content_purged_on is None


def closed_reason(audit: CaseAudit) -> str:
    if audit.content_purged_on is not None:
        return (f"This audit's content was removed on {audit.content_purged_on:%-d %B %Y} under the retention "
                "policy: it can no longer change")
    return "This audit has been submitted: it can no longer change"


def _refuse_if_submitted(audit: CaseAudit) -> None:
    if not is_open(audit):
        raise AuditRefused(closed_reason(audit))


def save_draft(audit: CaseAudit, answers: Sequence[AnswerInput], grade_id: int | None, findings: str) -> None:
    """Keeps what the auditor has so far: answers without a grade are left out (a comment needs its grade: the
    form says so), the overall grade and findings as they are."""
    _refuse_if_submitted(audit)
    if not keep_from_purge(audit):  # the purge removed its content while the auditor was writing
        raise AuditRefused(closed_reason(audit))
    allowed = grade_ids(audit)
    if (grade_id is not None and grade_id not in allowed) or any(
            a.grade_id is not None and a.grade_id not in allowed for a in answers):
        raise AuditRefused("Choose a grade from the round's scale")
    questions = {question.id for question in audit.round.questions}
    held = {answer.question_id: answer for answer in audit.answers}
    for given in answers:
        if given.question_id not in questions:
            raise AuditRefused("That question is not one of this round's")
        answer = held.get(given.question_id)
        if given.grade_id is None:
            if answer is not None:
                audit.answers.remove(answer)
            continue
        if answer is None:
            audit.answers.append(AuditAnswer(question_id=given.question_id, grade_id=given.grade_id,
                                             comment=given.comment.strip()))
        else:
            answer.grade_id, answer.comment = given.grade_id, given.comment.strip()
    audit.grade_id = grade_id
    audit.findings = findings.strip()
    db.session.flush()


def missing_for_submission(audit: CaseAudit, no_action_needed: bool) -> list[str]:
    """What stops the audit from being submitted, in the page's order (empty when nothing does)."""
    graded = {answer.question_id for answer in audit.answers}
    problems = [f"Grade question {question.position}" for question in audit.round.questions
                if question.id not in graded]
    if audit.grade_id is None:
        problems.append("Choose an overall grade")
    if not audit.findings.strip():
        problems.append("Write the findings")
    if not audit.actions and not no_action_needed:
        problems.append("Agree at least one remedial action, or tick that no remedial action is needed")
    if audit.actions and no_action_needed:
        problems.append("Untick “No remedial action needed” or remove the actions")
    return problems


def submit(audit: CaseAudit, no_action_needed: bool, now: datetime) -> None:
    """Submits the audit (complete, or refused with what is missing) and tells the case's team's managers, with
    nothing but the case reference: the findings are read in TeamOps."""
    _refuse_if_submitted(audit)
    problems = missing_for_submission(audit, no_action_needed)
    if problems:
        raise AuditRefused(problems[0])
    # Claimed with a conditional update, so two submits sent at once cannot both pass the check above: the
    # second waits for the first's row (PostgreSQL) or write lock (SQLite), then changes nothing and is refused.
    claimed = db.session.execute(
        update(CaseAudit).where(CaseAudit.id == audit.id, CaseAudit.submitted_at.is_(None)).values(submitted_at=now),
        execution_options={"synchronize_session": False})
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AuditRefused("This audit has been submitted: it can no longer change")
    audit.submitted_at = now  # as the session knows it (and the audit trail records it)
    db.session.flush()
    kind = "re-audit" if audit.reaudit_of_id is not None else "audit"
    for manager in team_managers(team_of(audit)):
        if manager.id != audit.auditor_id:
            notify(manager, f"TeamOps: a case {kind} of your team was submitted",
                   f"The {kind} of case {audit.case.case_ref} has been submitted. Read the findings and the "
                   "remedial actions on your TeamOps home page.")


def submitted_on(audit: CaseAudit) -> date | None:
    """The day (in England) the audit was submitted."""
    return None if audit.submitted_at is None else audit.submitted_at.astimezone(dates.LONDON).date()


def on_time(audit: CaseAudit) -> bool | None:
    """Whether it was submitted on or before its due date; None before submission."""
    day = submitted_on(audit)
    return None if day is None else day <= audit.due_on


# Remedial actions (R-QA-5) --------------------------------------------------------------------------------

def owner_choices(audit: CaseAudit, on: date) -> list[Staff]:
    """Who may own a remedial action: the active staff of the case's team, whoever covers for its manager, and
    its managers above (the team manager's line manager, the service's heads of service). One statement."""
    team = team_of(audit)
    above = select(Staff.line_manager_id).where(Staff.team_id == team.id, Staff.role == "team_manager",
                                                Staff.line_manager_id.is_not(None))
    service_teams = select(Team.id).where(Team.service_id == team.service_id)
    covering = select(Cover.staff_id).where(Cover.team_id == team.id, covers.running_on(on))
    return list(db.session.scalars(
        select(Staff).where(Staff.active.is_(True), or_(
            Staff.team_id == team.id, Staff.id.in_(above), Staff.id.in_(covering),
            and_(Staff.role == "head_of_service", Staff.team_id.in_(service_teams))))
        .order_by(Staff.name, Staff.id)))


def add_action(audit: CaseAudit, given: ActionInput, on: date) -> AuditAction:
    """Adds a remedial action before submission: its owner one of ``owner_choices``, due today or later."""
    _refuse_if_submitted(audit)
    if not given.description.strip():
        raise AuditRefused("Describe the action")
    if given.due_on < on:
        raise AuditRefused("The action's due date must be today or later")
    if given.owner_id not in {person.id for person in owner_choices(audit, on)}:
        raise AuditRefused("Choose the action's owner from the case's team or its managers")
    action = AuditAction(description=given.description.strip(), owner_id=given.owner_id, due_on=given.due_on)
    audit.actions.append(action)
    db.session.flush()
    return action


def remove_action(audit: CaseAudit, action_id: int) -> None:
    """Takes an action off the audit before submission (an id not of this audit is ignored)."""
    _refuse_if_submitted(audit)
    for action in audit.actions:
        if action.id == action_id:
            audit.actions.remove(action)
            db.session.delete(action)
    db.session.flush()


def mark_done(action: AuditAction, on: date) -> bool:
    """Marks a submitted audit's action done today; False when it was done already (or not yet agreed)."""
    if action.done_on is not None or action.audit.submitted_at is None:
        return False
    action.done_on = on
    db.session.flush()
    return True


def mark_read(audit: CaseAudit, now: datetime) -> bool:
    """The team's manager has opened the submitted findings: they leave the home page."""
    if audit.submitted_at is None or audit.read_by_manager_at is not None:
        return False
    audit.read_by_manager_at = now
    db.session.flush()
    return True


# Re-audit (R-QA-5) ----------------------------------------------------------------------------------------

def reaudit_of(audit: CaseAudit) -> CaseAudit | None:
    """The re-audit scheduled to check this audit's actions, if there is one."""
    return db.session.scalar(select(CaseAudit).where(CaseAudit.reaudit_of_id == audit.id))


def may_reaudit(audit: CaseAudit) -> str | None:
    """Why a re-audit cannot be scheduled for this audit, or None."""
    if audit.submitted_at is None:
        return "A re-audit can be scheduled once the audit has been submitted"
    if audit.content_purged_on is not None:
        return "This audit's content was removed under the retention policy: its case closed long ago"
    if not audit.actions:
        return "This audit agreed no remedial actions: there is nothing for a re-audit to check"
    if reaudit_of(audit) is not None:
        return "A re-audit of this audit is already scheduled"
    return None


def default_reaudit_due(audit: CaseAudit, on: date) -> date:
    """A month after the last action is due (and never before today): time for the actions to show."""
    last = max((action.due_on for action in audit.actions), default=on)
    return max(dates.add_months(last, 1), on)


def auditor_choices(audit: CaseAudit) -> list[Staff]:
    """Who may re-audit: the original auditor, and active managers, never of the case's own team unless the
    organisation allows it (R-QA-4's setting). One statement (and the setting's)."""
    manager = and_(Staff.active.is_(True), Staff.role.in_(MANAGER_ROLES))
    if not settings().auditors_own_team:
        manager = and_(manager, Staff.team_id != team_of(audit).id)
    return list(db.session.scalars(
        select(Staff).where(or_(Staff.id == audit.auditor_id, manager)).options(joinedload(Staff.team))
        .order_by(Staff.name, Staff.id)))


def schedule_reaudit(audit: CaseAudit, auditor: Staff, due_on: date, on: date) -> CaseAudit:
    """A new audit of the same case in the same round, naming the audit it checks; the auditor is told."""
    problem = may_reaudit(audit)
    if problem:
        raise AuditRefused(problem)
    if due_on < on:
        raise AuditRefused("The re-audit's due date must be today or later")
    if auditor.id not in {person.id for person in auditor_choices(audit)}:
        raise AuditRefused("Choose a manager who may audit this case")
    again = CaseAudit(round_id=audit.round_id, case_id=audit.case_id, auditor_id=auditor.id, due_on=due_on,
                      reaudit_of_id=audit.id)
    db.session.add(again)
    db.session.flush()
    notify(auditor, "TeamOps: a case to re-audit",
           f"You have been asked to re-audit case {audit.case.case_ref} by {format_date(due_on)}, to check "
           "whether the remedial actions worked. Open TeamOps to start.")
    return again


# On a home page ------------------------------------------------------------------------------------------

_WORKER = aliased(Staff)


def _team_audits() -> Select[tuple[CaseAudit]]:
    return (select(CaseAudit).join(CaseAudit.case).join(_WORKER, _WORKER.id == Case.worker_id)
            .options(contains_eager(CaseAudit.case), joinedload(CaseAudit.round), joinedload(CaseAudit.grade)))


def unread_findings(user: Staff) -> list[CaseAudit]:
    """Submitted audits of cases in the teams this person runs (their own as its team manager, or one they
    cover) that they have not opened yet: one statement."""
    return list(db.session.scalars(
        _team_audits().where(CaseAudit.submitted_at.is_not(None), CaseAudit.read_by_manager_at.is_(None),
                             _WORKER.team_id.in_(return_team_ids(user)))
        .order_by(CaseAudit.submitted_at, CaseAudit.id).limit(FINDINGS_SHOWN)))


def open_actions(user: Staff) -> list[AuditAction]:
    """Open remedial actions of submitted audits that this person owns, or of cases in the teams they run,
    the earliest due first: one statement."""
    worker = aliased(Staff)
    mine = AuditAction.owner_id == user.id
    runs = worker.team_id.in_(return_team_ids(user)) if user.role == "team_manager" or user.has_covers else None
    return list(db.session.scalars(
        select(AuditAction).join(AuditAction.audit).join(CaseAudit.case).join(worker, worker.id == Case.worker_id)
        .where(AuditAction.done_on.is_(None), CaseAudit.submitted_at.is_not(None),
               mine if runs is None else or_(mine, runs))
        .options(contains_eager(AuditAction.audit).contains_eager(CaseAudit.case)
                 .contains_eager(Case.worker.of_type(worker)).joinedload(worker.team),
                 joinedload(AuditAction.owner))
        .order_by(AuditAction.due_on, AuditAction.id).limit(ACTIONS_SHOWN)))


def at_home(user: Staff) -> dict[str, object]:
    """What a home page shows of audits: for whoever runs a team, the findings not yet read (one statement);
    for everyone but QAIT and admins, the open actions they own or their team has (one more)."""
    if user.role in ("qait", "admin"):
        return {}
    found: dict[str, object] = {"audit_actions": open_actions(user)}
    if user.role == "team_manager" or user.has_covers:
        found["audit_findings"] = unread_findings(user)
    return found


def age_in_days(action: AuditAction, on: date) -> int:
    """How long the action has been open: days since it was agreed."""
    return (on - action.created_at.astimezone(dates.LONDON).date()).days


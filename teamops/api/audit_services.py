"""The rows of ``/api/v1/audits`` (issue 14 item 6): case audits with their round, case, team, auditor, due date,
status today, overall grade and open remedial actions.

Scoped in SQL as the audit's page is (``view_case_audit``): QAIT every audit; a manager the audits of cases in the
teams they oversee (``reach_team_ids``), and, like anyone, those they do or buddy; an admin none. A worker reads
no team's audits (only one they were asked to do, which the rounds never ask of a worker). A page is chosen inside
the statement: one count and one select, whatever the county's size.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true
from sqlalchemy.orm import aliased

from teamops.access import MANAGERS, reach_team_ids
from teamops.api.params import ApiError, Paging
from teamops.api.services import Item, Page, _count
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Staff, Team
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit, Grade

_WORKER = aliased(Staff)
_AUDITOR = aliased(Staff)


def _readable(user: Staff) -> ColumnElement[bool]:
    """Which audits this account reads (the same rule as the audit's page)."""
    if user.role == "admin":
        return false()
    if user.role == "qait":
        return true()
    own = or_(CaseAudit.auditor_id == user.id, CaseAudit.buddy_id == user.id)
    teams = reach_team_ids(user)
    if user.role in MANAGERS and teams is not None:
        return or_(own, _WORKER.team_id.in_(teams))
    return own


def round_exists(round_id: int) -> int:
    """The ``round`` parameter checked: 404 for an id no audit round has."""
    if db.session.get(AuditRound, round_id) is None:
        raise ApiError(404, f"No audit round has id {round_id}")
    return round_id


def _audits(user: Staff, round_id: int | None, team_id: int | None) -> Select[tuple[int]]:
    query = (select(CaseAudit.id).join(Case, Case.id == CaseAudit.case_id)
             .join(_WORKER, _WORKER.id == Case.worker_id).where(_readable(user)))
    if round_id is not None:
        query = query.where(CaseAudit.round_id == round_id)
    if team_id is not None:
        query = query.where(_WORKER.team_id == team_id)
    return query


def audits_page(user: Staff, paging: Paging, on: date, round_id: int | None = None,
                team_id: int | None = None) -> Page:
    """Newest round first, then by theme, case reference and id (a re-audit after its audit)."""
    chosen = _audits(user, round_id, team_id)
    actions_open = (select(func.count(AuditAction.id))
                    .where(AuditAction.audit_id == CaseAudit.id, AuditAction.done_on.is_(None))
                    .correlate(CaseAudit).scalar_subquery())
    rows = db.session.execute(
        select(CaseAudit, AuditRound, Case.case_ref, Team.name, _AUDITOR.email, Grade.label, actions_open)
        .join(AuditRound, AuditRound.id == CaseAudit.round_id).join(Case, Case.id == CaseAudit.case_id)
        .join(_WORKER, _WORKER.id == Case.worker_id).join(Team, Team.id == _WORKER.team_id)
        .join(_AUDITOR, _AUDITOR.id == CaseAudit.auditor_id)
        .outerjoin(Grade, Grade.id == CaseAudit.grade_id)
        .where(CaseAudit.id.in_(chosen))
        .order_by(AuditRound.year.desc(), AuditRound.quarter.desc(), AuditRound.theme, Case.case_ref, CaseAudit.id)
        .limit(paging.per_page).offset(paging.offset)).all()
    items: list[Item] = [{
        "round": round_.name, "theme": round_.theme, "case_ref": case_ref, "team": team, "auditor_email": email,
        "due_on": audit.due_on, "status": audit.status_on(on),
        "grade": grade if audit.submitted_at is not None else None, "actions_open": int(open_count or 0),
    } for audit, round_, case_ref, team, email, grade, open_count in rows]
    return Page(items, paging.page, paging.per_page, _count(chosen))

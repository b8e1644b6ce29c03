"""A round as a workbook for QAIT (issue 14 item 5): its audits with their status and grades, the remedial
actions with their age, and the overall grades by service. Typed cells, frozen headers, set widths, and text
made formula-safe, as every export (``spreadsheets.xlsx_workbook``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Staff, Team
from teamops.quality import rounds
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit
from teamops.spreadsheets import DATE_FORMAT as DATE
from teamops.spreadsheets import DATETIME_FORMAT as WHEN
from teamops.spreadsheets import Column, Sheet, XlsxValue


def _actions(round_: AuditRound) -> list[AuditAction]:
    """The round's remedial actions with their audit's case and team and their owner (one statement)."""
    return list(db.session.scalars(
        select(AuditAction).join(CaseAudit, CaseAudit.id == AuditAction.audit_id)
        .join(Case, Case.id == CaseAudit.case_id)
        .options(joinedload(AuditAction.owner),
                 joinedload(AuditAction.audit).joinedload(CaseAudit.case).joinedload(Case.worker)
                 .joinedload(Staff.team))
        .where(CaseAudit.round_id == round_.id).order_by(Case.case_ref, AuditAction.id)))


def _team(audit: CaseAudit) -> Team:
    return audit.case.worker.team


def sheets(round_: AuditRound, on: date) -> list[Sheet]:
    audits = rounds.round_audits(round_)
    actions = _actions(round_)
    open_by_audit: dict[int, int] = {}
    for action in actions:
        if action.done_on is None:
            open_by_audit[action.audit_id] = open_by_audit.get(action.audit_id, 0) + 1
    audit_rows: list[Sequence[XlsxValue]] = [
        (round_.name, audit.case.case_ref, audit.case.case_type_code, _team(audit).name, audit.auditor.name,
         audit.buddy.name if audit.buddy else None, audit.due_on, audit.status_on(on),
         audit.submitted_at.astimezone(dates.LONDON).replace(tzinfo=None) if audit.submitted_at else None,
         audit.grade.label if audit.grade else None, open_by_audit.get(audit.id, 0),
         audit.reaudit_of_id is not None)
        for audit in audits]
    action_rows: list[Sequence[XlsxValue]] = [
        (action.audit.case.case_ref, _team(action.audit).name, action.wording, action.owner.name,
         action.due_on, action.done_on, None if action.done_on else (on - dates.london_date(action.created_at)).days)
        for action in actions]
    grades = round_.scale.grades
    grade_rows: list[Sequence[XlsxValue]] = [
        (row.label, *(row.counts.get(grade.id, 0) for grade in grades), row.total)
        for row in rounds.grades_by_service(round_)]
    return [
        Sheet("Audits", [Column("Round", 36), Column("Case reference", 16), Column("Case type", 10),
                         Column("Team", 30), Column("Auditor", 24), Column("Buddy", 24), Column("Due on", 12, DATE),
                         Column("Status", 11), Column("Submitted at", 17, WHEN), Column("Overall grade", 22),
                         Column("Actions open", 12, "0"), Column("Re-audit", 9)], audit_rows),
        Sheet("Actions", [Column("Case reference", 16), Column("Team", 30), Column("Action", 60),
                          Column("Owner", 24), Column("Due on", 12, DATE), Column("Done on", 12, DATE),
                          Column("Days open", 10, "0")], action_rows),
        Sheet("Grades by service", [Column("Service", 30), *(Column(grade.label, 14, "0") for grade in grades),
                                    Column("Submitted", 10, "0")], grade_rows),
    ]

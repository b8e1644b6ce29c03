"""The audit findings page as a workbook (issue 14 item 5): each round's overall grades by service, one row per
grade (rounds may use different scales, so the grades are rows, not columns), and every open remedial action with
its age. Typed cells, frozen headers and formula-safe text, as every export (``spreadsheets.xlsx_workbook``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from teamops.quality import audits
from teamops.quality.audit_models import AuditAction
from teamops.quality.findings import RoundGrades
from teamops.spreadsheets import DATE_FORMAT as DATE
from teamops.spreadsheets import Column, Sheet, XlsxValue


def sheets(grades: list[RoundGrades], actions: list[AuditAction], on: date) -> list[Sheet]:
    grade_rows: list[Sequence[XlsxValue]] = [
        (found.round.name, found.round.theme, found.round.year, found.round.quarter, row.label, grade.label,
         row.counts.get(grade.id, 0))
        for found in grades for row in found.services for grade in found.round.scale.grades]
    action_rows: list[Sequence[XlsxValue]] = [
        (action.audit.round.name, action.audit.case.case_ref, action.audit.case.worker.team.name,
         action.wording, action.owner.name, action.due_on, action.due_on < on,
         audits.age_in_days(action, on))
        for action in actions]
    return [
        Sheet("Grades by round", [Column("Round", 36), Column("Theme", 30), Column("Year", 6, "0"),
                                  Column("Quarter", 8, "0"), Column("Service", 30), Column("Overall grade", 22),
                                  Column("Audits", 8, "0")], grade_rows),
        Sheet("Open actions", [Column("Round", 36), Column("Case reference", 16), Column("Team", 30),
                               Column("Action", 60), Column("Owner", 24), Column("Due on", 12, DATE),
                               Column("Overdue", 8), Column("Days open", 10, "0")], action_rows),
    ]

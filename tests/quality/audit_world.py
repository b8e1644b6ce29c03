"""A round with its scale and questions and a case audit assigned, built directly with the models (the rounds
pages that make them are another part of issue 14). Shared by the audit tests and the API's."""

from __future__ import annotations

from datetime import date
from typing import Any

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Service, Staff
from teamops.quality.audit_models import OFSTED_GRADES, AuditQuestion, AuditRound, CaseAudit, Grade, GradeScale
from tests import factories

TODAY = date(2026, 11, 16)  # a Monday
DUE = date(2026, 12, 11)
QUESTIONS = ("Is the child's lived experience recorded?", "Are the plan's actions specific, with timescales?")


def scale(name: str = "Ofsted judgements", labels: tuple[str, ...] = OFSTED_GRADES) -> GradeScale:
    made = GradeScale(name=name, active=True,
                      grades=[Grade(position=n, label=label) for n, label in enumerate(labels, 1)])
    db.session.add(made)
    db.session.commit()
    return made


def audit_round(grading: GradeScale, services: list[Service], theme: str = "Neglect", quarter: int = 4,
                year: int = 2026, due_on: date = DUE, questions: tuple[str, ...] = QUESTIONS) -> AuditRound:
    made = AuditRound(year=year, quarter=quarter, theme=theme, scale=grading, due_on=due_on, services=services,
                      questions=[AuditQuestion(position=n, text=text) for n, text in enumerate(questions, 1)])
    db.session.add(made)
    db.session.commit()
    return made


def case_audit(round_: AuditRound, case: Case, auditor: Staff, due_on: date | None = None,
               buddy: Staff | None = None, reaudit_of: CaseAudit | None = None) -> CaseAudit:
    made = CaseAudit(round=round_, case=case, auditor=auditor, buddy=buddy, due_on=due_on or round_.due_on,
                     reaudit_of=reaudit_of)
    db.session.add(made)
    db.session.commit()
    return made


def world(org: dict[str, Any]) -> dict[str, Any]:
    """Q4 2026: Neglect, for both services, due 11 December 2026; the North worker's CP case N-AUD-1 is audited by
    the South team manager (never a case of their own team)."""
    with dates.freeze(TODAY):
        grading = scale()
        made = audit_round(grading, list(org["services"]))
        case = factories.case("N-AUD-1", "CP", False, org["worker"], date(2026, 5, 1))
        audit = case_audit(made, case, org["south_manager"])
    return {**org, "scale": grading, "round": made, "case": case, "audit": audit,
            "grades": {grade.label: grade.id for grade in grading.grades},
            "questions": [question.id for question in made.questions]}


def complete(w: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A submission with everything it needs and one new action owned by the North worker."""
    data = {f"q{question}_grade": w["grades"]["Good"] for question in w["questions"]}
    data.update({f"q{w['questions'][0]}_comment": "Voice is clear", "grade": w["grades"]["Requires improvement"],
                 "findings": "The plan drifts", "action_description": "Review the plan with the family",
                 "action_owner": w["worker"].id, "action_due_on-day": "4", "action_due_on-month": "12",
                 "action_due_on-year": "2026", "do": "submit"})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}

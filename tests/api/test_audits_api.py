"""GET /api/v1/audits (CONTRACT.md "Reporting API", issue 14 item 6): every field of every audit worked out by
hand, the reach of each role, the ``round`` and ``team`` parameters and their refusals, and CSV read back.

On Monday 16 November 2026: Q4 2026: Neglect (due 11 December) audits the North worker's N-1 (by the South
manager: submitted, "Good", two actions, one done; and its re-audit, assigned, due 4 January 2027) and the South
worker's S-1 (by the North manager: assigned, not started). Q3 2026: Child's voice audits Youth Justice's Y-1 (by
the service manager: a draft with a grade chosen, due 30 September: overdue)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from teamops import dates
from teamops.extensions import db
from teamops.quality.audit_models import AuditAction, CaseAudit
from tests import factories
from tests.api.conftest import csv_dicts
from tests.quality.audit_world import TODAY, audit_round, case_audit, scale

URL = "/api/v1/audits"


@pytest.fixture
def audits(org: dict[str, Any]) -> Any:
    with dates.freeze(TODAY):
        grading = scale()
        grade = {g.label: g.id for g in grading.grades}
        services = list(org["services"])
        neglect = audit_round(grading, services)
        voice = audit_round(grading, services, theme="Child's voice", quarter=3, due_on=date(2026, 9, 30))
        n1 = case_audit(neglect, factories.case("N-1", "CP", False, org["worker"], date(2026, 1, 5)),
                        org["south_manager"])
        n1.grade_id, n1.findings, n1.submitted_at = grade["Good"], "Fine", dates.utcnow()
        n1.actions = [AuditAction(description="Visit", owner_id=org["worker"].id, due_on=date(2026, 12, 4)),
                      AuditAction(description="Plan", owner_id=org["team_manager"].id, due_on=date(2026, 12, 1),
                                  done_on=TODAY)]
        db.session.commit()
        case_audit(neglect, n1.case, org["south_manager"], due_on=date(2027, 1, 4), reaudit_of=n1)
        case_audit(neglect, factories.case("S-1", "CIN", False, org["south_worker"], date(2026, 1, 5)),
                   org["team_manager"])
        y1 = case_audit(voice, factories.case("Y-1", "YJ", False, org["yj_worker"], date(2026, 1, 5)),
                        org["service_manager"])
        y1.grade_id = grade["Inadequate"]  # a draft's grade is not shown
        db.session.commit()
        yield {**org, "neglect": neglect, "voice": voice}


N1 = {"round": "Q4 2026: Neglect", "theme": "Neglect", "case_ref": "N-1", "team": "Family Safeguarding North",
      "auditor_email": "south.tm@example.org", "due_on": "2026-12-11", "status": "submitted", "grade": "Good",
      "actions_open": 1}
N1_AGAIN = {**N1, "due_on": "2027-01-04", "status": "assigned", "grade": None, "actions_open": 0}
S1 = {"round": "Q4 2026: Neglect", "theme": "Neglect", "case_ref": "S-1", "team": "Family Safeguarding South",
      "auditor_email": "tm@example.org", "due_on": "2026-12-11", "status": "assigned", "grade": None,
      "actions_open": 0}
Y1 = {"round": "Q3 2026: Child's voice", "theme": "Child's voice", "case_ref": "Y-1", "team": "Youth Justice Team",
      "auditor_email": "sm@example.org", "due_on": "2026-09-30", "status": "overdue", "grade": None,
      "actions_open": 0}


def test_qait_reads_every_audit_with_its_fields(bearer, audits):
    body = bearer("qait").get(URL).get_json()
    assert body == {"items": [N1, N1_AGAIN, S1, Y1], "page": 1, "per_page": 100, "total": 4}


@pytest.mark.parametrize(("role", "expected"), [
    ("team_manager", [N1, N1_AGAIN, S1]),  # North's cases, and the audit they do in South
    ("south_manager", [N1, N1_AGAIN, S1]),  # South's case, and the two they do of North's
    ("service_manager", [N1, N1_AGAIN, S1, Y1]),  # both teams, and the audit they do in Youth Justice
    ("worker", []), ("yj_worker", []), ("admin", []),
])
def test_each_role_reads_its_reach(bearer, audits, role, expected):
    body = bearer(role).get(URL).get_json()
    assert body["items"] == expected and body["total"] == len(expected)


def test_round_and_team_narrow_the_list(bearer, audits):
    qait = bearer("qait")
    assert qait.get(f"{URL}?round={audits['voice'].id}").get_json()["items"] == [Y1]
    north = audits["teams"]["north"].id
    assert qait.get(f"{URL}?round={audits['neglect'].id}&team={north}").get_json()["items"] == [N1, N1_AGAIN]
    page = qait.get(f"{URL}?per_page=2&page=2").get_json()
    assert page["items"] == [S1, Y1] and page["total"] == 4


@pytest.mark.parametrize(("query", "status", "field"), [
    ("round=999999", 404, None), ("team=999999", 404, None), ("team={yj}", 403, None),
    ("round=abc", 400, "round"), ("round=0", 400, "round"), ("team=x", 400, "team"), ("format=xml", 400, "format"),
])
def test_refusals(bearer, audits, query, status, field):
    response = bearer("team_manager").get(f"{URL}?{query.format(yj=audits['teams']['yj'].id)}")
    assert response.status_code == status
    assert response.get_json().get("field") == field


def test_csv_has_the_same_rows(bearer, audits):
    rows = csv_dicts(bearer("qait").get(f"{URL}?format=csv"))
    assert list(rows[0]) == list(N1)
    assert rows[0] == {**{k: str(v) for k, v in N1.items()}} and rows[1]["grade"] == ""
    assert [row["status"] for row in rows] == ["submitted", "assigned", "assigned", "overdue"]


def test_status_is_worked_out_today(bearer, audits):
    with dates.freeze(date(2026, 12, 12)):
        statuses = [item["status"] for item in bearer("qait").get(URL).get_json()["items"]]
    assert statuses == ["submitted", "assigned", "overdue", "overdue"]
    assert db.session.query(CaseAudit).count() == 4

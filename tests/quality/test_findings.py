"""The audit findings page (issue 14 item 5, R-QA-4/5): each round's overall grades by service and every open
remedial action with its age, for the teams in a person's reach (CONTRACT.md "Reach"), filtered by service, and
the same as a workbook read back with openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import openpyxl
import pytest

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit
from tests import factories
from tests.quality.audit_world import TODAY, audit_round, case_audit, scale

URL = "/quality/audits/findings"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with dates.freeze(TODAY):
        yield


def _submitted(round_: AuditRound, ref: str, worker: Staff, auditor: Staff, grade: str,
               action: tuple[str, Staff, date, int] | None = None, done: bool = False) -> CaseAudit:
    """A submitted audit of a new case of ``worker`` with its overall grade and, given, one remedial action
    (description, owner, due date, days since it was agreed)."""
    audit = case_audit(round_, factories.case(ref, "CP", False, worker, date(2026, 3, 1)), auditor)
    audit.grade = next(g for g in round_.scale.grades if g.label == grade)
    audit.submitted_at = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    if action is not None:
        text, owner, due, age = action
        agreed = datetime.combine(TODAY - timedelta(days=age), datetime.min.time(), UTC).replace(hour=12)
        audit.actions.append(AuditAction(description=text, owner=owner, due_on=due, created_at=agreed,
                                         done_on=TODAY if done else None))
    db.session.commit()
    return audit


@pytest.fixture
def w(org: dict[str, Any]) -> dict[str, Any]:
    """Q4 2026 "Neglect" (Ofsted scale, both services) and Q3 2026 "Voice of the child" (a two-grade scale, Youth
    Justice): North graded Good with an action open 30 days and overdue, a second North case Requires
    improvement, South Inadequate with its action done, Youth Justice "Not met" with an action open 5 days."""
    csc, yj = org["services"]
    neglect = audit_round(scale(), [csc, yj])
    voice = audit_round(scale("Met or not", ("Met", "Not met")), [yj], theme="Voice of the child", quarter=3)
    auditor = org["south_manager"]
    _submitted(neglect, "N-F-1", org["worker"], auditor, "Good",
               ("MARK-north plan review", org["team_manager"], date(2026, 11, 6), 30))
    _submitted(neglect, "N-F-2", org["worker"], auditor, "Requires improvement")
    _submitted(neglect, "S-F-1", org["south_worker"], org["team_manager"], "Inadequate",
               ("MARK-south chronology", org["south_manager"], date(2026, 11, 30), 12), done=True)
    _submitted(voice, "Y-F-1", org["yj_worker"], org["team_manager"], "Not met",
               ("MARK-yj voice work", org["yj_worker"], date(2026, 12, 20), 5))
    # An audit not yet submitted counts nowhere, nor do its actions.
    draft = case_audit(neglect, factories.case("N-F-3", "CIN", False, org["worker"], date(2026, 3, 1)), auditor)
    draft.actions.append(AuditAction(description="MARK-draft", owner=org["worker"], due_on=date(2026, 12, 1)))
    db.session.commit()
    return {**org, "neglect": neglect, "voice": voice}


def _grades(page: str, caption: str) -> str:
    start = page.index(caption)
    return page[start:page.index("</table>", start)]


def test_qait_see_every_rounds_grades_by_service_and_every_open_action_longest_open_first(w, as_role):
    page = as_role("qait").get(URL).get_data(as_text=True)
    neglect = _grades(page, "Q4 2026: Neglect (Ofsted judgements)")
    assert "Children&#39;s Social Care" in neglect and "Youth Justice" not in neglect  # no YJ case in Neglect
    # Children's Social Care: Outstanding 0, Good 1, Requires improvement 1, Inadequate 1, 3 audits.
    row = neglect[neglect.index("Children&#39;s Social Care"):]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:5]] == ["0", "1", "1", "1", "3"]
    voice = _grades(page, "Q3 2026: Voice of the child (Met or not)")
    assert "Youth Justice" in voice and "Not met" in voice
    assert page.index("Q4 2026: Neglect") < page.index("Q3 2026: Voice")  # newest round first
    assert "2 open actions, 1 past the due date, the longest open for 30 days, longest open first." in page
    assert page.index("MARK-north plan review") < page.index("MARK-yj voice work")
    assert "MARK-south chronology" not in page and "MARK-draft" not in page  # done; not submitted
    assert "Overdue" in page and "N-F-1" in page and "Tia Manager" in page


def test_managers_see_only_the_teams_in_their_reach(w, as_role):
    service_manager = as_role("service_manager").get(URL).get_data(as_text=True)
    assert "Q4 2026: Neglect" in service_manager and "Q3 2026: Voice" not in service_manager
    assert "MARK-north plan review" in service_manager and "MARK-yj" not in service_manager
    north = as_role("team_manager").get(URL).get_data(as_text=True)
    row = _grades(north, "Q4 2026: Neglect")
    assert [cell.split(">")[-1] for cell in row[row.index("Children&#39;s Social Care"):].split("</td>")[:5]] \
        == ["0", "1", "1", "0", "2"]  # North's two audits only
    assert "MARK-north plan review" in north
    south = as_role("south_manager").get(URL).get_data(as_text=True)
    assert "MARK-north" not in south and "No remedial action is open." in south
    assert "Inadequate" in _grades(south, "Q4 2026: Neglect")


@pytest.mark.parametrize("role", ["worker", "admin", "south_worker"])
def test_workers_and_admins_read_no_findings(w, as_role, role):
    assert as_role(role).get(URL).status_code == 403


def test_the_menu_offers_the_page_to_managers_and_qait(w, as_role):
    assert f'href="{URL}"' in as_role("service_manager").get("/").get_data(as_text=True)
    assert f'href="{URL}"' not in as_role("worker").get("/").get_data(as_text=True)


def test_a_service_narrows_the_page(w, as_role):
    yj = w["services"][1]
    page = as_role("qait").get(f"{URL}?service={yj.id}").get_data(as_text=True)
    assert "Q3 2026: Voice" in page and "Q4 2026: Neglect" not in page
    assert "MARK-yj voice work" in page and "MARK-north" not in page


@pytest.mark.parametrize("value", ["abc", "999999", "99999999999999999999"])
def test_a_service_not_in_the_list_is_a_message_next_to_the_filter(w, as_role, value):
    response = as_role("qait").get(f"{URL}?service={value}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose a service from the list" in page
    assert "MARK-north plan review" in page  # every service is shown meanwhile


def test_a_service_out_of_reach_shows_nothing_of_it(w, as_role):
    yj = w["services"][1]
    response = as_role("service_manager").get(f"{URL}?service={yj.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose a service from the list" in page
    assert "MARK-yj" not in page and "Voice of the child" not in page


def test_the_workbook_holds_the_grades_by_round_and_the_open_actions(w, as_role):
    response = as_role("qait").get(f"{URL}.xlsx")
    assert response.status_code == 200
    assert 'filename="audit-findings.xlsx"' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    grades = [row for row in book["Grades by round"].iter_rows(values_only=True)]
    assert grades[0] == ("Round", "Theme", "Year", "Quarter", "Service", "Overall grade", "Audits")
    assert ("Q4 2026: Neglect", "Neglect", 2026, 4, "Children's Social Care", "Good", 1) in grades
    assert ("Q3 2026: Voice of the child", "Voice of the child", 2026, 3, "Youth Justice", "Not met", 1) in grades
    actions = [row for row in book["Open actions"].iter_rows(values_only=True)]
    assert [row[1] for row in actions[1:]] == ["N-F-1", "Y-F-1"]
    first = actions[1]
    assert first[3] == "MARK-north plan review" and first[4] == "Tia Manager"
    assert first[5] == datetime(2026, 11, 6) and first[6] is True and first[7] == 30
    # A service manager's workbook holds only their reach.
    theirs = openpyxl.load_workbook(io.BytesIO(as_role("service_manager").get(f"{URL}.xlsx").data))
    assert [row[1] for row in theirs["Open actions"].iter_rows(min_row=2, values_only=True)] == ["N-F-1"]

"""The month's returns as XLSX and CSV (issue 13 item 5), read back with openpyxl and csv: typed cells, the
header row kept in view, column widths, one sheet per view; a submitted return's frozen figures however the
records change afterwards; formulas neutralised; bad months answered 400 in plain words; QAIT only."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.returns import services as returns
from tests import factories
from tests.returns.worked import MONTH, TODAY, build_march

HYPERLINK = '=HYPERLINK("http://x","y")'
XLSX = "/returns/export.xlsx?month=2026-03"


@pytest.fixture
def march(org):
    """North submitted on 2 April with commentary that tries a formula; South has a draft with a note; Youth
    Justice has not started."""
    with dates.freeze(TODAY):
        build_march(org)
    with dates.freeze(date(2026, 4, 2)):
        north = returns.start(org["teams"]["north"], MONTH, org["team_manager"], dates.today())
        returns.save_draft(north, "+SUM(1,2) team note", {org["worker"].id: HYPERLINK})
        returns.submit(north, org["team_manager"], dates.today())
        south = returns.start(org["teams"]["south"], MONTH, org["south_manager"], dates.today())
        returns.save_draft(south, "Not sent yet", {org["south_worker"].id: "Draft words"})
        db.session.commit()
    with dates.freeze(TODAY):
        yield org


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="returns-2026-03.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def records(sheet):
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in rows]


def csv_rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_workbook_has_a_sheet_per_view_with_its_header_in_view(as_role, march):
    book = workbook(as_role("qait").get(XLSX))
    assert book.sheetnames == ["Workers", "Teams", "Services"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width >= 20 and sheet.column_dimensions["B"].width >= 8
    assert [c.value for c in next(book["Workers"].iter_rows())] == [
        "service", "team", "month", "status", "due_on", "submitted_at", "on_time", "worker_name", "worker_email",
        "cases_open", "cases_in_timescale", "pct_in_timescale", "case_supervisions", "personal_last_on",
        "personal_state", "filed_late", "not_filed", "commentary"]


def test_cells_are_typed(as_role, march):
    book = workbook(as_role("qait").get(XLSX))
    wren = records(book["Workers"])[0]
    assert wren["team"].value == "Family Safeguarding North" and wren["worker_email"].value == "worker@example.org"
    assert wren["month"].value == datetime(2026, 3, 1) and wren["month"].number_format == "mmm yyyy"
    assert wren["due_on"].value == datetime(2026, 4, 7) and wren["due_on"].is_date
    assert wren["submitted_at"].is_date and wren["submitted_at"].value.date() == date(2026, 4, 2)
    assert wren["on_time"].value is True
    assert (wren["cases_open"].value, wren["cases_in_timescale"].value, wren["pct_in_timescale"].value) == (3, 2, 66.7)
    assert wren["pct_in_timescale"].data_type == "n" and wren["cases_open"].data_type == "n"
    assert wren["personal_last_on"].value == datetime(2026, 3, 20) and wren["personal_state"].value == "ok"
    assert wren["commentary"].value == "'" + HYPERLINK and wren["commentary"].data_type == "s"


def test_submitted_rows_stay_frozen_and_others_are_live_without_draft_words(as_role, march):
    factories.close_case(db.session.scalar(select(Case).where(Case.case_ref == "N-2")), date(2026, 3, 25))
    book = workbook(as_role("qait").get(XLSX))
    workers = {row["worker_email"].value: row for row in records(book["Workers"])}
    assert (workers["worker@example.org"]["cases_open"].value, workers["worker@example.org"]["status"].value) == (
        3, "submitted")
    sid = workers["south.worker@example.org"]
    assert (sid["team"].value, sid["status"].value, sid["commentary"].value, sid["submitted_at"].value) == (
        "Family Safeguarding South", "draft", None, None)
    assert workers["yj.worker@example.org"]["personal_state"].value == "absent"
    teams = {row["team"].value: row for row in records(book["Teams"])}
    north = teams["Family Safeguarding North"]
    assert (north["cases_open"].value, north["cases_in_timescale"].value, north["pct_in_timescale"].value) == (
        3, 2, 66.7)
    assert north["team_commentary"].value == "'+SUM(1,2) team note"
    assert teams["Family Safeguarding South"]["team_commentary"].value is None
    assert teams["Youth Justice Team"]["status"].value == "not_started"
    assert teams["Youth Justice Team"]["working_days_late"].value == 6  # 8 to 15 April
    services = {row["service"].value: row for row in records(book["Services"])}
    assert services["Children's Social Care"]["cases_open"].value == 4  # North as submitted (3), South live (1)
    assert services["Children's Social Care"]["submitted"].value == 1
    assert services["All services"]["teams"].value == 3 and services["All services"]["late"].value == 2


def test_csv_views_neutralise_formulas(as_role, march):
    client = as_role("qait")
    workers = csv_rows(client.get("/returns/export.csv?month=2026-03"))
    wren = workers[0]
    assert wren["commentary"] == "'" + HYPERLINK
    assert (wren["month"], wren["due_on"], wren["on_time"], wren["pct_in_timescale"]) == (
        "2026-03", "2026-04-07", "true", "66.7")
    assert wren["submitted_at"].startswith("2026-04-02 ")
    teams = csv_rows(client.get("/returns/export.csv?month=2026-03&view=teams"))
    assert [row["team"] for row in teams] == ["Family Safeguarding North", "Family Safeguarding South",
                                              "Youth Justice Team"]
    assert teams[0]["team_commentary"] == "'+SUM(1,2) team note"
    services = csv_rows(client.get("/returns/export.csv?month=2026-03&view=services"))
    assert [row["service"] for row in services] == ["Children's Social Care", "Youth Justice", "All services"]


def test_one_service(as_role, march):
    youth = march["services"][1]
    rows = csv_rows(as_role("qait").get(f"/returns/export.csv?month=2026-03&view=teams&service={youth.id}"))
    assert [row["team"] for row in rows] == ["Youth Justice Team"]


@pytest.mark.parametrize(("query", "status", "words"), [
    ("month=2026-13", 400, "month: Give a real month"), ("month=2026-1", 400, "month: Give a month as YYYY-MM"),
    ("month=2026-04", 400, "April 2026 has not ended yet"), ("month=2027-01", 400, "has not ended yet"),
    ("month=2026-03&service=abc", 400, "service:"), ("month=2026-03&service=99999999999", 400, "service:"),
    ("month=2026-03&service=999999", 404, "no service has that id"),
])
def test_bad_queries_answer_in_plain_words(as_role, march, query, status, words):
    client = as_role("qait")
    for path in ("/returns/export.xlsx", "/returns/export.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status and response.mimetype == "text/plain"
        assert words in response.get_data(as_text=True)
    view = client.get("/returns/export.csv?month=2026-03&view=everything")
    assert view.status_code == 400 and "view:" in view.get_data(as_text=True)


def test_without_a_month_the_last_month_ended(as_role, march):
    response = as_role("qait").get("/returns/export.csv?view=teams")
    assert csv_rows(response)[0]["month"] == "2026-03"


@pytest.mark.parametrize("role", ["team_manager", "service_manager", "worker", "admin"])
def test_only_qait_exports(as_role, march, role):
    client = as_role(role)
    assert client.get(XLSX).status_code == 403
    assert client.get("/returns/export.csv?month=2026-03").status_code == 403

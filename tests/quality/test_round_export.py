"""QAIT's round as a workbook (issue 14 item 5), read back with openpyxl as Excel would: the audits with their
status and grades, the remedial actions with their age, the grades by service; typed cells, a frozen header, and
a formula typed as an action neutralised."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from teamops import dates
from teamops.extensions import db
from teamops.quality.audit_models import AuditAction
from tests.conftest import Client, sign_in
from tests.quality.rounds_world import TODAY, World, audit, build, make_round


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


def _client(app: Flask, person: Any) -> Client:
    client: Client = app.test_client()  # type: ignore[assignment]
    sign_in(client, person)
    return client


def test_qait_downloads_the_round_and_excel_reads_it(app: Flask, world: World) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world)
        done = audit(round_, "NORTH-CP-1", world.managers["south"], submitted=True, grade=2)
        audit(round_, "SOUTH-CP-1", world.managers["east"], due_on=TODAY - timedelta(days=1))  # overdue
        db.session.add_all([
            AuditAction(audit=done, description="=HYPERLINK(\"http://x\",\"Click\")", owner=world.managers["north"],
                        due_on=date(2026, 3, 1), created_at=datetime(2026, 2, 3, 12, tzinfo=dates.UTC)),
            AuditAction(audit=done, description="Record the child's wishes", owner=world.workers["north"],
                        due_on=date(2026, 2, 20), done_on=date(2026, 2, 9))])
        db.session.commit()
        answer = _client(app, world.qait).get(f"/quality/audits/rounds/{round_.id}/export.xlsx")
        assert _client(app, world.managers["north"]).get(
            f"/quality/audits/rounds/{round_.id}/export.xlsx").status_code == 403
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == f'attachment; filename="audit-round-{round_.id}.xlsx"'
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["Audits", "Actions", "Grades by service"]
    audits_sheet = book["Audits"]
    assert audits_sheet.freeze_panes == "A2"
    rows = {row[1]: row for row in audits_sheet.iter_rows(min_row=2, values_only=True)}
    north = rows["NORTH-CP-1"]
    assert north[0] == "Q1 2026: Management oversight" and north[3] == "North Team"
    assert north[4] == "South Manager" and north[7] == "submitted" and north[9] == "Good" and north[10] == 1
    assert isinstance(north[6], datetime) and north[6].date() == date(2026, 3, 31)  # a date cell
    assert rows["SOUTH-CP-1"][7] == "overdue" and rows["SOUTH-CP-1"][8] is None
    actions = list(book["Actions"].iter_rows(min_row=2, values_only=True))
    formula = next(row for row in actions if "HYPERLINK" in str(row[2]))
    assert formula[2].startswith("'=") and formula[6] == 7  # open since 3 February: 7 days on 10 February
    done_row = next(row for row in actions if row[2] == "Record the child's wishes")
    assert done_row[5].date() == date(2026, 2, 9) and done_row[6] is None
    grades = list(book["Grades by service"].iter_rows(values_only=True))
    assert grades[0][0] == "Service" and "Good" in grades[0]
    assert grades[1][0] == "Children's Social Care" and grades[1][grades[0].index("Good")] == 1 and grades[1][-1] == 1

"""Issue 7, item 5: no CSV cell TeamOps writes can run as a spreadsheet formula (OWASP "CSV Injection").

Names come from HR spreadsheets, so a name such as ``=HYPERLINK(...)`` is the attack, not a typing mistake.
The CSV is read back with Python's csv module, as Excel splits it into cells.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from teamops import ROOT
from teamops.spreadsheets import csv_text, formula_safe
from tests.api.conftest import csv_dicts

AS_OF = "as_of=2026-03-10"
HYPERLINK = '=HYPERLINK("http://x","y")'
TEAM_NAMES = ["+SUM(1,2)", "@cmd", "-2+3", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
HARMLESS = ("Family Safeguarding North", "Ann O'Neil", "2026-03-10", "true", "")


@pytest.fixture
def hostile(make, org):
    """A person whose name is a formula, one whose e-mail starts like one, and a member with a case in each
    team whose name is a formula."""
    service = org["services"][0]
    make.staff(team=org["teams"]["north"], email="link@example.org", name=HYPERLINK, job_role="@SUM(A1:A9)",
               start_date=date(2024, 1, 8))
    make.staff(team=org["teams"]["north"], email="-2+3@example.org", name="Minus Email",
               start_date=date(2024, 1, 8))
    for n, name in enumerate(TEAM_NAMES):
        team = make.team(name, service)
        member = make.staff(team=team, email=f"member{n}@example.org", name=f"Member {n}",
                            start_date=date(2024, 1, 8))
        make.case(f"F-{n}", "CIN", False, member, date(2026, 1, 5))


def starts_like_a_formula(cell: str) -> bool:
    return cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("endpoint", ["teams", "staff", "cases"])
def test_no_cell_starts_like_a_formula(bearer, hostile, endpoint):
    rows = csv_dicts(bearer("qait").get(f"/api/v1/{endpoint}?{AS_OF}&format=csv"))
    assert rows and all(not starts_like_a_formula(cell) for row in rows for cell in row.values())


def test_formula_cells_get_a_quote_and_keep_their_text(bearer, hostile):
    client = bearer("admin")
    teams = [row["team"] for row in csv_dicts(client.get("/api/v1/teams?format=csv"))]
    for name in TEAM_NAMES:
        assert "'" + name in teams
    staff = {row["email"]: row for row in csv_dicts(client.get(f"/api/v1/staff?{AS_OF}&format=csv"))}
    assert staff["link@example.org"]["name"] == "'" + HYPERLINK
    assert staff["link@example.org"]["job_role"] == "'@SUM(A1:A9)"
    assert "'-2+3@example.org" in staff
    assert {staff[f"member{n}@example.org"]["team"] for n in range(len(TEAM_NAMES))} == {
        "'" + name for name in TEAM_NAMES}
    # Ordinary cells, dates and booleans are untouched.
    assert staff["worker@example.org"]["name"] == "Wren Worker"
    assert staff["worker@example.org"]["start_date"] == "2020-01-06"
    assert staff["worker@example.org"]["in_induction"] == "false"
    cases = csv_dicts(bearer("qait").get(f"/api/v1/cases?{AS_OF}&format=csv"))  # admins see no cases
    assert {row["team"] for row in cases} == {"'" + name for name in TEAM_NAMES}


def test_json_keeps_the_names_as_they_are(bearer, hostile):
    client = bearer("admin")
    teams = [item["team"] for item in client.get("/api/v1/teams").get_json()["items"]]
    assert set(TEAM_NAMES) <= set(teams)
    staff = {item["email"]: item for item in client.get(f"/api/v1/staff?{AS_OF}").get_json()["items"]}
    assert staff["link@example.org"]["name"] == HYPERLINK
    assert "-2+3@example.org" in staff


@pytest.mark.parametrize("text", [HYPERLINK, *TEAM_NAMES, "-1", "+44 20 7946 0000", "@"])
def test_text_that_starts_like_a_formula_is_quoted(text):
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", (*HARMLESS, " =1+1", "a=b", "O'Brien-Smith"))
def test_other_text_is_left_alone(text):
    assert formula_safe(text) == text


def test_numbers_stay_numbers_even_when_negative():
    assert csv_text([["count", "change"], [3, -2], ["-2", -0.5]]) == "count,change\r\n3,-2\r\n'-2,-0.5\r\n"


def test_every_csv_writer_is_the_formula_safe_one():
    """A new export that calls csv.writer itself would skip the rule: only teamops/spreadsheets.py may."""
    writers = [path.relative_to(ROOT).as_posix() for path in Path(ROOT, "teamops").rglob("*.py")
               if "csv.writer" in path.read_text(encoding="utf-8") or "DictWriter" in path.read_text(encoding="utf-8")]
    assert writers == ["teamops/spreadsheets.py"]

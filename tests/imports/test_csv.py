"""The shape of an import file (CONTRACT.md "CSV imports"): UTF-8 with or without a BOM, a header row, columns
in any order, blank lines skipped, unknown or missing columns named. Checked through the real command."""

from __future__ import annotations

import pytest

from tests.imports.conftest import database_state, person, problem_keys, problem_lines

HEADER = "email,name,team,job_role,employment_type,start_date"
ROW = "new.person@example.org,Zoë Ní Bhriain,Family Safeguarding North,Social worker,permanent,2024-01-08"

pytestmark = pytest.mark.usefixtures("org")


def imported_name() -> str | None:
    new = person("new.person@example.org")
    return new.name if new is not None else None


def test_a_plain_utf8_file_imports(import_cli):
    result = import_cli("staff", f"{HEADER}\n{ROW}\n")
    assert result.exit_code == 0, result.output
    assert imported_name() == "Zoë Ní Bhriain"


def test_a_byte_order_mark_is_accepted(import_cli):
    result = import_cli("staff", b"\xef\xbb\xbf" + f"{HEADER}\n{ROW}\n".encode())
    assert result.exit_code == 0, result.output
    assert imported_name() == "Zoë Ní Bhriain"


def test_windows_line_endings_and_no_final_newline_are_fine(import_cli):
    result = import_cli("staff", f"{HEADER}\r\n{ROW}")
    assert result.exit_code == 0, result.output
    assert imported_name() == "Zoë Ní Bhriain"


def test_columns_may_come_in_any_order(import_cli):
    text = ("start_date,role,team,email,employment_type,name,job_role\n"
            "2024-01-08,team_manager,Family Safeguarding South,new.person@example.org,agency,Pat Reordered,"
            "Team manager\n")
    result = import_cli("staff", text)
    assert result.exit_code == 0, result.output
    new = person("new.person@example.org")
    assert new is not None
    assert (new.name, new.team.name, new.role, new.employment_type, new.job_role) == (
        "Pat Reordered", "Family Safeguarding South", "team_manager", "agency", "Team manager")


def test_header_names_ignore_case_and_surrounding_spaces(import_cli):
    result = import_cli("staff", f"Email, Name ,TEAM,Job_Role,employment_type,start_date\n{ROW}\n")
    assert result.exit_code == 0, result.output
    assert imported_name() == "Zoë Ní Bhriain"


def test_blank_lines_are_skipped_and_still_counted_in_line_numbers(import_cli):
    text = f"\n{HEADER}\n\n,,,,,\n{ROW}\n \n\nbad@example.org,Bad,Nowhere,Social worker,permanent,2024-01-08\n\n"
    result = import_cli("staff", text)
    assert result.exit_code == 1
    assert problem_keys(result) == {(8, "team")}

    result = import_cli("staff", f"\n{HEADER}\n\n,,,,,\n{ROW}\n \n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("created 1, updated 0, unchanged 0")


def test_quoted_cells_may_hold_commas_and_line_breaks(import_cli):
    text = (f"{HEADER}\n"
            '"quoted@example.org","Smith, Jo",Family Safeguarding North,"Social worker\nand mentor",permanent,'
            "2024-01-08\n"
            "late@example.org,Late Row,Family Safeguarding North,Social worker,permanent,2026-02-30\n")
    result = import_cli("staff", text)
    assert problem_keys(result) == {(4, "start_date")}

    result = import_cli("staff", text.replace("2026-02-30", "2026-02-27"))
    assert result.exit_code == 0, result.output
    quoted = person("quoted@example.org")
    assert quoted is not None and (quoted.name, quoted.job_role) == ("Smith, Jo", "Social worker\nand mentor")


def test_a_problem_in_a_record_that_spans_lines_is_reported_on_its_first_line(import_cli):
    text = (f"{HEADER}\n"
            '"bad.date@example.org",Bad Date,Family Safeguarding North,"Social worker\nand\nmentor",permanent,'
            "2026-02-30\n")
    result = import_cli("staff", text)
    assert problem_keys(result) == {(2, "start_date")}


def test_an_unknown_column_is_named(import_cli):
    before = database_state()
    result = import_cli("staff", f"{HEADER},favourite_colour\n{ROW},green\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, "favourite_colour")}
    assert database_state() == before


def test_a_misspelt_column_is_named_as_unknown_and_the_required_one_as_missing(import_cli):
    before = database_state()
    result = import_cli("staff", f"{HEADER.replace('start_date', 'startdate')}\n{ROW}\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, "startdate"), (1, "start_date")}
    [unknown] = [line for line in problem_lines(result) if "startdate:" in line]
    assert "unknown" in unknown.lower()
    [missing] = [line for line in problem_lines(result) if "start_date:" in line]
    assert "missing" in missing.lower()
    assert database_state() == before


@pytest.mark.parametrize("column", ["email", "name", "team", "job_role", "employment_type", "start_date"])
def test_each_missing_required_column_is_named(import_cli, column):
    columns = HEADER.split(",")
    keep = [i for i, name in enumerate(columns) if name != column]
    header = ",".join(columns[i] for i in keep)
    row = ",".join(ROW.split(",")[i] for i in keep)
    result = import_cli("staff", f"{header}\n{row}\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, column)}
    assert "missing" in problem_lines(result)[0].lower()


def test_optional_columns_may_be_left_out(import_cli):
    result = import_cli("staff", f"{HEADER}\n{ROW}\n")
    assert result.exit_code == 0, result.output


def test_a_column_given_twice_is_refused(import_cli):
    result = import_cli("staff", f"{HEADER},name\n{ROW},Other Name\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, "name")}


def test_a_row_with_more_cells_than_the_header_is_refused(import_cli):
    result = import_cli("staff", f"{HEADER}\n{ROW},surprise\n")
    assert result.exit_code == 1
    assert {line for line, _ in problem_keys(result)} == {2}


def test_a_short_row_reports_its_missing_cells(import_cli):
    result = import_cli("staff", f"{HEADER}\nnew.person@example.org,Short Row,Family Safeguarding North\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(2, "job_role"), (2, "employment_type"), (2, "start_date")}


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(import_cli):
    before = database_state()
    result = import_cli("staff", f"{HEADER}\n{ROW}\n".encode("cp1252"))
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert "UTF-8" in line
    assert database_state() == before


def test_a_binary_file_is_refused(import_cli):
    result = import_cli("staff", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    assert result.exit_code == 1
    assert len(problem_lines(result)) == 1


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_is_refused(import_cli, content):
    result = import_cli("staff", content)
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert "empty" in line


@pytest.mark.parametrize("kind", ["teams", "staff", "cases", "supervisions"])
def test_a_file_with_only_a_header_imports_nothing_and_succeeds(import_cli, kind):
    """No row is invalid, so it is no error: an export of a team with nothing to move yet imports nothing."""
    from teamops.imports.services import KINDS

    before = database_state()
    result = import_cli(kind, ",".join(KINDS[kind].required) + "\n\n")
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == []
    assert result.stdout.strip().endswith("created 0, updated 0, unchanged 0")
    assert database_state() == before


def test_a_header_only_file_still_needs_its_required_columns(import_cli):
    result = import_cli("staff", "email,name\n")
    assert result.exit_code == 1
    assert problem_keys(result) == {(1, "team"), (1, "job_role"), (1, "employment_type"), (1, "start_date")}


def test_cells_are_trimmed(import_cli):
    result = import_cli("staff", f"{HEADER}\n  New.Person@example.org ,  Trim Me  ,Family Safeguarding North , "
                                 "Social worker,permanent , 2024-01-08 \n")
    assert result.exit_code == 0, result.output
    new = person("new.person@example.org")
    assert new is not None and new.name == "Trim Me"

"""Issue 7, item 8: an upload cannot make the preview use gigabytes. A header wider than TeamOps reads is one
problem, found before anything is built per column; so is an upload of more rows than a page reads; the page
lists the first 200 problems and counts the rest; the command line still prints every one (CONTRACT.md)."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from teamops.imports.csvfile import MAX_COLUMNS
from teamops.imports.routes import PREVIEW_PROBLEMS, UPLOAD_ROWS
from tests.imports.conftest import case_row, cases_csv, person, problem_lines, staff_csv, staff_row
from tests.imports.test_upload import URL
from tests.imports.test_upload_managers import problems

pytestmark = pytest.mark.usefixtures("fixed_today")

BAD_ROWS = 5000
# Each kind as the role that imports it, with a file of BAD_ROWS rows that have one problem each.
AS = {"admin": "staff", "team_manager": "cases"}


def upload(client: Any, text: str, kind: str) -> Any:
    """Posts the file encoded in memory: the test client would spool a body over 500 KB to a temporary file it
    never closes."""
    file = FileStorage(io.BytesIO(text.encode()), filename="big.csv")
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "kind": kind, "file": file})
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def bad_file(kind: str) -> str:
    if kind == "staff":
        return staff_csv(*(staff_row(f"not-an-address-{n}") for n in range(BAD_ROWS)))
    return cases_csv(*(case_row(f"C-{n}", case_type="XX") for n in range(BAD_ROWS)))


def wide_header(columns: int) -> str:
    return ",".join(f"column{n}" for n in range(columns)) + "\n" + "x," * 3 + "\n"


@pytest.mark.parametrize("role", sorted(AS))
def test_a_file_a_hundred_thousand_columns_wide_is_one_problem(as_role, role):
    client = as_role(role)
    started = time.perf_counter()
    response = upload(client, wide_header(100_000), kind=AS[role])
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert problems(page) == [(1, "file", f"The file has 100,000 columns; TeamOps reads at most {MAX_COLUMNS}")]
    assert "Nothing was imported: 1 problem found" in page
    assert len(page) < 50_000
    assert elapsed < 5  # seconds, on a busy test machine; it takes a fraction of one


def test_the_widest_header_read_is_checked_column_by_column(as_role):
    response = upload(as_role("admin"), wide_header(MAX_COLUMNS), kind="staff")
    assert response.status_code == 400
    found = problems(response.get_data(as_text=True))
    unknown = [column for _, column, message in found if message.startswith("Unknown column")]
    assert unknown == [f"column{n}" for n in range(MAX_COLUMNS)]
    assert not any(column == "file" for _, column, _ in found)


def test_empty_cells_after_the_last_column_do_not_count(as_role):
    """Spreadsheets save trailing commas after the last column they ever formatted."""
    text = staff_csv(staff_row("new.one@example.org", name="New One")).replace("\n", "," * 200 + "\n")
    response = upload(as_role("admin"), text, kind="staff")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert "1 to create" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(AS))
def test_the_page_lists_the_first_problems_and_counts_the_rest(as_role, role):
    response = upload(as_role(role), bad_file(AS[role]), kind=AS[role])

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    listed = problems(page)
    assert len(listed) == PREVIEW_PROBLEMS == 200
    assert [line for line, _, _ in listed] == list(range(2, 202))  # the first ones, in file order
    assert "Nothing was imported: 5,000 problems found" in page
    assert "…and 4,800 more problems not listed here" in page
    assert len(page) < 150_000


def test_rows_with_stray_cells_are_counted_past_the_limit_too(as_role):
    text = staff_csv(*(staff_row(f"person{n}@example.org") for n in range(BAD_ROWS))).replace("\n", ",x\n")
    text = text.replace(",x\n", "\n", 1)  # the header has no stray cell
    response = upload(as_role("admin"), text, kind="staff")
    page = response.get_data(as_text=True)
    assert len(problems(page)) == 200
    assert "…and 4,800 more problems" in page and len(page) < 150_000


def test_an_upload_of_more_rows_than_a_page_reads_is_one_problem(as_role):
    header = "email,name,team,job_role,employment_type,start_date\n"
    started = time.perf_counter()
    response = upload(as_role("admin"), header + "a,,,,,\n" * (UPLOAD_ROWS + 1), kind="staff")
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == [
        (UPLOAD_ROWS + 2, "file", f"The file has more than {UPLOAD_ROWS:,} rows; TeamOps reads at most "
                                  f"{UPLOAD_ROWS:,} from an upload. Split it and import the parts in turn")]
    assert elapsed < 10  # seconds; the rows are only read, not checked


@pytest.mark.usefixtures("org")
def test_the_command_line_still_prints_every_problem(import_cli):
    result = import_cli("staff", bad_file("staff"))
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert len(lines) == BAD_ROWS
    assert lines[0] == "line 2: email: 'not-an-address-0' is not an e-mail address"
    assert lines[-1] == f"line {BAD_ROWS + 1}: email: 'not-an-address-{BAD_ROWS - 1}' is not an e-mail address"
    assert f"{BAD_ROWS} problem(s) found: nothing was imported." in result.output
    assert person("not-an-address-0") is None


@pytest.mark.usefixtures("org")
def test_the_command_line_refuses_a_wide_header_in_one_line(import_cli):
    result = import_cli("staff", wide_header(100_000))
    assert result.exit_code == 1
    assert problem_lines(result) == [f"line 1: file: The file has 100,000 columns; TeamOps reads at most {MAX_COLUMNS}"]

"""Reading an import CSV: UTF-8 (BOM accepted), a header row, columns in any order, blank lines skipped.

Line numbers are the file's own, as a text editor shows them: blank lines count, and a record whose quoted
cell spans several lines is reported on the line where it starts.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        return None, Problem(line, "file", "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again")
    if "\x00" in text:
        return None, Problem(1, "file", "The file is not a CSV text file")
    return text, None


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[list[Row], list[Problem]]:
    """Rows with their line numbers, or the problems with the file's shape (encoding, header, stray cells)."""
    text, problem = _decode(data)
    if text is None:
        return [], [problem] if problem else []
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            if not _blank(cells):
                records.append((previous + 1, cells))
            previous = reader.line_num
    except csv.Error as error:
        return [], [Problem(previous + 1, "file", f"The file cannot be read as CSV ({error})")]
    if not records:
        return [], [Problem(1, "file", "The file is empty: it needs a header row")]

    header_line, header = records[0]
    columns = [name.strip().lower() for name in header]
    known = required + optional
    problems = [Problem(header_line, name, "Unknown column: the columns are " + ", ".join(known))
                for name in columns if name and name not in known]
    problems += [Problem(header_line, name, "Required column is missing") for name in required if name not in columns]
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            problems.append(Problem(header_line, name, "Column appears twice"))
        seen.add(name)
    if problems:
        return [], problems

    # Columns without a header (a trailing comma, say) are ignored as long as they hold nothing.
    named = [(i, name) for i, name in enumerate(columns) if name]
    rows: list[Row] = []
    for line, cells in records[1:]:
        stray = [i + 1 for i, cell in enumerate(cells) if cell.strip() and (i >= len(columns) or not columns[i])]
        if stray:
            problems.append(Problem(line, "row", f"Has a value in column {stray[0]}, which has no header"))
            continue
        rows.append(Row(line, {name: (cells[i].strip() if i < len(cells) else "") for i, name in named}))
    # A header with no rows under it is a valid, empty import (an export of a team with nothing to move yet).
    return rows, problems

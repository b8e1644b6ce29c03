"""Reading an import CSV: UTF-8 (BOM accepted), a header row, columns in any order, blank lines skipped."""

from __future__ import annotations

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


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[list[Row], list[Problem]]:
    """Rows with their line numbers, or the problems with the file's shape (encoding, header)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(1, "file", "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again")]
    if "\x00" in text:
        return [], [Problem(1, "file", "The file is not a CSV text file")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(1, "file", "The file is empty: it needs a header row")]
    except csv.Error as error:
        return [], [Problem(1, "file", f"The file cannot be read as CSV ({error})")]
    columns = [name.strip().lower() for name in header]
    problems = [Problem(1, name or "(blank)", "Unknown column: the columns are " + ", ".join(required + optional))
                for name in columns if name not in required + optional]
    problems += [Problem(1, name, "Required column is missing") for name in required if name not in columns]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.append(Problem(1, name, "Column appears twice"))
        seen.add(name)
    if problems:
        return [], problems
    rows: list[Row] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                message = f"Has {len(cells)} cells but the header has {len(columns)}"
                problems.append(Problem(reader.line_num, "row", message))
                continue
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}
            rows.append(Row(reader.line_num, values))
    except csv.Error as error:
        problems.append(Problem(reader.line_num, "file", f"The file cannot be read as CSV ({error})"))
    if not rows and not problems:
        problems.append(Problem(2, "file", "The file has a header row but no data"))
    return rows, problems

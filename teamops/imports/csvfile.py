"""Reading an import CSV: UTF-8 (BOM accepted), a header row, columns in any order, blank lines skipped.

Line numbers are the file's own, as a text editor shows them: blank lines count, and a record whose quoted
cell spans several lines is reported on the line where it starts.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace

from teamops.dates import month_first_reading

# The widest import has 8 columns; a header far wider is a wrong file or an attack (a million columns in 5 MB),
# refused before anything is built per column.
MAX_COLUMNS = 50


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


class Problems:
    """The problems found in a file, in the order found.

    The command line lists every one (CONTRACT.md). The upload page shows only the first ``limit``: a 5 MB file
    can hold 870,000 bad rows, and a Problem kept for each would cost gigabytes of memory and a page of hundreds
    of megabytes. Beyond ``limit`` a problem is only counted, so ``found`` is always the true number.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.found = 0

    def append(self, problem: Problem) -> None:
        self.found += 1
        if self.limit is None or len(self.kept) < self.limit:
            self.kept.append(problem)

    @property
    def more(self) -> int:
        """How many were found but not kept."""
        return self.found - len(self.kept)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept)

    def __bool__(self) -> bool:
        return self.found > 0


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]
    # A date elsewhere in the file that only reads month first (US order), "12/31/2026", with its line: then a
    # date like 03/12/2026 could be read two ways, and is refused (issue 10 item 14).
    month_first: tuple[int, str] | None = None


def _decode(data: bytes) -> str | Problem:
    """The file's text, or the problem that it is not UTF-8 text."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        return Problem(line, "file", "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again")
    if "\x00" in text:
        return Problem(1, "file", "The file is not a CSV text file")
    return text


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _columns(line: int, header: list[str], required: tuple[str, ...], optional: tuple[str, ...],
             problems: Problems) -> list[str] | None:
    """The header's column names (lower case; blank for an unnamed column), or None after adding its problems.

    The width is checked first, so a header a million columns wide costs one problem, not a million. The empty
    cells a spreadsheet leaves after the last named column do not count."""
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    if width > MAX_COLUMNS:
        problems.append(Problem(line, "file", f"The file has {width:,} columns; TeamOps reads at most {MAX_COLUMNS}"))
        return None
    columns = [name.strip().lower() for name in header[:width]]
    known = required + optional
    found = problems.found
    for name in columns:
        if name and name not in known:
            problems.append(Problem(line, name, "Unknown column: the columns are " + ", ".join(known)))
    for name in required:
        if name not in columns:
            problems.append(Problem(line, name, "Required column is missing"))
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            problems.append(Problem(line, name, "Column appears twice"))
        seen.add(name)
    return columns if problems.found == found else None


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...], problems: Problems,
              row_limit: int | None = None) -> list[Row]:
    """The rows with their line numbers. Problems with the file's shape (encoding, header, stray cells, more
    than ``row_limit`` rows) go to ``problems``; when the file or its header has one, there are no rows.

    Records are read one at a time: the header is checked before any row is read, and reading stops at the
    row past ``row_limit``."""
    text = _decode(data)
    if isinstance(text, Problem):
        problems.append(text)
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: list[str] | None = None
    named: list[tuple[int, str]] = []
    rows: list[Row] = []
    count = 0  # data rows, with or without problems
    previous = 0  # the last line of the record before, so that a record starts on the line after it
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if _blank(cells):
                continue
            if columns is None:
                columns = _columns(line, cells, required, optional, problems)
                if columns is None:
                    return []
                # Columns without a header (a trailing comma, say) are ignored as long as they hold nothing.
                named = [(i, name) for i, name in enumerate(columns) if name]
                continue
            count += 1
            if row_limit is not None and count > row_limit:
                problems.append(Problem(line, "file", f"The file has more than {row_limit:,} rows; TeamOps reads at "
                                        f"most {row_limit:,} from an upload. Split it and import the parts in turn"))
                return []
            stray = next((i + 1 for i, cell in enumerate(cells)
                          if cell.strip() and (i >= len(columns) or not columns[i])), None)
            if stray is not None:
                problems.append(Problem(line, "row", f"Has a value in column {stray}, which has no header"))
                continue
            rows.append(Row(line, {name: (cells[i].strip() if i < len(cells) else "") for i, name in named}))
    except csv.Error as error:
        problems.append(Problem(previous + 1, "file", f"The file cannot be read as CSV ({error})"))
        return []
    if columns is None:
        problems.append(Problem(1, "file", "The file is empty: it needs a header row"))
    month_first = next(((row.line, cell) for row in rows for cell in row.cells.values()
                        if "/" in cell and month_first_reading(cell) is not None), None)
    if month_first is not None:
        rows = [replace(row, month_first=month_first) for row in rows]
    # A header with no rows under it is a valid, empty import (an export of a team with nothing to move yet).
    return rows

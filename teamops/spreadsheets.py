"""Every CSV file TeamOps writes goes through ``csv_text``, so no cell can run as a spreadsheet formula.

Names, team names and e-mail addresses come from HR spreadsheets and imports; a cell such as
``=HYPERLINK("http://x","y")`` or ``+SUM(1,2)`` would otherwise be run by Excel or LibreOffice when a report
author opens the export ("CSV injection"). OWASP's rule is applied to every text cell: one that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in front, which spreadsheets show as
text and do not evaluate.

Numbers are written as they are: a number cannot carry a formula, and a negative count must stay a number. So
the rule depends on the value's type, never on its look: text that happens to read ``-2`` (a name, say) is
text, and is quoted like any other.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it, never as a formula it runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[Cell]]) -> str:
    """The rows as CSV (RFC 4180 line ends), every text cell made formula-safe; numbers stay numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([formula_safe(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()


def xlsx_bytes(title: str, rows: Iterable[Sequence[Cell | date | None]]) -> bytes:
    """The rows as an Excel workbook of one sheet, every text cell made formula-safe (openpyxl stores a string
    that starts with ``=`` as a formula); dates stay dates, shown as day month year."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=formula_safe(value))
                cell.data_type = "s"  # text, whatever it looks like
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, date):
                    cell.number_format = "d mmm yyyy"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

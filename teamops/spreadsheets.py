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
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float
# What an Excel cell may hold: text (always text), a number, a yes/no, a date or a time (naive: Excel has no time
# zones), or nothing.
XlsxValue = str | int | float | bool | date | datetime | None
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


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


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: XlsxValue, number_format: str | None = None) -> WriteOnlyCell:
    """A typed cell: text stays text however it looks (and never a formula), dates and times are dates."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=formula_safe(value))
        cell.data_type = "s"  # text, whatever it looks like
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = number_format or DATE_FORMAT
    elif number_format is not None and isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def xlsx_bytes(title: str, rows: Iterable[Sequence[Cell | date | None]]) -> bytes:
    """The rows as an Excel workbook of one sheet, every text cell made formula-safe (openpyxl stores a string
    that starts with ``=`` as a formula); dates stay dates, shown as day month year."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Column:
    """A sheet's column: its heading, width (in characters) and, for numbers and dates, how they are shown."""

    heading: str
    width: float = 14
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[XlsxValue]]


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets, each with a header row kept in view (the panes frozen below it),
    its columns' widths and formats, typed cells, and every text cell made formula-safe as in ``xlsx_bytes``."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.freeze_panes = "A2"
        for number, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.append([_xlsx_cell(sheet, column.heading) for column in spec.columns])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value, column.number_format)
                          for value, column in zip(row, spec.columns, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

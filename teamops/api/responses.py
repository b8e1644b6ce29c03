"""Turning pages and errors into JSON or CSV answers.

Values are written the same way in both: dates as ISO ``YYYY-MM-DD``, booleans as ``true``/``false``, null as
JSON null or an empty CSV cell. Flask's own JSON provider would write dates as HTTP dates and sort the keys,
so the JSON is encoded here, keeping CONTRACT.md's field order. The CSV is written by teamops.spreadsheets, which
puts a quote before any text cell a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Response

from teamops.api.fields import Field
from teamops.api.services import Page
from teamops.spreadsheets import Cell, csv_text


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, default=plain, ensure_ascii=False)
    return Response(text, status=status, headers=headers, mimetype="application/json")


def error_response(status: int, message: str, field: str | None = None) -> Response:
    body = {"error": message} if field is None else {"error": message, "field": field}
    headers = {"WWW-Authenticate": 'Bearer realm="TeamOps API"'} if status == 401 else None
    return json_response(body, status, headers)


def _cell(value: Any, field: Field) -> Cell:
    """A CSV cell: text for what people typed (made formula-safe by the writer), a number for a number; a list
    of objects (a team's workers) as its JSON text, so a report can still read every part of it."""
    if field.kind == "objects":
        return json.dumps(value, default=plain, ensure_ascii=False, separators=(",", ":"))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):  # a list of plain values (the next meetings): one cell, joined with "; "
        return "; ".join(str(plain(part)) for part in value)
    return str(plain(value))


def page_csv(fields: tuple[Field, ...], items: list[dict[str, Any]]) -> str:
    return csv_text([[f.name for f in fields], *([_cell(item[f.name], f) for f in fields] for item in items)])


def page_response(page: Page, fields: tuple[Field, ...], output: str, name: str) -> Response:
    """The list answer: JSON with paging figures, or the same page's rows as CSV (the figures in headers)."""
    if output == "csv":
        response = Response(page_csv(fields, page.items), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-page-{page.page}.csv"'
        response.headers["X-Total-Count"] = str(page.total)
        return response
    return json_response({"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total})

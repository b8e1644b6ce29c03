"""The month's returns as downloads (issue 13 item 5): ``/returns/export.xlsx`` (three sheets: workers, teams,
services) and ``/returns/export.csv?view=workers|teams|services``. QAIT's (``run_returns``), over every team or
one service's. A bad month or service is answered 400 in plain words: these are files, not pages."""

from __future__ import annotations

from flask import Response, request

from teamops import dates
from teamops.access import requires, signed_in
from teamops.extensions import db
from teamops.org.models import Service
from teamops.returns import bp, exports
from teamops.returns.services import ReturnRefused, has_ended, parse_month, teams_for
from teamops.spreadsheets import xlsx_workbook
from teamops.types import MAX_ID

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refused(message: str, status: int = 400) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _export() -> exports.MonthExport | Response:
    """The export the query asks for (``month``: YYYY-MM, by default the last month ended; ``service``: an id),
    or the plain answer that refuses it."""
    on = dates.today()
    try:
        month = parse_month(request.args.get("month"), on)
    except ReturnRefused as error:
        return _refused(f"month: {error}")
    if not has_ended(month, on):
        return _refused(f"month: {dates.month_label(month)} has not ended yet: its return is not due")
    service_id = None
    text = request.args.get("service")
    if text:
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
            return _refused("service: give a service's id (a whole number)")
        if db.session.get(Service, int(text)) is None:
            return _refused("service: no service has that id", 404)
        service_id = int(text)
    return exports.month_export(teams_for(signed_in(), service_id), month, on)


def _download(body: bytes, content_type: str, filename: str) -> Response:
    return Response(body, headers={"Content-Type": content_type,
                                   "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/export.xlsx")
@requires("run_returns")
def export_xlsx() -> Response:
    """A workbook of the month: a sheet of workers, one of teams and one of the services' roll-ups."""
    export = _export()
    if isinstance(export, Response):
        return export
    return _download(xlsx_workbook(exports.workbook_sheets(export)), XLSX,
                     f"returns-{dates.month_code(export.month)}.xlsx")


@bp.get("/export.csv")
@requires("run_returns")
def export_csv() -> Response:
    """One view of the month as CSV: ``view`` workers (default), teams or services."""
    view = request.args.get("view") or "workers"
    if view not in exports.VIEWS:
        return _refused("view: choose workers, teams or services")
    export = _export()
    if isinstance(export, Response):
        return export
    text = exports.csv_view(export, view)
    return _download(text.encode("utf-8-sig"), "text/csv; charset=utf-8",
                     f"returns-{dates.month_code(export.month)}-{view}.csv")

"""The audit findings page (issue 14 item 5): for QAIT and managers, what the case audits of the teams in their
reach found across rounds (the grades of each round's theme by service) and the remedial actions still open,
longest open first; and the same as a workbook."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from teamops import dates
from teamops.access import requires, signed_in
from teamops.quality import bp, findings
from teamops.quality.findings_export import sheets
from teamops.quality.findings_forms import FindingsFilterForm
from teamops.spreadsheets import xlsx_workbook
from teamops.web import filter_keys, page_number, paginate, render


def _filter() -> FindingsFilterForm:
    form = FindingsFilterForm(request.args, services=findings.services_in_reach(signed_in()))
    form.validate()
    return form


@bp.route("/audits/findings")
@requires("view_audit_findings")
def findings_page() -> Any:
    user = signed_in()
    on = dates.today()
    form = _filter()
    service = form.chosen()
    page = paginate(findings.open_actions(user, service), page_number(request.args.get("page")),
                    keys=filter_keys(form))
    return render("quality/findings.html", "quality/_findings_actions.html", status=400 if form.errors else 200,
                  form=form, on=on, page=page, grades=findings.grades_by_round(user, service),
                  summary=findings.action_summary(user, service, on), limit=findings.ROUNDS_SHOWN)


@bp.get("/audits/findings.xlsx")
@requires("view_audit_findings")
def findings_export() -> Response:
    user = signed_in()
    on = dates.today()
    service = _filter().chosen()
    body = xlsx_workbook(sheets(findings.grades_by_round(user, service),
                                findings.every_open_action(user, service), on))
    return Response(body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="audit-findings.xlsx"'})

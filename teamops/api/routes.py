"""The read-only reporting API of CONTRACT.md "Reporting API": ``/api/v1/teams``, ``/staff``, ``/cases``,
``/inductions``, ``/champions``, ``/networks``, ``/compliance``, ``/returns``, ``/return-calendar``, ``/audits`` and
``/openapi.json``.

How it fits together:

- **Authentication.** The sign-in gate (teamops.security) lets unauthenticated ``/api/`` requests through so
  that this blueprint can answer 401 in JSON with ``WWW-Authenticate: Bearer`` instead of redirecting a
  reporting tool to the sign-in page. A request is signed in by the normal session cookie (checked by the
  gate) or by ``Authorization: Bearer <token>``; when that header is sent it decides. The token's account is
  signed in through Flask-Login's ``request_loader`` (``teamops.api.tokens.load_bearer``) for this request
  only: the session is never touched, so no cookie is set and nothing carries over to the next request.
  CSRF does not arise: every endpoint is a GET.
- **Authorisation.** Each view declares ``@requires("use_api")`` like every other route (the gate refuses
  undeclared ones); the rows come from the ``*_in_reach`` queries of teamops.access, so the API never shows
  more than the pages do. The ``team`` and ``worker`` parameters are checked the same way: a team out of reach
  is 403 and an unknown team 404 (CONTRACT.md); a worker out of reach and an e-mail address nobody has both
  answer the same 403, so the API does not tell who has an account.
- **One source for each rule.** Due dates and states come from teamops.scheduling, induction from
  teamops.dates; ``fields.py`` declares the item fields once for the JSON, the CSV header and the OpenAPI
  document; ``params.py`` parses the parameters strictly (a bad one is a 400 naming it).
- **Errors** raised inside the blueprint are answered in JSON by its own handlers (``{"error": ...}``, plus
  ``"field"`` for a bad parameter); refusals are audited as they are for pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, current_app, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from teamops import dates
from teamops.access import requires
from teamops.api import bp, params
from teamops.api.audit_services import audits_page, round_exists
from teamops.api.fields import (
    AUDIT_FIELDS,
    CASE_FIELDS,
    CHAMPION_FIELDS,
    COMPLIANCE_FIELDS,
    INDUCTION_FIELDS,
    NETWORK_FIELDS,
    RETURN_CALENDAR_FIELDS,
    RETURN_FIELDS,
    STAFF_FIELDS,
    TEAM_FIELDS,
)
from teamops.api.openapi import document
from teamops.api.params import ApiError
from teamops.api.responses import error_response, json_response, page_response
from teamops.api.return_services import calendar_page, compliance_page, return_team_in_reach, returns_page
from teamops.api.services import (
    CaseFilter,
    cases_page,
    champion_area_id,
    champions_page,
    inductions_page,
    networks_page,
    staff_page,
    team_in_reach,
    teams_page,
    worker_in_reach,
)
from teamops.audit.services import record_event
from teamops.extensions import db
from teamops.kept import kept
from teamops.org.models import Staff
from teamops.security import allow_header

UNAUTHENTICATED = "Sign in, or send Authorization: Bearer <token> with a valid token"
REFUSED_BEARER = "The bearer token is not valid (unknown, expired or revoked), or its account is no longer active"


@bp.before_request
def _authenticate() -> Response | None:
    if current_user.is_authenticated:
        db.session.commit()  # a token's last use, written at most once a minute
        return None
    if request.headers.get("Authorization") is not None:
        return error_response(401, REFUSED_BEARER)
    return error_response(401, UNAUTHENTICATED)


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    if error.status == 403:
        _audit_refusal()
    return error_response(error.status, error.message, error.field)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    if code == 403:
        _audit_refusal()
        return error_response(403, "This account may not use that")
    response = error_response(code, error.name)
    response.headers.update(allow_header(error))
    return response


@bp.errorhandler(Exception)
def _server_error(error: Exception) -> Response:
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "Sorry, there is a problem with TeamOps")


def _audit_refusal() -> None:
    db.session.rollback()
    if current_user.is_authenticated:
        record_event("access_denied", f"refused {request.method} {request.full_path.rstrip('?')}"[:300])
        db.session.commit()


def _user() -> Staff:
    user: Staff = current_user._get_current_object()
    return user


def _dated_team_list() -> tuple[Staff, str, params.Paging, date, int | None]:
    """The arguments of a list at ``as_of`` that a ``team`` may narrow (checked: 404 unknown, 403 out of reach)."""
    args = request.args
    output, paging = params.output_format(args), params.paging(args)
    on, team_id = params.as_of(args), params.team_id(args)
    user = _user()
    if team_id is not None:
        team_in_reach(user, team_id)
    return user, output, paging, on, team_id


@bp.get("/teams")
@requires("use_api")
@kept
def teams() -> Response:
    output = params.output_format(request.args)
    page = teams_page(_user(), params.paging(request.args))
    return page_response(page, TEAM_FIELDS, output, "teams")


@bp.get("/staff")
@requires("use_api")
@kept
def staff() -> Response:
    user, output, paging, on, team_id = _dated_team_list()
    return page_response(staff_page(user, paging, on, team_id), STAFF_FIELDS, output, "staff")


@bp.get("/cases")
@requires("use_api")
@kept
def cases() -> Response:
    args = request.args
    output, paging = params.output_format(args), params.paging(args)
    on, include_closed = params.as_of(args), params.include_closed(args)
    team_id, worker_email = params.team_id(args), params.worker_email(args)
    user = _user()
    if team_id is not None:
        team_in_reach(user, team_id)
    worker_id = worker_in_reach(user, worker_email) if worker_email is not None else None
    wanted = CaseFilter(on, team_id, worker_id, include_closed)
    return page_response(cases_page(user, paging, wanted), CASE_FIELDS, output, "cases")


@bp.get("/inductions")
@requires("use_api")
@kept
def inductions() -> Response:
    user, output, paging, on, team_id = _dated_team_list()
    return page_response(inductions_page(user, paging, on, team_id), INDUCTION_FIELDS, output, "inductions")


@bp.get("/champions")
@requires("use_api")
def champions() -> Response:
    args = request.args
    output, paging = params.output_format(args), params.paging(args)
    near = params.team_id(args, "near_team")
    page = champions_page(paging, dates.today(), champion_area_id(params.area(args)), near)
    return page_response(page, CHAMPION_FIELDS, output, "champions")


@bp.get("/networks")
@requires("use_api")
def networks() -> Response:
    """The directory's networks and groups with their next meetings from ``from`` (default today). Not kept: a
    network's changes move no team's figures version."""
    args = request.args
    output, paging, on = params.output_format(args), params.paging(args), params.as_of(args, "from")
    return page_response(networks_page(paging, on), NETWORK_FIELDS, output, "networks")


@bp.get("/compliance")
@requires("use_api")
def compliance() -> Response:
    """Each team's % in timescale for a month that has ended, and its workers'. Not kept: the figures are worked
    out from the records at the month's end, and only a page of teams at a time."""
    args = request.args
    output, paging = params.output_format(args), params.paging(args)
    month, team_id = params.month(args, ended=True), params.team_id(args)
    user = _user()
    if team_id is not None:
        return_team_in_reach(user, team_id)
    return page_response(compliance_page(user, paging, month, team_id), COMPLIANCE_FIELDS, output, "compliance")


@bp.get("/returns")
@requires("use_api")
def returns() -> Response:
    """Each team's supervision return for a month: status, due date, latest submission and its figure."""
    args = request.args
    output, paging, month = params.output_format(args), params.paging(args), params.month(args)
    return page_response(returns_page(_user(), paging, month), RETURN_FIELDS, output, "returns")


@bp.get("/return-calendar")
@requires("use_api")
def return_calendar() -> Response:
    """When each month's return of a year is due, under the organisation's rule (the same for everyone)."""
    args = request.args
    output, paging, year = params.output_format(args), params.paging(args), params.year(args)
    return page_response(calendar_page(paging, year), RETURN_CALENDAR_FIELDS, output, "return-calendar")


@bp.get("/audits")
@requires("use_api")
def audits() -> Response:
    """Case audits (R-QA-4/5) the account reads, with their status today, overall grade and open actions. A
    ``round`` no round has is 404; a ``team`` is checked as elsewhere (404 unknown, 403 out of reach)."""
    args = request.args
    output, paging = params.output_format(args), params.paging(args)
    round_id, team_id = params.round_id(args), params.team_id(args)
    user = _user()
    if round_id is not None:
        round_exists(round_id)
    if team_id is not None:
        team_in_reach(user, team_id)
    page = audits_page(user, paging, dates.today(), round_id, team_id)
    return page_response(page, AUDIT_FIELDS, output, "audits")


@bp.get("/openapi.json")
@requires("use_api")
def openapi() -> Any:
    server = url_for("api.teams").removesuffix("/teams")
    return json_response(document(server, current_app.config["SESSION_COOKIE_NAME"], dates.today()))

"""The OpenAPI 3.1 description served at ``/api/v1/openapi.json``.

Built from the same field and parameter declarations the endpoints use, so it describes what the code does.
It lists only the endpoints that exist; later ones are added here when they are built.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
    Field,
)
from teamops.api.params import (
    AREA_MAX,
    AS_OF_PATTERN,
    DEFAULT_PER_PAGE,
    EARLIEST_YEAR,
    EMAIL_MAX,
    EMAIL_PATTERN,
    FORMATS,
    LATEST_YEAR,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_TEAM_ID,
    RETURNS_EARLIEST_YEAR,
    RETURNS_LATEST_YEAR,
    last_ended_month,
    month_pattern,
)
from teamops.types import MAX_ID

JSON = "application/json"
LOCAL_DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
UTC_DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Schema = dict[str, Any]

DESCRIPTION = (
    "Read-only figures for reporting tools (Tableau, Power BI, Excel). Authenticate with the TeamOps sign-in "
    "session or with `Authorization: Bearer <token>` (make one on the API tokens page, linked from the header of "
    "every page, or an administrator runs `flask --app wsgi teamops create-token EMAIL`). A token expires (by "
    "default a year after it was made) and can be revoked; deactivating its account revokes it. Every answer "
    "is limited to what that account may see: a worker themselves, a team manager their team, a service "
    "manager their service's teams, QAIT everything; an administrator sees teams and staff but no cases. "
    "`/compliance` and `/returns` list the teams whose supervision returns the account reads (none for a worker "
    "or an administrator). Due "
    "dates and due states follow the scheduling rules of the TeamOps contract. Lists are paged; `format=csv` "
    "returns the same page's rows as CSV, with a header row in the order of the item's fields, dates as "
    "YYYY-MM-DD, booleans as true/false and null as an empty cell. "
    "A text cell that starts with =, +, -, @, a tab or a carriage return is written with a single quote in "
    "front (so a spreadsheet shows it and does not run it as a formula); the JSON has the text as it is."
)


def _ref(kind: str, name: str) -> Schema:
    return {"$ref": f"#/components/{kind}/{name}"}


def _field_schema(field: Field) -> Schema:
    schema: Schema = {"type": "string"}
    if field.kind in ("integer", "number", "boolean"):
        schema = {"type": field.kind}
    elif field.kind == "month":
        schema = {"type": "string", "pattern": MONTH_PATTERN}
    elif field.kind == "datetime":
        schema = {"type": "string", "format": "date-time", "pattern": UTC_DATETIME_PATTERN}
    elif field.kind == "objects":
        schema = {"type": "array", "items": _item_schema(field.parts, "One line of the list.")}
    elif field.kind == "date":
        schema = {"type": "string", "format": "date"}
    elif field.kind == "email":
        schema = {"type": "string", "format": "email"}
    elif field.kind == "local_datetimes":  # no offset: Europe/London wall-clock time, so not RFC 3339 date-time
        schema = {"type": "array", "items": {"type": "string", "pattern": LOCAL_DATETIME_PATTERN}}
    if field.nullable:
        schema["type"] = [schema["type"], "null"]
    if field.choices is not None:
        schema["enum"] = [*field.choices, None] if field.nullable else list(field.choices)
    schema["description"] = field.description
    return schema


def _item_schema(fields: tuple[Field, ...], description: str) -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields],
        "additionalProperties": False,
    }


def _page_schema(item: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("schemas", item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0, "description": "Rows on every page together."},
        },
        "required": ["items", "page", "per_page", "total"],
        "additionalProperties": False,
    }


def _parameter(name: str, description: str, schema: Schema, required: bool = False) -> Schema:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


RETURN_YEARS = f"years {RETURNS_EARLIEST_YEAR} to {RETURNS_LATEST_YEAR}"


def _ended_month(today: date) -> Schema:
    """``/compliance``'s month: one that has ended by today (the pattern says which, so that the document calls
    valid only what is answered)."""
    last = last_ended_month(today)
    return _parameter(
        "month", f"Required: the month (YYYY-MM, from {RETURNS_EARLIEST_YEAR}-01). Only a month that has ended "
        f"(today: up to {last:%Y-%m}): its figures are a snapshot at its last day, so a month still running, or to "
        "come, answers 400 \"… has not ended yet\".",
        {"type": "string", "pattern": month_pattern(last)}, required=True)


PARAMETERS = {
    "page": _parameter("page", "Which page of the list (from 1).",
                       {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
    "per_page": _parameter("per_page", "Rows per page.",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}),
    "format": _parameter("format", "json, or csv for the same page's rows as CSV.",
                         {"type": "string", "enum": list(FORMATS), "default": "json"}),
    "team": _parameter("team", "Only this team (an `id` from /teams). Unknown id: 404; a team out of reach: 403.",
                       {"type": "integer", "minimum": 1, "maximum": MAX_TEAM_ID}),
    "as_of": _parameter("as_of", f"The date the figures describe (YYYY-MM-DD, years {EARLIEST_YEAR} to "
                        f"{LATEST_YEAR}). Default: today in England.",
                        {"type": "string", "format": "date", "pattern": AS_OF_PATTERN}),
    "from": _parameter("from", f"The first day whose meetings count (YYYY-MM-DD, years {EARLIEST_YEAR} to "
                       f"{LATEST_YEAR}). Default: today in England.",
                       {"type": "string", "format": "date", "pattern": AS_OF_PATTERN}),
    "worker": _parameter("worker", "Only cases allocated to the member of staff with this e-mail address. "
                         "An address of someone out of reach, or of nobody, answers 403 (the same answer for "
                         "both).",
                         {"type": "string", "format": "email", "maxLength": EMAIL_MAX, "pattern": EMAIL_PATTERN}),
    "area": _parameter("area", "Only champions of this area: its name (any case) or id. A name no area has "
                       "answers 404; an empty or blank one, 400.", {
                           "type": "string", "minLength": 1, "maxLength": AREA_MAX,
                           "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"}),
    "near_team": _parameter("near_team", "A team's id (as /teams lists): champions nearest to it come first. An "
                            "id no team has answers 404.",
                            {"type": "integer", "minimum": 1, "maximum": MAX_TEAM_ID}),
    "month": _parameter("month", f"Required: the month reported (YYYY-MM, {RETURN_YEARS}). A month not ended yet "
                        "lists every team as not_started.", {"type": "string", "pattern": month_pattern()},
                        required=True),
    "year": _parameter("year", f"Required: the year whose months' returns are listed (YYYY, {RETURN_YEARS}).",
                       {"type": "integer", "minimum": RETURNS_EARLIEST_YEAR, "maximum": RETURNS_LATEST_YEAR},
                       required=True),
    "round": _parameter("round", "Only this audit round (its id). An id no round has answers 404.",
                        {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
    "include_closed": _parameter("include_closed", "false (default): only cases open at `as_of`; true: closed "
                                 "cases too.", {"type": "boolean", "default": False}),
}

ERROR_SCHEMA: Schema = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in plain words."},
        "field": {"type": "string", "description": "For a bad parameter: its name."},
    },
    "required": ["error"],
}


def _error(description: str) -> Schema:
    return {"description": description, "content": {JSON: {"schema": _ref("schemas", "Error")}}}


RESPONSES = {
    "BadRequest": _error("A parameter is not valid (or holds a NUL character, which no parameter may); `field` "
                         "names it."),
    "Unauthorized": {
        **_error("No sign-in session and no valid bearer token: unknown, expired or revoked, or its account is "
                 "deactivated (all answer alike)."),
        "headers": {"WWW-Authenticate": {"description": "Always `Bearer`.", "schema": {"type": "string"}}},
    },
    "Forbidden": _error("The team asked for is outside what this account may see, or no member of staff within "
                        "it has the e-mail address asked for."),
    "NotFound": _error("No team has that id."),
    "NotFoundTeamOrArea": _error("No team has that id, or no champion area has that name or id."),
    "NotFoundTeamOrRound": _error("No team has that id, or no audit round has that id."),
}


def _list_operation(operation_id: str, summary: str, description: str, item: str,
                    parameters: tuple[str, ...]) -> Schema:
    errors: dict[str, Schema] = {"400": _ref("responses", "BadRequest"), "401": _ref("responses", "Unauthorized")}
    if "team" in parameters or "worker" in parameters:
        errors["403"] = _ref("responses", "Forbidden")
    if "team" in parameters:
        errors["404"] = _ref("responses", "NotFound")
    if "area" in parameters:
        errors["404"] = _ref("responses", "NotFoundTeamOrArea")
    if "round" in parameters:
        errors["404"] = _ref("responses", "NotFoundTeamOrRound")
    return {"get": {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "parameters": [_ref("parameters", name) for name in (*parameters, "page", "per_page", "format")],
        "responses": {
            "200": {"description": "One page of the list.", "content": {
                JSON: {"schema": _ref("schemas", f"{item}Page")},
                "text/csv": {"schema": {"type": "string"}},
            }},
            **errors,
        },
    }}


PATHS = {
    "/teams": _list_operation(
        "listTeams", "Teams", "The open teams in the account's reach, by service and name.", "Team", ()),
    "/staff": _list_operation(
        "listStaff", "Staff and their personal supervision",
        "People on the staff at `as_of` (active, or left after it), by name, with personal supervision due "
        "dates and induction at `as_of`.", "StaffMember", ("team", "as_of")),
    "/cases": _list_operation(
        "listCases", "Cases and their case supervision",
        "Cases allocated on or before `as_of`, by reference, with case supervision due dates at `as_of`.",
        "Case", ("team", "worker", "as_of", "include_closed")),
    "/inductions": _list_operation(
        "listInductions", "Inductions",
        "New starters' and movers' inductions in the account's reach (not cancelled), latest start first, with "
        "the buddy, check-ins and status at `as_of` (R-IND-1, R-IND-4, R-IND-14).", "Induction", ("team", "as_of")),
    "/champions": _list_operation(
        "listChampions", "Champions",
        "Champions serving today (approved, started, not stepped down, still on the staff), by area and name; "
        "with `near_team`, nearest to that team first: its own champions, then those at its office base, then "
        "its service's, then the rest. The directory is the same for every account.", "Champion",
        ("area", "near_team")),
    "/networks": _list_operation(
        "listNetworks", "Networks and groups",
        "Every staff network, group and scheme in the directory, by name (everyone signed in reads the directory), "
        "with whom to contact, the meeting pattern in plain words and the next 3 meetings from `from`. Never a "
        "list of members.", "Network", ("from",)),
    "/compliance": _list_operation(
        "listCompliance", "Supervision in timescale by team and worker",
        "For each team whose returns the account reads (QAIT every team; a team manager, or whoever covers for "
        "one, their team; a service manager or head of service theirs; a worker or an administrator none), by "
        "service and name: its cases open at the month's last day and in timescale then, and each worker's, with "
        "their personal supervision's due state then (CONTRACT.md \"Scheduling rules\"). The live figures, "
        "worked out from the records now; what a team submitted is in `/returns`.", "Compliance",
        ("month_ended", "team")),
    "/returns": _list_operation(
        "listReturns", "Monthly supervision returns",
        "For each team whose returns the account reads (as `/compliance`), by service and name: its return for "
        "the month, when it is due, where it stands and its latest submission (R-QA-1, R-QA-2).", "Return",
        ("month",)),
    "/return-calendar": _list_operation(
        "listReturnCalendar", "When returns are due",
        "The twelve months of `year`, each with when its return is due under the organisation's rule (the same "
        "for every account).", "ReturnDueDate", ("year",)),
    "/audits": _list_operation(
        "listAudits", "Case audits",
        "Quarterly thematic case audits and re-audits (R-QA-4, R-QA-5), newest round first, then by theme and case "
        "reference: QAIT every audit; a manager the audits of cases in the teams they oversee and those they do or "
        "buddy; anyone else only audits they do or buddy; an administrator none. `status` is worked out today.",
        "Audit", ("round", "team")),
    "/openapi.json": {"get": {
        "operationId": "getOpenApi",
        "summary": "This description",
        "responses": {"200": {"description": "The OpenAPI 3.1 document.",
                              "content": {JSON: {"schema": {"type": "object"}}}},
                      "401": _ref("responses", "Unauthorized")},
    }},
}


def document(server_url: str, session_cookie: str, today: date) -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {"title": "TeamOps reporting API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": server_url}],
        "security": [{"bearerToken": []}, {"signInSession": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "A token made on the API tokens page or by `create-token`, sent as "
                                               "`Authorization: Bearer`."},
                "signInSession": {"type": "apiKey", "in": "cookie", "name": session_cookie,
                                  "description": "The session cookie of a signed-in browser."},
            },
            "schemas": {
                "Team": _item_schema(TEAM_FIELDS, "A team."),
                "StaffMember": _item_schema(STAFF_FIELDS, "A member of staff at `as_of`."),
                "Case": _item_schema(CASE_FIELDS, "A case at `as_of`."),
                "TeamPage": _page_schema("Team"),
                "StaffMemberPage": _page_schema("StaffMember"),
                "CasePage": _page_schema("Case"),
                "Induction": _item_schema(INDUCTION_FIELDS, "An induction at `as_of`."),
                "InductionPage": _page_schema("Induction"),
                "Champion": _item_schema(CHAMPION_FIELDS, "A champion serving today."),
                "ChampionPage": _page_schema("Champion"),
                "Network": _item_schema(NETWORK_FIELDS, "A network, group or scheme, and its next meetings."),
                "NetworkPage": _page_schema("Network"),
                "Compliance": _item_schema(COMPLIANCE_FIELDS, "A team's supervision in timescale for a month."),
                "CompliancePage": _page_schema("Compliance"),
                "Return": _item_schema(RETURN_FIELDS, "A team's supervision return for a month."),
                "ReturnPage": _page_schema("Return"),
                "ReturnDueDate": _item_schema(RETURN_CALENDAR_FIELDS, "A month and when its return is due."),
                "ReturnDueDatePage": _page_schema("ReturnDueDate"),
                "Audit": _item_schema(AUDIT_FIELDS, "A case audit, its status today and its open actions."),
                "AuditPage": _page_schema("Audit"),
                "Error": ERROR_SCHEMA,
            },
            "parameters": {**PARAMETERS, "month_ended": _ended_month(today)},
            "responses": RESPONSES,
        },
    }

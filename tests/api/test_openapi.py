"""The OpenAPI 3.1 document: well formed, complete for the endpoints that exist, and true to the answers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.returns import services as returns
from tests import factories
from tests.directory.conftest import make_network
from tests.quality import audit_world


@pytest.fixture
def spec(bearer):
    response = bearer("qait").get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def resolve(spec, ref):
    assert ref.startswith("#/")
    node = spec
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def test_document_is_openapi_3_1_and_lists_exactly_the_built_endpoints(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["servers"] == [{"url": "/api/v1"}]
    assert set(spec["paths"]) == {"/teams", "/staff", "/cases", "/inductions", "/champions", "/networks",
                                  "/compliance", "/returns", "/return-calendar", "/audits", "/openapi.json"}
    for path, item in spec["paths"].items():
        assert set(item) == {"get"}, path
        assert item["get"]["operationId"] and "200" in item["get"]["responses"]
        assert "401" in item["get"]["responses"]


def test_every_reference_resolves(spec):
    refs = list(all_refs(spec))
    assert refs
    for ref in refs:
        assert isinstance(resolve(spec, ref), dict), ref


def test_both_authentication_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http", "scheme": "bearer"}
    assert schemes["signInSession"]["type"] == "apiKey"
    assert schemes["signInSession"]["in"] == "cookie" and schemes["signInSession"]["name"] == "teamops_session"
    assert spec["security"] == [{"bearerToken": []}, {"signInSession": []}]


@pytest.mark.parametrize(("path", "parameters", "errors"), [
    ("/teams", {"page", "per_page", "format"}, {"400", "401"}),
    ("/staff", {"team", "as_of", "page", "per_page", "format"}, {"400", "401", "403", "404"}),
    ("/cases", {"team", "worker", "as_of", "include_closed", "page", "per_page", "format"},
     {"400", "401", "403", "404"}),
    ("/inductions", {"team", "as_of", "page", "per_page", "format"}, {"400", "401", "403", "404"}),
    ("/champions", {"area", "near_team", "page", "per_page", "format"}, {"400", "401", "404"}),
    ("/networks", {"from", "page", "per_page", "format"}, {"400", "401"}),
    ("/compliance", {"month", "team", "page", "per_page", "format"}, {"400", "401", "403", "404"}),
    ("/returns", {"month", "page", "per_page", "format"}, {"400", "401"}),
    ("/return-calendar", {"year", "page", "per_page", "format"}, {"400", "401"}),
    ("/audits", {"round", "team", "page", "per_page", "format"}, {"400", "401", "403", "404"}),
])
def test_list_operations_document_parameters_and_answers(spec, path, parameters, errors):
    operation = spec["paths"][path]["get"]
    named = [resolve(spec, p["$ref"]) for p in operation["parameters"]]
    assert {p["name"] for p in named} == parameters
    for parameter in named:
        assert parameter["in"] == "query" and "schema" in parameter and parameter["description"]
    assert set(operation["responses"]) == {"200", *errors}
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    unauthorized = resolve(spec, operation["responses"]["401"]["$ref"])
    assert "WWW-Authenticate" in unauthorized["headers"]


def test_per_page_limit_is_documented(spec):
    per_page = spec["components"]["parameters"]["per_page"]["schema"]
    assert (per_page["minimum"], per_page["maximum"], per_page["default"]) == (1, 1000, 100)


TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None), "array": list,
         "object": dict}


def conforms(value, schema):
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if not any(isinstance(value, TYPES[k]) and not (k == "integer" and isinstance(value, bool)) for k in kinds):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if schema.get("format") == "date" and value is not None:
        date.fromisoformat(value)
    if "pattern" in schema and value is not None and not re.fullmatch(schema["pattern"], value):
        return False
    if "properties" in schema:
        return list(value) == schema["required"] == list(schema["properties"]) and all(
            conforms(part, schema["properties"][name]) for name, part in value.items())
    if "items" in schema:
        return all(conforms(part, schema["items"]) for part in value)
    return True


@pytest.mark.parametrize(("path", "schema_name"), [
    ("/api/v1/teams", "TeamPage"), ("/api/v1/staff", "StaffMemberPage"),
    ("/api/v1/cases?include_closed=true", "CasePage"), ("/api/v1/inductions", "InductionPage"),
    ("/api/v1/champions", "ChampionPage"),
    ("/api/v1/networks", "NetworkPage"),
    ("/api/v1/compliance?month=2026-01", "CompliancePage"), ("/api/v1/returns?month=2026-01", "ReturnPage"),
    ("/api/v1/return-calendar?year=2026", "ReturnDueDatePage"), ("/api/v1/audits", "AuditPage"),
])
def test_answers_match_the_documented_schemas(spec, bearer, org, path, schema_name):
    factories.case("OA-1", "CP", True, org["worker"], date(2026, 1, 5))
    factories.induction(org["worker"], start_date=date(2026, 1, 5))
    closed = factories.case("OA-2", "EH", False, org["yj_worker"], date(2026, 1, 5))
    factories.close_case(closed, date(2026, 2, 1))
    factories.champion(org["worker"], "First aid", "office")
    make_network(org["admin"], contacts=((org["worker"], "chair"),))
    returns.submit(returns.start(org["teams"]["north"], date(2026, 1, 1), org["team_manager"], date(2026, 2, 3)),
                   org["team_manager"], date(2026, 2, 3))
    neglect = audit_world.audit_round(audit_world.scale(), list(org["services"]))
    submitted = audit_world.case_audit(neglect, db.session.get(Case, closed.id), org["team_manager"])
    submitted.grade_id, submitted.submitted_at = neglect.scale.grades[0].id, dates.utcnow()
    audit_world.case_audit(neglect, factories.case("OA-3", "CIN", False, org["worker"], date(2026, 1, 5)),
                           org["south_manager"])
    db.session.commit()
    page_schema = spec["components"]["schemas"][schema_name]
    item_schema = resolve(spec, page_schema["properties"]["items"]["items"]["$ref"])
    body = bearer("qait").get(path).get_json()
    assert set(body) == set(page_schema["required"])
    assert body["items"]
    for item in body["items"]:
        assert list(item) == item_schema["required"] == list(item_schema["properties"])
        for name, value in item.items():
            assert conforms(value, item_schema["properties"][name]), (name, value)


def test_session_can_read_the_document_too(as_role):
    assert as_role("worker").get("/api/v1/openapi.json").get_json()["openapi"] == "3.1.0"


def test_the_compliance_month_pattern_accepts_exactly_the_months_ended(spec):
    """The document calls valid only what is answered (schemathesis holds it to that): months from 2000-01 to
    the last month ended."""
    with_today = spec["components"]["parameters"]["month_ended"]
    assert with_today["name"] == "month" and with_today["required"] is True
    pattern = re.compile(with_today["schema"]["pattern"])
    last = dates.add_months(date(dates.today().year, dates.today().month, 1), -1)
    assert pattern.fullmatch(f"{last:%Y-%m}") and pattern.fullmatch("2000-01") and pattern.fullmatch("2000-12")
    following = dates.add_months(last, 1)
    for refused in (f"{following:%Y-%m}", "1999-12", f"{last.year + 1}-01", f"{last:%Y}-13", "2026-1"):
        assert not pattern.fullmatch(refused), refused


def test_every_parameter_states_its_limits(spec):
    """Issue 16 item 3: each parameter's schema says what the API accepts, so Schemathesis (and a tool builder)
    sends only what is answered: numbers with their least and greatest, text with a pattern, a list of values or
    a longest length, and a boolean as a boolean."""
    parameters = [resolve(spec, p["$ref"]) if "$ref" in p else p
                  for operation in (op for path in spec["paths"].values() for op in path.values())
                  for p in operation.get("parameters", [])]
    assert len(parameters) > 20
    vague = []
    for parameter in parameters:
        schema = parameter["schema"]
        if schema["type"] == "integer":
            limited = "minimum" in schema and "maximum" in schema
        elif schema["type"] == "string":
            limited = "pattern" in schema or "enum" in schema or "maxLength" in schema
        else:
            limited = schema["type"] == "boolean"
        if not limited:
            vague.append(parameter["name"])
    assert not vague, f"parameters with no stated limits: {sorted(set(vague))}"

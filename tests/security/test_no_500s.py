"""Issue 7, item 10: no address answers 500. Ids too large for an id column (PostgreSQL: "integer out of range"),
a line break in ``next=``, and ``url_for``'s own arguments (``_method``, ``_external``…) in a list's query string.

Run on PostgreSQL too (``TEAMOPS_TEST_DATABASE=postgresql``): SQLite takes numbers up to 2**63 without
complaint, PostgreSQL's INTEGER columns stop at 2**31 - 1. The app runs with TESTING on, so an error inside a
route fails the test with its traceback rather than answering 500.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from teamops import dates
from teamops.types import MAX_ID
from tests import factories

TOO_LARGE = (MAX_ID + 1, 99999999999999999999, int("9" * 400))
INT_ARGUMENT = re.compile(r"<int:\w+>")
OTHER_ARGUMENT = re.compile(r"<(?:\w+:)?\w+>")


def id_routes(app: Flask, method: str) -> list[str]:
    """Every route with an ``<int:…>`` argument that answers ``method``, as its rule (``/records/<int:…>``)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if method in (rule.methods or ()) and INT_ARGUMENT.search(rule.rule))


def with_id(rule: str, value: int) -> str:
    return OTHER_ARGUMENT.sub("x", INT_ARGUMENT.sub(str(value), rule))


def test_there_are_id_routes_to_walk(app):
    assert len(id_routes(app, "GET")) >= 20 and len(id_routes(app, "POST")) >= 20


@pytest.mark.parametrize("role", ["admin", "team_manager"])
def test_every_route_answers_404_for_an_id_too_large_for_the_database(app, as_role, role):
    client = as_role(role)
    for rule in id_routes(app, "GET"):
        for value in TOO_LARGE:
            assert client.get(with_id(rule, value)).status_code == 404, with_id(rule, value)
        # The largest id a column holds reaches the database, which finds nothing (or the role is refused).
        assert client.get(with_id(rule, MAX_ID)).status_code in (403, 404), with_id(rule, MAX_ID)
    for rule in id_routes(app, "POST"):
        assert client.post_form(with_id(rule, MAX_ID + 1)).status_code == 404, rule


def test_ids_in_query_strings_too_large_for_the_database_are_not_found(as_role, org):
    manager, held_on = as_role("team_manager"), (dates.today() - timedelta(days=3)).isoformat()
    worker = org["worker"].id
    for value in TOO_LARGE:
        assert manager.get(f"/dashboard/team?team={value}").status_code == 404
        assert as_role("qait").get(f"/dashboard/service?service={value}").status_code == 404
        assert manager.get(f"/actions?worker={value}").status_code == 404
        assert manager.get(f"/records?worker={value}").status_code == 200
        assert manager.get(f"/records/new?booking={value}").status_code in (200, 400)
        assert manager.get(f"/bookings/new?worker_id={value}").status_code == 200
        assert manager.get(f"/bookings/case-picker?worker_id={value}&kind=case&session_date={held_on}"
                           ).status_code in (200, 400)
        chosen = manager.get(f"/records/new?worker={value}&kind=personal&held_on={held_on}")
        assert "Select the worker supervised" in chosen.get_data(as_text=True)
        case = manager.get(f"/records/new?worker={worker}&kind=case&held_on={held_on}&case={value}&step=cases")
        assert "One or more of the chosen cases does not exist" in case.get_data(as_text=True)
        booking = manager.get(f"/records/new?worker={worker}&kind=personal&held_on={held_on}&booking={value}")
        assert "This booking is not one of your sessions" in booking.get_data(as_text=True)


def test_forms_refuse_ids_too_large_for_the_database_with_a_message(as_role, org):
    manager, admin = as_role("team_manager"), as_role("admin")
    too_large = str(MAX_ID + 1)
    response = manager.post_form("/cases/new", {"case_ref": "1234567", "case_type_code": "CIN",
                                                "worker_id": too_large, "allocated_on": "2026-01-05"})
    assert response.status_code == 400
    assert "Choose an active worker in a team you manage" in response.get_data(as_text=True)
    response = admin.post_form("/admin/teams/new", {"service_id": too_large, "name": "New", "office_base": "Here"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    response = admin.post_form("/admin/staff/new", {
        "email": "new@example.org", "name": "New", "team_id": too_large, "job_role": "Social worker",
        "employment_type": "permanent", "start_date": "2024-01-08", "role": "worker"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


# Sign-in: where ``next=`` may lead -------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%0d%0aSet-Cookie:x", "/%0aLocation:%20https://evil.example", "/%0d", "/%09/evil.example", "/%5Cevil.example",
    "/%5C%5Cevil.example", "//evil.example", "https://evil.example/", "/%00", "javascript:alert(1)",
])
def test_sign_in_never_follows_a_next_that_could_leave_the_site_or_break_the_redirect(client, org, target):
    assert client.get(f"/sign-in?next={target}").status_code == 200
    response = client.post_form(f"/sign-in?next={target}",
                                {"email": org["worker"].email, "password": factories.PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_sign_in_still_follows_a_local_next(client, org):
    response = client.post_form("/sign-in?next=/bookings/mine%3Fshow%3Dpast",
                                {"email": org["worker"].email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/bookings/mine?show=past"


# List pages: the pagination carries the list's own query arguments, never url_for's -------------------------

URL_FOR_ARGUMENTS = ("_method", "_external", "_anchor", "_scheme")
JUNK = "_method=x&_external=1&_anchor=y&_scheme=javascript&page=2"
PAGE_LINK = re.compile(r'class="govuk-link govuk-pagination__link" href="([^"]*)"\s+rel="(?:prev|next)"\s+'
                       r'hx-get="([^"]*)"')
# Each paged list: who sees it, and a filter of its own that the page links must keep.
LISTS = [
    ("admin", "/admin/staff", "show=all"),
    ("admin", "/admin/teams", "show=all"),
    ("admin", "/admin/audit", "person=system"),
    ("team_manager", "/records", "show=all"),
    ("team_manager", "/actions", ""),
    ("team_manager", "/cases", "show=open"),
    ("team_manager", "/bookings", "show=upcoming"),
    ("worker", "/bookings/mine", "show=upcoming"),
]


@pytest.fixture
def long_lists(make, org):
    """More than a page of every list (25 a page; cases, actions and the audit trail 50)."""
    north, worker, manager = org["teams"]["north"], org["worker"], org["team_manager"]
    today = dates.today()
    for n in range(30):
        make.staff(team=north)
        make.team(service=org["services"][0])
        make.record("personal", today - timedelta(days=n + 1), worker, manager)
        make.booking(worker, manager, factories.uk_time(today + timedelta(days=n + 1), 10))
    for n in range(55):
        make.case(None, "CIN", False, worker, today - timedelta(days=60))
        make.action(worker, manager, today + timedelta(days=n % 20 + 1))


def page_links(page: str) -> list[str]:
    return [url for pair in PAGE_LINK.findall(page) for url in pair]


@pytest.mark.usefixtures("long_lists")
@pytest.mark.parametrize(("role", "path", "kept"), LISTS)
def test_list_pages_ignore_url_for_arguments_in_their_query(as_role, role, path, kept):
    client = as_role(role)
    response = client.get(f"{path}?{kept}&{JUNK}" if kept else f"{path}?{JUNK}")
    assert response.status_code == 200
    links = page_links(response.get_data(as_text=True))
    assert links, f"{path}: no page links"
    for link in links:
        assert link.startswith(f"{path}?"), link  # a local address: no scheme, no host
        assert "#" not in link and not any(name in link for name in URL_FOR_ARGUMENTS), link
        assert "page=" in link and (not kept or kept in link), link
    htmx = client.get(f"{path}?{JUNK}", headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert all(not any(name in link for name in URL_FOR_ARGUMENTS) for link in page_links(htmx.get_data(as_text=True)))


def test_a_page_number_that_is_not_ascii_is_page_one(as_role):
    assert as_role("admin").get("/admin/staff?page=%C2%B2").status_code == 200  # ² is a digit to str.isdigit
    assert as_role("team_manager").get("/bookings/new?worker_id=%C2%B2").status_code == 200

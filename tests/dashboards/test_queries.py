"""Each dashboard costs the same number of SQL queries with 2 workers as with 22, however many cases,
actions, records, bookings and escalations they have."""

from __future__ import annotations

from datetime import date

import pytest

from tests.dashboards.conftest import soon


def _add_work(org, make, supervision, team_key, manager_key, workers=20):
    team, manager = org["teams"][team_key], org[manager_key]
    for n in range(workers):
        person = make.staff("worker", team, start_date=date(2026, 3, 16) if n % 5 == 0 else date(2024, 5, 1))
        _give_work(person, manager, supervision, n)


def _give_work(person, manager, supervision, n):
    overdue = supervision.case(person, "CP", date(2026, 1, 5), high_risk=n % 2 == 0)
    ok = supervision.case(person, "CIN", date(2026, 3, 1))
    supervision.record(person, manager, date(2026, 3, 2), cases=[ok], scaling=n % 11, status="signed_off")
    supervision.record(person, manager, date(2026, 3, 3), kind="personal", status="signed_off")
    supervision.action(person, manager, date(2026, 3, 10), case=overdue)
    supervision.booking(person, manager, soon(2 + n % 5), kind="case", cases=[overdue, ok])
    supervision.escalation(overdue, manager, date(2026, 3, 1 + n % 10))


PAGES = [
    ("team_manager", "/dashboard/team", "north", "team_manager"),
    ("team_manager", "/dashboard/team?sort=timescale&order=desc&show=overdue", "north", "team_manager"),
    ("team_manager", "/", "north", "team_manager"),
    ("service_manager", "/dashboard/service", "south", "south_manager"),
    ("service_manager", "/", "south", "south_manager"),
    ("qait", "/dashboard/qait", "yj", "service_manager"),
    ("qait", "/", "yj", "service_manager"),
]


@pytest.mark.parametrize(("role", "url", "team_key", "manager_key"), PAGES)
def test_dashboard_queries_do_not_grow_with_workers_or_cases(as_role, org, make, supervision, count_queries,
                                                           role, url, team_key, manager_key):
    _add_work(org, make, supervision, team_key, manager_key, workers=2)
    client = as_role(role)
    assert client.get(url).status_code == 200  # warm-up: sign-in and session bookkeeping
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add_work(org, make, supervision, team_key, manager_key)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count


@pytest.mark.parametrize("url", ["/dashboard/me", "/"])
def test_worker_dashboard_queries_do_not_grow_with_their_cases(as_role, org, supervision, count_queries, url):
    worker, manager = org["worker"], org["team_manager"]
    _give_work(worker, manager, supervision, 0)
    client = as_role("worker")
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(1, 21):
        _give_work(worker, manager, supervision, n)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count


def test_drill_down_queries_do_not_grow_with_cases(as_role, org, supervision, count_queries):
    worker, manager = org["worker"], org["team_manager"]
    _give_work(worker, manager, supervision, 0)
    client = as_role("team_manager")
    url = f"/dashboard/team/worker/{worker.id}"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(1, 21):
        _give_work(worker, manager, supervision, n)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count


def test_scaling_chart_queries_do_not_grow_with_scores(as_role, org, supervision, count_queries):
    case = supervision.case(org["worker"], "CP", date(2026, 1, 5))
    supervision.record(org["worker"], org["team_manager"], date(2026, 1, 6), cases=[case], scaling=3)
    client = as_role("team_manager")
    url = f"/dashboard/case/{case.id}/scaling"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(20):
        supervision.record(org["worker"], org["team_manager"], date(2026, 1, 7 + n), cases=[case], scaling=n % 11)
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count

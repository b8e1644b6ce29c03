"""``GET /api/v1/networks`` as CONTRACT.md declares it (issue 12 item 8): every network with its contact e-mail,
its pattern in plain words and its next 3 meetings from ``from`` as ISO local date-times, in JSON and CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest

from teamops import dates
from teamops.directory import networks
from teamops.directory.models import Network
from teamops.extensions import db
from tests.api.conftest import csv_dicts
from tests.directory.conftest import TODAY, make_network

FIELDS = ["name", "purpose", "contact_email", "meeting_rule", "next_meetings"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with dates.freeze(TODAY):
        yield


def test_the_networks_from_today(bearer: Any, network: Network) -> None:
    networks.add_exception(network, date(2026, 4, 21))
    db.session.commit()
    body = bearer("worker").get("/api/v1/networks").get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 100, 1)
    (item,) = body["items"]
    assert list(item) == FIELDS
    assert item == {"name": "Diversity advocates", "purpose": "Equality and inclusion across the service",
                    "contact_email": "worker@example.org",
                    "meeting_rule": "Monthly on the third Tuesday, 14:00 to 17:00",
                    "next_meetings": ["2026-03-17T14:00:00", "2026-05-19T14:00:00", "2026-06-16T14:00:00"]}


def test_from_a_date_with_a_moved_meeting(bearer: Any, network: Network) -> None:
    networks.add_exception(network, date(2026, 10, 20), date(2026, 10, 21), time(9, 30), time(12))
    db.session.commit()
    (item,) = bearer("qait").get("/api/v1/networks?from=2026-10-01").get_json()["items"]
    assert item["next_meetings"] == ["2026-10-21T09:30:00", "2026-11-17T14:00:00", "2026-12-15T14:00:00"]


def test_the_mailbox_when_no_contact_is_here(bearer: Any, org: dict[str, Any], network: Network) -> None:
    org["worker"].active = False
    db.session.commit()
    lonely = make_network(org["admin"], "Mentoring scheme", mailbox=None)
    lonely.rule = lonely.first_on = lonely.starts_at = lonely.ends_at = None
    db.session.commit()
    items = bearer("admin").get("/api/v1/networks").get_json()["items"]
    assert [(i["name"], i["contact_email"], i["meeting_rule"], i["next_meetings"]) for i in items] == [
        ("Diversity advocates", "diversity.advocates@example.org", "Monthly on the third Tuesday, 14:00 to 17:00",
         ["2026-03-17T14:00:00", "2026-04-21T14:00:00", "2026-05-19T14:00:00"]),
        ("Mentoring scheme", None, "No regular meetings", []),
    ]


def test_the_same_rows_as_csv(bearer: Any, network: Network) -> None:
    rows = csv_dicts(bearer("worker").get("/api/v1/networks?format=csv&from=2026-03-18"))
    assert rows == [{"name": "Diversity advocates", "purpose": "Equality and inclusion across the service",
                     "contact_email": "worker@example.org",
                     "meeting_rule": "Monthly on the third Tuesday, 14:00 to 17:00",
                     "next_meetings": "2026-04-21T14:00:00; 2026-05-19T14:00:00; 2026-06-16T14:00:00"}]


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "1800-01-01", ""])
def test_a_bad_from_is_a_400_naming_it(bearer: Any, network: Network, value: str) -> None:
    response = bearer("worker").get(f"/api/v1/networks?from={value}")
    assert response.status_code == 400 and response.get_json()["field"] == "from"


def test_signed_out_is_401(client: Any) -> None:
    assert client.get("/api/v1/networks").status_code == 401

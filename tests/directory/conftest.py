"""Helpers for the directory's tests: a network meeting on the third Tuesday with the worker as its chair, row
counts, and the form values of the network form."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops.directory import networks
from teamops.directory.models import Network
from teamops.directory.recurrence import MONTHLY_WEEKDAY, Pattern
from teamops.extensions import db
from tests.api.conftest import bearer  # noqa: F401 - a fixture, for the API tests

TODAY = date(2026, 3, 2)  # a Monday; the clocks go forward on 29 March


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def make_network(by: Any, name: str = "Diversity advocates", contacts: tuple[Any, ...] = (), **values: Any) -> Network:
    details = networks.Details(name=name, kind=values.pop("kind", "group"),
                               purpose=values.pop("purpose", "Equality and inclusion across the service"),
                               mailbox=values.pop("mailbox", "diversity.advocates@example.org"),
                               place="Riverside House", online=True, notes="Managers release staff to attend.")
    schedule = networks.Schedule(Pattern(MONTHLY_WEEKDAY, 1, 1, 3), date(2026, 1, 1), None, time(14), time(17))
    network = networks.save_network(None, details, schedule, by)
    for person, role in contacts:
        networks.add_contact(network, person, role, True, date(2026, 1, 5))
    db.session.commit()
    return network


def form_values(**changes: Any) -> dict[str, Any]:
    values = {"name": "Race champions", "kind": "group", "purpose": "Anti-racist practice in every team",
              "audience": "Race champions", "mailbox": "race.champions@example.org", "link": "", "place": "Online",
              "online": "y", "notes": "", "frequency": MONTHLY_WEEKDAY, "interval": "1", "weekday": "1",
              "position": "3", "month_day": "", "first_on-day": "1", "first_on-month": "1", "first_on-year": "2026",
              "until-day": "", "until-month": "", "until-year": "", "start_time": "14:00", "end_time": "17:00"}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


@pytest.fixture
def network(org: dict[str, Any]) -> Network:
    """Diversity advocates, monthly on the third Tuesday 14:00 to 17:00, chaired by the worker."""
    return make_network(org["admin"], contacts=((org["worker"], "chair"),))

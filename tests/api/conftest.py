"""Helpers for the reporting API tests: bearer clients and CSV parsing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask

from teamops.api.tokens import create_token
from teamops.extensions import db
from teamops.org.models import Staff


class BearerClient:
    """Sends ``Authorization: Bearer`` with every request and no cookies, as a reporting tool does."""

    def __init__(self, app: Flask, token: str) -> None:
        self.client = app.test_client(use_cookies=False)
        self.token = token

    def get(self, url: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.get(url, headers=headers, **kwargs)


@pytest.fixture
def bearer(app: Flask, org: dict[str, Any]) -> Any:
    """``bearer("team_manager")`` (or a Staff) gives a client that authenticates with a fresh API token."""

    def for_person(who: str | Staff) -> BearerClient:
        person = org[who] if isinstance(who, str) else who
        token = create_token(person, "tests")
        db.session.commit()
        return BearerClient(app, token)

    return for_person


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def csv_dicts(response: Any) -> list[dict[str, str]]:
    header, *body = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in body]

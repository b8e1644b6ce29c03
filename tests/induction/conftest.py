"""Helpers for the induction tests: the seeded templates and checklist items by kind or code, row counts, and
the import tests' fixtures (for opening an induction by import); for the checklist's, a starter in North with an
induction from Monday 30 November 2026, whose team's business-support contact is the worker."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops.extensions import db
from teamops.induction.models import InductionItem
from teamops.induction.template_models import ChecklistItem, InductionTemplate
from tests.conftest import sign_in
from tests.imports.conftest import import_cli, write_csv  # noqa: F401 - fixtures

TODAY = date(2026, 12, 2)  # a Wednesday: day 3 of an induction from Monday 30 November


def template_of(kind: str) -> InductionTemplate:
    return db.session.scalars(select(InductionTemplate).where(InductionTemplate.kind == kind)
                              .order_by(InductionTemplate.id).limit(1)).one()


def item_of(code: str) -> ChecklistItem:
    return db.session.scalars(select(ChecklistItem).where(ChecklistItem.code == code)).one()


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def admin(as_role: Any) -> Any:
    return as_role("admin")


@pytest.fixture
def starter(make: Any, org: dict[str, Any]) -> Any:
    person = make.staff("worker", org["teams"]["north"], email="nico@example.org", name="Nico Fraser",
                        start_date=date(2026, 11, 30))
    person.line_manager = org["team_manager"]
    org["services"][0].induction_group = "csc"
    org["teams"]["north"].business_support = org["worker"]  # Wren Worker confirms the office items
    db.session.commit()
    return person


@pytest.fixture
def induction(make: Any, starter: Any) -> Any:
    return make.induction(starter)


def item(induction: Any, code: str) -> InductionItem:
    """The induction's copy of the checklist item ``code``, as the database holds it now."""
    found = next(i for i in induction.items if i.code == code)
    db.session.refresh(found)
    return found


def signed_in(app: Any, person: Any) -> Any:
    """A client signed in as ``person`` (inside a test's frozen day, so the session is that day's)."""
    client = app.test_client()
    sign_in(client, person)
    return client

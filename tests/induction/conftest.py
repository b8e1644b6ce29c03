"""Helpers for the induction tests: the seeded templates and checklist items by kind or code, row counts, and
the import tests' fixtures (for opening an induction by import)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from teamops.extensions import db
from teamops.induction.template_models import ChecklistItem, InductionTemplate
from tests.imports.conftest import import_cli, write_csv  # noqa: F401 - fixtures


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

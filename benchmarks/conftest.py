"""Benchmarks reuse the test fixtures (migrated database template, apps built as in the tests) and collect
``bench_*.py`` files: ``make bench`` runs ``pytest -q benchmarks --benchmark-only``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from teamops.extensions import db
from tests.conftest import BACKEND

pytest_plugins = ["tests.conftest"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Module | None:
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def fresh_database(database_template: str, tmp_path: Path) -> Callable[[], str]:
    """Each call gives the URL of an empty, migrated database (a new SQLite copy, or PostgreSQL truncated)."""
    count = 0

    def fresh() -> str:
        nonlocal count
        count += 1
        if BACKEND == "postgresql":
            engine = sqlalchemy.create_engine(database_template)
            with engine.begin() as connection:
                tables = ", ".join(t.name for t in db.metadata.sorted_tables)
                connection.execute(sqlalchemy.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            engine.dispose()
            return database_template
        path = tmp_path / f"bench-{count}.sqlite"
        shutil.copy(database_template, path)
        return f"sqlite:///{path}"

    return fresh


def report_seconds(benchmark: Any) -> float | None:
    """The slowest measured round, or None when benchmarking is disabled (a plain ``pytest`` run)."""
    stats = getattr(benchmark, "stats", None)
    return float(stats.stats.max) if stats is not None else None

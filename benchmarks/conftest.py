"""Benchmarks reuse the test fixtures (migrated database template, apps built as in the tests) and collect
``bench_*.py`` files: ``make bench`` runs ``pytest -q benchmarks --benchmark-only``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from flask import Flask

from teamops.extensions import db
from tests.conftest import BACKEND, make_app

pytest_plugins = ["tests.conftest"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Module | None:
    # A file named on the command line is collected by pytest itself; collecting it here too would run it twice.
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not parent.session.isinitpath(file_path):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def new_app() -> Iterator[Callable[[str], Flask]]:
    """Builds apps like the tests do, and closes their database connections at the end."""
    apps: list[Flask] = []

    def build(url: str) -> Flask:
        app = make_app(url)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


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

"""Fixtures in the flaskr/Indico style: app, database per test, client, runner, factories, signed-in
clients per role, and a query counter. TEAMOPS_TEST_DATABASE=postgresql runs everything on PostgreSQL."""

from __future__ import annotations

import contextvars
import importlib.util
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from teamops import ROOT, create_app
from teamops.dashboards.figures import forget_figures
from teamops.extensions import db
from teamops.kept import forget_pages
from teamops.org.models import Staff
from tests.databases import postgresql_server
from tests.factories import PASSWORD, Factory

BACKEND = os.environ.get("TEAMOPS_TEST_DATABASE", "sqlite")
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def make_app(url: str, **extra: Any) -> Flask:
    settings = {"database_url": url, "environment": "testing", "secret_key": "test-secret-key", **extra}
    return create_app(settings)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The schema built once per run by the real migrations (never ``create_all``)."""
    if BACKEND == "postgresql":
        with postgresql_server() as url:
            app = make_app(url)
            with app.app_context():
                upgrade()
                db.engine.dispose()
            yield url
    else:
        path = tmp_path_factory.mktemp("db") / "template.sqlite"
        app = make_app(f"sqlite:///{path}")
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield str(path)


@contextmanager
def fresh_database(template: str, directory: Path) -> Iterator[str]:
    """A database holding only what the migrations make: a copy of the SQLite template in ``directory``, or
    the PostgreSQL test database, truncated back to that state afterwards."""
    if BACKEND == "postgresql":
        try:
            yield template
        finally:
            engine = sqlalchemy.create_engine(template)
            with engine.begin() as connection:
                tables = [t.name for t in db.metadata.sorted_tables]
                connection.execute(sqlalchemy.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                _restore_seeded_policy(connection)
            engine.dispose()
    else:
        path = directory / "test.sqlite"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    with fresh_database(database_template, tmp_path) as url:
        yield url


def _restore_seeded_policy(connection: sqlalchemy.Connection) -> None:
    """Puts back the rows the migrations seed (the default supervision policy, the induction templates, the
    champion areas) after a truncate."""
    spec = importlib.util.spec_from_file_location("seed", ROOT / "migrations" / "versions" / "0002_supervision.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    connection.execute(sqlalchemy.text(
        "INSERT INTO case_types (code, label, interval_count, interval_unit, first_due_on_allocation, source_note) "
        "VALUES (:code, :label, :count, :unit, :first, :note)"),
        [dict(zip(("code", "label", "count", "unit", "first", "note"), row, strict=True))
         for row in module.DEFAULT_CASE_TYPES])
    plain = importlib.util.spec_from_file_location("plain", ROOT / "migrations" / "versions" / "0016_plain_sources.py")
    assert plain and plain.loader
    sources = importlib.util.module_from_spec(plain)
    plain.loader.exec_module(sources)
    connection.execute(sqlalchemy.text("UPDATE case_types SET source_note = :new WHERE source_note = :old"),
                       [{"old": old, "new": new} for old, new in sources.CHANGES])
    connection.execute(sqlalchemy.text(
        "INSERT INTO supervision_settings (id, case_cap_months, high_risk_cap_months, personal_interval_months, "
        "asye_interval_count, asye_interval_unit) VALUES (1, 2, 1, 1, 1, 'months')"))
    induction = importlib.util.spec_from_file_location(
        "induction", ROOT / "migrations" / "versions" / "0017_inductions.py")
    assert induction and induction.loader
    templates = importlib.util.module_from_spec(induction)
    induction.loader.exec_module(templates)
    templates.seed_templates(connection)  # the induction templates and checklist (R-IND-15)
    directory = importlib.util.spec_from_file_location(
        "directory", ROOT / "migrations" / "versions" / "0020_directory.py")
    assert directory and directory.loader
    areas = importlib.util.module_from_spec(directory)
    directory.loader.exec_module(areas)
    areas.seed_areas(connection)  # the champion areas (issue 12)


class Client(FlaskClient):
    """A test client that sends the session's CSRF token with every form post, as the browser does.

    Each request runs in a fresh context, as in production: its own app context, ``g`` and database
    session, not the test's. Afterwards the test's session starts a new transaction so it sees the changes.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.rollback()
        return response

    def csrf_token(self) -> str:
        page = self.get("/sign-in").get_data(as_text=True)
        match = CSRF_PATTERN.search(page)
        if match is None:  # already signed in: the sign-in page redirects
            page = self.get("/account/password").get_data(as_text=True)
            match = CSRF_PATTERN.search(page)
        assert match is not None, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory()


def sign_in(client: Client, person: Staff, password: str = PASSWORD) -> Any:
    response = client.post_form("/sign-in", {"email": person.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def org(make: Factory) -> dict[str, Any]:
    """Two services; in the first, two teams. One person per role, plus workers in each team."""
    csc = make.service("Children's Social Care")
    other_service = make.service("Youth Justice")
    north = make.team("Family Safeguarding North", csc)
    south = make.team("Family Safeguarding South", csc)
    yj = make.team("Youth Justice Team", other_service)
    people = {
        "admin": make.staff("admin", north, email="admin@example.org", name="Ada Admin"),
        "qait": make.staff("qait", north, email="qait@example.org", name="Quinn QAIT"),
        "service_manager": make.staff("service_manager", north, email="sm@example.org", name="Sam Service"),
        "team_manager": make.staff("team_manager", north, email="tm@example.org", name="Tia Manager"),
        "worker": make.staff("worker", north, email="worker@example.org", name="Wren Worker"),
        "south_manager": make.staff("team_manager", south, email="south.tm@example.org", name="Sol South"),
        "south_worker": make.staff("worker", south, email="south.worker@example.org", name="Sid South"),
        "yj_worker": make.staff("worker", yj, email="yj.worker@example.org", name="Yas Justice"),
    }
    # The service manager line-manages both team managers of their service, so reaches both teams (R-ORG-1).
    people["team_manager"].line_manager = people["south_manager"].line_manager = people["service_manager"]
    db.session.commit()
    return {"services": (csc, other_service), "teams": {"north": north, "south": south, "yj": yj}, **people}


@pytest.fixture
def as_role(app: Flask, org: dict[str, Any]) -> Any:
    """``as_role("team_manager")`` gives a client signed in as that person in ``org``."""

    def signed_in(role: str) -> Client:
        client: Client = app.test_client()  # type: ignore[assignment]
        sign_in(client, org[role])
        return client

    return signed_in


class QueryCounter:
    """How many SQL statements were sent, and the most bound parameters any one of them had."""

    def __init__(self) -> None:
        self.count = 0
        self.most_parameters = 0

    def __call__(self, connection: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        self.count += 1
        if parameters and not executemany:
            self.most_parameters = max(self.most_parameters, len(parameters))


@contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    """Counts the SQL statements sent on the current app's engine inside the ``with`` block. The dashboards'
    figures cache and the kept pages start empty, so what is counted is a page's full cost, not a copy."""
    forget_figures()
    forget_pages()
    counter = QueryCounter()
    engine = db.engine
    sqlalchemy.event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", counter)


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """``with count_queries() as counter: ...`` then ``counter.count`` is the number of SQL statements."""
    return counting_queries

"""The pool's connections to a database server: one dropped while it waited (the server restarted, a failover,
an idle time-out) is noticed before a request uses it, without testing every connection on every request."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy

import teamops
from teamops.extensions import db
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite has no server connection to lose")


@pytest.fixture
def pings(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the connection tests the pool makes (they go straight to the driver, so no statement event sees
    them)."""
    made: list[int] = []
    with app.app_context():
        dialect = type(db.engine.dialect)
    real = dialect.do_ping

    def counting(self: Any, dbapi_connection: Any) -> bool:
        made.append(1)
        return bool(real(self, dbapi_connection))

    monkeypatch.setattr(dialect, "do_ping", counting)
    return made


def _terminate_others(app: Any) -> None:
    """What a server restart does to the connections waiting in the app's pool."""
    engine = sqlalchemy.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sqlalchemy.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    engine.dispose()


def test_a_connection_dropped_while_idle_is_replaced_not_a_500(app, client, pings, monkeypatch):
    assert client.get("/health").status_code == 200  # a connection now waits in the pool
    _terminate_others(app)
    monkeypatch.setattr(teamops, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert client.get("/health").status_code == 200
    assert pings == [1]


def test_a_busy_pool_is_not_tested_on_every_request(client, pings):
    for _ in range(3):
        assert client.get("/health").status_code == 200
    assert pings == []

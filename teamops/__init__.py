"""TeamOps: daily operations for children's social care teams."""

from __future__ import annotations

import sqlite3
import time
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event, exc
from sqlalchemy.engine import Dialect, Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from teamops import (
    api,
    audit,
    auth,
    bookings,
    cases,
    dashboards,
    directory,
    home,
    imports,
    induction,
    models,
    org,
    policy,
    privacy,
    quality,
    records,
    reminders,
    returns,
    security,
    tokens,
    web,
)
from teamops.api.tokens import load_bearer
from teamops.audit import services as audit_trail
from teamops.auth import sso
from teamops.auth.services import load_staff
from teamops.cli import cli
from teamops.config import load_config
from teamops.dashboards import versions as figures_versions
from teamops.extensions import csrf, db, htmx, login_manager, migrate
from teamops.org import memberships

# Every domain package: its ``bp`` blueprint, and a ``routes`` module whose routes join it.
DOMAINS = (auth, home, org, audit, imports, cases, policy, bookings, records, dashboards, api, tokens, induction,
           directory, returns, quality, reminders, privacy)

ROOT = Path(__file__).resolve().parent.parent
__all__ = ["ROOT", "create_app", "models"]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite settings for a multi-user web app: enforced foreign keys, WAL, a busy wait, durable commits."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


# A database server can drop a connection while it waits in the pool (a restart, a failover, an idle time-out):
# one that waited longer than this is tested before it is used, and replaced if it is gone. Under load they
# come back within milliseconds and are not tested: SQLAlchemy's pool_pre_ping tests every one, a round trip
# on every request. A SQLite file has no connection to lose.
PING_AFTER_IDLE_SECONDS = 10.0


def _note_checkin(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info["checked_in_at"] = time.monotonic()


def _ping_after_idle(dialect: Dialect, dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    returned = connection_record.info.get("checked_in_at")  # None: made just now
    if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error:
        alive = False
    if not alive:
        raise exc.DisconnectionError("the database closed this connection")  # the pool makes another


def _ping_idle_connections(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" or event.contains(engine, "checkin", _note_checkin):
        return
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", partial(_ping_after_idle, engine.dialect))


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind ``hops`` reverse proxies, the client's address and scheme are what the nearest ``hops`` of them
    put in X-Forwarded-For/-Proto: without that, everyone shares the proxy's address, so the sign-in
    throttle and the audit trail cannot tell people apart. With none (the default) the headers are ignored,
    as anyone can send them. Host is not taken from X-Forwarded-Host: the proxies forward Host itself."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Builds the app. Never migrates: run ``flask --app wsgi db upgrade`` (``make run`` does)."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    settings = load_config(Path(app.instance_path), config)
    app.config.from_mapping(settings.flask_settings())
    app.config["TEAMOPS"] = settings
    _trust_proxies(app, settings.trusted_proxies)

    db.init_app(app)
    with app.app_context():
        _ping_idle_connections(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_staff)
    login_manager.request_loader(load_bearer)
    csrf.init_app(app)
    htmx.init_app(app)
    audit_trail.init_app(app)
    figures_versions.init_app(app)
    memberships.init_app(app)
    web.init_app(app)
    sso.init_app(app, settings)
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    for domain in DOMAINS:
        import_module(f"{domain.__name__}.routes")  # its routes join the domain's blueprint
        app.register_blueprint(domain.bp)
    app.cli.add_command(cli)
    security.init_app(app)
    return app

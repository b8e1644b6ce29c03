"""TeamOps: daily operations for children's social care teams."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from teamops.config import load_config
from teamops.extensions import csrf, db, htmx, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


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

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    _setup_templates(app)

    from teamops import models, security  # noqa: F401 - models registers every table
    from teamops.admin.routes import bp as admin_bp
    from teamops.api.routes import bp as api_bp
    from teamops.audit.routes import bp as audit_bp
    from teamops.auth.routes import bp as auth_bp
    from teamops.bookings.routes import bp as bookings_bp
    from teamops.cases.routes import bp as cases_bp
    from teamops.cli import cli
    from teamops.dashboards.routes import bp as dashboards_bp
    from teamops.home.routes import bp as home_bp
    from teamops.imports.routes import bp as imports_bp
    from teamops.policy.routes import bp as policy_bp
    from teamops.records.routes import bp as records_bp

    for blueprint in (auth_bp, home_bp, admin_bp, audit_bp, imports_bp, cases_bp, policy_bp, bookings_bp,
                      records_bp, dashboards_bp, api_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(cli)
    security.install(app)
    return app


def _setup_templates(app: Flask) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    from teamops import templating

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    templating.install(app)

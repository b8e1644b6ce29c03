"""The migrations build exactly the models' schema, and every revision goes down and up again.
Runs on SQLite and, with TEAMOPS_TEST_DATABASE=postgresql, on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from teamops.extensions import db


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def revisions(app) -> list[str]:
    config = app.extensions["migrate"].migrate.get_config()
    return [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]


def test_migrations_build_exactly_the_models_schema(app):
    assert schema_differences() == []


def test_every_revision_downgrades_and_upgrades(app):
    steps = revisions(app)
    for _ in steps:
        downgrade(revision="-1")
    db.engine.dispose()
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    for _ in steps:
        upgrade(revision="+1")
    db.engine.dispose()
    assert schema_differences() == []
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables

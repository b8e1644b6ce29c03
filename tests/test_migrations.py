"""The migrations build exactly the models' schema, and every revision goes down and up again.
Runs on SQLite and, with TEAMOPS_TEST_DATABASE=postgresql, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.types import UTCDateTime


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


# 0005_api_token_expiry (issue 7 item 11) ---------------------------------------------------------------------

TOKEN_EXPIRY = "0005_api_token_expiry"
OLD_COLUMNS = {"id": sa.Integer(), "staff_id": sa.Integer(), "token_hash": sa.String(), "label": sa.String(),
               "created_at": UTCDateTime()}
OLD_TOKENS = sa.table("api_tokens", *(sa.column(name, kind) for name, kind in OLD_COLUMNS.items()))
TOKENS = sa.table("api_tokens", *(sa.column(name, kind) for name, kind in OLD_COLUMNS.items()),
                  sa.column("expires_at", UTCDateTime()), sa.column("revoked_at", UTCDateTime()))


def before_token_expiry(app) -> str:
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(TOKEN_EXPIRY).down_revision


def test_tokens_made_before_expiry_existed_expire_a_year_after_they_were_made(app, org):
    worker_id = org["worker"].id
    db.session.remove()  # no transaction of the test's may hold a lock the migrations wait for (PostgreSQL)
    downgrade(revision=before_token_expiry(app))
    made = [datetime(2025, 3, 10, 9, 30, tzinfo=UTC), datetime(2024, 2, 29, 23, 0, tzinfo=UTC)]
    with db.engine.begin() as connection:
        connection.execute(OLD_TOKENS.insert(), [
            {"id": n, "staff_id": worker_id, "token_hash": f"{n:064x}", "label": "", "created_at": when}
            for n, when in enumerate(made, start=1)])
    upgrade(revision=TOKEN_EXPIRY)
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(TOKENS.c.expires_at, TOKENS.c.revoked_at).order_by(TOKENS.c.id)).all()
    assert rows == [(datetime(2026, 3, 10, 9, 30, tzinfo=UTC), None), (datetime(2025, 2, 28, 23, 0, tzinfo=UTC), None)]
    upgrade()


def test_going_back_before_expiry_deletes_revoked_and_expired_tokens_rather_than_revive_them(app, org):
    from teamops.api.models import ApiToken
    from teamops.api.tokens import create_token, revoke_tokens

    create_token(org["worker"], "revoked")
    revoke_tokens(org["worker"])
    create_token(org["qait"], "expired")
    db.session.scalar(sa.select(ApiToken).where(ApiToken.label == "expired")).expires_at = utcnow()
    create_token(org["qait"], "live")
    db.session.commit()
    db.session.remove()
    downgrade(revision=before_token_expiry(app))
    with db.engine.connect() as connection:
        assert connection.execute(sa.select(TOKENS.c.label)).scalars().all() == ["live"]
    upgrade()

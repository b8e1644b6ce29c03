"""Backups and restore checks (CONTRACT.md ``backup PATH``; issue 16 item 5).

On SQLite, ``backup`` copies the live database with SQLite's online backup API, in one step: one read transaction,
so the copy is the database at one moment. The app's database is in WAL mode, where a reader never blocks a
writer, so the app goes on writing meanwhile (in several small steps, each write by another connection would
make SQLite start the copy again, and a busy app would keep it from ever finishing). The copy is then checked
(``PRAGMA integrity_check`` and ``foreign_key_check``). On
PostgreSQL, ``pg_dump`` makes the consistent copy (README "Backups and restore"); TeamOps does not wrap it.

``check_restore`` verifies a restored copy: the schema is at the migrations' head, every table is there, the
database's own integrity checks pass, and, given the source, every table has the same rows (a count and a digest
of every row, read in primary-key order).
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, Engine, MetaData, func, inspect, select

from teamops.extensions import db


class BackupRefused(Exception):
    """The backup was not made: why, in words for the operator."""


def backup_sqlite(destination: Path) -> None:
    """Copies the app's SQLite database to ``destination`` (a new file) while the app goes on writing."""
    if db.engine.dialect.name != "sqlite":
        raise BackupRefused("This database is PostgreSQL: back it up with pg_dump (README \"Backups and "
                            "restore\"), for example: pg_dump --format=custom --file=teamops.dump DATABASE_URL")
    if destination.exists():
        raise BackupRefused(f"{destination} already exists: give a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    raw = db.engine.raw_connection()
    target = sqlite3.connect(destination)
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        source.backup(target, pages=-1)  # the whole database in one step: one consistent moment
    finally:
        target.close()
        raw.close()
    problems = sqlite_problems(destination)
    if problems:
        destination.unlink()
        raise BackupRefused("The copy failed its integrity check and was removed: " + "; ".join(problems))


def sqlite_problems(path: Path) -> list[str]:
    """What SQLite's own checks find wrong in the database file (nothing: an empty list)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = [row[0] for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"]
        found += [f"a row of {table} (rowid {rowid}) refers to a missing row of {parent}"
                  for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")]
    finally:
        connection.close()
    return found


@dataclass
class TableState:
    rows: int
    digest: str


@dataclass
class RestoreReport:
    tables: dict[str, TableState] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(state.rows for state in self.tables.values())


def table_states(connection: Connection, metadata: MetaData) -> dict[str, TableState]:
    """Every table's row count and a SHA-256 of its rows in primary-key order, as the database returns them."""
    states = {}
    for table in metadata.sorted_tables:
        digest, rows = hashlib.sha256(), 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in connection.execute(select(table).order_by(*order)).yield_per(1000):
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
            rows += 1
        states[table.name] = TableState(rows, digest.hexdigest())
    return states


def _head() -> str | None:
    migrate = current_app.extensions["migrate"]  # Flask-Migrate's settings: its Migrate and the directory
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return script.get_current_head()


def check_restore(restored: Engine, source: Engine | None = None) -> RestoreReport:
    """Checks the restored database, and with ``source`` that it holds the same rows, table by table."""
    report = RestoreReport()
    metadata = db.metadata
    with restored.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        head = _head()
        if current != head:
            report.problems.append(f"the schema is at migration {current}, not at the head {head}")
        present = set(inspect(connection).get_table_names())
        missing = [table.name for table in metadata.sorted_tables if table.name not in present]
        report.problems += [f"table {name} is missing" for name in missing]
        if missing:
            return report
        if restored.dialect.name == "sqlite" and restored.url.database:
            report.problems += sqlite_problems(Path(restored.url.database))
        # (PostgreSQL checked every constraint as pg_restore loaded the rows.)
        report.tables = table_states(connection, metadata)
    if source is not None:
        with source.connect() as connection:
            expected = table_states(connection, metadata)
        for name, state in expected.items():
            got = report.tables.get(name)
            if got is None or got.rows != state.rows:
                report.problems.append(f"{name}: {got.rows if got else 0} rows, the source has {state.rows}")
            elif got.digest != state.digest:
                report.problems.append(f"{name}: the same number of rows ({state.rows}), but not the same rows")
    return report


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows each of TeamOps's tables holds."""
    with engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in db.metadata.sorted_tables}

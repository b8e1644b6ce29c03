"""Backups and the restore drill (CONTRACT.md ``backup PATH``; issue 16 item 5).

SQLite: ``backup`` copies the database while another connection keeps writing; the copy passes SQLite's integrity
checks, is one consistent moment (the rows written during the copy are all there up to one point and none after
it), and, restored, holds every row (``check-restore --against``). PostgreSQL: ``pg_dump`` and ``pg_restore`` into
a new database, then ``check-restore`` proves every row came back, and finds a row that did not.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select, text

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.reminders.models import Notification
from tests import factories
from tests.conftest import BACKEND, make_app
from tests.databases import _pg_bin

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _some_rows(org: dict[str, Any]) -> None:
    for n in range(30):
        factories.case(f"N-BAK-{n}", "CP", n % 3 == 0, org["worker"], date(2026, 6, 1 + n % 28))
    db.session.commit()


@pytest.mark.skipif(BACKEND != "sqlite", reason="the SQLite online backup; PostgreSQL's drill is below")
def test_a_backup_made_while_the_app_writes_is_one_moment_and_restores_every_row(app, org, runner, tmp_path):
    _some_rows(org)
    writer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    stop, written, failed = threading.Event(), [], []
    worker_id = org["worker"].id

    def write() -> None:  # another process's requests, one committed row at a time
        n = 0
        try:
            while not stop.is_set():
                with writer.begin() as connection:
                    connection.execute(insert(Notification).values(staff_id=worker_id, line=f"during {n}",
                                                                      path="/", created_at=utcnow()))
                written.append(n)
                n += 1
        except Exception as error:  # shown by the test
            failed.append(error)
            raise

    def wait_for(count: int) -> None:
        for _ in range(1000):
            if len(written) >= count or failed:
                break
            threading.Event().wait(0.01)
        assert not failed and len(written) >= count, failed

    thread = threading.Thread(target=write)
    thread.start()
    try:
        wait_for(20)
        copy = tmp_path / "backups" / "teamops.sqlite"
        result = runner.invoke(args=["teamops", "backup", str(copy)])
        wait_for(len(written) + 5)  # and a few more after it
    finally:
        stop.set()
        thread.join(30)
        writer.dispose()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up to {copy}:") and "integrity check passed" in result.output
    copied = create_engine(f"sqlite:///{copy}")
    with copied.connect() as connection:
        lines = list(connection.scalars(select(Notification.line).where(Notification.line.like("during %"))
                                        .order_by(Notification.id)))
        cases = connection.scalar(text("SELECT count(*) FROM cases"))
    copied.dispose()
    assert lines == [f"during {n}" for n in range(len(lines))] and len(lines) >= 20  # a prefix: one moment
    assert cases == 30
    # The restore: the copy put in place of a lost database, checked against the backup it came from.
    restored = tmp_path / "restored.sqlite"
    shutil.copyfile(copy, restored)
    restored_app = make_app(f"sqlite:///{restored}")
    with restored_app.app_context():  # the command runs in this app's context, not the test's
        check = restored_app.test_cli_runner().invoke(args=["teamops", "check-restore", "--against",
                                                            f"sqlite:///{copy}"])
        db.engine.dispose()
    assert check.exit_code == 0, check.output
    assert "every table matches the source" in check.output and "cases: 30 rows" in check.output


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's own backup command")
def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    taken = tmp_path / "taken.sqlite"
    taken.write_text("keep me")
    result = runner.invoke(args=["teamops", "backup", str(taken)])
    assert result.exit_code == 1 and "already exists" in result.output and taken.read_text() == "keep me"


@pytest.mark.skipif(BACKEND != "postgresql", reason="pg_dump and pg_restore need the PostgreSQL server")
def test_pg_dump_and_pg_restore_bring_every_row_back_and_check_restore_proves_it(app, org, runner, tmp_path):
    _some_rows(org)
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    told = runner.invoke(args=["teamops", "backup", str(tmp_path / "x")])
    assert told.exit_code == 1 and "pg_dump" in told.output
    bin_dir = _pg_bin()
    assert bin_dir is not None
    plain = source_url.replace("postgresql+psycopg://", "postgresql://")
    dump = tmp_path / "teamops.dump"
    subprocess.run([str(bin_dir / "pg_dump"), "--format=custom", f"--file={dump}", plain], check=True)
    server, _, name = plain.rpartition("/")
    restored_name = f"{name}_restored"
    admin = create_engine(source_url.rpartition("/")[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}"'))
        connection.execute(text(f'CREATE DATABASE "{restored_name}"'))
    try:
        subprocess.run([str(bin_dir / "pg_restore"), "--no-owner", "--exit-on-error",
                        f"--dbname={server}/{restored_name}", str(dump)], check=True)
        restored_url = source_url.rpartition("/")[0] + f"/{restored_name}"
        restored_app = make_app(restored_url)
        with restored_app.app_context():  # the command runs in this app's context, not the test's
            check = restored_app.test_cli_runner().invoke(args=["teamops", "check-restore", "--against", source_url])
        assert check.exit_code == 0, check.output
        assert "every table matches the source" in check.output and "cases: 30 rows" in check.output
        # A row that did not come back is found, by table.
        with restored_app.app_context():
            db.session.execute(text("DELETE FROM case_allocations WHERE id = (SELECT min(id) FROM case_allocations)"))
            db.session.commit()
            again = restored_app.test_cli_runner().invoke(args=["teamops", "check-restore", "--against", source_url])
            db.session.remove()
            db.engine.dispose()
        assert again.exit_code == 1 and "case_allocations: 29 rows, the source has 30" in again.output
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'))
        admin.dispose()

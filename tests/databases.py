"""Test databases: a migrated SQLite template copied per test, or a real PostgreSQL server started from the
installed binaries (as the ``postgres`` user when the tests run as root) and truncated between tests."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("TEAMOPS_REQUIRE_FULL_SUITE") == "1"


def missing(reason: str) -> None:
    """Skip on a developer machine without the binaries; fail in CI, where skipping would hide a gap."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (TEAMOPS_REQUIRE_FULL_SUITE=1: this must run in CI)", pytrace=False)
    pytest.skip(reason)


def _pg_bin() -> Path | None:
    def version(bin_dir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bin_dir.parent.name.split(".") if part.isdigit())

    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True):
        if (base / "initdb").exists() and (base / "pg_ctl").exists():
            return base
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], what: str) -> None:
    """Runs a server command; on failure, says which step failed and shows what it printed."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {result.returncode}): {' '.join(command)}\n"
                           f"{result.stdout}{result.stderr}")


def _server_log(root: Path) -> str:
    log = root / "log"
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no server log)"


@contextmanager
def postgresql_server() -> Iterator[str]:
    """Starts a throwaway PostgreSQL server; yields a SQLAlchemy URL to an empty database."""
    import sqlalchemy

    bin_dir = _pg_bin()
    if bin_dir is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    assert bin_dir is not None
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        # PostgreSQL refuses to run as root: run it as the `postgres` account the Debian package creates.
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing("running as root needs the `postgres` account (apt-get install postgresql)")
        prefix = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="teamops-pg-"))
    data = root / "data"
    if as_root:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o755)
    port = _free_port()
    pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "teamops", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"], "initdb")
        try:
            _run([*pg_ctl, "-l", str(root / "log"), "-w", "-t", "60", "-o",
                  f"-p {port} -k {root} -h 127.0.0.1 -F -c fsync=off -c full_page_writes=off"
                  " -c synchronous_commit=off", "start"], "pg_ctl start")
        except RuntimeError as error:
            raise RuntimeError(f"{error}\nserver log:\n{_server_log(root)}") from None
        started = True
        url = f"postgresql+psycopg://teamops@127.0.0.1:{port}/postgres"
        engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            for attempt in range(50):
                try:
                    with engine.connect() as connection:
                        connection.execute(sqlalchemy.text("CREATE DATABASE teamops_test"))
                    break
                except sqlalchemy.exc.OperationalError:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
        finally:
            engine.dispose()
        yield f"postgresql+psycopg://teamops@127.0.0.1:{port}/teamops_test"
    finally:
        if started:
            subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)

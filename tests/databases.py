"""Test databases: a migrated SQLite template copied per test, or a real PostgreSQL server started from the
installed binaries (as the ``postgres`` user when the tests run as root) and truncated between tests."""

from __future__ import annotations

import os
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
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists() and (base / "pg_ctl").exists():
            return base
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def postgresql_server() -> Iterator[str]:
    """Starts a throwaway PostgreSQL server; yields a SQLAlchemy URL to an empty database."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    assert bin_dir is not None
    root = Path(tempfile.mkdtemp(prefix="teamops-pg-"))
    data = root / "data"
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True)  # noqa: E731
    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "teamops", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
        f"-p {port} -k {root} -h 127.0.0.1 -F -c fsync=off -c full_page_writes=off", "start")
    try:
        url = f"postgresql+psycopg://teamops@127.0.0.1:{port}/postgres"
        import sqlalchemy

        engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        for _ in range(50):
            try:
                with engine.connect() as connection:
                    connection.execute(sqlalchemy.text("CREATE DATABASE teamops_test"))
                break
            except sqlalchemy.exc.OperationalError:
                time.sleep(0.1)
        engine.dispose()
        yield f"postgresql+psycopg://teamops@127.0.0.1:{port}/teamops_test"
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)

"""Schemathesis against the OpenAPI document with every check (issue 7 item 9): every request the document
calls valid is accepted, every answer matches the document (status, content type, headers, body), a method
the document does not list answers 405 with ``Allow``, and no request is answered without authentication.

It runs the real ``st`` command, as QAIT's tool builders would, against the app served over HTTP on this
machine, for a token of QAIT (everything in reach) and of a team manager (403 outside their teams)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from teamops.api.tokens import create_token
from teamops.demo import seed_demo
from teamops.extensions import db
from teamops.org.models import Staff

ST = Path(sys.executable).parent / "st"


@pytest.fixture
def served(app):
    """The app with the demo organisation, served over HTTP from a thread."""
    seed_demo()
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def _token(email: str) -> str:
    person = db.session.scalar(db.select(Staff).where(Staff.email == email))
    token = create_token(person, "schemathesis")
    db.session.commit()
    return token


@pytest.mark.parametrize("email", ["qait@example.org", "manager@example.org"])
def test_schemathesis_finds_nothing_with_every_check(served, email, tmp_path):
    if not ST.exists():
        pytest.fail(f"schemathesis is not installed at {ST} (make install installs the dev dependencies)")
    result = subprocess.run(
        [str(ST), "run", f"{served}/api/v1/openapi.json", "--checks", "all", "--max-examples", "60",
         "--seed", "20261201", "--no-color", "--header", f"Authorization: Bearer {_token(email)}"],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)  # its cache stays out of the repo
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout

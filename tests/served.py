"""TeamOps served by real gunicorn, as production runs it, on this run's test database (the SQLite file or the
tests' PostgreSQL server): for the races and the crash test (issue 16 items 4 and 5). Requests go over HTTP
with ``requests``; the server runs in its own process group so a test can ``kill -9`` the master and every
worker at once."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from benchmarks.load import app_env, free_port
from teamops import ROOT
from tests.conftest import CSRF_PATTERN
from tests.factories import PASSWORD

START_TIMEOUT_SECONDS = 60.0


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return self.base + path

    def kill(self) -> None:
        """``kill -9`` of the master and its workers: the whole process group, nothing shut down cleanly."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else "(no log)"


@contextmanager
def served(database_url: str, log: Path, workers: int = 3) -> Iterator[Server]:
    """``gunicorn --workers N wsgi:app`` from this checkout, with TEAMOPS_ENVIRONMENT=production; yields once
    /health answers, stops it afterwards (if a test has not killed it already)."""
    port = free_port()
    env = app_env(database_url, secrets.token_hex(16), port)
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--chdir", str(ROOT), "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert process.poll() is None, f"gunicorn stopped:\n{server.log_tail()}"
            try:
                if requests.get(server.url("/health"), timeout=START_TIMEOUT_SECONDS).status_code == 200:
                    break
            except requests.ConnectionError:  # not listening yet (once it listens, the workers may take seconds)
                pass
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{server.log_tail()}"
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class Browser:
    """A signed-in session: its cookies and the CSRF token the forms carry."""

    server: Server
    cookies: dict[str, str]
    token: str

    def post(self, path: str, data: dict[str, Any], timeout: float = 60) -> requests.Response:
        return requests.post(self.server.url(path), data={"csrf_token": self.token, **data},
                             cookies=self.cookies, allow_redirects=False, timeout=timeout)

    def get(self, path: str) -> requests.Response:
        return requests.get(self.server.url(path), cookies=self.cookies, allow_redirects=False, timeout=60)

    def follow(self, answer: requests.Response) -> requests.Response:
        """The page a redirect goes to, with the cookie it set (its flashed message)."""
        return requests.get(self.server.url(answer.headers["Location"]),
                            cookies={**self.cookies, **answer.cookies.get_dict()}, allow_redirects=False, timeout=60)


def signed_in(server: Server, email: str) -> Browser:
    """Signs in over HTTP as a browser does, then reads the form token from a page of the signed-in session."""
    session = requests.Session()
    page = session.get(server.url("/sign-in"), timeout=30)
    match = CSRF_PATTERN.search(page.text)
    assert page.status_code == 200 and match is not None, page.status_code
    answer = session.post(server.url("/sign-in"), data={"csrf_token": match.group(1) or match.group(2),
                                                         "email": email, "password": PASSWORD},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 303, answer.text[:500]
    page = session.get(server.url("/account/password"), timeout=30)
    match = CSRF_PATTERN.search(page.text)
    assert page.status_code == 200 and match is not None, page.status_code
    return Browser(server, session.cookies.get_dict(), match.group(1) or match.group(2))


def at_once(count: int, send: Callable[[], requests.Response]) -> list[requests.Response]:
    """``count`` threads that each send the same request the moment all of them are ready."""
    barrier = threading.Barrier(count)
    answers: list[requests.Response | BaseException] = [RuntimeError("not sent")] * count

    def one(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = send()
        except BaseException as error:  # reported below, with the others
            answers[index] = error

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [a for a in answers if isinstance(a, BaseException)]
    assert not failed, failed[:3]
    return [a for a in answers if isinstance(a, requests.Response)]

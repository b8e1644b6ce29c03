"""Several app servers, one database (issue 16 item 2): the production deployment, on this machine.

Two gunicorn app servers (two workers each, ``TEAMOPS_ENVIRONMENT=production``, one secret key) serve one
PostgreSQL database behind nginx (Debian's package), which balances requests between them and sets
X-Forwarded-For/-Proto, with ``TEAMOPS_TRUSTED_PROXIES=1``. The tests show that what must be shared is shared:
a sign-in made on one server is valid on the other, and signing out on one ends it on both; five wrong passwords
spread over both servers lock the account once; a cron run on each server sends each reminder once and makes
each caseload report once; and a client cannot choose its own address through the proxy.

PostgreSQL only: it is the database several servers share (CI's PostgreSQL stage runs these).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from benchmarks.load import app_env, free_port, gunicorn
from teamops import ROOT
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.returns.models import CaseloadReview
from tests import factories
from tests.conftest import BACKEND, CSRF_PATTERN
from tests.databases import missing
from tests.factories import PASSWORD
from tests.reminders.smtp import smtp_server

pytestmark = pytest.mark.skipif(BACKEND != "postgresql",
                                reason="several app servers share one PostgreSQL database: the PostgreSQL stage")

SECRET = "the-deployment's-one-secret-key"
NGINX = Path("/usr/sbin/nginx")


@dataclass
class Deployment:
    a: str  # the two app servers, reached directly
    b: str
    proxy: str  # nginx in front of both
    env: dict[str, str]


@contextmanager
def nginx(port: int, upstreams: list[str], folder: Path) -> Iterator[str]:
    """nginx balancing ``upstreams`` round robin on ``port``, as the README's production section configures it;
    each answer says which server made it (``X-Upstream``), for the test to see both used."""
    folder.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server {url.removeprefix('http://')};" for url in upstreams)
    (folder / "nginx.conf").write_text(textwrap.dedent(f"""\
        daemon off;
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/error.log warn;
        events {{ worker_connections 256; }}
        http {{
            access_log {folder}/access.log;
            client_body_temp_path {folder}/body;
            proxy_temp_path {folder}/proxy;
            fastcgi_temp_path {folder}/fastcgi;
            uwsgi_temp_path {folder}/uwsgi;
            scgi_temp_path {folder}/scgi;
            upstream teamops {{
        {servers}
            }}
            server {{
                listen 127.0.0.1:{port};
                client_max_body_size 6m;
                location / {{
                    proxy_pass http://teamops;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    add_header X-Upstream $upstream_addr always;
                }}
            }}
        }}
        """))
    with (folder / "stderr.log").open("w") as log:
        process = subprocess.Popen([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")],
                                   stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {(folder / 'stderr.log').read_text()}")
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def deployment(database_url: str, org: dict, tmp_path: Path) -> Iterator[Deployment]:
    if not NGINX.exists():
        missing("nginx is not installed (apt-get install nginx-light)")
    proxy_port = free_port()
    env = app_env(database_url, SECRET, proxy_port) | {"TEAMOPS_TRUSTED_PROXIES": "1",
                                                        "TEAMOPS_MAIL_FROM": "teamops@example.org"}
    db.session.commit()
    with gunicorn("wsgi:app", env, 2, tmp_path / "a.log", free_port(), "/health") as a, \
            gunicorn("wsgi:app", env, 2, tmp_path / "b.log", free_port(), "/health") as b, \
            nginx(proxy_port, [a, b], tmp_path / "nginx") as proxy:
        yield Deployment(a, b, proxy, env)


def _token(browser: requests.Session, base: str, path: str = "/sign-in") -> str:
    match = CSRF_PATTERN.search(browser.get(base + path, timeout=10).text)
    assert match is not None
    return match.group(1) or match.group(2)


def _sign_in(browser: requests.Session, base: str, email: str, password: str = PASSWORD) -> int:
    response = browser.post(f"{base}/sign-in", data={"csrf_token": _token(browser, base), "email": email,
                                                     "password": password}, allow_redirects=False, timeout=10)
    return int(response.status_code)


def _home(browser: requests.Session, base: str) -> requests.Response:
    return browser.get(f"{base}/", allow_redirects=False, timeout=10)


def test_a_sign_in_on_one_server_is_valid_on_the_other(deployment):
    browser = requests.Session()
    assert _sign_in(browser, deployment.a, "worker@example.org") == 303
    on_b = _home(browser, deployment.b)
    assert on_b.status_code == 200 and "Signed in as Wren Worker" in on_b.text
    # Signing out on B ends the session on A too: it is one row in the shared database.
    token = CSRF_PATTERN.search(on_b.text)
    assert token is not None
    signed_out = browser.post(f"{deployment.b}/sign-out", data={"csrf_token": token.group(1) or token.group(2)},
                              allow_redirects=False, timeout=10)
    assert signed_out.status_code == 303
    browser.cookies.clear()  # and an old copy of the cookie, kept by anyone, no longer works anywhere
    browser.cookies.update(on_b.cookies)
    assert _home(browser, deployment.a).status_code == 303


def test_five_failures_across_both_servers_lock_the_account_once(deployment, org):
    browser = requests.Session()
    servers = [deployment.a, deployment.b] * 3
    statuses = [_sign_in(browser, base, "worker@example.org", "not the password") for base in servers[:5]]
    assert statuses == [400] * 5
    # The right password now, on either server: locked.
    assert _sign_in(browser, deployment.a, "worker@example.org") == 429
    assert _sign_in(browser, deployment.b, "worker@example.org") == 429
    db.session.rollback()
    failures = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "sign_in_failed"))
    locks = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "throttled"))
    assert (failures, locks) == (5, 1)  # one lock, recorded once, whichever server refused


def test_the_proxy_shares_requests_between_the_servers_and_keeps_the_session(deployment):
    browser = requests.Session()
    assert _sign_in(browser, deployment.proxy, "worker@example.org") == 303
    answers = [_home(browser, deployment.proxy) for _ in range(6)]
    assert all(answer.status_code == 200 and "Signed in as Wren Worker" in answer.text for answer in answers)
    used = {answer.headers["X-Upstream"] for answer in answers}
    assert used == {deployment.a.removeprefix("http://"), deployment.b.removeprefix("http://")}


def test_a_client_cannot_choose_its_address_through_the_proxy(deployment):
    browser = requests.Session()
    token = _token(browser, deployment.proxy)
    browser.post(f"{deployment.proxy}/sign-in", headers={"X-Forwarded-For": "203.0.113.9"},
                 data={"csrf_token": token, "email": "worker@example.org", "password": "wrong"}, timeout=10)
    db.session.rollback()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).one()
    assert event.ip_address == "127.0.0.1"  # the address nginx saw, not the one the client wrote


def _command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "teamops", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_cron_run_on_each_server_sends_each_reminder_once(deployment, org):
    factories.case("N-TWO-1", "CP", False, org["worker"], date(2026, 6, 1))  # long overdue: worker and manager
    db.session.commit()
    with smtp_server() as mailbox:
        env = {**deployment.env, "TEAMOPS_SMTP_HOST": "127.0.0.1", "TEAMOPS_SMTP_PORT": str(mailbox.port)}
        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda _: _command(env, "send-reminders"), range(2)))
        assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
        addresses = [address for item in mailbox.received for address in item.rcpt_tos]
    assert {"worker@example.org", "tm@example.org"} <= set(addresses)
    assert sorted(addresses) == sorted(set(addresses))  # nobody got two


def test_a_caseload_snapshot_run_on_each_server_makes_each_report_once(deployment, org):
    org["services"][0].caseload_reviews = True  # Children's Social Care: North and South
    db.session.commit()
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: _command(deployment.env, "caseload-snapshot", "--month", "2026-11"),
                             range(2)))
    assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
    made = [int(re.search(r"(\d+) made", run.stdout).group(1)) for run in runs]  # type: ignore[union-attr]
    db.session.rollback()
    reports = db.session.scalars(select(CaseloadReview.team_id)).all()
    assert sum(made) == len(reports) == len(set(reports)) == 2  # North's and South's, once each

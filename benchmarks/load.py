"""``make bench``: a county imported through TeamOps' own command line, served by gunicorn as in production and
loaded from a separate process by ``hey`` (Debian's ``apt-get install hey``), with the figures and the targets
of issue 8 checked and written as JSON and a Markdown table.

For each database backend and county scale:

1. A fresh database: a SQLite file in a temporary folder, or a throwaway PostgreSQL server started as the tests
   start theirs (``tests.databases.postgresql_server``); or, with ``--database-url``, an empty one given.
2. ``flask --app wsgi db upgrade`` and ``teamops create-admin``, then the county (``benchmarks.county``) imported
   file by file with ``flask --app wsgi teamops import KIND FILE``, each step timed.
3. The bench accounts made ready as an admin would (``prepare_accounts``): the staff import only *asks* for the
   QAIT role, so the admin approves it through ``teamops.org.grants``; each account gets a password; the team
   manager gets an API token from ``teamops create-token``. On PostgreSQL, ``settle``: ``VACUUM (ANALYZE)`` and a
   wait until autovacuum is idle.
4. Two baselines, each served by gunicorn with the same workers and loaded the same way: a bare WSGI hello and a
   Flask hello (``benchmarks.hello``).
5. TeamOps served by ``gunicorn --workers N wsgi:app`` with TEAMOPS_ENVIRONMENT=production; each account signs
   in over HTTP; every target is opened once and must answer its status with a sensible body, then is loaded
   for ``--duration`` seconds at ``--connections`` connections.

Millisecond and second targets are the 2-core reference machine's; elsewhere they are reported but not judged
(``n/a``). Ratios (against Flask hello, 3x against 1x) are judged everywhere. A target that fails is reported,
never a crash; ``--strict`` makes any FAIL the exit status.

    python -m benchmarks.load --backend both --scale 1 3          # make bench
    python -m benchmarks.load --backend sqlite --scale 0.02 --duration 1 --workers 2 --out /tmp/smoke
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode, urlsplit

import pytest
from flask import g
from sqlalchemy import create_engine, select, text

from benchmarks.county import County, write_county
from teamops import create_app
from teamops.auth.passwords import hash_password
from teamops.extensions import db
from teamops.org import grants
from teamops.org.models import Staff
from tests.databases import postgresql_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LOAD_GENERATOR = "hey"
REFERENCE_CORES = 2  # the machine the millisecond and second targets are set for
ADMIN_EMAIL = "bench.admin@county.example.org"
PASSWORD = "county bench lantern orchard"  # noqa: S105 - fictional accounts in a throwaway database
# What hey sends as User-Agent, whatever -H says. The accounts sign in as the same client, as a browser signs in
# and then browses: Flask-Login ties the session to the client, and a session used by another marks itself not
# fresh and sets its cookie again on every answer.
USER_AGENT = "hey/0.0.1"
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START_TIMEOUT_SECONDS = 60.0

# Issue 8's targets.
PAGE_P95_MS = 50.0
FRAGMENT_P95_MS = 20.0
QAIT_P95_MS = 150.0
SIGN_IN_P95_MS = 150.0
DASHBOARD_SHARE_OF_FLASK = 0.25  # the team manager's dashboard, of Flask hello's req/s
SCALE_KEEPS = 0.8  # the dashboard's req/s at 3x county, of its own at 1x
CASES_PER = 25_000
CASES_SECONDS = 10.0
SUPERVISIONS_PER = 100_000
SUPERVISIONS_SECONDS = 10.0


class BenchError(RuntimeError):
    """A step of the run failed: the run stops with this message (a failing target does not raise)."""


# Load ---------------------------------------------------------------------------------------------------------

@dataclass
class Load:
    """What hey measured: throughput, latency percentiles, and every answer by status (errors: no answer)."""

    requests_per_second: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    statuses: dict[str, int]
    errors: dict[str, int] = field(default_factory=dict)

    def unexpected(self, status: int) -> int:
        """Answers other than ``status``, and requests that got no answer at all."""
        return sum(n for code, n in self.statuses.items() if code != str(status)) + sum(self.errors.values())


def parse_hey(output: str) -> Load:
    """hey's summary: "Requests/sec", the latency distribution, "Status code distribution" and, when requests
    failed, "Error distribution". hey leaves out a percentile its sample is too small to reach (p99 of fewer
    than 100 answers): that percentile is then the slowest answer, which is what it is given here."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    slowest = re.search(r"Slowest:\s+([\d.]+) secs", output)
    latency = {int(p): float(s) * 1000 for p, s in re.findall(r"^\s*(\d+)% in ([\d.]+) secs", output, re.M)}
    statuses = {code: int(n) for code, n in re.findall(r"^\s*\[(\d{3})\]\s+(\d+) responses", output, re.M)}
    if statuses and slowest:
        for percent in (50, 95, 99):
            latency.setdefault(percent, float(slowest.group(1)) * 1000)
    errors: dict[str, int] = {}
    if "Error distribution:" in output:
        for count, message in re.findall(r"^\s*\[(\d+)\]\s+(.+)$", output.split("Error distribution:", 1)[1], re.M):
            errors[message.strip()] = errors.get(message.strip(), 0) + int(count)
    return Load(float(rate.group(1)) if rate else 0.0, latency.get(50), latency.get(95), latency.get(99),
                statuses, errors)


def run_hey(url: str, *, seconds: float | None = None, requests: int | None = None, connections: int,
            headers: tuple[str, ...] = (), method: str = "GET", body: str | None = None) -> Load:
    """Loads ``url`` for ``seconds`` (or ``requests`` in all) from a separate process; redirects are answers."""
    command = [LOAD_GENERATOR, "-c", str(connections), "-m", method, "-disable-redirects"]
    command += ["-z", f"{seconds:g}s"] if seconds is not None else ["-n", str(max(requests or 1, connections))]
    for header in headers:
        command += ["-H", header]
    if body is not None:
        command += ["-T", "application/x-www-form-urlencoded", "-d", body]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False,
                            timeout=(seconds or 0) + 300)
    if result.returncode != 0:
        raise BenchError(f"{LOAD_GENERATOR} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
    return parse_hey(result.stdout)


# HTTP, for signing in and checking each target once ----------------------------------------------------------

@dataclass
class Answer:
    status: int
    cookies: dict[str, str]
    location: str | None
    body: str


def fetch(base: str, path: str, *, method: str = "GET", headers: tuple[str, ...] = (),
          body: str | None = None) -> Answer:
    """One request, redirects not followed, with the headers as hey sends them ("Name: value")."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=120)
    sent = {"User-Agent": USER_AGENT} | dict(header.split(": ", 1) for header in headers)
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        cookies: dict[str, str] = {}
        for line in response.headers.get_all("Set-Cookie") or []:
            cookies.update({name: morsel.value for name, morsel in SimpleCookie(line).items()})
        return Answer(response.status, cookies, response.headers.get("Location"),
                      response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in_form(base: str, email: str) -> tuple[dict[str, str], str]:
    """The sign-in page's cookie and the form body that signs ``email`` in with it (its CSRF token)."""
    page = fetch(base, "/sign-in")
    match = CSRF_PATTERN.search(page.body)
    if page.status != 200 or match is None or not page.cookies:
        raise BenchError(f"the sign-in page answered {page.status} without a form token and a cookie")
    return page.cookies, urlencode({"csrf_token": match.group(1), "email": email, "password": PASSWORD})


def sign_in(base: str, email: str) -> str:
    """Signs in over HTTP as a browser does; returns the Cookie header of the signed-in session."""
    cookies, form = sign_in_form(base, email)
    answer = fetch(base, "/sign-in", method="POST", headers=(cookie_header(cookies),), body=form)
    if answer.status != 303 or not answer.cookies:
        raise BenchError(f"signing in as {email} answered {answer.status}: {answer.body[:300]}")
    return cookie_header(answer.cookies)


# Servers ------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, characters: int = 3000) -> str:
    return path.read_text(errors="replace")[-characters:] if path.exists() else "(no log)"


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, log: Path, port: int, ready: str) -> Iterator[str]:
    """``gunicorn --workers N --bind 127.0.0.1:PORT APP``, as production runs it; yields its base URL once
    ``ready`` answers 200, and stops it (gracefully) afterwards."""
    base = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                                    f"127.0.0.1:{port}", app], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn {app} stopped (exit {process.returncode}):\n{tail(log)}")
            try:
                if fetch(base, ready).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"gunicorn {app} did not answer {ready} within {START_TIMEOUT_SECONDS:g} s:\n"
                                 f"{tail(log)}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The county: imported through the command line, then the accounts made ready --------------------------------

@dataclass
class ImportStep:
    kind: str
    file: str
    rows: int
    seconds: float
    output: str


def app_env(database_url: str, secret_key: str, port: int | None = None) -> dict[str, str]:
    """The environment of every TeamOps process of a run: production, this database, no other TEAMOPS_ setting
    from the caller's shell."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TEAMOPS_")}
    env |= {"TEAMOPS_DATABASE_URL": database_url, "TEAMOPS_ENVIRONMENT": "production",
            "TEAMOPS_SECRET_KEY": secret_key, "TEAMOPS_ADMIN_PASSWORD": PASSWORD,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if port is not None:
        env["TEAMOPS_BASE_URL"] = f"http://127.0.0.1:{port}"
    return env


def flask_command(env: dict[str, str], *arguments: str) -> tuple[str, float]:
    """``flask --app wsgi ARGUMENTS`` in the repository; its output and how long it took."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *arguments], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise BenchError(f"flask {' '.join(arguments)} failed (exit {result.returncode}):\n"
                         f"{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout.strip(), seconds


def data_rows(path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip()) - 1


def import_county(env: dict[str, str], county: County, log: TextIO) -> list[ImportStep]:
    """Each file through ``teamops import``, timed as a whole (the command's start-up included)."""
    files = [("teams", county.teams), ("staff", county.staff), ("cases", county.cases)]
    files += [("supervisions", path) for path in county.supervisions]
    steps = []
    for kind, path in files:
        output, seconds = flask_command(env, "teamops", "import", kind, str(path))
        steps.append(ImportStep(kind, path.name, data_rows(path), seconds, output.splitlines()[-1]))
        print(f"  import {kind} {path.name}: {steps[-1].rows:,} rows in {seconds:.1f} s ({steps[-1].output})",
              file=log, flush=True)
    return steps


@dataclass
class Accounts:
    """Who the bench signs in as, and the ids its URLs need."""

    manager: str
    worker: str
    worker_name: str
    worker_id: int
    manager_name: str
    team_id: int
    team_name: str
    qait: str
    sign_in: str  # signed in again and again by the sign-in target
    database: str  # the server's name and version


def prepare_accounts(database_url: str, county: County) -> Accounts:
    """What an admin does before people sign in: approves the QAIT role the staff import asked for (the Access
    changes page calls ``grants.decide`` the same way) and gives the bench accounts a password."""
    app = create_app({"database_url": database_url, "environment": "production",
                      "secret_key": secrets.token_hex(32)})
    with app.app_context():
        g.audit_actor = "bench:prepare"

        def person(email: str) -> Staff:
            return db.session.scalars(select(Staff).where(Staff.email == email)).one()

        admin, qait = person(ADMIN_EMAIL), person(county.qait_email)
        if qait.role != "qait":
            grant = grants.pending_grant(qait)
            if grant is None or grant.role != "qait":
                raise BenchError(f"the staff import asked for no QAIT role for {qait.email}")
            grants.decide(grant, admin, approve=True)
        for email in county.emails:
            person(email).password_hash = hash_password(PASSWORD)
        db.session.commit()
        manager, worker = person(county.manager_email), person(county.worker_email)
        if worker.team_id != manager.team_id or manager.role != "team_manager" or qait.role != "qait":
            raise BenchError("the county's team manager, worker and QAIT accounts are not as expected")
        if db.engine.dialect.name == "postgresql":
            database = "PostgreSQL " + str(db.session.scalar(text("SHOW server_version")))
        else:
            database = "SQLite " + str(db.session.scalar(text("SELECT sqlite_version()")))
        accounts = Accounts(manager=manager.email, worker=worker.email, worker_name=worker.name,
                            worker_id=worker.id, manager_name=manager.name, team_id=manager.team_id,
                            team_name=manager.team.name, qait=qait.email, sign_in=county.service_manager_email,
                            database=database)
        db.session.remove()
        db.engine.dispose()
    return accounts


# Targets ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    key: str
    name: str
    kind: str  # page, fragment, api or sign-in
    path: str
    account: str | None  # signed in as (None: nobody; an API token is the team manager's)
    p95_limit_ms: float
    method: str = "GET"
    status: int = 200
    expect: tuple[str, ...] = ()  # what a sensible answer contains


def targets(accounts: Accounts) -> list[Target]:
    """Issue 8's list. The live search is the cases list as a manager types a reference (htmx asks for the
    results fragment only, with the search form's fields)."""
    signed_in = f"Signed in as {accounts.manager_name}"
    return [
        Target("sign_in_page", "Sign-in page", "page", "/sign-in", None, PAGE_P95_MS,
               expect=('name="csrf_token"',)),
        Target("sign_in", "Sign-in", "sign-in", "/sign-in", accounts.sign_in, SIGN_IN_P95_MS, method="POST",
               status=303),
        Target("team_dashboard", "Team manager's dashboard", "page", "/", accounts.manager, PAGE_P95_MS,
               expect=(signed_in, accounts.worker_name)),
        Target("worker_home", "Worker's home", "page", "/", accounts.worker, PAGE_P95_MS,
               expect=(f"Hello, {accounts.worker_name}",)),
        Target("worker_drill_down", "Worker drill-down", "page", f"/dashboard/team/worker/{accounts.worker_id}",
               accounts.manager, PAGE_P95_MS, expect=(signed_in, f"{accounts.worker_name}: cases and due dates")),
        Target("qait_dashboard", "QAIT dashboard", "page", "/dashboard/qait", accounts.qait, QAIT_P95_MS,
               expect=("QAIT dashboard", accounts.team_name)),
        Target("live_search", "Live search (htmx fragment)", "fragment", "/cases?q=C00&show=open",
               accounts.manager, FRAGMENT_P95_MS, expect=('class="teamops-results"', "govuk-table__row")),
        Target("api_cases", "API: a team's cases", "api", f"/api/v1/cases?team={accounts.team_id}",
               accounts.manager, PAGE_P95_MS),
        Target("api_staff", "API: a team's staff", "api", f"/api/v1/staff?team={accounts.team_id}",
               accounts.manager, PAGE_P95_MS),
    ]


def problem(target: Target, answer: Answer) -> str | None:
    """Why this first answer is not worth benchmarking, or None."""
    if answer.status != target.status:
        return f"answered {answer.status}, not {target.status}: {answer.body[:300]!r}"
    if target.kind == "sign-in":
        return None if answer.location and answer.cookies else "signed in without a session cookie"
    missing = [part for part in target.expect if part not in answer.body]
    if missing:
        return f"the answer lacks {missing!r}: {answer.body[:300]!r}"
    if target.kind == "fragment" and "<html" in answer.body:
        return "an htmx request got the whole page, not the fragment"
    if target.kind == "api":
        try:
            data = json.loads(answer.body)
        except ValueError:
            return f"not JSON: {answer.body[:300]!r}"
        if not data.get("items") or not data.get("total"):
            return f"no items: {answer.body[:300]!r}"
    return None


# A run: one backend at one scale ------------------------------------------------------------------------------

@dataclass
class Check:
    name: str
    target: str
    measured: str
    status: str  # PASS, FAIL, or n/a (a time target off the reference machine)


@dataclass
class TargetResult:
    key: str
    name: str
    kind: str
    method: str
    path: str
    account: str | None
    expected_status: int
    p95_limit_ms: float
    load: Load | None = None
    error: str | None = None
    pct_wsgi_hello: float | None = None
    pct_flask_hello: float | None = None


@dataclass
class Run:
    backend: str
    scale: float
    database: str
    county: dict[str, int]
    settings: dict[str, Any]
    imports: list[ImportStep]
    baselines: dict[str, Load]
    targets: list[TargetResult]
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0

    def target(self, key: str) -> TargetResult | None:
        return next((t for t in self.targets if t.key == key), None)


@dataclass
class Options:
    duration: float
    connections: int
    workers: int
    out: Path
    reference: bool  # the machine the time targets are set for


def measure(url: str, label: str, options: Options, log: TextIO, *, headers: tuple[str, ...] = (),
            method: str = "GET", body: str | None = None, connections: int | None = None) -> Load:
    """A warm-up of one request per connection, then the measured load."""
    connections = connections or options.connections
    run_hey(url, requests=connections, connections=connections, headers=headers, method=method, body=body)
    result = run_hey(url, seconds=options.duration, connections=connections, headers=headers,
                     method=method, body=body)
    print(f"  {label}: {result.requests_per_second:.1f} req/s, p95 {number(result.p95_ms)} ms, "
          f"answers {result.statuses} {result.errors or ''}", file=log, flush=True)
    return result


def settle(database_url: str, log: TextIO, timeout: float = 600.0) -> None:
    """On PostgreSQL, what a DBA does after a bulk load (the manual's "Populating a Database": run ANALYZE
    afterwards), then a wait until no autovacuum worker is still catching up with the million new rows, so the
    load measures the steady state a manager's day runs in, not the minutes after an import."""
    if not database_url.startswith("postgresql"):
        return
    started = time.perf_counter()
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
            busy = text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            while connection.execute(busy).scalar_one() and time.perf_counter() - started < timeout:
                time.sleep(1.0)
    finally:
        engine.dispose()
    print(f"  settled (VACUUM ANALYZE, autovacuum idle) in {time.perf_counter() - started:.1f} s", file=log,
          flush=True)


def baselines(env: dict[str, str], options: Options, folder: Path, log: TextIO) -> dict[str, Load]:
    """The bare WSGI hello and the Flask hello, with the same gunicorn settings and load."""
    results = {}
    for key, app in (("wsgi_hello", "benchmarks.hello:bare"), ("flask_hello", "benchmarks.hello:flask_app")):
        with gunicorn(app, env, options.workers, folder / f"{key}.log", free_port(), "/") as base:
            results[key] = measure(base + "/", key, options, log)
    return results


def load_targets(base: str, accounts: Accounts, token: str, options: Options, log: Path,
                 out: TextIO) -> list[TargetResult]:
    cookies = {email: sign_in(base, email) for email in {accounts.manager, accounts.worker, accounts.qait}}
    results = []
    for target in targets(accounts):
        result = TargetResult(target.key, target.name, target.kind, target.method, target.path, target.account,
                              target.status, target.p95_limit_ms)
        results.append(result)
        body = None
        if target.kind == "sign-in":
            assert target.account is not None
            form_cookies, body = sign_in_form(base, target.account)
            headers: tuple[str, ...] = (cookie_header(form_cookies),)
        elif target.kind == "api":
            headers = (f"Authorization: Bearer {token}",)
        elif target.account is not None:
            headers = (cookies[target.account],)
        else:
            headers = ()
        if target.kind == "fragment":
            headers += ("HX-Request: true", f"HX-Current-URL: {base}/cases")
        try:
            # Twice for the sign-in: the same form, token and cookie must sign in again (hey sends them so).
            for _ in range(2 if target.kind == "sign-in" else 1):
                why = problem(target, fetch(base, target.path, method=target.method, headers=headers, body=body))
                if why is not None:
                    raise BenchError(f"{target.method} {target.path} {why}\nserver log:\n{tail(log)}")
            # A sign-in's target is its server time: one at a time, so no argon2 check waits for another's core.
            result.load = measure(base + target.path, target.name, options, out, headers=headers,
                                  method=target.method, body=body,
                                  connections=1 if target.kind == "sign-in" else None)
        except BenchError as error:
            result.error = str(error)
            print(f"  {target.name}: NOT MEASURED: {error}", file=out, flush=True)
    return results


@contextmanager
def database(backend: str, folder: Path, given: str | None) -> Iterator[str]:
    if given is not None:
        yield given
    elif backend == "postgresql":
        with postgresql_server() as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'teamops.sqlite'}"


def bench(backend: str, scale: float, options: Options, given_url: str | None, log: TextIO) -> Run:
    started = time.perf_counter()
    print(f"\n{backend}, {scale:g}x county", file=log, flush=True)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="teamops-bench-")))
        url = stack.enter_context(database(backend, folder, given_url))
        secret = secrets.token_hex(32)
        env = app_env(url, secret)
        write_started = time.perf_counter()
        county = write_county(folder / "county", scale)
        print(f"  county written in {time.perf_counter() - write_started:.1f} s: {county.counts}", file=log,
              flush=True)
        flask_command(env, "db", "upgrade")
        flask_command(env, "teamops", "create-admin", "--email", ADMIN_EMAIL, "--name", "Bench Admin")
        steps = import_county(env, county, log)
        accounts = prepare_accounts(url, county)
        settle(url, log)
        token = flask_command(env, "teamops", "create-token", accounts.manager, "--label", "bench")[0]
        token = token.splitlines()[-1].strip()
        hello = baselines(env, options, folder, log)
        port = free_port()
        server_log = folder / "teamops.log"
        with gunicorn("wsgi:app", app_env(url, secret, port), options.workers, server_log, port, "/health") as base:
            results = load_targets(base, accounts, token, options, server_log, log)
    for result in results:
        if result.load is not None:
            rate = result.load.requests_per_second
            result.pct_wsgi_hello = 100 * rate / hello["wsgi_hello"].requests_per_second
            result.pct_flask_hello = 100 * rate / hello["flask_hello"].requests_per_second
    settings = {"duration_seconds": options.duration, "connections": options.connections,
                "gunicorn_workers": options.workers, "load_generator": LOAD_GENERATOR,
                "times_judged": options.reference}
    run = Run(backend, scale, accounts.database, county.counts, settings, steps, hello, results)
    run.checks = checks(run, options.reference)
    run.seconds = time.perf_counter() - started
    return run


# Checks -------------------------------------------------------------------------------------------------------

def judged(passed: bool, reference_only: bool, reference: bool) -> str:
    if reference_only and not reference:
        return "n/a"
    return "PASS" if passed else "FAIL"


def checks(run: Run, reference: bool) -> list[Check]:
    """Issue 8's targets for one run (the 3x against 1x check is added by ``scale_check``)."""
    found: list[Check] = []
    flask_rate = run.baselines["flask_hello"].requests_per_second
    dashboard = run.target("team_dashboard")
    if dashboard is not None and dashboard.load is not None and flask_rate:
        share = dashboard.load.requests_per_second / flask_rate
        found.append(Check("Team manager's dashboard vs Flask hello",
                           f"≥ {DASHBOARD_SHARE_OF_FLASK:.0%} of Flask hello's req/s", f"{share:.1%}",
                           judged(share >= DASHBOARD_SHARE_OF_FLASK, False, reference)))
    for result in run.targets:
        wanted = f"p95 ≤ {result.p95_limit_ms:g} ms, every answer {result.expected_status}"
        if result.load is None:
            found.append(Check(result.name, wanted, "not measured (its first answer was wrong)", "FAIL"))
            continue
        bad = result.load.unexpected(result.expected_status)
        p95 = result.load.p95_ms
        measured = f"p95 {number(p95)} ms" if p95 is not None else "no latency"
        measured += f", {bad} other answers" if bad else ""
        if bad or p95 is None:
            found.append(Check(result.name, wanted, measured, "FAIL"))
        else:
            found.append(Check(result.name, wanted, measured, judged(p95 <= result.p95_limit_ms, True, reference)))
    for kind, per, limit in (("cases", CASES_PER, CASES_SECONDS), ("supervisions", SUPERVISIONS_PER,
                                                                   SUPERVISIONS_SECONDS)):
        steps = [step for step in run.imports if step.kind == kind]
        rows, seconds = sum(s.rows for s in steps), sum(s.seconds for s in steps)
        if rows:
            scaled = seconds * per / rows
            found.append(Check(f"Import {per:,} {kind}", f"≤ {limit:g} s",
                               f"{scaled:.1f} s ({rows:,} rows in {seconds:.1f} s)",
                               judged(scaled <= limit, True, reference)))
    return found


def scale_check(small: Run, large: Run) -> Check | None:
    """The team manager's dashboard at a larger county keeps at least 80% of its req/s at 1x."""
    before, after = small.target("team_dashboard"), large.target("team_dashboard")
    if before is None or after is None or before.load is None or after.load is None:
        return None
    keeps = after.load.requests_per_second / before.load.requests_per_second
    return Check(f"Team manager's dashboard at {large.scale:g}x county", f"≥ {SCALE_KEEPS:.0%} of its req/s at "
                 f"{small.scale:g}x", f"{keeps:.1%}", "PASS" if keeps >= SCALE_KEEPS else "FAIL")


# Reporting ----------------------------------------------------------------------------------------------------

def command_output(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def machine() -> dict[str, Any]:
    """The machine and software the figures are for."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor() or "unknown")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    commit = command_output("git", "rev-parse", "--short", "HEAD")
    if command_output("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks/results"):
        commit += " (with uncommitted changes)"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(int(memory.group(1)) / 2**20, 1) if memory else None,
        "os": platform.platform(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"), "flask": version("flask"),
        "load_generator": f"{LOAD_GENERATOR} {command_output('dpkg-query', '-W', '-f', '${Version}', 'hey')}".strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
    }


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def run_table(run: Run) -> list[str]:
    counts = run.county
    lines = [f"### {run.database}, {run.scale:g}x county", "",
             f"{counts.get('teams', 0):,} teams, {counts.get('staff', 0):,} staff, {counts.get('open_cases', 0):,} "
             f"open cases ({counts.get('cases', 0):,} in all), {counts.get('supervisions', 0):,} supervisions; "
             f"gunicorn {run.settings['gunicorn_workers']} workers, {run.settings['connections']} connections, "
             f"{run.settings['duration_seconds']:g} s a target; the run took {run.seconds / 60:.1f} min.", "",
             "| target | req/s | p50 ms | p95 ms | p99 ms | % of WSGI hello | % of Flask hello | other answers "
             "| target p95 | result |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for key, label in (("wsgi_hello", "Bare WSGI hello"), ("flask_hello", "Flask hello")):
        hello = run.baselines[key]
        lines.append(f"| {label} | {number(hello.requests_per_second)} | {number(hello.p50_ms)} | "
                     f"{number(hello.p95_ms)} | {number(hello.p99_ms)} | | | {hello.unexpected(200)} | | |")
    by_name = {check.name: check for check in run.checks}
    for result in run.targets:
        load, check = result.load, by_name.get(result.name)
        status = check.status if check else ""
        if load is None:
            lines.append(f"| {result.name} | not measured | | | | | | | ≤ {result.p95_limit_ms:g} | {status} |")
            continue
        lines.append(f"| {result.name} | {number(load.requests_per_second)} | {number(load.p50_ms)} | "
                     f"{number(load.p95_ms)} | {number(load.p99_ms)} | {number(result.pct_wsgi_hello)}% | "
                     f"{number(result.pct_flask_hello)}% | {load.unexpected(result.expected_status)} | "
                     f"≤ {result.p95_limit_ms:g} | {status} |")
    lines += ["", "| import step | rows | seconds | rows/s |", "|---|--:|--:|--:|"]
    for step in run.imports:
        rate = step.rows / step.seconds if step.seconds else 0
        lines.append(f"| `{step.kind} {step.file}` | {step.rows:,} | {step.seconds:.1f} | {rate:,.0f} |")
    lines += ["", "| check | target | measured | result |", "|---|---|---|---|"]
    lines += [f"| {c.name} | {c.target} | {c.measured} | **{c.status}** |" for c in run.checks]
    errors = [r for r in run.targets if r.error]
    if errors:
        lines += ["", "Not measured:", ""]
        lines += [f"- {r.name}: `{r.error.splitlines()[0][:300]}`" for r in errors if r.error]
    return [*lines, ""]


def markdown(runs: list[Run], about: dict[str, Any], skipped: list[str]) -> str:
    reference = about["cores"] == REFERENCE_CORES
    lines = ["## Latest benchmark", "",
             f"Machine: {about['cpu']}, {about['cores']} cores, {about['ram_gib']} GiB RAM; {about['os']}; Python "
             f"{about['python']}, gunicorn {about['gunicorn']}, Flask {about['flask']}, {about['load_generator']}. "
             f"Run {about['date']} at commit {about['commit']}.", "",
             f"The load generator runs on the same {about['cores']} cores as gunicorn and the database, so every "
             "figure is the whole machine's under load. PostgreSQL is a throwaway server started as the tests start "
             "theirs (fsync off); SQLite is a file with TeamOps' own settings (WAL, synchronous=FULL). "
             + ("Millisecond and second targets are judged (this is the 2-core reference machine)." if reference
                else f"Millisecond and second targets are for the {REFERENCE_CORES}-core reference machine: "
                     "here they are shown but not judged (n/a)."), ""]
    for run in runs:
        lines += run_table(run)
    lines += [f"- Not run: {reason}" for reason in skipped]
    return "\n".join(lines).rstrip() + "\n"


def write_json(run: Run, about: dict[str, Any], out: Path) -> Path:
    path = out / f"{run.backend}-{run.scale:g}x.json"
    path.write_text(json.dumps({"machine": about, **asdict(run)}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0, 3.0], help="county sizes (1 = 150 teams)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--database-url", help="an empty database to use (one backend, one scale)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any target fails")
    arguments = parser.parse_args(argv)
    if shutil.which(LOAD_GENERATOR) is None:
        print(f"{LOAD_GENERATOR} is not installed: apt-get install {LOAD_GENERATOR}", file=sys.stderr)
        return 2
    backends = ["sqlite", "postgresql"] if arguments.backend == "both" else [arguments.backend]
    scales = sorted(set(arguments.scale))
    if arguments.database_url:
        backends = ["postgresql" if arguments.database_url.startswith("postgresql") else "sqlite"]
        if len(scales) != 1:
            parser.error("--database-url takes one --scale")
    about = machine()
    options = Options(arguments.duration, arguments.connections, arguments.workers, arguments.out,
                      about["cores"] == REFERENCE_CORES)
    arguments.out.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    skipped: list[str] = []  # a backend not installed
    broken: list[str] = []  # a run that failed before its targets
    for backend in backends:
        for scale in scales:
            try:
                run = bench(backend, scale, options, arguments.database_url, sys.stderr)
            except (pytest.skip.Exception, pytest.fail.Exception) as missing:  # tests.databases: no PostgreSQL
                skipped.append(f"{backend}: {missing}")
                print(f"{backend} not run: {missing}", file=sys.stderr)
                break
            except BenchError as error:  # a step before the targets failed: nothing to measure in this run
                broken.append(f"{backend} at {scale:g}x county: {str(error).splitlines()[0]}")
                print(f"{backend} at {scale:g}x county failed: {error}", file=sys.stderr)
                continue
            smaller = next((r for r in runs if r.backend == backend and r.scale == 1), None)
            if smaller is not None and scale > 1:
                compared = scale_check(smaller, run)
                run.checks += [compared] if compared else []
            runs.append(run)
            print(f"  wrote {write_json(run, about, arguments.out)}", file=sys.stderr)
    table = markdown(runs, about, skipped + [f"failed: {reason}" for reason in broken])
    (arguments.out / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    failed = [check for run in runs for check in run.checks if check.status == "FAIL"]
    print(f"{len(failed)} target(s) failed." if failed else "Every judged target passed." if runs else "Nothing ran.")
    if broken:
        print(f"{len(broken)} run(s) failed before their targets: {'; '.join(broken)}")
    return 1 if broken or (arguments.strict and (failed or skipped)) else 0


if __name__ == "__main__":
    sys.exit(main())

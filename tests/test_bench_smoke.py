"""CI's smoke of ``make bench`` (benchmarks/load.py): a tiny county imported through the command line into this
run's database (SQLite, or the tests' PostgreSQL server), served by gunicorn, every target loaded by ``hey``
for a second. It checks that the benchmark works, not how fast TeamOps is: every target must answer as it
should, and the JSON and the table must be written. Then how hey's summary is read and how the ratios are
judged, on made-up figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.load import Load, Run, TargetResult, checks, parse_hey, scale_check
from teamops import ROOT
from tests.databases import missing

SCALE = "0.01"
TARGETS = 9


def test_the_benchmark_runs_end_to_end_on_a_tiny_county(database_url: str, tmp_path: Path) -> None:
    if shutil.which("hey") is None:
        missing("the benchmark's load generator hey is not installed (apt-get install hey)")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--database-url", database_url, "--scale", SCALE,
         "--duration", "1", "--workers", "2", "--connections", "4", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-4000:]

    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    run = json.loads((tmp_path / f"{backend}-{SCALE}x.json").read_text(encoding="utf-8"))
    assert run["backend"] == backend
    assert [step["kind"] for step in run["imports"][:3]] == ["teams", "staff", "cases"]
    assert all(step["rows"] > 0 and step["seconds"] > 0 for step in run["imports"])
    for name in ("wsgi_hello", "flask_hello"):
        hello = run["baselines"][name]
        assert hello["requests_per_second"] > 0 and set(hello["statuses"]) == {"200"}, hello
    assert len(run["targets"]) == TARGETS
    for target in run["targets"]:
        load = target["load"]
        assert target["error"] is None and load is not None, target
        assert set(load["statuses"]) == {str(target["expected_status"])} and not load["errors"], target
        assert load["requests_per_second"] > 0 and load["p95_ms"] > 0, target
        assert target["pct_flask_hello"] > 0, target
    assert {check["status"] for check in run["checks"]} <= {"PASS", "FAIL", "n/a"}

    table = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert f"{SCALE}x county" in table
    for target in run["targets"]:
        assert f"| {target['name']} | " in table
    assert table in result.stdout


HEY_SUMMARY = """
Summary:
  Total:	10.0120 secs
  Slowest:	0.2100 secs
  Fastest:	0.0100 secs
  Average:	0.0500 secs
  Requests/sec:	9.8881

Latency distribution:
  10% in 0.0200 secs
  25% in 0.0300 secs
  50% in 0.0400 secs
  75% in 0.0600 secs
  90% in 0.0800 secs
  95% in 0.1200 secs

Status code distribution:
  [200]	95 responses
  [500]	2 responses

Error distribution:
  [2]	Get "http://127.0.0.1:5000/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
  [1]	Get "http://127.0.0.1:5000/": EOF
"""


def test_hey_summary_is_read_with_its_errors_and_a_percentile_too_few_answers_reach() -> None:
    load = parse_hey(HEY_SUMMARY)

    assert load.requests_per_second == 9.8881
    assert (load.p50_ms, load.p95_ms, load.p99_ms) == (40.0, 120.0, 210.0)  # p99 of 97 answers: the slowest
    assert load.statuses == {"200": 95, "500": 2}
    assert load.unexpected(200) == 5  # two 500s and three requests without an answer


def run_with_dashboard(scale: float, rate: float) -> Run:
    target = TargetResult("team_dashboard", "Team manager's dashboard", "page", "GET", "/", "tm@example.org", 200,
                          50.0, load=Load(rate, 10.0, 20.0, 30.0, {"200": 100}))
    hello = Load(1000.0, 1.0, 2.0, 3.0, {"200": 1000})
    return Run("sqlite", scale, "SQLite", {}, {}, [], {"wsgi_hello": hello, "flask_hello": hello}, [target])


def test_the_dashboard_is_judged_against_flask_hello_and_against_itself_at_1x() -> None:
    small, large = run_with_dashboard(1, 300.0), run_with_dashboard(3, 230.0)

    share = checks(small, reference=False)
    assert [(c.name, c.measured, c.status) for c in share[:2]] == [
        ("Team manager's dashboard vs Flask hello", "30.0%", "PASS"),
        ("Team manager's dashboard", "p95 20.0 ms", "n/a")]  # a time target, off the 2-core machine
    compared = scale_check(small, large)
    assert compared is not None and compared.status == "FAIL" and compared.measured == "76.7%"
    compared = scale_check(small, run_with_dashboard(3, 250.0))
    assert compared is not None and compared.status == "PASS"

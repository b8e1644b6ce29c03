"""CI's smoke of ``make bench`` (benchmarks/load.py): a tiny county imported through the command line into this
run's database (SQLite, or the tests' PostgreSQL server), served by gunicorn, every target loaded by ``hey``
for a second. It checks that the benchmark works, not how fast TeamOps is: every target must answer as it
should, and the JSON and the table must be written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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

"""A whole county as CSV files in CONTRACT.md's import formats, for ``make bench`` to import through TeamOps' own
command line (``flask --app wsgi teamops import KIND FILE``).

At scale 1: 150 teams in 5 services, 3,000 staff (a team manager and 19 workers a team, a service manager
each service, a QAIT team), 25,000 open cases of every type and 25,000 closed ones, and five years of
supervision history (monthly personal supervision and case discussions, some missed, a few in groups): about
a million supervision rows. Scale 3 is three such counties side by side. Everything is fictional and the
same for the same scale, seed and day.

    python -m benchmarks.county --scale 1 --out /tmp/county
"""

from __future__ import annotations

import argparse
import csv
import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from teamops import dates
from teamops.dates import add_months
from teamops.policy.models import CASE_TYPE_CODES

SERVICES = ("Assessment and Intervention", "Children in Need", "Children Looked After", "Early Help",
            "Youth Justice")
TEAMS_PER_COUNTY = 150
WORKERS_PER_TEAM = 19
OPEN_CASES_PER_COUNTY = 25_000
CLOSED_PER_OPEN = 1
HISTORY_YEARS = 5
DOMAIN = "county.example.org"


@dataclass
class County:
    """The files written and the accounts a benchmark signs in as."""

    folder: Path
    teams: Path
    staff: Path
    cases: Path
    supervisions: list[Path]
    manager_email: str  # a team manager
    team_name: str  # that manager's team
    worker_email: str  # a worker in that team
    service_manager_email: str
    qait_email: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def emails(self) -> list[str]:
        return [self.manager_email, self.worker_email, self.service_manager_email, self.qait_email]


@dataclass
class _Case:
    ref: str
    case_type: str
    high_risk: bool
    worker: str
    allocated_on: date
    closed_on: date | None


def _writer(files: ExitStack, path: Path, header: list[str]) -> Any:
    """A CSV writer for a new file (closed with ``files``), its header written."""
    writer = csv.writer(files.enter_context(path.open("w", encoding="utf-8", newline="")), lineterminator="\n")
    writer.writerow(header)
    return writer


def write_county(folder: Path, scale: float = 1.0, today: date | None = None, seed: int = 8) -> County:
    """Writes the county's CSV files into ``folder``. A fractional scale gives a smaller county (CI's smoke)."""
    today = today or dates.today()
    rng = random.Random(seed)  # noqa: S311 - fictional data, the same each run
    folder.mkdir(parents=True, exist_ok=True)
    teams_count = max(2, round(TEAMS_PER_COUNTY * scale))
    workers_per_team = WORKERS_PER_TEAM if scale >= 0.1 else 4
    history_start = add_months(date(today.year, today.month, 1), -12 * HISTORY_YEARS)
    yesterday = today - timedelta(days=1)

    # Teams: spread over the services, each county (at scale 3) with its own set.
    team_rows: list[tuple[str, str, str]] = []
    for n in range(teams_count):
        county, number = divmod(n, TEAMS_PER_COUNTY)
        service = SERVICES[number % len(SERVICES)] + (f" (county {county + 1})" if county else "")
        team_rows.append((service, f"Team {n + 1:03d}", f"Office {n % 12 + 1}"))
    team_rows.append(("Quality Assurance", "QAIT", "County Hall"))

    # Staff: a service manager per service (in its first team), a manager and workers per team, QAIT.
    staff_rows: list[list[str]] = []
    service_managers: dict[str, str] = {}
    workers: list[tuple[str, date, str]] = []  # email, start date, team
    managers: list[tuple[str, date]] = []
    for service, team, _office in team_rows[:-1]:
        if service not in service_managers:
            email = f"sm.{len(service_managers) + 1}@{DOMAIN}"
            service_managers[service] = email
            staff_rows.append([email, f"Service Manager {len(service_managers)}", team, "Service manager",
                               "permanent", (today - timedelta(days=4000)).isoformat(), "", "service_manager"])
    for index, (service, team, _office) in enumerate(team_rows[:-1]):
        manager = f"tm.{index + 1}@{DOMAIN}"
        started = today - timedelta(days=rng.randint(2000, 6000))
        managers.append((manager, started))
        staff_rows.append([manager, f"Team Manager {index + 1}", team, "Team manager", "permanent",
                           started.isoformat(), service_managers[service], "team_manager"])
        for k in range(workers_per_team):
            email = f"sw.{index + 1}.{k + 1}@{DOMAIN}"
            # Most have worked here longer than the history; one in ten joined during it.
            days = rng.randint(60, 365 * HISTORY_YEARS) if rng.random() < 0.1 else rng.randint(2000, 7000)
            started = today - timedelta(days=days)
            workers.append((email, started, team))
            role_name = "Senior practitioner" if k == 0 else "Social worker"
            staff_rows.append([email, f"Social Worker {index + 1}-{k + 1}", team, role_name,
                               "agency" if k % 9 == 8 else "permanent", started.isoformat(), manager, "worker"])
    qait = f"qait.1@{DOMAIN}"
    staff_rows.append([qait, "QAIT Officer 1", "QAIT", "Quality assurance officer", "permanent",
                       (today - timedelta(days=3000)).isoformat(), "", "qait"])

    # Cases: open ones spread evenly over the workers, closed ones at random; every type, a fifth high risk.
    cases: list[_Case] = []
    open_cases = round(OPEN_CASES_PER_COUNTY * scale)
    latest_allocation = today - timedelta(days=1)
    for n in range(open_cases * (1 + CLOSED_PER_OPEN)):
        email, started, _team = workers[n % len(workers)] if n < open_cases else rng.choice(workers)
        earliest = max(started, history_start)
        if n < open_cases:
            allocated = earliest + timedelta(days=rng.randint(0, max(0, min(730, (latest_allocation - earliest).days))))
            allocated = min(allocated, latest_allocation)
            closed = None
        else:
            span = max(1, (today - timedelta(days=120) - earliest).days)
            allocated = earliest + timedelta(days=rng.randint(0, span))
            closed = min(allocated + timedelta(days=rng.randint(60, 720)), yesterday)
            if closed <= allocated:
                continue
        cases.append(_Case(f"C{n + 1:07d}", CASE_TYPE_CODES[n % len(CASE_TYPE_CODES)], rng.random() < 0.2,
                           email, allocated, closed))

    teams_path, staff_path, cases_path = folder / "teams.csv", folder / "staff.csv", folder / "cases.csv"
    with ExitStack() as files:
        _writer(files, teams_path, ["service", "team", "office_base"]).writerows(team_rows)
        _writer(files, staff_path, ["email", "name", "team", "job_role", "employment_type", "start_date",
                                    "line_manager_email", "role"]).writerows(staff_rows)
        _writer(files, cases_path, ["case_ref", "case_type", "high_risk", "worker_email", "allocated_on",
                                    "closed_on"]).writerows(
            [c.ref, c.case_type, "yes" if c.high_risk else "no", c.worker, c.allocated_on.isoformat(),
             c.closed_on.isoformat() if c.closed_on else ""] for c in cases)

    # Supervisions: one session a month per person (personal, and the worker's open cases discussed, three in ten
    # missed); one case discussion in twenty held in a group instead. One file per year, as a team would send.
    by_worker: dict[str, list[_Case]] = {}
    for case in cases:
        by_worker.setdefault(case.worker, []).append(case)
    writers: dict[int, Any] = {}
    rows = 0
    files = ExitStack()
    people = [(email, started, True) for email, started, _team in workers]
    people += [(email, started, False) for email, started in managers]
    for email, started, has_cases in people:
        month = history_start
        while month <= today:
            held = month + timedelta(days=rng.randint(0, 27))
            month = add_months(month, 1)
            if held > yesterday or held < started:
                continue
            if held.year not in writers:
                writers[held.year] = _writer(files, folder / f"supervisions-{held.year}.csv",
                                             ["kind", "held_on", "worker_email", "case_ref"])
            writer = writers[held.year]
            if rng.random() < 0.9:
                writer.writerow(["personal", held.isoformat(), email, ""])
                rows += 1
            if not has_cases:
                continue
            for case in by_worker.get(email, []):
                if case.allocated_on <= held and (case.closed_on is None or held < case.closed_on) \
                        and rng.random() < 0.7:
                    writer.writerow(["group" if rng.random() < 0.05 else "case", held.isoformat(), email, case.ref])
                    rows += 1
    files.close()

    manager_email, _started = managers[0]
    return County(
        folder=folder, teams=teams_path, staff=staff_path, cases=cases_path,
        supervisions=[folder / f"supervisions-{year}.csv" for year in sorted(writers)],
        manager_email=manager_email, team_name=team_rows[0][1], worker_email=workers[1][0],
        service_manager_email=service_managers[team_rows[0][0]], qait_email=qait,
        counts={"teams": len(team_rows), "staff": len(staff_rows), "open_cases": open_cases,
                "cases": len(cases), "supervisions": rows},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    arguments = parser.parse_args()
    county = write_county(arguments.out, arguments.scale, arguments.today)
    print(county.counts)


if __name__ == "__main__":
    main()

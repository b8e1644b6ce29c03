"""The fictional demo organisation (CONTRACT.md ``seed-demo``). Names are made up; e-mails use example.org."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from teamops.auth.passwords import hash_password
from teamops.cases.models import Case, CaseAllocation
from teamops.dashboards.figures import last_month_end
from teamops.dates import (
    add_months,
    first_working_day,
    is_working_day,
    previous_working_day,
    start_of_day,
    today,
    utcnow,
    working_day_number,
)
from teamops.directory.demo import seed_directory
from teamops.extensions import db
from teamops.induction import checklist
from teamops.induction import services as opening
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.org.models import Absence, Service, Staff, Team
from teamops.quality.demo import seed_audit_round, seed_dip_samples, seed_observations
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord
from teamops.returns import caseload
from teamops.returns.demo import seed_returns
from teamops.returns.models import CaseloadReview
from teamops.scheduling import (
    DUE_SOON,
    OK,
    OVERDUE,
    Policy,
    case_next_due_on,
    due_state,
    load_policy,
    personal_next_due_on,
)

DEMO_PASSWORD = "TeamOps-demo-1"  # noqa: S105 - documented demo password, demo data only

SERVICES = {
    "Children's Social Care": [
        ("Family Safeguarding North", "Riverside House"),
        ("Family Safeguarding South", "Station Road Offices"),
        ("Children in Care", "Riverside House"),
        ("Care Leavers", "Market Street Hub"),
        ("Assessment and Intervention", "Station Road Offices"),
        ("Children's Social Care Leadership", "County Hall"),
    ],
    "Children and Family Wellbeing Service": [
        ("Wellbeing East", "Orchard Centre"),
        ("Wellbeing West", "Millbrook Family Hub"),
        ("Wellbeing Central", "Market Street Hub"),
    ],
    "Youth Justice": [("Youth Justice Team", "Castle Yard")],
    "Quality and Performance": [("Quality Assurance and Improvement Team", "County Hall")],
}
# Which part of the induction checklist each service's starters get (R-IND-15).
INDUCTION_GROUPS = {"Children's Social Care": "csc", "Children and Family Wellbeing Service": "cfws",
                    "Youth Justice": "yos"}
FIRST = ["Alex", "Sam", "Priya", "Jordan", "Chloe", "Tomasz", "Aisha", "Ben", "Grace", "Kofi", "Megan", "Ravi",
         "Hannah", "Owen", "Leah", "Daniel", "Zara", "Ethan", "Isla", "Marcus", "Nadia", "Finn", "Ruth", "Imran"]
LAST = ["Ashdown", "Brightwell", "Carrow", "Dunmore", "Ellery", "Fairbank", "Greystock", "Holloway", "Ingram",
        "Jessop", "Kettering", "Lowther", "Marchant", "Northcote", "Oakley", "Pendle", "Quinlan", "Rushworth"]
JOB_ROLES = ["Social worker", "Senior practitioner", "Family support worker", "Social worker", "Business support"]


def _person(email: str, name: str, team: Team, role: str, job_role: str, start: date,
            employment: str = "permanent", manager: Staff | None = None, password: str | None = None) -> Staff:
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    if staff is None:
        staff = Staff(email=email, name=name, team=team, role=role, job_role=job_role, start_date=start,
                      employment_type=employment, line_manager=manager, active=True)
        if password:
            staff.password_hash = password
        db.session.add(staff)
    return staff


def _service(name: str) -> Service:
    """The service of that name, made if missing: an imported "Youth Justice" is reused, not duplicated."""
    service = db.session.scalar(select(Service).where(Service.name == name))
    if service is None:
        group = INDUCTION_GROUPS.get(name, "other")
        # R-QA-3: the seed states the monthly caseload review for children's social care (as migration 0021 does).
        service = Service(name=name, induction_group=group, caseload_reviews=group == "csc")
        db.session.add(service)
        db.session.flush()
    return service


def _team(service: Service, name: str, office_base: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.service_id == service.id, Team.name == name))
    if team is None:
        team = Team(service=service, name=name, office_base=office_base)
        db.session.add(team)
    return team


# How the demo county is doing (issue 10 item 15): a well-run organisation with a few real problems, so a
# first look reads it as working, with something to act on. Children in Care is the team under pressure (many
# cases past their supervision date, two workers' personal supervision overdue); elsewhere about one case in
# ten is overdue and one worker's personal supervision here and there.
STRUGGLING_TEAM = "Children in Care"
CASE_OVERDUE_SHARE = {STRUGGLING_TEAM: 0.4}
USUAL_CASE_OVERDUE_SHARE = 0.1
CASE_DUE_SOON_SHARE = 0.15
PERSONAL_OVERDUE = {STRUGGLING_TEAM: 2, "Family Safeguarding North": 1, "Care Leavers": 1,
                    "Assessment and Intervention": 1, "Wellbeing East": 1, "Wellbeing West": 1, "Youth Justice Team": 1}
PERSONAL_DUE_SOON_SHARE = 0.15
# Start dates within the last few years: the longest-serving people started about six and a half years ago.
LONGEST_SERVICE_DAYS = 2400
EARLIEST_ALLOCATION_DAYS = 480  # every case came to its worker within the last 16 months
HISTORY = 3  # supervision records kept per case and per person: enough for this month's and last month's figures
# How many days ago the last supervision was (the scheduling rules pick the exact day for the due state wanted).
# None in the last four days: those are the sessions written in TeamOps itself (``_seed_waiting``). A case in
# timescale or due within the week; overdue; overdue in the struggling team, late for over a month, so its last
# month's figure is as low as today's. A person's personal supervision; overdue.
HELD_DAYS = range(5, 57)
LATE_DAYS = range(30, 100)
LONG_LATE_DAYS = range(95, 140)
PERSONAL_DAYS = range(5, 30)
PERSONAL_LATE_DAYS = range(33, 56)


def seed_demo(staff_per_team: int = 10) -> dict[str, int]:
    """Creates the demo organisation if it is missing; running it again changes nothing. Deterministic: the
    same names and the same figures, relative to ``today()``, on every run."""
    if db.session.scalar(select(Staff.id).where(Staff.email == "admin@example.org")) is not None:
        return {"created": 0}
    rng = random.Random(2026)  # noqa: S311 - reproducible fictional data, not security
    on = today()
    demo_hash = hash_password(DEMO_PASSWORD)
    teams = [_team(_service(service_name), team_name, base)
             for service_name, team_rows in SERVICES.items() for team_name, base in team_rows]
    db.session.flush()
    north = teams[0]
    leadership = next(t for t in teams if t.name == "Children's Social Care Leadership")
    qait_team = next(t for t in teams if t.service.name == "Quality and Performance")
    long_ago = on - timedelta(days=900)
    # R-ORG-1: the head of service line-manages two service managers, each the line manager of some of the
    # service's team managers (Sasha of the first three teams, Rowan of the other two).
    head = _person("headofservice@example.org", "Harriet Okafor", leadership, "head_of_service", "Head of service",
                   long_ago, password=demo_hash)
    leadership.manager = head
    service_manager = _person("servicemanager@example.org", "Sasha Whitlock", leadership, "service_manager",
                              "Service manager", long_ago, manager=head, password=demo_hash)
    second_service_manager = _person("rowan.pryce@example.org", "Rowan Pryce", leadership, "service_manager",
                                     "Service manager", long_ago, manager=head)
    above_team = {team.id: service_manager if n < 3 else second_service_manager
                  for n, team in enumerate(t for t in teams if t.service is leadership.service and t is not leadership)}
    manager = _person("manager@example.org", "Morgan Hale", north, "team_manager", "Team manager", long_ago,
                      manager=service_manager, password=demo_hash)
    north.manager = manager
    qait = _person("qait@example.org", "Quinn Abbott", qait_team, "qait", "QA officer", long_ago, password=demo_hash)
    _person("admin@example.org", "Adrian Mills", qait_team, "admin", "Business support", long_ago,
            password=demo_hash)
    _person("worker@example.org", "Wren Taylor", north, "worker", "Social worker", on - timedelta(days=700),
            manager=manager, password=demo_hash)
    starter = _person("newstarter@example.org", "Nico Fraser", north, "worker", "Social worker",
                      _working_days_back(on, STARTER_DAY - 1), manager=manager, password=demo_hash)
    north.meeting_weekday = 1  # Team North meets on Tuesdays
    count = 8
    for team in teams:
        lead = team.manager
        if lead is None:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            slug = name.lower().replace(" ", ".")
            lead = _person(f"{slug}.{team.id}@example.org", name, team, "team_manager", "Team manager",
                           on - timedelta(days=rng.randint(400, LONGEST_SERVICE_DAYS)),
                           manager=above_team.get(team.id))
            team.manager = lead
            count += 1
        headcount = 2 if team in (leadership, qait_team) else staff_per_team
        for n in range(headcount):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{name.lower().replace(' ', '.')}.{team.id}{n}@example.org"
            _person(email, name, team, "worker", rng.choice(JOB_ROLES),
                    on - timedelta(days=rng.randint(200, LONGEST_SERVICE_DAYS)),
                    employment="agency" if n % 7 == 3 else "permanent", manager=lead)
            count += 1
    db.session.flush()
    policy = load_policy(on)
    _seed_asye(teams[1], on)
    away = _seed_absence(teams[1], on)
    _seed_personal(teams, on, policy, rng, away)
    cases = _seed_supervision([t for t in teams if t not in (leadership, qait_team)], on, policy, rng)
    _seed_waiting(north, on, cases)
    db.session.flush()
    _seed_induction(starter, north, manager, on)
    db.session.flush()
    seed_directory(on, teams)
    seed_returns(on, [t for t in teams if t not in (leadership, qait_team)], manager, qait)
    _seed_caseload_reviews(on)
    seed_observations(on, [t for t in teams if t not in (leadership, qait_team)])
    db.session.flush()
    sampled = [team for team in teams if above_team.get(team.id) is service_manager]
    seed_dip_samples(on, sorted(sampled, key=lambda team: team is not north), service_manager, manager)
    db.session.flush()
    seed_audit_round(on, north.service, manager, qait)
    return {"created": count}


STARTER_DAY = 8  # the demo new starter is on working day 8 of their 10-day induction


def _working_days_back(on: date, count: int) -> date:
    """The working day ``count`` working days before the last working day on or before ``on``."""
    day = previous_working_day(on)
    for _ in range(count):
        day = previous_working_day(day - timedelta(days=1))
    return day


def _seed_induction(starter: Staff, team: Team, manager: Staff, on: date) -> None:
    """The new starter's induction, opened as adding them would (CONTRACT.md), on its working day 8 (issue 11
    item 11): Wren Taylor the buddy and shadowing host A; check-ins on days 1 and 5, one with a concern the
    manager has seen, and day 7's missed; the before-the-start items and a few of week 1 done, the case-system
    e-learning still open past its week-1 deadline, the ID badge appointment confirmed by the manager."""
    induction = opening.open_for_new_staff(starter, team, "demo", None)
    if induction is None:
        return
    buddy = db.session.scalar(select(Staff).where(Staff.email == "worker@example.org"))
    assert buddy is not None
    day_of = {n: working_day_number(induction.start_date, n) for n in range(1, STARTER_DAY + 1)}
    db.session.add(InductionBuddy(induction=induction, buddy=buddy, from_date=day_of[1] - timedelta(days=3),
                                  named_by=manager))
    checklist.tick_automatic(induction, "buddy_named", manager, day_of[1] - timedelta(days=3))
    for day in induction.days:
        if day.host_slot == "a":
            day.host = buddy
    db.session.add_all([
        InductionCheckin(induction=induction, buddy=buddy, held_on=day_of[1], mode="in_person", doing=3,
                         notes="Met at Riverside House; laptop and log-ins working. Shadowing plan agreed."),
        InductionCheckin(induction=induction, buddy=buddy, held_on=day_of[5], mode="virtual", doing=2,
                         notes="Busy first week. Has read the practice standards.",
                         concern="Still no access to the case-recording system: the e-learning will not load.",
                         concern_seen_at=utcnow(), concern_seen_by=manager,
                         concern_response="Raised with IT; Nico to use a colleague's machine for the e-learning.")])
    done = {"A1", "A2", "A3", "A4", "A5", "B1", "B4", "B5", "C11", "B6"}
    for item in induction.items:
        if item.code in done and item.done_on is None:
            item.done_on = min(item.due_on, day_of[STARTER_DAY])
            item.done_at, item.done_by_id = utcnow(), starter.id if item.confirmer == "starter" else manager.id
            if item.confirmer != "starter":
                item.confirmed_on, item.confirmed_at, item.confirmed_by_id = item.done_on, item.done_at, manager.id


def _seed_asye(team: Team, on: date) -> None:
    """A newly qualified social worker in their third month of the ASYE year (R-ASYE-1): until they are 6
    months in, they lead a child protection case only with a co-worker."""
    person = next((p for p in team.members if p.role == "worker" and p.job_role == "Social worker"), None)
    if person is not None:
        person.asye_starts_on = add_months(on, -2) - timedelta(days=10)
        person.asye_ends_on = add_months(person.asye_starts_on, 12) - timedelta(days=1)
        person.start_date = min(person.start_date, person.asye_starts_on)


def _seed_absence(team: Team, on: date) -> Staff | None:
    """A long absence to look at (R-ORG-6): a worker of the second team on parental leave, back in two months;
    their personal supervision reads "absent" and their cases still wait to be reallocated."""
    away = next((p for p in team.members if p.role == "worker" and p.job_role != "Business support"), None)
    if away is not None and team.manager is not None:
        db.session.add(Absence(staff=away, kind="parental_leave", starts_on=on - timedelta(days=20),
                               ends_on=on + timedelta(days=60), recorded_by=team.manager))
    return away


# What 0 and 10 mean for the demo's scaling scores (R-SUP-9): every score is stored with its question.
SCALING_QUESTION = "0 = the children cannot stay safely at home, 10 = the case can close"

SERVICE_CASE_TYPES = {
    "Children's Social Care": ["CP", "CIN", "CIN", "CLA", "CL", "PF"],
    "Children and Family Wellbeing Service": ["EH"],
    "Youth Justice": ["YJ"],
}
DEMO_ACCOUNTS_WITH_OWN_HISTORY = ("worker@example.org", "newstarter@example.org")


def _working_day_before(day: date) -> date:
    """``day`` itself when it is a working day, else the working day before it: sessions happen at work."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _last_held(rng: random.Random, on: date, target: str, earliest: date, next_due: Callable[[date], date],
               days: range) -> date | None:
    """A working day, ``days`` back from ``on`` and not before ``earliest``, on which the last supervision puts
    the case or person in the ``target`` due state today, by the scheduling rules themselves (None: there is
    no such day, for a case allocated or a person started too recently)."""
    for back in rng.sample(days, len(days)):
        day = on - timedelta(days=back)
        if day >= earliest and is_working_day(day) and due_state(next_due(day), on) == target:
            return day
    return None


def _history(rng: random.Random, last: date, earliest: date, next_due: Callable[[date], date],
             month_end: date) -> list[date]:
    """The last supervision and up to ``HISTORY`` - 1 before it, each held in timescale of the one before,
    going back until one falls on or before last month's end (so last month's figure has its facts too)."""
    held = [last]
    while len(held) < HISTORY and held[-1] > month_end:
        gap = (next_due(held[-1]) - held[-1]).days
        before = _working_day_before(held[-1] - timedelta(days=rng.randint(max(7, gap - 10), gap - 1)))
        if before < earliest:
            break
        held.append(before)
    return sorted(held)


def _seed_personal(teams: list[Team], on: date, policy: Policy, rng: random.Random, away: Staff | None) -> None:
    """Personal supervision (R-SUP-1) for everyone with a line manager: monthly, most in timescale, a few due
    within the week, and the teams' ``PERSONAL_OVERDUE`` workers a few weeks late."""
    month_end = last_month_end(on)
    for team in teams:
        people = sorted((p for p in team.members if p.line_manager is not None
                         and p.email not in DEMO_ACCOUNTS_WITH_OWN_HISTORY), key=lambda p: p.email)
        workers = [p for p in people if p.role == "worker" and p is not away]
        late = {p.id for p in rng.sample(workers, min(len(workers), PERSONAL_OVERDUE.get(team.name, 0)))}
        for person in people:
            supervisor = person.line_manager
            assert supervisor is not None

            def next_due(day: date, person: Staff = person) -> date:
                return personal_next_due_on(policy, person.start_date, day)

            target, days = (OVERDUE, PERSONAL_LATE_DAYS) if person.id in late else (OK, PERSONAL_DAYS)
            if target == OK and rng.random() < PERSONAL_DUE_SOON_SHARE:
                target = DUE_SOON
            last = _last_held(rng, on, target, person.start_date, next_due, days)
            if last is None:
                continue
            for held_on in _history(rng, last, person.start_date, next_due, month_end):
                _held("personal", held_on, person, supervisor)


def _case(ref: int, case_type: str, worker: Staff, allocated_on: date, high_risk: bool = False) -> Case:
    case = Case(case_ref=str(ref), case_type_code=case_type, high_risk=high_risk, worker=worker,
                allocated_on=allocated_on)
    case.allocations.append(CaseAllocation(worker=worker, from_date=allocated_on))
    db.session.add(case)
    return case


def _held(kind: str, held_on: date, worker: Staff, supervisor: Staff, case: Case | None = None,
          scaling: int | None = None) -> SupervisionRecord:
    record = SupervisionRecord(kind=kind, held_on=held_on, worker=worker, supervisor=supervisor,
                               status="signed_off", imported=True)
    if case is not None:
        question = SCALING_QUESTION if scaling is not None else None
        record.discussions.append(CaseDiscussion(case=case, held_on=held_on, scaling=scaling,
                                                 scaling_question=question))
    db.session.add(record)
    return record


def _seed_supervision(teams: list[Team], on: date, policy: Policy, rng: random.Random) -> dict[int, list[Case]]:
    """Fictional cases (case-system style numbers, never names) in every due state, with history: in each team
    a fixed share overdue (``CASE_OVERDUE_SHARE``) and due within the week, the rest in timescale. Returns
    the cases made, by worker."""
    ref = 4300100
    made: dict[int, list[Case]] = {}
    month_end = last_month_end(on)
    for team in teams:
        manager = team.manager
        assert manager is not None
        types = SERVICE_CASE_TYPES[team.service.name]
        holders = []
        for worker in [p for p in team.members if p.role == "worker" and p.job_role != "Business support"]:
            if worker.email == "newstarter@example.org":
                continue  # no allocation during a permanent starter's induction (R-IND-3)
            if worker.email == "worker@example.org":
                _seed_demo_worker(worker, manager, on)
                continue
            holders.extend([worker] * rng.randint(2, 5))
        overdue = round(len(holders) * CASE_OVERDUE_SHARE.get(team.name, USUAL_CASE_OVERDUE_SHARE))
        due_soon = round(len(holders) * CASE_DUE_SOON_SHARE)
        targets = [OVERDUE] * overdue + [DUE_SOON] * due_soon + [OK] * (len(holders) - overdue - due_soon)
        rng.shuffle(targets)
        for worker, target in zip(holders, targets, strict=True):
            ref += 1
            # A case can only be late (or nearly due) once it has been held a while.
            days = HELD_DAYS if target != OVERDUE else LONG_LATE_DAYS if team.name == STRUGGLING_TEAM else LATE_DAYS
            back = rng.randint(14 if target == OK else days.stop + 10, EARLIEST_ALLOCATION_DAYS)
            allocated = _working_day_before(max(on - timedelta(days=back), worker.start_date))
            code = rng.choice(types)
            if code == "CP" and worker.asye_starts_on is not None and allocated >= worker.asye_starts_on:
                code = next(t for t in types if t != "CP")  # no CP lead without a co-worker in the ASYE (R-ASYE-2)
            case = _case(ref, code, worker, allocated, high_risk=rng.random() < 0.15)
            made.setdefault(worker.id, []).append(case)

            def next_due(day: date, case: Case = case) -> date:
                return case_next_due_on(policy, case.case_type_code, case.high_risk, case.allocated_on, day)

            last = _last_held(rng, on, target, allocated, next_due, days)
            held = _history(rng, last, allocated, next_due, month_end) if last is not None else []
            if case.case_type_code == "EH" and (not held or held[0] > max(allocated, month_end)):
                held.insert(0, allocated)  # early help: supervision on the day of allocation (R-SUP-3)
            for held_on in held:
                _held("case", held_on, worker, manager, case, rng.randint(2, 8))
    return made


def _seed_demo_worker(worker: Staff, manager: Staff, on: date) -> None:
    """worker@example.org has a case in every due state, and a case with a scaling trend to look at."""
    trend = _case(4300001, "CP", worker, on - timedelta(days=200))
    for days, score in ((150, 2), (122, 3), (94, 3), (66, 5), (35, 6)):
        _held("case", on - timedelta(days=days), worker, manager, trend, score)  # overdue: 4-weekly
    soon = _case(4300002, "CIN", worker, on - timedelta(days=120))
    _held("case", on - timedelta(days=52), worker, manager, soon, 5)  # 8-weekly: due within 7 days
    fine = _case(4300003, "CLA", worker, on - timedelta(days=300))
    _held("case", on - timedelta(days=10), worker, manager, fine, 7)  # in timescale
    risky = _case(4300004, "CIN", worker, on - timedelta(days=90), high_risk=True)
    _held("case", on - timedelta(days=40), worker, manager, risky, 3)  # high risk: monthly, overdue
    _case(4300005, "EH", worker, on)  # early help: first due on the allocation day


def _seed_waiting(team: Team, on: date, cases: dict[int, list[Case]]) -> None:
    """Records written in TeamOps itself, so each demo account's home page has something waiting: the demo
    manager a draft to finish and a signed-off case discussion to put on the child's record (R-SUP-5), the
    demo worker their last personal supervision to acknowledge, the service manager and the head of service
    a draft personal supervision of someone they line-manage."""
    manager = team.manager
    assert manager is not None
    yesterday = _working_day_before(on - timedelta(days=1))
    others = sorted((p for p in team.members if cases.get(p.id) and p.email not in DEMO_ACCOUNTS_WITH_OWN_HISTORY),
                    key=lambda p: p.email)
    if len(others) >= 2:
        first, second = others[0], others[1]
        draft = _written("case", yesterday, first, manager, status="draft")
        draft.discussions.append(CaseDiscussion(
            case=cases[first.id][0], held_on=yesterday,
            significant_events="School reports better attendance since the new routine started.",
            decisions_and_plan="Keep the plan; review the school's support at the next core group."))
        held_on = _working_day_before(on - timedelta(days=3))
        signed = _written("case", held_on, second, manager, status="signed_off")
        case = cases[second.id][0]
        signed.discussions.append(CaseDiscussion(
            case=case, held_on=held_on, scaling=6, scaling_question=SCALING_QUESTION,
            actions_review="Both actions from the last supervision are done.",
            significant_events="Mother has started the parenting course and attended the first two sessions.",
            decisions_and_plan="The plan is working; no change to the level of intervention.",
            reflective_analysis="Progress is real but early: keep visits weekly until the course ends.",
            childs_voice="The younger child said home feels calmer and she likes the new bedtime routine.",
            worries="Father's contact arrangements are still informal.",
            working_well="Mother engages with every appointment.",
            needs_to_happen="Agree written contact arrangements."))
        signed.actions.append(SupervisionAction(case=case, owner=second, due_on=on + timedelta(days=14),
                                                description="Agree written contact arrangements with both parents"))
    worker = next((p for p in team.members if p.email == "worker@example.org"), None)
    if worker is not None:
        for days in (66, 36):
            _held("personal", _working_day_before(on - timedelta(days=days)), worker, manager)
        personal = _written("personal", _working_day_before(on - timedelta(days=6)), worker, manager,
                            status="signed_off",
                            wellbeing="Feeling settled; the court work last month was tiring but well supported.",
                            workload="Caseload manageable; one case to be reviewed for closure.",
                            learning="Book the Signs of Safety refresher.")
        personal.actions.append(SupervisionAction(owner=worker, due_on=on + timedelta(days=21),
                                                  description="Book a place on the Signs of Safety refresher"))
    above = manager.line_manager
    if above is not None:
        _written("personal", yesterday, manager, above, status="draft",
                 wellbeing="Busy month with two new starters; taking leave at half term.",
                 workload="Team caseloads are even; one vacancy out to advert.")
        head = above.line_manager
        if head is not None:
            _written("personal", yesterday, above, head, status="draft",
                     wellbeing="Well; covering the second service manager's teams next week.")


MADE_AT = timedelta(hours=6, minutes=5)  # the caseload reports are made by the morning's scheduled command


def _seed_caseload_reviews(on: date) -> None:
    """Last month's caseload reports, returned by each team's manager with a line on the workers with overdue
    cases, and this month's, made on its first working day and waiting for commentary (R-QA-3): the demo
    manager has one to write, and the change since last month has something to show."""
    month = caseload.report_month(on)
    last = add_months(month, -1)
    last_made = first_working_day(last.year, last.month)
    caseload.make_reports(last, last_made)
    for review in db.session.scalars(select(CaseloadReview).where(CaseloadReview.month == last)):
        review.made_at = start_of_day(last_made) + MADE_AT
        for row in review.rows:
            if row.overdue:
                row.commentary = "Overdue cases discussed in supervision; sessions booked for the coming week."
        returned_on = working_day_number(last_made, 4)
        review.returned_at = start_of_day(returned_on) + timedelta(hours=10)
        review.returned_by = review.team.manager
    made_on = first_working_day(month.year, month.month)
    caseload.make_reports(month, made_on)
    for review in db.session.scalars(select(CaseloadReview).where(CaseloadReview.month == month)):
        review.made_at = start_of_day(made_on) + MADE_AT


def _written(kind: str, held_on: date, worker: Staff, supervisor: Staff, status: str,
             **content: str) -> SupervisionRecord:
    """A record written in TeamOps (not imported): a draft, or signed off and not yet acknowledged or filed."""
    record = SupervisionRecord(kind=kind, held_on=held_on, worker=worker, supervisor=supervisor, status=status,
                               imported=False, signed_off_at=utcnow() if status == "signed_off" else None,
                               **content)
    db.session.add(record)
    return record

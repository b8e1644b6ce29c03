"""A query budget for every page (the funding-service idea): each GET route, opened by someone who may see it
with real objects from the demo data, sends as many SQL statements with ten times the data as with the demo's
own size, and at most ``LIMIT``. A page that loads a row per row it shows fails here, naming the route and
both counts.

The data is built twice, once per size, each in a fresh database, and every page is measured once in each
(module scope, so the parametrised tests only read the measurements): the demo (``seed_demo`` with 10 or 100
staff per team), plus what the demo lacks, scaled the same way around the demo worker: cases, records,
actions, bookings, escalations, workers' disagreements with their records, oversight, a busy group record with
reviews and versions, a personal record.
Each page is opened once to warm up (sign-in bookkeeping, first-request caches), then counted once; the
sign-in gate's session check is part of every signed-in count.

Every GET endpoint needs an entry in ``BUDGET``; a new route without one fails ``test_budget_lists_every_page``.
Write routes that answer htmx with a fragment keep theirs beside their tests (``POST /actions/N/done`` and
``/undo``: tests/daytoday/test_undo_done.py).
A page that really needs more than ``LIMIT`` says so with ``Visit(..., limit=n)`` and a comment giving why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from sqlalchemy import select, update

from teamops import dates
from teamops.api.tokens import issue_token, revoke_token
from teamops.auth.models import UserSession
from teamops.auth.services import issue_password_link
from teamops.cases import services as case_services
from teamops.cases.models import Case
from teamops.demo import DEMO_PASSWORD, seed_demo
from teamops.directory import contacts, networks, recurrence
from teamops.directory.contact_demo import seed_contacts
from teamops.directory.hours import parse_hours
from teamops.directory.models import ChampionArea, Contact, Network
from teamops.directory.network_demo import seed_networks
from teamops.directory.recurrence import WEEKLY, Pattern
from teamops.extensions import db
from teamops.induction.buddy_models import InductionCheckin
from teamops.induction.models import Induction, InductionItem
from teamops.induction.template_models import ChecklistItem, InductionTemplate
from teamops.org import grants
from teamops.org.models import Absence, Service, Staff, TeamBase
from teamops.quality import rounds as audit_rounds
from teamops.quality.audit_models import (
    OFSTED_GRADES,
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    AuditRound,
    CaseAudit,
    Grade,
    GradeScale,
)
from teamops.quality.models import RUBRIC, DipRating, DipSample
from teamops.records import escalations as escalation_services
from teamops.records import services as records
from teamops.records.models import ActionReview, SupervisionAction, SupervisionRecord
from teamops.reminders import feeds
from teamops.returns.models import CaseloadReview
from tests import factories
from tests.conftest import Client, counting_queries, fresh_database, make_app

LIMIT = 12
MOST_PARAMETERS = 100  # bound to one statement: more than a page of rows, far less than any county's data
SIZES = (1, 10)  # times the demo data: seed_demo's staff per team is 10 per size
PERSONAS = {
    "admin": "admin@example.org",
    "qait": "qait@example.org",
    "service_manager": "servicemanager@example.org",
    "team_manager": "manager@example.org",
    "worker": "worker@example.org",
    "new_starter": "newstarter@example.org",
}
SIGNED_OUT = None


@dataclass(frozen=True)
class Objects:
    """Ids of the rows the pages are opened with, in one database (they differ between the two sizes)."""

    worker: int  # worker@example.org, in the demo team manager's team
    team: int
    service: int
    case: int  # the worker's case with a scaling trend, discussed in every record added
    open_cases: tuple[int, ...]  # the worker's open cases: more of them with more data
    record: int  # a signed-off group record about those and colleagues' cases, with actions, reviews, versions
    discussion: int  # one of its case discussions
    personal_record: int  # a signed-off personal supervision, with actions and reviews
    booking: int  # a future group session, still booked
    escalation: int  # a disagreement waiting for the service manager
    absence: int  # one of the worker's long absences, past ones
    disagreement: int  # a record the worker disagrees with, waiting for the manager
    induction: int  # the demo new starter's induction (colleagues of the worker have more, with more data)
    induction_day: int  # its first shadowing host A day
    checkin: int  # its check-in with a concern (seen)
    induction_item: int  # one of its checklist items (B13, a case hand-over: the manager may mark it not applicable)
    password_token: str
    today: date
    template: int  # the seeded permanent timetable (10 days, 25 items)
    template_day: int  # its first item
    checklist_item: int  # the seeded checklist's C12 (the case-system e-learning)
    area: int  # the seeded "Domestic abuse" champion area (colleagues champion it with more data)
    network: int  # the demo's Diversity advocates, with more contacts and meeting changes with more data
    contact: int = 0  # the demo's out-of-hours team (more contacts and services with more data)
    caseload_review: int = 0  # the demo manager's team's latest caseload review (a row per worker: more with more data)
    dip_sample: int = 0  # the demo's latest rated sample of the demo manager's supervision (more with more data)
    busy_round: int = 0  # an audit round of the demo manager's service in progress: audits, half submitted and graded
    open_round: int = 0  # a round just set up, its cases given out, none submitted
    round_audit: int = 0  # one of its audits, with a buddy
    grade_scale: int = 0  # the Ofsted scale, used by every round
    audit: int = 0  # a submitted audit of the worker's case, with answers and more actions with more data
    draft_audit: int = 0  # the service manager's draft audit of another of the team's cases (the owner choices grow)
    reaudit: int = 0  # the service manager's re-audit of ``audit`` (the original shown beside it)
    reaudit_ready: int = 0  # a submitted audit with actions and no re-audit yet (QAIT's form)
    feed_token: str = ""  # the demo new starter's calendar feed: sessions, induction timetable, chosen networks


@dataclass(frozen=True)
class Visit:
    """Who opens the page, and the ``url_for`` values (path and query) built from the objects."""

    persona: str | None
    values: Callable[[Objects], dict[str, Any]] = lambda objects: {}
    label: str = ""  # tells apart several visits of one endpoint
    limit: int = LIMIT


def _visits(*personas: str) -> tuple[Visit, ...]:
    return tuple(Visit(persona, label=persona) for persona in personas)


def _case_session(objects: Objects) -> dict[str, Any]:
    return {"worker": objects.worker, "kind": "case", "held_on": objects.today.isoformat(),
            "case": list(objects.open_cases)}


def _month(objects: Objects, back: int) -> str:
    """The code of the month ``back`` months before the current one (-1: last month)."""
    return dates.month_code(dates.add_months(date(objects.today.year, objects.today.month, 1), back))


HOME_LIMITS = {"service_manager": 25, "team_manager": 27, "worker": 15, "new_starter": 14, "qait": 14}
BUDGET: dict[str, Visit | tuple[Visit, ...]] = {
    # Induction (issue 11): the list reads a page of inductions and their progress in two grouped statements.
    "induction.index": _visits("team_manager", "service_manager", "qait"),
    "induction.mine": Visit("worker"),  # no induction: the page that says so (the starter is sent to theirs)
    "induction.show": (Visit("team_manager", lambda o: {"induction_id": o.induction}, label="team_manager"),
                       Visit("new_starter", lambda o: {"induction_id": o.induction}, label="new_starter")),
    "induction.new": (Visit("team_manager", label="empty"),
                      Visit("team_manager", lambda o: {"staff_id": o.worker}, label="staff_id")),
    "induction.plan": Visit("team_manager", lambda o: {"induction_id": o.induction}),
    # The suggestions: every candidate with their team and duty count in one statement.
    "induction.buddy": Visit("team_manager", lambda o: {"induction_id": o.induction}),
    "induction.host": Visit("team_manager", lambda o: {"induction_id": o.induction, "day_id": o.induction_day}),
    "induction.checkin_form": Visit("worker", lambda o: {"induction_id": o.induction}),  # the demo buddy
    "induction.concern_seen": Visit("team_manager", lambda o: {"checkin_id": o.checkin}),
    "induction.ics": Visit("new_starter", lambda o: {"induction_id": o.induction}),
    "induction.starters": (Visit("qait", label="qait"), Visit("admin", label="admin"),
                           Visit("qait", lambda o: {"format": "csv"}, label="csv"),
                           Visit("qait", lambda o: {"format": "xlsx"}, label="xlsx")),
    "api.inductions": Visit("qait"),
    # The directory (issue 12): the same for everyone, each list one statement with what it shows joined.
    "directory.index": _visits("worker", "team_manager", "admin"),
    "directory.search_page": (Visit("worker", label="empty"), Visit("worker", lambda o: {"q": "a"}, label="a"),
                              Visit("worker", lambda o: {"q": "domestic abuse"}, label="words")),
    "directory.teams": Visit("worker"),
    "directory.team": Visit("worker", lambda o: {"team_id": o.team}),
    "directory.team_edit": Visit("team_manager", lambda o: {"team_id": o.team}),
    "directory.offices": (Visit("worker", label="all"),
                          Visit("worker", lambda o: {"office": "Riverside House"}, label="office")),
    "directory.my_details": Visit("worker"),
    "directory.checks": Visit("admin"),
    "directory.champion_list": (Visit("worker", label="mine"),
                                Visit("worker", lambda o: {"area": o.area}, label="area"),
                                Visit("worker", lambda o: {"team": o.team}, label="team"),
                                Visit("worker", lambda o: {"office": "Riverside House"}, label="office")),
    "directory.champion_mine": Visit("worker"),
    "directory.champion_manage": Visit("team_manager"),
    "directory.champion_appoint": Visit("team_manager"),
    "directory.champion_volunteer": Visit("worker"),
    "directory.areas": Visit("admin"),
    "directory.area_edit": Visit("admin", lambda o: {"area_id": o.area}),
    "api.champions": (Visit("worker", label="all"), Visit("worker", lambda o: {"near_team": o.team}, label="near")),
    # Networks and groups (issue 12): the list reads the networks and their meeting changes (two statements); a
    # network's page its contacts with their staff, its changes and who checked it.
    "directory.networks_index": Visit("worker"),
    "directory.network": (Visit("worker", lambda o: {"network_id": o.network}, label="worker"),
                          Visit("admin", lambda o: {"network_id": o.network}, label="admin")),
    "directory.network_ics": Visit("worker", lambda o: {"network_id": o.network}),
    "directory.network_new": Visit("admin"),
    "directory.network_edit": Visit("admin", lambda o: {"network_id": o.network}),
    "directory.network_contacts": Visit("admin", lambda o: {"network_id": o.network}),
    "directory.network_exceptions": Visit("admin", lambda o: {"network_id": o.network}),
    "api.networks": Visit("qait"),
    # Returns (issue 13): a page of teams chosen in SQL, then the month's figures for that page alone (members at
    # the month's end, people, policy, open cases, discussions) or its returns and latest submissions. The exports
    # read every team's return with the figures now and the submissions' rows in one statement more: two over
    # LIMIT (the month's returns, latest submissions and chases, then the five statements of the figures now,
    # then the frozen rows), the same at any size. The month's figures are kept under the teams' versions
    # (teamops.returns.figures): measured cold, they cost one statement more than they did (the versions and the
    # teams asked about); warm, that one statement is all they cost.
    "api.compliance": (Visit("qait", lambda o: {"month": _month(o, -1)}, label="qait"),
                       Visit("team_manager", lambda o: {"month": _month(o, -1), "team": o.team}, label="team",
                             limit=LIMIT + 1)),
    "api.returns": Visit("qait", lambda o: {"month": _month(o, -1)}),
    "api.return_calendar": Visit("worker", lambda o: {"year": o.today.year}),
    "returns.export_xlsx": Visit("qait", lambda o: {"month": _month(o, -1)}, limit=LIMIT + 2),
    "returns.export_csv": tuple(Visit("qait", lambda o, view=view: {"month": _month(o, -1), "view": view}, label=view,
                                      limit=LIMIT + 2) for view in ("workers", "teams", "services")),
    "induction.office": Visit("worker"),  # the worker is made their team's business-support contact
    "induction.item_na": Visit("team_manager", lambda o: {"item_id": o.induction_item}),
    "induction.review": Visit("team_manager", lambda o: {"induction_id": o.induction}),
    # Specialist contacts and support services (issue 12): the entries with their service area, named person
    # and checker in one statement, every entry's opening hours in one more, the filter's service areas in one.
    "directory.contacts_list": (Visit("worker", label="all"),
                                Visit("worker", lambda o: {"service": o.service}, label="service")),
    "directory.support": Visit("worker"),
    "directory.contact": Visit("worker", lambda o: {"contact_id": o.contact}),
    "directory.contact_new": Visit("admin", lambda o: {"kind": "support"}),
    "directory.contact_edit": Visit("admin", lambda o: {"contact_id": o.contact}),
    # QAIT returns (issue 13): the demo manager's team has last month's return as a draft (the figures read live)
    # and a year of accepted returns before it (the trend; a version's frozen rows). A month's live figures are
    # seven statements of their own (who was in each team at the month's end, the people with their last
    # personal supervision and absences, the policy's two, the open cases, the month's case discussions), so
    # the list takes two over the default (the returns with their latest versions, the chases, the trend, and
    # for QAIT the services to filter by) and one team's return one (its notes, versions and chases); one more
    # each for the versions the figures are kept under (above).
    "returns.index": (*(Visit(p, label=p, limit=LIMIT + 3) for p in ("team_manager", "service_manager", "qait")),
                      Visit("qait", lambda o: {"month": _month(o, -2)}, label="qait, submitted month",
                            limit=LIMIT + 3)),
    "returns.team_return": (Visit("team_manager", lambda o: {"team_id": o.team, "month": _month(o, -1)},
                                  label="draft", limit=LIMIT + 2),
                            Visit("qait", lambda o: {"team_id": o.team, "month": _month(o, -2)}, label="accepted")),
    "returns.version": Visit("service_manager", lambda o: {"team_id": o.team, "month": _month(o, -2), "number": 1}),
    # Caseload reviews (issue 13 item 6): the month's reviews in reach with their teams, services and who returned
    # them in one statement (QAIT's service filter one more); a review with its rows, and the case types' names.
    "returns.caseload_list": (*_visits("team_manager", "service_manager", "qait"),
                              Visit("qait", lambda o: {"month": o.today.strftime("%Y-%m"), "service": o.service},
                                    label="service")),
    "returns.caseload_review": (Visit("team_manager", lambda o: {"review_id": o.caseload_review}, label="team_manager"),
                                Visit("qait", lambda o: {"review_id": o.caseload_review}, label="qait")),
    # Dip samples (issue 14 item 3): the teams in reach, the month's records held per team and the sampler's
    # samples (a statement each), the target, the ratings by team and month and the month's per criterion (one
    # each; QAIT's services one more). A team's month is one statement of records with their people and samples;
    # a sample its record as the record page reads it, the ratings and the audit of the reading.
    "quality.dip_samples": (Visit("service_manager", label="service_manager"), Visit("qait", label="qait"),
                            Visit("qait", lambda o: {"month": _month(o, -1), "service": o.service},
                                  label="qait, service")),
    "quality.dip_pick": Visit("service_manager", lambda o: {"team_id": o.team, "month": _month(o, -1)}),
    "quality.dip_sample": (Visit("service_manager", lambda o: {"sample_id": o.dip_sample}, label="sampler"),
                           Visit("team_manager", lambda o: {"sample_id": o.dip_sample}, label="supervisor")),
    "quality.dip_feedback": Visit("team_manager"),
    # Audit rounds (issue 14 item 1): a round's page reads the round with its scale, grades, services and questions
    # (four statements), its audits with their cases, teams and people (one), the auditors for the add form and
    # the grades by service and by question (one each). The offered pick reads the open cases and the auditors
    # once each, then draws in Python.
    "quality.scales": Visit("admin"),
    "quality.scale_form": (Visit("admin", label="new"),
                           Visit("admin", lambda o: {"scale_id": o.grade_scale}, label="edit")),
    "quality.audits": _visits("team_manager", "worker"),
    "quality.rounds": Visit("qait"),
    "quality.round_form": (Visit("qait", label="new"),
                           Visit("qait", lambda o: {"round_id": o.open_round}, label="edit")),
    # The round as a workbook: the round, its audits and its actions with their people, the grades by service.
    "quality.round_export": Visit("qait", lambda o: {"round_id": o.busy_round}),
    "quality.round": (Visit("qait", lambda o: {"round_id": o.busy_round}, label="in progress"),
                      Visit("qait", lambda o: {"round_id": o.open_round}, label="set up")),
    "quality.pick": Visit("qait", lambda o: {"round_id": o.open_round, "n": 6, "seed": 11}),
    "quality.buddy": Visit("qait", lambda o: {"round_id": o.open_round, "audit_id": o.round_audit}),
    "quality.briefings": Visit("team_manager", lambda o: {"round_id": o.busy_round}),
    # Case audits (issue 14 item 2): an audit with its round, scale, questions, answers and actions in five
    # statements; the auditor's form also the owners to choose from (one), a re-audit the original (five more).
    "quality.audit": (Visit("team_manager", lambda o: {"audit_id": o.audit}, label="submitted"),
                      Visit("service_manager", lambda o: {"audit_id": o.draft_audit}, label="draft"),
                      Visit("service_manager", lambda o: {"audit_id": o.reaudit}, label="reaudit")),
    "quality.reaudit": Visit("qait", lambda o: {"audit_id": o.reaudit_ready}),
    # The audit findings (issue 14 item 5): the services to filter by, the open actions' page and its count, their
    # summary, and the grades by round and service, the rounds and their scales' grades (three); the workbook
    # every open action and the grades.
    "quality.findings_page": (Visit("qait", label="qait"), Visit("service_manager", label="service_manager"),
                              Visit("qait", lambda o: {"service": o.service}, label="qait, service")),
    "quality.findings_export": Visit("service_manager"),
    # Your calendar feed (issue 15 item 6): the page reads your feed; the feed the person behind the token, their
    # sessions with their people (the attendees one more), their open induction with its days and hosts (two) and
    # its buddy.
    "reminders.calendar": Visit("worker"),
    # Notifications (issue 15 item 3): a page of yours with its count and the unread count; the header's count one.
    "reminders.notifications": Visit("worker"),
    "reminders.notification_count": Visit("worker"),
    "reminders.preferences": Visit("worker"),
    "privacy.your_data": Visit("worker"),
    "reminders.feed": Visit(SIGNED_OUT, lambda o: {"token": o.feed_token}),
    "api.audits": (Visit("qait", label="qait"), Visit("team_manager", lambda o: {"team": o.team}, label="team")),
    "home.health": Visit(SIGNED_OUT),
    # A service manager's home is "Your teams": building several teams' figures also reads who was in each team
    # at last month's end (team membership is dated, issue 9 item 6): one statement over the default. A
    # manager's home also lists what waits for them (issue 10 item 3): their drafts, discussions to file,
    # workers' disagreements and escalations, a statement each (the drafts' discussions one more). Everyone's
    # home but an admin's shows their own induction and those they buddy (one statement) and the timetable days
    # they host (one more); a manager's also the buddies' concerns waiting for them (one more), the
    # starters' mandatory training overdue (one more; R-IND-10) and cases imported for a permanent starter during
    # their induction (one more; R-IND-3) (issue 11). A team manager's home also says when last month's return is
    # due (the return with QAIT's chases, and the organisation's due-date rule) and its table shows the figure the
    # team submitted for last month beside the live one (one more each; issue 13), and lists the caseload reviews
    # waiting for its commentary (one more; R-QA-3). Everyone's but QAIT's and an admin's lists the open case-audit
    # actions they own or their team has (one more); a team manager's also the audit findings about their team not
    # yet read (one more; R-QA-5, issue 14).
    "home.index": tuple(Visit(p, label=p, limit=HOME_LIMITS.get(p, LIMIT)) for p in PERSONAS),
    "auth.sign_in": Visit(SIGNED_OUT),
    "auth.set_password": Visit(SIGNED_OUT, lambda o: {"token": o.password_token}),
    "auth.change_password": Visit("worker"),
    "auth.session_status": Visit("worker"),
    "api.teams": Visit("qait"),
    "api.staff": Visit("qait"),
    "api.cases": Visit("qait"),
    "api.openapi": Visit("qait"),
    "tokens.mine": Visit("worker"),
    "tokens.everyone": (Visit("admin", label="working"), Visit("admin", lambda o: {"show": "all"}, label="all")),
    "audit.index": Visit("admin"),
    "bookings.index": Visit("team_manager"),
    "bookings.mine": Visit("worker"),
    "bookings.new": Visit("team_manager", lambda o: {"worker_id": o.worker}),
    "bookings.case_picker": Visit("team_manager", lambda o: {
        "worker_id": o.worker, "kind": "case", "session_date": (o.today + timedelta(days=7)).isoformat()}),
    "bookings.detail": Visit("team_manager", lambda o: {"booking_id": o.booking}),
    "bookings.reschedule": Visit("team_manager", lambda o: {"booking_id": o.booking}),
    "bookings.cancel": Visit("team_manager", lambda o: {"booking_id": o.booking}),
    "cases.index": Visit("team_manager"),
    "cases.new": Visit("team_manager"),
    "cases.show": Visit("team_manager", lambda o: {"case_id": o.case}),
    "dashboards.me": Visit("worker"),
    "dashboards.team": Visit("team_manager"),
    "dashboards.team_worker": Visit("team_manager", lambda o: {"staff_id": o.worker}),
    "dashboards.service": Visit("service_manager"),
    "dashboards.qait": Visit("qait"),
    "dashboards.scaling": Visit("team_manager", lambda o: {"case_id": o.case}),
    "imports.upload": Visit("admin"),
    "org.services": Visit("admin"),
    "org.service_form": (Visit("admin", label="new"),
                         Visit("admin", lambda o: {"service_id": o.service}, label="edit")),
    "org.teams": Visit("admin"),
    "org.team": Visit("team_manager", lambda o: {"team_id": o.team}),
    "org.team_form": (Visit("admin", label="new"), Visit("admin", lambda o: {"team_id": o.team}, label="edit")),
    "org.cover_new": Visit("team_manager", lambda o: {"team_id": o.team}),
    "org.absence_new": Visit("team_manager", lambda o: {"staff_id": o.worker}),
    "org.handover_page": Visit("team_manager", lambda o: {"staff_id": o.worker}),
    "org.absence_edit": Visit("team_manager", lambda o: {"absence_id": o.absence}),
    "org.asye_page": Visit("team_manager", lambda o: {"staff_id": o.worker}),
    "quality.observations_of": (Visit("team_manager", lambda o: {"staff_id": o.worker}, label="team_manager"),
                                Visit("worker", lambda o: {"staff_id": o.worker}, label="worker")),
    "org.staff": Visit("admin"),
    "org.access_changes": (Visit("admin", label="admin"), Visit("qait", label="qait")),
    "org.staff_member": Visit("team_manager", lambda o: {"staff_id": o.worker}),
    "org.staff_form": (Visit("admin", label="new"), Visit("admin", lambda o: {"staff_id": o.worker}, label="edit")),
    "org.settings": Visit("admin"),
    "policy.index": Visit("worker"),
    "policy.case_type": Visit("admin", lambda o: {"code": "CP"}),
    "policy.settings": Visit("admin"),
    "induction.templates": Visit("admin"),
    "induction.template": Visit("admin", lambda o: {"template_id": o.template}),
    "induction.template_form": (Visit("admin", label="new"),
                                Visit("admin", lambda o: {"template_id": o.template}, label="edit")),
    "induction.template_day_form": (Visit("admin", lambda o: {"template_id": o.template}, label="new"),
                                    Visit("admin", lambda o: {"day_id": o.template_day}, label="edit")),
    "induction.checklist": Visit("admin"),
    "induction.checklist_item_form": (Visit("admin", label="new"),
                                      Visit("admin", lambda o: {"item_id": o.checklist_item}, label="edit")),
    "induction.team_settings": Visit("team_manager", lambda o: {"team_id": o.team}),
    "records.index": Visit("team_manager"),
    "records.actions": Visit("team_manager"),
    "records.escalations": _visits("service_manager", "team_manager"),
    "records.resolve": Visit("service_manager", lambda o: {"discussion_id": o.escalation}),
    "records.resolve_disagreement": Visit("team_manager", lambda o: {"record_id": o.disagreement}),
    "records.new_record": Visit("team_manager"),
    # One more than LIMIT: the form also offers each case the question of its last scaling score (R-SUP-9, issue 9
    # item 12), read for every case at once, one index seek each.
    "records.write": Visit("team_manager", _case_session, limit=LIMIT + 1),
    "records.show": (Visit("team_manager", lambda o: {"record_id": o.record}, label="group"),
                     Visit("team_manager", lambda o: {"record_id": o.personal_record}, label="personal")),
    "records.edit": (Visit("team_manager", lambda o: {"record_id": o.record}, label="group"),
                     Visit("team_manager", lambda o: {"record_id": o.personal_record}, label="personal")),
    "records.versions": Visit("team_manager", lambda o: {"record_id": o.record}),
    "records.version": Visit("team_manager", lambda o: {"record_id": o.record, "version": 1}),
    "records.copy": (Visit("team_manager", lambda o: {"record_id": o.personal_record}, label="personal"),
                     Visit("team_manager", lambda o: {"record_id": o.record, "discussion_id": o.discussion},
                           label="case")),
    "records.copy_text": (Visit("team_manager", lambda o: {"record_id": o.personal_record}, label="personal"),
                          Visit("team_manager", lambda o: {"record_id": o.record, "discussion_id": o.discussion},
                                label="case")),
}


def _all_visits() -> dict[str, tuple[str, Visit]]:
    """Every visit by its test id: the endpoint, with the label when the endpoint has several."""
    found = {}
    for endpoint, entry in BUDGET.items():
        visits = entry if isinstance(entry, tuple) else (entry,)
        for visit in visits:
            found[f"{endpoint}[{visit.label}]" if len(visits) > 1 else endpoint] = (endpoint, visit)
    return found


VISITS = _all_visits()


# Pages that need a part this module does not run, measured beside their own tests instead.
MEASURED_ELSEWHERE = {
    "auth.sso_start": "tests/auth/test_sso.py: needs the OpenID provider the tests run (its POST, holding a form, too)",
    "auth.sso_callback": "tests/auth/test_sso.py: needs the OpenID provider the tests run",
}


def _get_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and rule.endpoint != "static" and rule.endpoint not in MEASURED_ELSEWHERE}


def test_budget_lists_every_page() -> None:
    """Every GET endpoint has a budget, and every budget a GET endpoint: a new page must be measured."""
    app = make_app("sqlite://")
    endpoints = _get_endpoints(app)
    missing, stale = sorted(endpoints - BUDGET.keys()), sorted(BUDGET.keys() - endpoints)
    assert not missing and not stale, f"GET endpoints without a budget: {missing}; budgets for no GET endpoint: {stale}"


# The data ------------------------------------------------------------------------------------------------

def _person(email: str) -> Staff:
    person = db.session.scalar(select(Staff).where(Staff.email == email))
    assert person is not None, email
    return person


def _add_work(size: int) -> Objects:
    """What the demo lacks, ``size`` times over, around the demo worker in the demo team manager's team."""
    manager, worker = _person(PERSONAS["team_manager"]), _person(PERSONAS["worker"])
    service_manager = _person(PERSONAS["service_manager"])
    on = dates.today()
    trend = db.session.scalar(select(Case).where(Case.case_ref == "4300001"))
    assert trend is not None
    colleagues = list(db.session.scalars(
        select(Staff).where(Staff.team_id == worker.team_id, Staff.role == "worker", Staff.id != worker.id,
                            Staff.email != PERSONAS["new_starter"]).order_by(Staff.id).limit(size + 1)))
    earlier_actions, personal_actions, escalations, colleague_cases, disagreements = [], [], [], [], []
    for n in range(size):
        extra = factories.case(None, "CIN", n % 3 == 0, worker, on - timedelta(days=60 + n))
        # The worker disagrees with what it says (R-SUP-7): waiting for the manager, some for the service manager
        # too (over 7 days), every other one resolved.
        resolved = {"disagreement_resolved_at": dates.utcnow(), "disagreement_resolved_by": service_manager,
                    "disagreement_resolution": "Corrected in a new version"} if n % 2 else {}
        disagreements.append(factories.record(
            "case", on - timedelta(days=3 + n), worker, manager, [trend, extra], status="signed_off", scaling=n % 11,
            signed_off_at=dates.utcnow(), acknowledged_at=dates.utcnow() - timedelta(days=1 + 2 * n),
            worker_disagrees=True, worker_comment="That is not what we agreed", **resolved))
        earlier_actions.append(factories.action(worker, manager, on + timedelta(days=n - 3), case_=extra))
        personal_actions.append(
            factories.action(worker, manager, on + timedelta(days=n), description="Read the research"))
        factories.booking(worker, manager, factories.uk_time(on + timedelta(days=1 + n), 10), kind="case",
                          cases_=[trend, extra])
        factories.booking(colleagues[n], manager, factories.uk_time(on + timedelta(days=2 + n), 14))
        escalations.append(factories.escalation(extra, manager, on - timedelta(days=2 + n)))
        settled = factories.escalation(trend, manager, on - timedelta(days=30 + n))
        escalation_services.resolve(settled, service_manager, "Agreed at the service manager meeting")
        case_services.add_oversight(trend, manager, "plan_change", on - timedelta(days=n), "Keep the plan", "Safe")
        colleague_cases.append(factories.case(None, "CP", False, colleagues[n], on - timedelta(days=90)))
        db.session.add(Absence(staff=worker, kind="sickness", starts_on=on - timedelta(days=400 + 20 * n),
                               ends_on=on - timedelta(days=390 + 20 * n), recorded_by=manager))
        for owner in (worker, colleagues[n], manager):  # API tokens: working, revoked and expired ones
            issue_token(owner, f"Working {n}")
            revoke_token(issue_token(owner, f"Revoked {n}")[1])
            issue_token(owner, f"Expired {n}", on - timedelta(days=1))
    db.session.commit()
    open_cases = sorted(db.session.scalars(
        select(Case).where(Case.worker_id == worker.id, Case.closed_on.is_(None))), key=lambda c: c.case_ref)
    discussed = open_cases + colleague_cases  # a group supervision: several workers' cases
    record = factories.record("group", on - timedelta(days=1), worker, manager, discussed, status="signed_off",
                              scaling=5, attendees=colleagues)
    for case in discussed:
        db.session.add(SupervisionAction(record=record, case=case, owner=case.worker, description="Update the plan",
                                         due_on=on + timedelta(days=14)))
    for action in earlier_actions:  # this supervision reviewed the actions agreed earlier
        db.session.add(ActionReview(record_id=record.id, action_id=action.id, outcome="carried_forward"))
    personal = factories.record("personal", on - timedelta(days=2), worker, manager, status="signed_off",
                                wellbeing="Managing well", workload="Full", acknowledged_at=dates.utcnow(),
                                worker_disagrees=True, worker_comment="My workload is higher than that",
                                disagreement_resolved_at=dates.utcnow(), disagreement_resolved_by=service_manager,
                                disagreement_resolution="Two cases move to a colleague")
    for action in personal_actions:
        db.session.add(ActionReview(record_id=personal.id, action_id=action.id, outcome="carried_forward"))
        db.session.add(SupervisionAction(record=personal, owner=worker, description="Book the training",
                                         due_on=on + timedelta(days=28)))
    db.session.commit()
    for n in range(size):  # each change after sign-off keeps the version before it
        records.update_record(record, records.RecordContent(
            [records.SectionInput(None, {"wellbeing": f"Change {n}"})], reason=f"Correction {n}"), manager)
        db.session.commit()
    booking = factories.booking(worker, manager, factories.uk_time(on + timedelta(days=3), 11), kind="group",
                                cases_=discussed, attendees=colleagues)
    admin, qait = _person(PERSONAS["admin"]), _person(PERSONAS["qait"])
    for n in range(size):  # role grants: some waiting, some decided
        grants.request_role(colleagues[n], "qait" if n % 2 else "admin", admin)
        db.session.flush()
        grants.decide(grants.request_role(colleagues[n], "qait", manager), qait, approve=n % 3 == 0)
        grants.request_role(colleagues[n], "admin", admin)
    db.session.commit()
    worker.team.business_support = worker  # their office list holds the team's starters' office items
    for n in range(size):  # more inductions in the team with more data (issue 11)
        factories.induction(colleagues[n], start_date=on - timedelta(days=n))
    starter = _person(PERSONAS["new_starter"])
    induction = db.session.scalars(select(Induction).where(Induction.staff_id == starter.id)).one()
    host_day = next(day.id for day in induction.days if day.host_slot == "a")
    concern = db.session.scalars(select(InductionCheckin.id).where(InductionCheckin.induction_id == induction.id,
                                                                   InductionCheckin.concern.is_not(None))).one()
    induction_item = db.session.scalars(select(InductionItem.id).where(InductionItem.induction_id == induction.id,
                                                                       InductionItem.code == "B13")).one()
    token = issue_password_link(starter)
    feed_token = feeds.make(starter)
    area = db.session.scalars(select(ChampionArea).where(ChampionArea.name == "Domestic abuse")).one()
    for n in range(size):  # more champions, offers and roles stepped down with more data (issue 12)
        factories.champion(colleagues[n], area.name, ("team", "office", "service", "county")[n % 4],
                           state=("active", "proposed", "ended")[n % 3])
        db.session.add(TeamBase(team_id=worker.team_id, name=f"Annexe {n}"))
    db.session.commit()
    network = _add_networks(size, on, colleagues)
    for chosen in db.session.scalars(select(Network).where(Network.name.like("Reading group %"))):
        feeds.choose(starter, chosen, True)  # more networks' meetings in the starter's feed with more data
    db.session.commit()
    team = worker.team
    template = db.session.scalars(select(InductionTemplate).where(InductionTemplate.kind == "permanent")).one()
    contact = _add_contacts(size, on)
    return Objects(contact=contact, worker=worker.id, team=team.id, service=team.service_id, case=trend.id,
                   open_cases=tuple(c.id for c in open_cases), record=record.id,
                   discussion=record.discussions[0].id, personal_record=personal.id, booking=booking.id,
                   escalation=escalations[0].id, disagreement=disagreements[0].id, password_token=token, today=on,
                   feed_token=feed_token, induction=induction.id, induction_day=host_day, checkin=concern,
                   induction_item=induction_item,
                   absence=db.session.scalars(select(Absence.id).where(Absence.staff_id == worker.id)).first() or 0,
                   template=template.id, template_day=template.days[0].id,
                   checklist_item=db.session.scalars(select(ChecklistItem.id).where(ChecklistItem.code == "C12")).one(),
                   area=area.id, network=network, caseload_review=_caseload_review(team.id),
                   dip_sample=_dip_sample(size, team.id, service_manager, manager),
                   **_add_audit_rounds(size, on, manager, _person(PERSONAS["qait"])),
                   **_add_audits(size, on, worker, colleagues, service_manager, trend))


def _dip_sample(size: int, team_id: int, sampler: Staff, supervisor: Staff) -> int:
    """More rated samples of the demo manager's team with more data (the demo's sampled records sampled again by
    ``size`` QAIT colleagues); the demo's latest rated sample of the demo manager's supervision."""
    samples = list(db.session.scalars(select(DipSample).where(DipSample.team_id == team_id)))
    for _ in range(size):
        colleague = factories.staff("qait", sampler.team)
        for sample in samples:
            db.session.add(DipSample(record_id=sample.record_id, team_id=team_id, sampler_id=colleague.id,
                                     month=sample.month, rated_at=dates.utcnow(), comments="Reflective.",
                                     ratings=[DipRating(criterion=criterion, rating="met") for criterion in RUBRIC]))
    db.session.commit()
    found = db.session.scalars(
        select(DipSample.id).join(SupervisionRecord, SupervisionRecord.id == DipSample.record_id)
        .where(DipSample.sampler_id == sampler.id, DipSample.rated_at.is_not(None),
               SupervisionRecord.supervisor_id == supervisor.id).order_by(DipSample.rated_at.desc())).first()
    assert found is not None
    return found


def _add_audit_rounds(size: int, on: date, manager: Staff, qait: Staff) -> dict[str, int]:
    """Rounds of the demo manager's service (``size`` more with more data): one in progress with ``6 * size``
    audits, every other one submitted and graded, the demo manager auditing some and buddying others; one just
    set up with ``size`` audits given out. Made directly: the rules are tested in tests/quality."""
    scale = audit_rounds.default_scale()
    service_id = manager.team.service_id

    def new_round(theme: str, questions: int) -> AuditRound:
        return audit_rounds.save_round(None, audit_rounds.RoundDetails(
            year=on.year, quarter=audit_rounds.quarter_of(on), theme=theme, service_ids=(service_id,),
            due_on=on + timedelta(days=20), scale_id=scale.id,
            questions=tuple(f"Question {n}" for n in range(questions)),
            briefing_before_at=dates.utcnow() + timedelta(days=2), briefing_place="Room 1"), qait)

    busy, set_up = new_round("Supervision quality", 3), new_round("Voice of the child", 2)
    for n in range(size):
        new_round(f"Earlier theme {n}", 2)
    others = list(db.session.scalars(select(Staff).where(Staff.role == "team_manager", Staff.id != manager.id)
                                     .order_by(Staff.id)))
    cases = list(db.session.scalars(select(Case).join(Staff, Staff.id == Case.worker_id)
                                    .where(Staff.team_id == manager.team_id).order_by(Case.id).limit(7 * size)))
    assert len(cases) == 7 * size, "the demo manager's team holds too few cases for the audit rounds"
    for n, case in enumerate(cases[:6 * size]):
        auditor, buddy = (manager, others[0]) if n % 3 == 0 else (others[n % len(others)], manager)
        made = CaseAudit(round=busy, case=case, auditor=auditor, buddy=buddy,
                         due_on=busy.due_on - timedelta(days=n % 2 * 30))  # some overdue
        db.session.add(made)
        if n % 2 == 0:
            made.submitted_at, made.grade = dates.utcnow(), scale.grades[n % 4]
            db.session.add_all([AuditAnswer(audit=made, question=question, grade=scale.grades[(n + q) % 4])
                                for q, question in enumerate(busy.questions)])
    given = [CaseAudit(round=set_up, case=case, auditor=others[0], buddy=manager, due_on=set_up.due_on)
             for case in cases[6 * size:]]
    db.session.add_all(given)
    db.session.commit()
    return {"busy_round": busy.id, "open_round": set_up.id, "round_audit": given[0].id, "grade_scale": scale.id}


def _add_audits(size: int, on: date, worker: Staff, colleagues: list[Staff], auditor: Staff,
                case: Case) -> dict[str, int]:
    """A round of three questions: the worker's trend case audited and submitted with ``2 * size`` actions and a
    re-audit in draft, a draft of another of the worker's cases, and ``size`` more submitted audits of the team's
    cases with an open action each (the manager's and worker's homes, the API)."""
    grading = GradeScale(name="Budget scale", grades=[Grade(position=n, label=label)
                                                      for n, label in enumerate(OFSTED_GRADES, 1)])
    round_ = AuditRound(year=on.year, quarter=4, theme="Budget", scale=grading, due_on=on + timedelta(days=20),
                        questions=[AuditQuestion(position=n, text=f"Question {n}") for n in range(1, 4)])

    def audit(of: Case, submitted: bool, actions: int, **values: Any) -> CaseAudit:
        made = CaseAudit(round=round_, case=of, auditor=auditor, due_on=round_.due_on, findings="Found",
                         grade=grading.grades[1], submitted_at=dates.utcnow() if submitted else None,
                         answers=[AuditAnswer(question=q, grade=grading.grades[1], comment="Comment")
                                  for q in round_.questions],
                         actions=[AuditAction(description=f"Action {n}", owner=(worker, *colleagues)[n % (size + 1)],
                                              due_on=on + timedelta(days=n)) for n in range(actions)], **values)
        db.session.add(made)
        return made

    main = audit(case, True, 2 * size)
    draft = audit(factories.case(None, "CP", False, worker, on - timedelta(days=30)), False, 0)
    again = audit(case, False, 0, reaudit_of=main)
    extra = [audit(factories.case(None, "CIN", False, worker, on - timedelta(days=40)), True, 1)
             for _ in range(size)]
    db.session.commit()
    return {"audit": main.id, "draft_audit": draft.id, "reaudit": again.id, "reaudit_ready": extra[0].id}


def _caseload_review(team_id: int) -> int:
    """The demo manager's team's latest caseload review (the demo makes this month's and last month's)."""
    return db.session.scalars(select(CaseloadReview.id).where(CaseloadReview.team_id == team_id)
                              .order_by(CaseloadReview.month.desc())).first() or 0


def _add_contacts(size: int, on: date) -> int:
    """The demo's contacts and support services, and ``size`` times more of each kind with hours and a named
    person in every service area; the out-of-hours team's id."""
    services = list(db.session.scalars(select(Service).order_by(Service.id)))
    people = list(db.session.scalars(select(Staff).order_by(Staff.id)))
    seed_contacts(on, services, people)
    admin = _person(PERSONAS["admin"])
    for n in range(size):
        for service in services:
            for kind in ("specialist", "support"):
                named = next(p for p in people if p.team.service_id == service.id)
                contacts.save_contact(None, kind, {"name": f"{kind} {service.name} {n}", "service_id": service.id,
                                                   "active": True, "phone": "50100", "link": "https://example.org"},
                                      parse_hours("Monday to Friday 09:00-12:00\nMonday to Friday 13:00-17:00"),
                                      admin, staff=named)
    db.session.commit()
    return db.session.scalars(select(Contact.id).where(Contact.name == "Out-of-hours team")).one()




def _add_networks(size: int, on: date, people: list[Staff]) -> int:
    """The demo networks, ``size`` more, and on Diversity advocates ``size`` more contacts and meeting changes."""
    seed_networks(on, people)
    for n in range(size):
        weekly = networks.Schedule(Pattern(WEEKLY, 1, n % 5), on, None, time(12), time(13))
        extra = networks.save_network(None, networks.Details(name=f"Reading group {n}", kind="group"), weekly,
                                      people[0])
        networks.add_contact(extra, people[n], "contact", True, on)
        networks.add_exception(extra, recurrence.next_meetings(extra, on + timedelta(days=7), 1)[0].on)
    diversity = db.session.scalars(select(Network).where(Network.name == "Diversity advocates")).one()
    listed = {contact.staff_id for contact in diversity.contacts}
    for person in [person for person in people if person.id not in listed][:size]:
        networks.add_contact(diversity, person, "contact", True, on)
    assert diversity.rule is not None and diversity.first_on is not None
    later = recurrence.meeting_days(diversity.rule, diversity.first_on, None, on + timedelta(days=250),
                                    on + timedelta(days=250 + 31 * size))
    for day in later[:size]:
        networks.add_exception(diversity, day)
    db.session.commit()
    return diversity.id


# Measuring -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    url: str
    status: int
    statements: int
    most_parameters: int  # bound to any one statement


def _url(app: Flask, endpoint: str, **values: Any) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def _sign_in(app: Flask, client: Client, email: str) -> None:
    response = client.post_form(_url(app, "auth.sign_in"), {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 303, f"{email} could not sign in"


def _measure_all(app: Flask, size: int) -> dict[str, Measure]:
    seed_demo(staff_per_team=10 * size)
    db.session.commit()
    objects = _add_work(size)
    clients: dict[str | None, Client] = {}
    for persona in [SIGNED_OUT, *PERSONAS]:
        clients[persona] = app.test_client()  # type: ignore[assignment]
        if persona is not None:
            _sign_in(app, clients[persona], PERSONAS[persona])
    measured: dict[str, Measure] = {}
    for test_id, (endpoint, visit) in VISITS.items():
        url = _url(app, endpoint, **visit.values(objects))
        client = clients[visit.persona]
        client.get(url)  # warm-up: session bookkeeping and first-request caches
        # A session notes its last activity at most once a minute: on a slow machine that minute can end between
        # the warm-up and the counted request, which would then count the bookkeeping too (CI saw 4 more).
        db.session.execute(update(UserSession).values(last_seen_at=dates.utcnow()))
        db.session.commit()
        with counting_queries() as counter:
            response = client.get(url)
        measured[test_id] = Measure(url, response.status_code, counter.count, counter.most_parameters)
    return measured


@pytest.fixture(scope="module")
def measurements(database_template: str,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, dict[str, Measure]]]:
    """``{size: {test id: Measure}}``: every page measured once at each size, each size in a fresh database."""
    found: dict[int, dict[str, Measure]] = {}
    for size in SIZES:
        with fresh_database(database_template, tmp_path_factory.mktemp(f"budget{size}")) as url:
            app = make_app(url)
            app.test_client_class = Client
            with app.app_context():
                try:
                    found[size] = _measure_all(app, size)
                finally:
                    db.session.remove()
                    db.engine.dispose()
    yield found


@pytest.mark.parametrize("test_id", list(VISITS))
def test_page_keeps_to_its_query_budget(measurements: dict[int, dict[str, Measure]], test_id: str) -> None:
    visit = VISITS[test_id][1]
    small, large = (measurements[size][test_id] for size in SIZES)
    summary = (f"{test_id} as {visit.persona or 'signed out'}: {small.statements} statements at 1x "
               f"({small.url} → {small.status}), {large.statements} at 10x ({large.url} → {large.status})")
    assert small.status == large.status == 200, f"not a page: {summary}"
    assert small.statements == large.statements, f"grows with the data: {summary}"
    assert large.statements <= visit.limit, f"over the budget of {visit.limit}: {summary}"


@pytest.mark.parametrize("test_id", list(VISITS))
def test_no_statement_carries_the_data_as_parameters(measurements: dict[int, dict[str, Measure]],
                                                     test_id: str) -> None:
    """Issue 8: a list of ids as long as the data in ``IN (...)`` fails outright at three counties' size
    (SQLite allows 32,766 parameters, psycopg 65,535). Pages join or sub-select what is in reach; the only
    lists they send are of what one page shows (its 50 rows, one group session's cases), so at ten times the
    data no statement has more than ``MOST_PARAMETERS``."""
    small, large = (measurements[size][test_id] for size in SIZES)
    assert large.most_parameters <= MOST_PARAMETERS, (
        f"{test_id}: a statement with {large.most_parameters} parameters at 10x ({large.url}; "
        f"{small.most_parameters} at 1x): join or sub-select instead of sending ids")


def test_every_get_route_is_measured(measurements: dict[int, dict[str, Measure]]) -> None:
    """Endpoints with several URL rules (``/services/new`` and ``/services/<id>/edit``) are measured on each."""
    app = make_app("sqlite://")
    adapter = app.url_map.bind("localhost")
    visited = {adapter.match(urlsplit(m.url).path, method="GET", return_rule=True)[0].rule
               for m in measurements[SIZES[0]].values()}
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
              and rule.endpoint != "static" and rule.endpoint not in MEASURED_ELSEWHERE}
    assert not routes - visited, f"GET routes no visit opens: {sorted(routes - visited)}"

"""The access matrix (issue 7 item 13): a permanent guard over who may open what.

Every route in the URL map, with each method it takes, is opened by every persona (signed out, a worker, a
buddy, a new starter, the manager of team A, the manager of team B, the service manager, QAIT and an admin),
on the objects of three teams: North (team A: the worker's own), South (team B, in the same service) and Youth
Justice (another service). Each answer is compared with the status written down in ``MATRIX``, which follows
CONTRACT.md "Reach" and the policies of teamops/access.py as written, never what the app happens to answer.

The same walk also checks that

- no answer shows a marker planted in an object out of the persona's reach: every text field of every team's
  objects carries its own ``MARK-…`` (names, job roles, team names, case references, record content, oversight,
  actions, reviews, bookings, disagreements, versions), and admins, who may see reference data, never see
  record content;
- every state-changing route refuses a request without the CSRF token before its view runs, and nothing in
  the database changes;
- no GET changes anything in the database.

The organisation is built once for the module in a database of its own (as tests/test_query_budget.py does),
walked once, and the tests below read what the walk saw, so each failure lists every mismatch at once.

A new route fails ``test_the_matrix_names_every_route`` until it has its line in ``MATRIX``: say who may open
it (a set of personas, or one per team for a route about an object) and what they get.
"""

from __future__ import annotations

import functools
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from teamops import dates
from teamops.api.tokens import issue_token
from teamops.audit.models import AuditEvent
from teamops.auth.services import issue_password_link
from teamops.cases import services as case_services
from teamops.cases.models import Case
from teamops.directory import contacts, networks, recurrence
from teamops.directory.hours import parse_hours
from teamops.directory.models import ChampionArea
from teamops.directory.recurrence import MONTHLY_WEEKDAY, Pattern
from teamops.extensions import db
from teamops.imports.services import hold_for_confirmation
from teamops.induction import buddies, checkins, checklist
from teamops.induction.models import Induction
from teamops.induction.template_models import ChecklistItem, InductionTemplate, InductionTemplateDay
from teamops.org.grants import request_role
from teamops.org.models import Absence, Cover, Service, Staff, Team
from teamops.quality import rounds as audit_rounds
from teamops.quality.audit_models import (
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    AuditRound,
    CaseAudit,
    Grade,
    GradeScale,
)
from teamops.quality.models import RUBRIC, DipRating, DipSample
from teamops.records import services as record_services
from teamops.records.models import ActionReview, SupervisionAction, SupervisionRecord
from teamops.reminders.models import Notification
from teamops.returns import caseload
from teamops.returns import services as return_services
from teamops.returns.models import CaseloadReview
from tests import factories
from tests.conftest import Client, fresh_database, make_app

# The personas -------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
WORKER = "worker"  # a North worker: the North objects are theirs
BUDDY = "buddy"  # TeamOps has no buddy feature yet, so a buddy is any worker: a second North worker
NEW_STARTER = "new_starter"  # a North worker who started three days ago
MANAGER_A = "manager_a"  # North's team manager
MANAGER_B = "manager_b"  # South's team manager
SERVICE_MANAGER = "service_manager"  # line-manages both team managers of Children's Social Care
QAIT = "qait"
ADMIN = "admin"
PERSONAS = (ANONYMOUS, WORKER, BUDDY, NEW_STARTER, MANAGER_A, MANAGER_B, SERVICE_MANAGER, QAIT, ADMIN)

Who = frozenset[str]
SIGNED_IN: Who = frozenset(PERSONAS) - {ANONYMOUS}
EVERYONE: Who = frozenset(PERSONAS)
MANAGERS: Who = frozenset({MANAGER_A, MANAGER_B, SERVICE_MANAGER})
NOT_ADMIN: Who = SIGNED_IN - {ADMIN}
ADMIN_ONLY: Who = frozenset({ADMIN})
IMPORTERS: Who = MANAGERS | {ADMIN}  # admins import every kind, managers cases and supervisions
NOBODY: Who = frozenset()

# The objects: each team's worker, their case, records, actions, bookings, escalation; the team, its service.
NORTH, SOUTH, YJ = "north", "south", "yj"
TEAMS = (NORTH, SOUTH, YJ)
PerTeam = Mapping[str, Who]


def per_team(north: set[str], south: set[str], yj: set[str]) -> PerTeam:
    return {NORTH: frozenset(north), SOUTH: frozenset(south), YJ: frozenset(yj)}


def everywhere(who: Who) -> PerTeam:
    return {team: who for team in TEAMS}


# CONTRACT.md "Reach", written out by hand for this organisation (never computed with teamops.access).
# Whose case and record content a persona reads: a worker their own, a team manager their team's, the service
# manager the teams whose managers they line-manage, QAIT everyone's; an admin nobody's.
READS = per_team(north={WORKER, MANAGER_A, SERVICE_MANAGER, QAIT}, south={MANAGER_B, SERVICE_MANAGER, QAIT},
                 yj={QAIT})
# Who runs supervision (books, writes, signs off, manages cases) for a team's worker.
MANAGES = per_team(north={MANAGER_A, SERVICE_MANAGER}, south={MANAGER_B, SERVICE_MANAGER}, yj=set())
# Reference data: a team's page, and a team's worker's page (a worker sees themselves). Admins see all of it.
SEES_TEAM = {team: MANAGES[team] | {QAIT, ADMIN} for team in TEAMS}
SEES_PERSON = per_team(north=SEES_TEAM[NORTH] | {WORKER}, south=SEES_TEAM[SOUTH], yj=SEES_TEAM[YJ])
# The API's ``team`` parameter names a team the account may list (``/api/v1/teams``): a worker their own team.
LISTS_TEAM = per_team(north=SEES_TEAM[NORTH] | {WORKER, BUDDY, NEW_STARTER}, south=SEES_TEAM[SOUTH], yj=SEES_TEAM[YJ])
TEAM_DASHBOARD = {team: MANAGES[team] | {QAIT} for team in TEAMS}
# A service's dashboard (?service=) is a head of service's or QAIT's: a service manager sees the teams whose
# managers they line-manage on their own page, never a whole service (R-ORG-1, CONTRACT.md "Reach").
SERVICE_DASHBOARD = per_team(north={QAIT}, south={QAIT}, yj={QAIT})
RESOLVES = per_team(north={SERVICE_MANAGER}, south={SERVICE_MANAGER}, yj=set())  # the team's service manager
# A group record of the North worker that discussed a South case too: read by whoever reads either (each reads
# only the parts about the cases they may see); changed only by a manager who may see every case in it.
GROUP_READERS: Who = READS[NORTH] | READS[SOUTH]
GROUP_CHANGERS: Who = MANAGES[NORTH] & MANAGES[SOUTH]
CLOSES_ACTION = {team: MANAGES[team] | ({WORKER} if team == NORTH else set()) for team in TEAMS}  # owner, managers
ACKNOWLEDGES = per_team(north={WORKER}, south=set(), yj=set())  # only the person supervised
# A worker's disagreement with their record (R-SUP-7): whoever wrote it, the worker's line manager and team
# manager resolve it; after 7 days the team's service manager too (the earlier record's has waited 10 days).
RESOLVES_WORKER = per_team(north={MANAGER_A, SERVICE_MANAGER}, south={MANAGER_B, SERVICE_MANAGER}, yj=set())
RESOLVES_WORKER_NEW = per_team(north={MANAGER_A}, south={MANAGER_B}, yj=set())  # the personal record's: 1 day
# Induction (issue 11): North's is the new starter's own; South's and Youth Justice's are their workers'. The
# starter and whoever reads their work see it (never admins); whoever supervises the starter runs it.
# North's buddy is BUDDY, who logs its check-ins; WORKER hosts its shadowing days (seen on their home only).
SEES_INDUCTION = per_team(north={NEW_STARTER, BUDDY} | MANAGES[NORTH] | {QAIT}, south=MANAGES[SOUTH] | {QAIT},
                          yj={QAIT})
LOGS = per_team(north={BUDDY}, south=set(), yj=set())
# The checklist (R-IND-13): the starter ticks their own items, whoever runs the induction any item; North's
# business-support contact (the worker) ticks and confirms the office items; whoever runs it confirms the rest.
TICKS = per_team(north={NEW_STARTER} | MANAGES[NORTH], south=MANAGES[SOUTH], yj=set())
OFFICE_CONFIRMS = per_team(north={WORKER} | MANAGES[NORTH], south=MANAGES[SOUTH], yj=set())
OFFICE_TICKS = {team: TICKS[team] | OFFICE_CONFIRMS[team] for team in TEAMS}
# A team's induction settings (its meeting day, its business-support contact): whoever may manage the team today,
# and admins (R-IND-15).
SETS_INDUCTION = {team: MANAGES[team] | {ADMIN} for team in TEAMS}
WRITES_RETURN = per_team(north={MANAGER_A}, south={MANAGER_B}, yj=set())  # the team's own manager
TEAM_ENTRY = SETS_INDUCTION  # a team's directory entry: its managers and admins
KEEPS_CHAMPION = SETS_INDUCTION  # a champion's managers, admins (and the champion, no persona here)
# The directory (issue 12): everyone signed in reads it. A network is kept by admins and its listed contacts:
# North's lists BUDDY. A listed contact and a meeting change removed by the first who may (BUDDY in North) are gone
# for the admin after them (404).
KEEPS_NETWORK = per_team(north={BUDDY, ADMIN}, south={ADMIN}, yj={ADMIN})
REMOVES_FIRST = per_team(north={BUDDY}, south={ADMIN}, yj={ADMIN})
REMOVED_ALREADY = per_team(north={ADMIN}, south=set(), yj=set())
# A team's supervision returns and their figures (issue 13): QAIT, the team's manager and the managers above it;
# never a worker or an admin. The API lists each account's (empty for them); the exports are QAIT's.
READS_RETURNS = per_team(north={MANAGER_A, SERVICE_MANAGER, QAIT}, south={MANAGER_B, SERVICE_MANAGER, QAIT},
                         yj={QAIT})
# Dip samples (issue 14 item 3, R-QA-6): the service manager and QAIT sample the teams in their reach (QAIT every
# team); each team's record was sampled and rated by the service manager (Youth Justice's by QAIT). A sample is read
# by whoever took it, the samplers whose reach holds its team and the record's supervisor (the team's manager), who
# alone marks the feedback read; it is rated by whoever took it. Never a worker or an admin.
SAMPLES = per_team(north={SERVICE_MANAGER, QAIT}, south={SERVICE_MANAGER, QAIT}, yj={QAIT})
READS_SAMPLE = per_team(north={SERVICE_MANAGER, QAIT, MANAGER_A}, south={SERVICE_MANAGER, QAIT, MANAGER_B},
                        yj={QAIT})
RATES_SAMPLE = per_team(north={SERVICE_MANAGER}, south={SERVICE_MANAGER}, yj={QAIT})
READS_FEEDBACK = per_team(north={MANAGER_A}, south={MANAGER_B}, yj=set())
ENDED = "month=2026-01"  # a month that has ended (the API's compliance and the exports refuse one still running)
# Caseload reviews (issue 13 item 6, R-QA-3) follow the returns: a team's review is read by READS_RETURNS and its
# commentary written by WRITES_RETURN (the team's own manager only).

# Case audits (issue 14 item 2, R-QA-4/5): each team's case has a submitted audit by an auditor who is no persona
# (its findings, comments and actions for the audit's readers: the managers whose reach holds the team, QAIT; North's
# action is owned by WORKER, who sees it on their home), and a draft in another round done by a persona from another
# team (Manager B does North's, Manager A South's, the service manager Youth Justice's): only its auditor reads its
# findings; other readers see that it is not submitted yet. The team's own manager marks the findings read.
DRAFT_AUDIT = {"audit_id": "draft_audit_id"}
AUDIT_ACTION = {"action_id": "audit_action_id"}
DRAFT_AUDITORS = per_team(north={MANAGER_B}, south={MANAGER_A}, yj={SERVICE_MANAGER})
READS_AUDIT = TEAM_DASHBOARD
READS_DRAFT = {team: READS_AUDIT[team] | DRAFT_AUDITORS[team] for team in TEAMS}
CLOSES_AUDIT_ACTION = per_team(north={WORKER, MANAGER_A}, south={MANAGER_B}, yj=set())  # the owner, the team's manager

# The statuses ---------------------------------------------------------------------------------------------

SIGN_IN = 303  # the gate sends a signed-out visitor to the sign-in page
KEPT_FORM = 401  # ... and answers a form they send with the sign-in page carrying what was typed (item 6)
UNAUTHENTICATED = 401  # ... but the API answers 401 itself


@dataclass(frozen=True)
class Visit:
    """One way of opening a route, and what each persona gets.

    ``allowed`` is a set of personas, or one per team for a route about an object (visited once per team with
    that team's objects). The allowed get ``ok``; the personas in ``others`` get that status; everyone else
    signed in gets ``refused``; a signed-out visitor gets ``anonymous`` (by default the gate's 303, or 401 from
    the API). ``query`` and the URL parameters are filled in from the objects (``values`` renames a parameter
    to another object, e.g. the personal record for ``record_id``)."""

    allowed: Who | PerTeam
    ok: int
    query: str = ""
    refused: int = 403
    anonymous: int | None = None
    others: tuple[tuple[int, Who | PerTeam], ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def teams(self) -> tuple[str | None, ...]:
        return TEAMS if isinstance(self.allowed, Mapping) else (None,)

    def expected(self, rule: str, persona: str, team: str | None, method: str = "GET") -> int:
        if persona == ANONYMOUS and self.anonymous is not None:
            return self.anonymous
        if persona in _who(self.allowed, team):
            return self.ok
        if persona == ANONYMOUS:
            if rule.startswith("/api/"):
                return UNAUTHENTICATED
            return SIGN_IN if method == "GET" else KEPT_FORM
        for status, who in self.others:
            if persona in _who(who, team):
                return status
        return self.refused


def _who(who: Who | PerTeam, team: str | None) -> Who:
    return who[team or NORTH] if isinstance(who, Mapping) else who


def each(who: PerTeam, ok: int, **options: Any) -> Visit:
    """A visit once per team, with that team's objects: ``Visit`` with a per-team ``allowed``, named so that the
    matrix reads "each team"."""
    return Visit(who, ok, **options)


# The matrix ---------------------------------------------------------------------------------------------
# (method, URL rule) -> how it is opened and what each persona gets. POSTs send the CSRF token and nothing
# else, so an allowed form answers 400 (sent back with its errors) and a button-only action 303 (done);
# every change they make is harmless to what follows (``?to=active``, a second sign-off is "already done").

AUDIT_PAGES = 7  # of 50 events: all that building the organisation writes (checked in ``_walk``)
PERSONAL = {"record_id": "personal_record_id"}
EARLIER = {"record_id": "earlier_record_id"}
GROUP = {"record_id": "group_record_id"}
GROUP_NORTH = {**GROUP, "discussion_id": "group_north_discussion_id"}
GROUP_SOUTH = {**GROUP, "discussion_id": "group_south_discussion_id"}
GROUP_BOOKING = {"booking_id": "group_booking_id"}
CANCELLED = {"booking_id": "cancelled_booking_id"}
WRITE = "worker={staff_id}&kind=case&held_on={today}&case={case_id}"
SPARE_DAY = {"day_id": "spare_day_id"}
STARTER_ITEM = {"item_id": "starter_item_id"}  # B4, the starter's own (the shared item_id is a template's)
MANAGER_ITEM = {"item_id": "manager_item_id"}  # B1, ticked by the starter, for the manager to confirm
OFFICE_ITEM = {"item_id": "office_item_id"}  # B6, business support's
SUPPORT_CONTACT = {"contact_id": "support_contact_id"}  # a support service with opening hours
KEEPS_CONTACT: Who = frozenset({BUDDY, ADMIN})  # the specialist contact names the buddy
CASELOAD_REVIEW = {"review_id": "caseload_review_id"}
# Audit rounds (issue 14 item 1): one round of Children's Social Care, run by QAIT. Manager B audits a North case
# (not their team's) with the service manager as their buddy; a second audit is there to be removed.
QAIT_ONLY: Who = frozenset({QAIT})
IN_THE_ROUND: Who = frozenset({QAIT, MANAGER_B, SERVICE_MANAGER})  # QAIT, the round's auditor and buddy
A_ROUND = {"round_id": "audit_round_id"}
THE_AUDIT = {**A_ROUND, "audit_id": "round_audit_id"}
SPARE_AUDIT = {**A_ROUND, "audit_id": "removable_audit_id"}
A_SCALE = {"scale_id": "grade_scale_id"}

MATRIX: dict[tuple[str, str], Visit | tuple[Visit, ...]] = {
    # Public: static files, the health check, signing in and setting a password from a link.
    ("GET", "/static/<path:filename>"): Visit(EVERYONE, 200),
    ("GET", "/health"): Visit(EVERYONE, 200),
    ("GET", "/sign-in"): Visit(SIGNED_IN, 302, anonymous=200),  # signed in: sent home
    ("POST", "/sign-in"): Visit(SIGNED_IN, 302, anonymous=400),  # an empty form: "enter your e-mail address"
    # Single sign-on is not configured here: its addresses are not found (tests/auth/test_sso.py has the rest).
    ("GET", "/sign-in/sso"): Visit(EVERYONE, 404),
    ("POST", "/sign-in/sso"): Visit(EVERYONE, 404),  # the council account button carrying a form (teamops.auth.holding)
    ("GET", "/sign-in/sso/callback"): Visit(EVERYONE, 404),
    ("POST", "/sign-in/sso/logout"): Visit(EVERYONE, 404),  # the provider's back-channel logout (CSRF_EXEMPT)
    ("GET", "/set-password/<token>"): Visit(EVERYONE, 200),
    ("POST", "/set-password/<token>"): Visit(EVERYONE, 400),
    # Everyone signed in.
    ("GET", "/"): Visit(SIGNED_IN, 200),
    ("POST", "/sign-out"): Visit(SIGNED_IN, 303),
    ("GET", "/account/password"): Visit(SIGNED_IN, 200),
    ("POST", "/account/password"): Visit(SIGNED_IN, 400),
    ("GET", "/session/status"): Visit(SIGNED_IN, 200),  # how long is left, for the time-out warning
    ("POST", "/session/heartbeat"): Visit(SIGNED_IN, 204),  # typing in a form keeps the session
    # API tokens: everyone manages their own; admins see and revoke everyone's (never the token text).
    ("GET", "/account/tokens"): Visit(SIGNED_IN, 200),
    ("POST", "/account/tokens"): Visit(SIGNED_IN, 400),  # no label: sent back with its error
    ("POST", "/account/tokens/<int:token_id>/revoke"): each(per_team(north={WORKER}, south=set(), yj=set()), 303),
    ("GET", "/admin/tokens"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/tokens/<int:token_id>/revoke"): each(everywhere(ADMIN_ONLY), 303),
    # Access changes: a QAIT role waiting for approval is decided by a QAIT member (one exists); admins see
    # the page too. Resetting a password is the admins' (of a team member who is no persona: it signs them out).
    ("GET", "/admin/access-changes"): Visit(frozenset({QAIT, ADMIN}), 200),
    ("POST", "/admin/access-changes/<int:grant_id>/<any(approve, refuse):decision>"): each(
        everywhere(frozenset({QAIT})), 303),
    ("POST", "/admin/staff/<int:staff_id>/reset-password"): each(everywhere(ADMIN_ONLY), 303,
                                                               values={"staff_id": "bystander_id"}),
    ("GET", "/policy"): Visit(SIGNED_IN, 200),
    ("GET", "/bookings/mine"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="show=cancelled"),
                                Visit(SIGNED_IN, 200, query="show=past")),
    # Lists scoped to the persona's reach (the markers check what they show).
    ("GET", "/admin/teams"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="show=all")),
    ("GET", "/admin/staff"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="show=all")),
    ("GET", "/cases"): (Visit(NOT_ADMIN, 200), Visit(NOT_ADMIN, 200, query="show=all")),  # admins read no cases
    ("GET", "/records"): (Visit(NOT_ADMIN, 200), Visit(NOT_ADMIN, 200, query="show=unacknowledged"),
                          each(everywhere(NOT_ADMIN), 200, query="worker={staff_id}")),  # filters within reach
    ("GET", "/actions"): (Visit(NOT_ADMIN, 200), each(READS, 200, query="worker={staff_id}")),
    ("GET", "/dashboard/me"): Visit(NOT_ADMIN, 200),
    # The reporting API: everyone signed in, each seeing their reach; a team or worker out of reach is 403.
    ("GET", "/api/v1/teams"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv")),
    ("GET", "/api/v1/staff"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv"),
                               each(LISTS_TEAM, 200, query="team={team_id}&format=csv")),
    ("GET", "/api/v1/cases"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv&include_closed=true"),
                               each(LISTS_TEAM, 200, query="team={team_id}"),
                               each(SEES_PERSON, 200, query="worker={worker_email}&format=csv")),
    ("GET", "/api/v1/openapi.json"): Visit(SIGNED_IN, 200),
    # Cases.
    ("GET", "/cases/new"): Visit(MANAGERS, 200),
    ("POST", "/cases/new"): Visit(MANAGERS, 400),
    ("GET", "/cases/<int:case_id>"): each(READS, 200),
    ("POST", "/cases/<int:case_id>/details"): each(MANAGES, 400),
    ("POST", "/cases/<int:case_id>/reallocate"): each(MANAGES, 400),
    ("POST", "/cases/<int:case_id>/close"): each(MANAGES, 400),
    ("POST", "/cases/<int:case_id>/reopen"): each(MANAGES, 303),
    ("POST", "/cases/<int:case_id>/oversight"): each(MANAGES, 400),
    ("GET", "/dashboard/case/<int:case_id>/scaling"): each(READS, 200),
    # Bookings: managers book with people in reach; a session is seen by whoever reads its worker's records.
    ("GET", "/bookings"): (Visit(MANAGERS, 200), Visit(MANAGERS, 200, query="show=cancelled")),
    # A worker out of reach is ignored on the booking form (the markers check nothing of theirs shows).
    ("GET", "/bookings/new"): (Visit(MANAGERS, 200), each(everywhere(MANAGERS), 200, query="worker_id={staff_id}")),
    ("POST", "/bookings/new"): Visit(MANAGERS, 400),
    ("GET", "/bookings/case-picker"): each(MANAGES, 200,
                                           query="worker_id={staff_id}&kind=case&session_date={next_week}"),
    ("GET", "/bookings/<int:booking_id>"): (each(READS, 200), each(READS, 200, values=CANCELLED),
                                            Visit(READS[NORTH], 200, values=GROUP_BOOKING)),
    ("GET", "/bookings/<int:booking_id>/reschedule"): (each(MANAGES, 200),
                                                       Visit(MANAGES[NORTH], 200, values=GROUP_BOOKING)),
    ("POST", "/bookings/<int:booking_id>/reschedule"): each(MANAGES, 400),
    ("GET", "/bookings/<int:booking_id>/cancel"): (each(MANAGES, 200),
                                                   Visit(MANAGES[NORTH], 200, values=GROUP_BOOKING)),
    ("POST", "/bookings/<int:booking_id>/cancel"): each(MANAGES, 400),
    # Records: read by whoever reads the worker's; changed by their managers; acknowledged by the worker.
    # The group record's copy of one case's part: a reader of the record who may not see that case gets 404.
    ("GET", "/records/<int:record_id>"): (each(READS, 200), each(READS, 200, values=PERSONAL),
                                          each(READS, 200, values=EARLIER), Visit(GROUP_READERS, 200, values=GROUP)),
    ("GET", "/records/<int:record_id>/versions"): (each(READS, 200), Visit(GROUP_READERS, 200, values=GROUP)),
    ("GET", "/records/<int:record_id>/versions/<int:version>"): (each(READS, 200),
                                                                 Visit(GROUP_READERS, 200, values=GROUP)),
    ("GET", "/records/<int:record_id>/copy"): each(READS, 200, values=PERSONAL),
    ("GET", "/records/<int:record_id>/copy.txt"): each(READS, 200, values=PERSONAL),
    ("GET", "/records/<int:record_id>/cases/<int:discussion_id>/copy"): (
        each(READS, 200),
        Visit(READS[NORTH], 200, values=GROUP_NORTH, others=((404, GROUP_READERS),)),
        Visit(READS[SOUTH], 200, values=GROUP_SOUTH, others=((404, GROUP_READERS),))),
    ("GET", "/records/<int:record_id>/cases/<int:discussion_id>/copy.txt"): (
        each(READS, 200),
        Visit(READS[NORTH], 200, values=GROUP_NORTH, others=((404, GROUP_READERS),)),
        Visit(READS[SOUTH], 200, values=GROUP_SOUTH, others=((404, GROUP_READERS),))),
    ("GET", "/records/<int:record_id>/edit"): (each(MANAGES, 200), each(MANAGES, 200, values=PERSONAL),
                                               Visit(GROUP_CHANGERS, 200, values=GROUP)),
    ("POST", "/records/<int:record_id>/edit"): (each(MANAGES, 400),  # a signed-off record needs a reason
                                                Visit(GROUP_CHANGERS, 400, values=GROUP)),
    ("POST", "/records/<int:record_id>/sign-off"): (each(MANAGES, 303), Visit(GROUP_CHANGERS, 303, values=GROUP)),
    ("POST", "/records/<int:record_id>/filed"): (each(MANAGES, 303), Visit(GROUP_CHANGERS, 303, values=GROUP)),
    # Acknowledging asks whether the worker agrees (400 without an answer); the group record was acknowledged.
    ("POST", "/records/<int:record_id>/acknowledge"): (each(ACKNOWLEDGES, 400),
                                                       Visit(frozenset({WORKER}), 303, values=GROUP)),
    ("GET", "/records/<int:record_id>/disagreement"): (each(RESOLVES_WORKER, 200, values=EARLIER),
                                                       each(RESOLVES_WORKER_NEW, 200, values=PERSONAL)),
    ("POST", "/records/<int:record_id>/disagreement"): each(RESOLVES_WORKER, 400, values=EARLIER),
    # Writing a record: for a worker out of reach the setup form refuses (400) without naming them.
    ("GET", "/records/new"): (Visit(MANAGERS, 200),
                              each(MANAGES, 303, query="worker={staff_id}&kind=personal&held_on={today}",
                                   others=((400, MANAGERS),))),
    ("GET", "/records/new/write"): each(MANAGES, 200, query=WRITE, others=((400, MANAGERS),)),
    ("POST", "/records/new/write"): each(MANAGES, 400, query=WRITE, others=((400, MANAGERS),)),
    ("POST", "/actions/<int:action_id>/done"): each(CLOSES_ACTION, 303),
    ("POST", "/actions/<int:action_id>/undo"): each(CLOSES_ACTION, 303),  # issue 10 item 13
    ("GET", "/escalations"): Visit(MANAGERS, 200),  # team managers: their workers' disagreements with records
    ("GET", "/escalations/<int:discussion_id>"): each(RESOLVES, 200),
    ("POST", "/escalations/<int:discussion_id>"): each(RESOLVES, 400),
    # Dashboards.
    ("GET", "/dashboard/team"): (Visit(frozenset({MANAGER_A, MANAGER_B, SERVICE_MANAGER, QAIT}), 200),
                                 each(TEAM_DASHBOARD, 200, query="team={team_id}")),
    ("GET", "/dashboard/team/worker/<int:staff_id>"): each(TEAM_DASHBOARD, 200),
    ("GET", "/dashboard/service"): (Visit(frozenset({SERVICE_MANAGER, QAIT}), 200),
                                    each(SERVICE_DASHBOARD, 200, query="service={service_id}")),
    ("GET", "/dashboard/qait"): Visit(frozenset({QAIT}), 200),
    # The organisation: people and teams in reach are seen; only admins change anything.
    ("GET", "/admin/teams/<int:team_id>"): each(SEES_TEAM, 200),
    ("GET", "/admin/staff/<int:staff_id>"): each(SEES_PERSON, 200),
    ("GET", "/admin/services"): Visit(ADMIN_ONLY, 200),
    ("GET", "/admin/services/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/services/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/services/<int:service_id>/edit"): each(everywhere(ADMIN_ONLY), 200),
    # An edit form sent without its fields keeps what the object holds: saved unchanged (303).
    ("POST", "/admin/services/<int:service_id>/edit"): each(everywhere(ADMIN_ONLY), 303),
    ("GET", "/admin/teams/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/teams/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/teams/<int:team_id>/edit"): each(everywhere(ADMIN_ONLY), 200),
    ("POST", "/admin/teams/<int:team_id>/edit"): each(everywhere(ADMIN_ONLY), 303),
    ("POST", "/admin/teams/<int:team_id>/active"): each(everywhere(ADMIN_ONLY), 303, query="to=active"),
    # Cover (R-ORG-3): the team's own manager names it, or the managers above the team.
    ("GET", "/admin/teams/<int:team_id>/covers/new"): each(MANAGES, 200),
    ("POST", "/admin/teams/<int:team_id>/covers/new"): each(MANAGES, 400),
    ("POST", "/admin/covers/<int:cover_id>/end"): each(MANAGES, 303),
    # A leaver's hand-over (R-ORG-4): by the managers of their team; sent empty, it asks who takes on each case.
    ("GET", "/admin/staff/<int:staff_id>/handover"): each(MANAGES, 200),
    ("POST", "/admin/staff/<int:staff_id>/handover"): each(MANAGES, 400),
    # Long absences (R-ORG-6): recorded by whoever supervises the person.
    ("GET", "/admin/people/<int:staff_id>/absences/new"): each(MANAGES, 200),
    ("POST", "/admin/people/<int:staff_id>/absences/new"): each(MANAGES, 400),
    ("GET", "/admin/absences/<int:absence_id>/edit"): each(MANAGES, 200),
    ("POST", "/admin/absences/<int:absence_id>/edit"): each(MANAGES, 400),
    # A newly qualified social worker's ASYE dates (R-ASYE-1): set by whoever supervises the person. The form
    # sent empty is valid: both dates blank means no ASYE (the worker has none), so it is done (303).
    # Observations of practice (issue 14, R-QA-7): read by the worker and everyone whose reach holds them,
    # recorded by those who supervise them (the form sent empty: 400); QAIT and the worker read only (403).
    ("GET", "/quality/observations/<int:staff_id>"): each(READS, 200),
    ("POST", "/quality/observations/<int:staff_id>"): each(MANAGES, 400),
    ("GET", "/admin/people/<int:staff_id>/asye"): each(MANAGES, 200),
    ("POST", "/admin/people/<int:staff_id>/asye"): each(MANAGES, 303),
    ("GET", "/admin/staff/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/staff/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/staff/<int:staff_id>/edit"): each(everywhere(ADMIN_ONLY), 200),
    ("POST", "/admin/staff/<int:staff_id>/edit"): each(everywhere(ADMIN_ONLY), 400),
    ("POST", "/admin/staff/<int:staff_id>/active"): each(everywhere(ADMIN_ONLY), 303, query="to=active"),
    # A set-password link goes to the person, never to the admin's screen (issue 7 item 2): back to their page.
    ("POST", "/admin/staff/<int:staff_id>/password-link"): each(everywhere(ADMIN_ONLY), 303),
    # The audit trail (admins; record content only as "changed"): every page of what building the data wrote.
    ("GET", "/admin/audit"): (Visit(ADMIN_ONLY, 200),
                              *(Visit(ADMIN_ONLY, 200, query=f"person=system&page={n}")
                                for n in range(1, AUDIT_PAGES + 1))),
    # Imports: a waiting import belongs to its uploader (Manager A); another importer does not find it. A
    # confirmation without the preview's digest imports nothing and goes back to the upload page (303).
    ("GET", "/admin/import"): Visit(IMPORTERS, 200),
    ("POST", "/admin/import"): Visit(IMPORTERS, 400),
    ("POST", "/admin/import/<int:pending_id>/confirm"): Visit(frozenset({MANAGER_A}), 303,
                                                              others=((404, IMPORTERS),)),
    # The supervision policy: everyone reads it, admins change it.
    ("GET", "/policy/case-types/<code>"): Visit(ADMIN_ONLY, 200),
    ("POST", "/policy/case-types/<code>"): Visit(ADMIN_ONLY, 400),
    ("GET", "/policy/settings"): Visit(ADMIN_ONLY, 200),
    ("POST", "/policy/settings"): Visit(ADMIN_ONLY, 400),
    # Induction (issue 11): managers and QAIT list the inductions in reach; everyone but admins has "my
    # induction" (the new starter is sent to theirs); managers open one for someone they supervise.
    ("GET", "/inductions"): (Visit(MANAGERS | {QAIT}, 200), Visit(MANAGERS | {QAIT}, 200, query="show=all")),
    ("GET", "/inductions/mine"): Visit(NOT_ADMIN - {NEW_STARTER}, 200, others=((303, frozenset({NEW_STARTER})),)),
    ("GET", "/inductions/<int:induction_id>"): each(SEES_INDUCTION, 200),
    ("GET", "/inductions/new"): (Visit(MANAGERS, 200), each(everywhere(MANAGERS), 200, query="staff_id={staff_id}")),
    ("POST", "/inductions/new"): Visit(MANAGERS, 400),
    ("GET", "/inductions/<int:induction_id>/plan"): each(MANAGES, 200),
    ("POST", "/inductions/<int:induction_id>/plan"): each(MANAGES, 400),
    ("POST", "/inductions/<int:induction_id>/cancel"): each(MANAGES, 400),  # a reason is required
    # Buddies and hosts are chosen by whoever runs the induction (an empty form: "choose a colleague"); the
    # current buddy logs check-ins; whoever runs it marks a buddy's concern seen (the form's response is
    # optional: the first POST marks it, later ones say it was seen already).
    ("GET", "/inductions/<int:induction_id>/timetable.ics"): each(SEES_INDUCTION, 200),
    # A team's business-support contact's list of its starters' office items (empty for anyone else).
    ("GET", "/inductions/office"): Visit(NOT_ADMIN, 200),
    # The new starters report (R-IND-16): QAIT and admins, on screen and as CSV and Excel.
    ("GET", "/inductions/starters"): tuple(Visit(frozenset({QAIT, ADMIN}), 200, query=q) for q in (
        "", "since={today}", "format=csv", "format=xlsx")),
    ("GET", "/api/v1/inductions"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv"),
                                    each(LISTS_TEAM, 200, query="team={team_id}")),
    ("GET", "/inductions/<int:induction_id>/buddy"): each(MANAGES, 200),
    ("POST", "/inductions/<int:induction_id>/buddy"): each(MANAGES, 400),
    ("GET", "/inductions/<int:induction_id>/days/<int:day_id>/host"): each(MANAGES, 200),
    ("POST", "/inductions/<int:induction_id>/days/<int:day_id>/host"): each(MANAGES, 400),
    ("GET", "/inductions/<int:induction_id>/check-ins/new"): each(LOGS, 200),
    ("POST", "/inductions/<int:induction_id>/check-ins/new"): each(LOGS, 400),
    ("GET", "/inductions/check-ins/<int:checkin_id>/seen"): each(MANAGES, 200),
    ("POST", "/inductions/check-ins/<int:checkin_id>/seen"): each(MANAGES, 303),
    # The checklist, in the order the walk presses them: the starter ticks their item (whoever presses after them
    # is told it is already done: 303), takes the tick back the same day (the manager after them: already open);
    # the manager confirms the starter's tick of B1 and North's contact the office item. Not applicable and the
    # review need their fields (400); sign-off is refused while items are open (303, with what is still open).
    ("POST", "/inductions/items/<int:item_id>/done"): (each(TICKS, 303, values=STARTER_ITEM),
                                                       each(OFFICE_TICKS, 303, values=OFFICE_ITEM)),
    ("POST", "/inductions/items/<int:item_id>/undo"): each(TICKS, 303, values=STARTER_ITEM),
    ("POST", "/inductions/items/<int:item_id>/confirm"): (each(MANAGES, 303, values=MANAGER_ITEM),
                                                          each(OFFICE_CONFIRMS, 303, values=OFFICE_ITEM)),
    ("GET", "/inductions/items/<int:item_id>/not-applicable"): each(MANAGES, 200, values=STARTER_ITEM),
    ("POST", "/inductions/items/<int:item_id>/not-applicable"): each(MANAGES, 400, values=STARTER_ITEM),
    ("GET", "/inductions/<int:induction_id>/review"): each(MANAGES, 200),
    ("POST", "/inductions/<int:induction_id>/review"): each(MANAGES, 400),
    ("POST", "/inductions/<int:induction_id>/sign-off"): each(MANAGES, 303),
    # The directory (issue 12): everyone signed in reads it. A form sent with no fields: a team's entry and your
    # own details are saved as they were (303); the others ask for what is missing (400).
    ("GET", "/directory/"): Visit(SIGNED_IN, 200),
    ("GET", "/directory/search"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="q=a")),
    ("GET", "/directory/teams"): Visit(SIGNED_IN, 200),
    ("GET", "/directory/teams/<int:team_id>"): each(everywhere(SIGNED_IN), 200),
    ("GET", "/directory/teams/<int:team_id>/edit"): each(TEAM_ENTRY, 200),
    ("POST", "/directory/teams/<int:team_id>/edit"): each(TEAM_ENTRY, 303),
    ("POST", "/directory/teams/<int:team_id>/confirm"): each(TEAM_ENTRY, 303),
    ("GET", "/directory/offices"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="office=a")),
    ("GET", "/directory/me"): Visit(SIGNED_IN, 200),
    ("POST", "/directory/me"): Visit(SIGNED_IN, 303),
    ("GET", "/directory/checks"): Visit(ADMIN_ONLY, 200),
    ("GET", "/directory/champions"): (Visit(SIGNED_IN, 200), each(everywhere(SIGNED_IN), 200, query="team={team_id}")),
    ("GET", "/directory/champions/mine"): Visit(SIGNED_IN, 200),
    ("GET", "/directory/champions/manage"): Visit(MANAGERS, 200),
    ("GET", "/directory/champions/appoint"): Visit(MANAGERS, 200),
    ("POST", "/directory/champions/appoint"): Visit(MANAGERS, 400),
    ("GET", "/directory/champions/volunteer"): Visit(NOT_ADMIN, 200),
    ("POST", "/directory/champions/volunteer"): Visit(NOT_ADMIN, 400),
    # A volunteer's offer: the first manager to press decides it, later presses are told it is decided (303).
    ("POST", "/directory/champions/<int:champion_id>/approve"): each(MANAGES, 303, values={"champion_id": "offer_id"}),
    ("POST", "/directory/champions/<int:champion_id>/decline"): each(MANAGES, 303, values={"champion_id": "offer_id"}),
    ("POST", "/directory/champions/<int:champion_id>/confirm"): each(KEEPS_CHAMPION, 303),
    ("POST", "/directory/champions/<int:champion_id>/step-down"): each(KEEPS_CHAMPION, 303),
    ("GET", "/directory/areas"): Visit(ADMIN_ONLY, 200),
    ("POST", "/directory/areas"): Visit(ADMIN_ONLY, 400),
    ("GET", "/directory/areas/<int:area_id>/edit"): Visit(ADMIN_ONLY, 200),
    ("POST", "/directory/areas/<int:area_id>/edit"): Visit(ADMIN_ONLY, 303),  # unticked "in use": out of use
    ("GET", "/api/v1/champions"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv"),
                                   each(everywhere(SIGNED_IN), 200, query="near_team={team_id}")),
    # QAIT returns (issue 13): a team's managers and those above it read its return, QAIT every team's; its own
    # manager writes it (a submitted return: "QAIT must return it first", back to the page); QAIT decides (the
    # empty decision form: 400) and chases (no team selected: back to the list).
    ("GET", "/returns/"): Visit(MANAGERS | {QAIT}, 200),
    ("POST", "/returns/chase"): Visit(frozenset({QAIT}), 303),
    ("GET", "/returns/<int:team_id>/<month>"): each(TEAM_DASHBOARD, 200),
    ("POST", "/returns/<int:team_id>/<month>"): each(WRITES_RETURN, 303),
    ("POST", "/returns/<int:team_id>/<month>/decision"): each(everywhere(frozenset({QAIT})), 400),
    ("GET", "/returns/<int:team_id>/<month>/versions/<int:number>"): each(TEAM_DASHBOARD, 200),
    # Dip samples (issue 14 item 3): picking sent without a number or a record is answered with its error (400);
    # rating without the ratings too; marking the feedback read is a button (303). A supervisor lists the samples
    # of their own supervision (an empty list for the service manager's).
    ("GET", "/quality/dip-samples"): (Visit(frozenset({SERVICE_MANAGER, QAIT}), 200),
                                      Visit(frozenset({SERVICE_MANAGER, QAIT}), 200, query="month={month}")),
    ("GET", "/quality/dip-samples/feedback"): Visit(MANAGERS, 200),
    ("GET", "/quality/dip-samples/teams/<int:team_id>/<month>"): each(SAMPLES, 200),
    ("POST", "/quality/dip-samples/teams/<int:team_id>/<month>/random"): each(SAMPLES, 400),
    ("POST", "/quality/dip-samples/teams/<int:team_id>/<month>/chosen"): each(SAMPLES, 400),
    ("GET", "/quality/dip-samples/<int:sample_id>"): each(READS_SAMPLE, 200),
    ("POST", "/quality/dip-samples/<int:sample_id>"): each(RATES_SAMPLE, 400),
    ("POST", "/quality/dip-samples/<int:sample_id>/read"): each(READS_FEEDBACK, 303),
    # The organisation's settings (the case reference rule): admins only.
    ("GET", "/admin/settings"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/settings"): Visit(ADMIN_ONLY, 400),
    # The induction templates (R-IND-15): admins only. An edit sent without its fields keeps what the template or
    # day holds (303, nothing changes); a checklist item's audience boxes are unticked when not sent (400). The
    # spare day is removed by the only POST that may.
    ("GET", "/admin/induction/templates"): Visit(ADMIN_ONLY, 200),
    ("GET", "/admin/induction/templates/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/templates/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/induction/templates/<int:template_id>"): Visit(ADMIN_ONLY, 200),
    ("GET", "/admin/induction/templates/<int:template_id>/edit"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/templates/<int:template_id>/edit"): Visit(ADMIN_ONLY, 303),
    ("GET", "/admin/induction/templates/<int:template_id>/days/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/templates/<int:template_id>/days/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/induction/template-days/<int:day_id>/edit"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/template-days/<int:day_id>/edit"): Visit(ADMIN_ONLY, 303),
    ("POST", "/admin/induction/template-days/<int:day_id>/delete"): Visit(ADMIN_ONLY, 303, values=SPARE_DAY),
    ("GET", "/admin/induction/checklist"): Visit(ADMIN_ONLY, 200),
    ("GET", "/admin/induction/checklist/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/checklist/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/admin/induction/checklist/<int:item_id>/edit"): Visit(ADMIN_ONLY, 200),
    ("POST", "/admin/induction/checklist/<int:item_id>/edit"): Visit(ADMIN_ONLY, 400),
    ("POST", "/admin/induction/checklist/<int:item_id>/active"): Visit(ADMIN_ONLY, 303, query="to=active"),
    # A team's induction settings: sent without its fields, saved unchanged (303).
    ("GET", "/admin/teams/<int:team_id>/induction"): each(SETS_INDUCTION, 200),
    ("POST", "/admin/teams/<int:team_id>/induction"): each(SETS_INDUCTION, 303),
    # Specialist contacts and support services (issue 12): everyone signed in reads them; admins add them; an
    # entry is changed and confirmed by admins and the member of staff it names (the buddy). An empty form is
    # sent back (no name: 400); confirming is done (303).
    ("GET", "/directory/contacts"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="service={service_id}"),
                                     Visit(SIGNED_IN, 200, query="service=99999999999")),
    ("GET", "/directory/support"): Visit(SIGNED_IN, 200),
    ("GET", "/directory/contacts/<int:contact_id>"): (Visit(SIGNED_IN, 200),
                                                      Visit(SIGNED_IN, 200, values=SUPPORT_CONTACT)),
    ("GET", "/directory/contacts/new"): (Visit(ADMIN_ONLY, 200), Visit(ADMIN_ONLY, 200, query="kind=support")),
    ("POST", "/directory/contacts/new"): Visit(ADMIN_ONLY, 400, query="kind=support"),
    ("GET", "/directory/contacts/<int:contact_id>/edit"): Visit(KEEPS_CONTACT, 200),
    ("POST", "/directory/contacts/<int:contact_id>/edit"): Visit(KEEPS_CONTACT, 400),
    ("POST", "/directory/contacts/<int:contact_id>/confirm"): Visit(KEEPS_CONTACT, 303),
    # Networks and groups (issue 12): everyone signed in reads them and their .ics; admins add one; admins and
    # its listed contacts keep it. Forms sent empty answer 400 (an edit loses its first date: the date boxes are
    # not sent); confirming is a button (303).
    ("GET", "/directory/networks"): Visit(SIGNED_IN, 200),
    ("GET", "/directory/networks/<int:network_id>"): each(everywhere(SIGNED_IN), 200),
    ("GET", "/directory/networks/<int:network_id>.ics"): each(everywhere(SIGNED_IN), 200),
    ("GET", "/directory/networks/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/directory/networks/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/directory/networks/<int:network_id>/edit"): each(KEEPS_NETWORK, 200),
    ("POST", "/directory/networks/<int:network_id>/edit"): each(KEEPS_NETWORK, 400),
    ("GET", "/directory/networks/<int:network_id>/contacts"): each(KEEPS_NETWORK, 200),
    ("POST", "/directory/networks/<int:network_id>/contacts"): each(KEEPS_NETWORK, 400),
    ("POST", "/directory/networks/<int:network_id>/contacts/<int:contact_id>/remove"): each(
        REMOVES_FIRST, 303, others=((404, REMOVED_ALREADY),), values={"contact_id": "network_contact_id"}),
    ("GET", "/directory/networks/<int:network_id>/exceptions"): each(KEEPS_NETWORK, 200),
    ("POST", "/directory/networks/<int:network_id>/exceptions"): each(KEEPS_NETWORK, 400),
    ("POST", "/directory/networks/<int:network_id>/exceptions/<int:exception_id>/remove"): each(
        REMOVES_FIRST, 303, others=((404, REMOVED_ALREADY),)),
    ("POST", "/directory/networks/<int:network_id>/confirm"): each(KEEPS_NETWORK, 303),
    ("GET", "/api/v1/networks"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv&from={today}")),
    # Returns in the API (issue 13 item 7): everyone signed in, each seeing the teams whose returns they read; the
    # calendar is everyone's. The month's returns as files (item 5): QAIT only.
    ("GET", "/api/v1/compliance"): (Visit(SIGNED_IN, 200, query=ENDED),
                                    Visit(SIGNED_IN, 200, query=f"{ENDED}&format=csv"),
                                    each(READS_RETURNS, 200, query=ENDED + "&team={team_id}")),
    ("GET", "/api/v1/returns"): (Visit(SIGNED_IN, 200, query=ENDED),
                                 Visit(SIGNED_IN, 200, query=f"{ENDED}&format=csv")),
    ("GET", "/api/v1/return-calendar"): (Visit(SIGNED_IN, 200, query="year=2026"),
                                         Visit(SIGNED_IN, 200, query="year=2027&format=csv")),
    ("GET", "/returns/export.xlsx"): (Visit(frozenset({QAIT}), 200, query=ENDED),
                                      Visit(frozenset({QAIT}), 200, query=ENDED + "&service={service_id}")),
    ("GET", "/returns/export.csv"): tuple(Visit(frozenset({QAIT}), 200, query=f"{ENDED}&view={view}")
                                          for view in ("workers", "teams", "services")),
    # Caseload reviews (issue 13 item 6): the month's list shows each reader the reviews in their reach (QAIT may
    # pick a service; others' ``service`` is ignored); a month that is not one is said on the page (400). The
    # commentary form sent empty saves nothing (303); QAIT's button makes the month's reports, all made already.
    ("GET", "/returns/caseload"): (Visit(MANAGERS | {QAIT}, 200),
                                   each(everywhere(MANAGERS | {QAIT}), 200, query="month={month}&service={service_id}"),
                                   Visit(MANAGERS | {QAIT}, 400, query="month=2026-13")),
    ("GET", "/returns/caseload/<int:review_id>"): each(READS_RETURNS, 200, values=CASELOAD_REVIEW),
    ("POST", "/returns/caseload/<int:review_id>"): each(WRITES_RETURN, 303, values=CASELOAD_REVIEW),
    ("POST", "/returns/caseload/make"): Visit(frozenset({QAIT}), 303),
    # Audit rounds (issue 14 item 1, R-QA-4): admins keep the grading scales (and see no round); QAIT run the
    # rounds; everyone but admins lists their own audits (an empty list for most); a round's briefings are for
    # QAIT and whoever audits or buddies in it. Forms sent with the token only are sent back (400); removing an
    # audit not submitted is done (303).
    ("GET", "/quality/scales"): Visit(ADMIN_ONLY, 200),
    ("GET", "/quality/scales/new"): Visit(ADMIN_ONLY, 200),
    ("POST", "/quality/scales/new"): Visit(ADMIN_ONLY, 400),
    ("GET", "/quality/scales/<int:scale_id>"): Visit(ADMIN_ONLY, 200, values=A_SCALE),
    ("POST", "/quality/scales/<int:scale_id>"): Visit(ADMIN_ONLY, 400, values=A_SCALE),
    ("GET", "/quality/audits"): Visit(NOT_ADMIN, 200),
    ("GET", "/quality/audits/rounds"): Visit(QAIT_ONLY, 200),
    ("GET", "/quality/audits/rounds/new"): Visit(QAIT_ONLY, 200),
    ("POST", "/quality/audits/rounds/new"): Visit(QAIT_ONLY, 400),
    ("GET", "/quality/audits/rounds/<int:round_id>"): Visit(QAIT_ONLY, 200, values=A_ROUND),
    ("GET", "/quality/audits/rounds/<int:round_id>/export.xlsx"): Visit(QAIT_ONLY, 200, values=A_ROUND),
    ("GET", "/quality/audits/rounds/<int:round_id>/edit"): Visit(QAIT_ONLY, 200, values=A_ROUND),
    ("POST", "/quality/audits/rounds/<int:round_id>/edit"): Visit(QAIT_ONLY, 400, values=A_ROUND),
    ("GET", "/quality/audits/rounds/<int:round_id>/pick"): (Visit(QAIT_ONLY, 200, values=A_ROUND),
                                                            Visit(QAIT_ONLY, 200, values=A_ROUND, query="n=3&seed=7"),
                                                            Visit(QAIT_ONLY, 400, values=A_ROUND, query="n=many")),
    ("POST", "/quality/audits/rounds/<int:round_id>/pick"): Visit(QAIT_ONLY, 400, values=A_ROUND),
    ("POST", "/quality/audits/rounds/<int:round_id>/cases"): Visit(QAIT_ONLY, 400, values=A_ROUND),
    ("GET", "/quality/audits/rounds/<int:round_id>/audits/<int:audit_id>/buddy"): Visit(QAIT_ONLY, 200,
                                                                                          values=THE_AUDIT),
    ("POST", "/quality/audits/rounds/<int:round_id>/audits/<int:audit_id>/buddy"): Visit(QAIT_ONLY, 400,
                                                                                           values=THE_AUDIT),
    ("POST", "/quality/audits/rounds/<int:round_id>/audits/<int:audit_id>/remove"): Visit(QAIT_ONLY, 303,
                                                                                            values=SPARE_AUDIT),
    ("GET", "/quality/audits/rounds/<int:round_id>/briefings.ics"): Visit(IN_THE_ROUND, 200, values=A_ROUND),
    # Case audits (issue 14 item 2): a submitted audit reads only (a post is refused, even to its readers); its draft
    # auditor saves an empty draft (303). Re-audits are QAIT's (the form sent empty: 400).
    ("GET", "/quality/audits/<int:audit_id>"): (each(READS_AUDIT, 200), each(READS_DRAFT, 200, values=DRAFT_AUDIT)),
    ("POST", "/quality/audits/<int:audit_id>"): (each(everywhere(NOBODY), 303),
                                                 each(DRAFT_AUDITORS, 303, values=DRAFT_AUDIT)),
    ("POST", "/quality/audits/<int:audit_id>/read"): each(WRITES_RETURN, 303),  # the team's own manager
    ("POST", "/quality/audit-actions/<int:action_id>/done"): each(CLOSES_AUDIT_ACTION, 303, values=AUDIT_ACTION),
    ("GET", "/quality/audits/<int:audit_id>/reaudit"): each(everywhere(frozenset({QAIT})), 200),
    ("POST", "/quality/audits/<int:audit_id>/reaudit"): each(everywhere(frozenset({QAIT})), 400),
    # What the audits found, across rounds (issue 14 item 5): QAIT and managers, each for the teams in reach; a
    # service not in the list (another service than a manager's, or not a number) is said next to the filter (400).
    ("GET", "/quality/audits/findings"): (Visit(MANAGERS | {QAIT}, 200),
                                          each(per_team(north=MANAGERS | {QAIT}, south=MANAGERS | {QAIT}, yj={QAIT}),
                                               200, query="service={service_id}",
                                               others=((400, per_team(north=set(), south=set(), yj=set(MANAGERS))),)),
                                          Visit(MANAGERS | {QAIT}, 400, query="service=abc")),
    ("GET", "/quality/audits/findings.xlsx"): Visit(MANAGERS | {QAIT}, 200),
    # Your calendar feed (issue 15 item 6): everyone's own page; the form sent with its token makes (or replaces) the
    # feed and shows its address once (200); stopping is a button (303). The feed itself is public by its secret
    # address, and any address but a live feed's (here a set-password token) is 404, to anyone.
    ("GET", "/calendar"): Visit(SIGNED_IN, 200),
    ("POST", "/calendar"): Visit(SIGNED_IN, 200),
    ("POST", "/calendar/stop"): Visit(SIGNED_IN, 303),
    ("POST", "/calendar/networks/<int:network_id>"): each(everywhere(SIGNED_IN), 303),
    ("GET", "/calendar/<token>.ics"): Visit(EVERYONE, 404, anonymous=404),
    # Notifications (issue 15 item 3): everyone's own list and count; one is opened only by its person (the
    # worker's here: marked read, then to its page), anyone else gets 404; marking all read is a button (303).
    ("GET", "/notifications"): Visit(SIGNED_IN, 200),
    ("GET", "/notifications/count"): Visit(SIGNED_IN, 200),
    ("POST", "/notifications/<int:notification_id>/open"): Visit(frozenset({WORKER}), 303, refused=404),
    ("POST", "/notifications/read"): Visit(SIGNED_IN, 303),
    # Your reminder settings (item 4): everyone's own; sent with the token only, "how often" is missing (400).
    ("GET", "/notifications/settings"): Visit(SIGNED_IN, 200),
    ("POST", "/notifications/settings"): Visit(SIGNED_IN, 400),
    # Your data (issue 16 item 6): everyone's own page and download (a button-only POST: the ZIP, 200); no id, so
    # nobody can ask for anyone else's.
    ("GET", "/account/your-data"): Visit(SIGNED_IN, 200),
    ("POST", "/account/your-data/download"): Visit(SIGNED_IN, 200),
    ("GET", "/api/v1/audits"): (Visit(SIGNED_IN, 200), Visit(SIGNED_IN, 200, query="format=csv&round={round_id}"),
                                each(LISTS_TEAM, 200, query="team={team_id}")),
}
NOT_TAKEN = 405  # a method a route does not take, whoever asks
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visits(entry: Visit | tuple[Visit, ...]) -> tuple[Visit, ...]:
    return entry if isinstance(entry, tuple) else (entry,)


def _url_map_routes(app: Flask) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}


def test_the_matrix_names_every_route() -> None:
    """Every route and method of the URL map has its expectations, and every line of the matrix a route."""
    routes = _url_map_routes(make_app("sqlite://"))
    missing, stale = sorted(routes - MATRIX.keys()), sorted(MATRIX.keys() - routes)
    assert not missing and not stale, (f"routes without a line in MATRIX (say who may open them): {missing}; "
                                       f"lines in MATRIX for no route: {stale}")


# Markers --------------------------------------------------------------------------------------------------

MARKER = re.compile(r"MARK-[0-9a-f]{12}")


class Markers:
    """Distinctive text planted in the objects, each with who may see it."""

    def __init__(self) -> None:
        self.seen_by: dict[str, Who] = {}
        self.labels: dict[str, str] = {}
        self.shown: set[str] = set()

    def new(self, label: str, seen_by: Who) -> str:
        marker = f"MARK-{uuid.uuid4().hex[:12]}"
        self.seen_by[marker], self.labels[marker] = seen_by, label
        return marker

    def leaks(self, persona: str, body: str) -> list[str]:
        """The markers in ``body`` that ``persona`` may not see; notes those they may see in ``shown``."""
        found = dict.fromkeys(MARKER.findall(body))
        self.shown.update(m for m in found if persona in self.seen_by[m])
        return [f"{self.labels[m]} ({m})" for m in found if persona not in self.seen_by[m]]


# The organisation -----------------------------------------------------------------------------------------

@dataclass
class World:
    people: dict[str, Staff]
    objects: dict[str, dict[str, Any]]  # team -> URL parameter or query value -> value
    shared: dict[str, Any]  # values for routes about no team's object
    markers: Markers


def _build() -> World:
    """The ``org`` fixture's people (tests/conftest.py), plus a buddy, a new starter and a Youth Justice
    manager, and for each team a worker with everything a route can be about, every text field marked."""
    today = dates.today()
    marks = Markers()
    csc = factories.service("Children's Social Care")
    youth_justice = factories.service(marks.new("Youth Justice service name", SIGNED_IN))  # the directory's teams
    # Manager B also reads the North team's and the North worker's names: they are on the group record of the
    # North worker's session that discussed a South case (``_group_record``).
    # Every team's name and office base are in the directory for everyone signed in (issue 12), so their markers
    # are seen by everyone; the service's name is not (the directory names it only on team pages: see below).
    teams = {}
    for name, service, seen_by in ((NORTH, csc, SIGNED_IN), (SOUTH, csc, SIGNED_IN),
                                   (YJ, youth_justice, SIGNED_IN)):
        teams[name] = factories.team(marks.new(f"{name} team name", seen_by), service,
                                     office_base=marks.new(f"{name} office base", seen_by))
    north, south, yj = teams[NORTH], teams[SOUTH], teams[YJ]

    def person(label: str, role: str, team: Team, seen_by: Who | None = None, named_to: Who = NOBODY,
               **values: Any) -> Staff:
        if seen_by is not None:
            values.update(name=marks.new(f"{label}'s name", seen_by | named_to),
                          job_role=marks.new(f"{label}'s job role", seen_by))
        return factories.staff(role, team, **values)

    people = {
        ADMIN: person(ADMIN, "admin", north, email="admin@example.org", name="Ada Admin"),
        QAIT: person(QAIT, "qait", north, email="qait@example.org", name="Quinn QAIT"),
        SERVICE_MANAGER: person(SERVICE_MANAGER, "service_manager", north, email="sm@example.org", name="Sam Service"),
        MANAGER_A: person(MANAGER_A, "team_manager", north, email="tm@example.org", name="Tia Manager"),
        # The worker hosts the new starter's shadowing days: the starter and their buddy read who hosts them.
        WORKER: person(WORKER, "worker", north, SEES_PERSON[NORTH], GROUP_READERS | {NEW_STARTER, BUDDY},
                       email="worker@example.org"),
        BUDDY: person(BUDDY, "worker", north, email="buddy@example.org", name="Bea Buddy"),
        NEW_STARTER: person(NEW_STARTER, "worker", north, email="new@example.org", name="Nat New",
                            start_date=today - timedelta(days=3)),
        # A team manager's name is in the directory for everyone (issue 12: each team's manager); their job is not.
        MANAGER_B: person(MANAGER_B, "team_manager", south, SEES_PERSON[SOUTH], SIGNED_IN,
                          email="south.tm@example.org"),
    }
    south_worker = person("South worker", "worker", south, SEES_PERSON[SOUTH], email="south.worker@example.org")
    yj_manager = person("YJ manager", "team_manager", yj, SEES_PERSON[YJ], SIGNED_IN, email="yj.tm@example.org")
    yj_worker = person("YJ worker", "worker", yj, SEES_PERSON[YJ], email="yj.worker@example.org")
    colleague = person("South colleague", "worker", south, SEES_PERSON[SOUTH], GROUP_READERS)
    newcomer = person("newcomer", "worker", north, name="Pat Pending", password=False)
    people[MANAGER_A].line_manager = people[MANAGER_B].line_manager = people[SERVICE_MANAGER]
    for worker in (people[WORKER], people[BUDDY], people[NEW_STARTER]):
        worker.line_manager = people[MANAGER_A]
    south_worker.line_manager = colleague.line_manager = people[MANAGER_B]
    yj_worker.line_manager = yj_manager
    db.session.commit()

    objects = {}
    for name, worker, manager in ((NORTH, people[WORKER], people[MANAGER_A]),
                                  (SOUTH, south_worker, people[MANAGER_B]), (YJ, yj_worker, yj_manager)):
        resolver = people[SERVICE_MANAGER] if name != YJ else None
        objects[name] = _team_objects(name, teams[name], worker, manager, resolver, marks)
    north.business_support, north.meeting_weekday = people[WORKER], 2
    for name, starter, runner in ((NORTH, people[NEW_STARTER], people[MANAGER_A]),
                                  (SOUTH, south_worker, people[MANAGER_B]), (YJ, yj_worker, yj_manager)):
        objects[name].update(_induction(name, starter, people, marks))
        induction = db.session.get(Induction, objects[name]["induction_id"])
        objects[name].update(_checklist(name, induction, starter, runner, marks))
        objects[name].update(_network(name, teams[name], people, marks))
        objects[name].update(_supervision_return(name, teams[name], runner, marks))
        objects[name].update(_dip_sample(name, teams[name], people, marks, objects[name]["record_id"]))
    shared = {"filename": "dist/app.css", "code": "CP", "token": issue_password_link(newcomer),
              "pending_id": hold_for_confirmation(people[MANAGER_A], "cases", "cases.csv", b"case_ref\n").id,
              **_group_record(people[WORKER], colleague, people[SERVICE_MANAGER], objects, marks),
              **_induction_templates(marks), "area_id": _spare_area(), **_directory_contacts(people[BUDDY], marks),
              "month": today.strftime("%Y-%m"), **_audit_round(people, north, marks)}
    for name, review_id in _caseload_reviews((csc, youth_justice), teams, marks).items():
        objects[name]["caseload_review_id"] = review_id
    shared["round_id"] = _case_audits(teams, objects, people, marks)
    shared["notification_id"] = _saved_id(Notification(staff_id=people[WORKER].id, line="A reminder", path="/"))
    db.session.commit()
    return World(people, objects, shared, marks)


def _saved_id(row: Any) -> int:
    db.session.add(row)
    db.session.flush()
    return int(row.id)


def _audit_round(people: dict[str, Staff], north: Team, marks: Markers) -> dict[str, int]:
    """A round of North's service this quarter: Manager B audits a case of a North worker the personas do not
    line-manage, with the service manager as their buddy; another audit of theirs is there to be removed. What
    the round says is seen by QAIT, its auditor and buddy, and admins (the audit trail names rounds and
    questions; no finding is written here); its theme also by whoever reads North's audits, whose list in the
    API names each audit's round."""
    today = dates.today()
    seen = IN_THE_ROUND | {ADMIN}
    scale = audit_rounds.default_scale()
    scale.name = marks.new("grading scale name", frozenset({ADMIN, QAIT}))
    round_ = audit_rounds.save_round(None, audit_rounds.RoundDetails(
        year=today.year, quarter=audit_rounds.quarter_of(today),
        theme=marks.new("audit round theme", seen | READS_AUDIT[NORTH]),  # /api/v1/audits names the round
        service_ids=(north.service_id,), due_on=today + timedelta(days=30), scale_id=scale.id,
        questions=(marks.new("audit question", seen),), briefing_before_at=dates.utcnow() + timedelta(days=3),
        briefing_place=marks.new("audit briefing place", seen)), people[QAIT])
    worker = factories.staff("worker", north)
    audited = factories.case(marks.new("audited case reference", READS[NORTH] | {MANAGER_B, ADMIN}), "CIN", False,
                             worker, today - timedelta(days=100))
    spare = factories.case(None, "CP", False, worker, today - timedelta(days=100))
    audit = CaseAudit(round_id=round_.id, case_id=audited.id, auditor_id=people[MANAGER_B].id,
                      buddy_id=people[SERVICE_MANAGER].id, due_on=round_.due_on)
    removable = CaseAudit(round_id=round_.id, case_id=spare.id, auditor_id=people[MANAGER_B].id, due_on=round_.due_on)
    db.session.add_all([audit, removable])
    db.session.commit()
    return {"audit_round_id": round_.id, "round_audit_id": audit.id, "removable_audit_id": removable.id,
            "grade_scale_id": scale.id}
def _case_audits(teams: dict[str, Team], objects: dict[str, dict[str, Any]], people: dict[str, Staff],
                 marks: Markers) -> int:
    """Each team's case audited and submitted (an answer with its comment, the findings, an action owned by the
    case's worker) by a Youth Justice service manager who is no persona, and a draft of the same case in an earlier
    round by a persona (``DRAFT_AUDITORS``). A draft's auditor reads the case's reference and, choosing an action's
    owner, the names of the team's staff. The submitted round's id."""
    today = dates.today()
    grading = GradeScale(name="Matrix scale", grades=[Grade(position=1, label="Good"), Grade(position=2, label="Poor")])
    rounds = [AuditRound(year=2026, quarter=quarter, theme=theme, scale=grading, due_on=today + timedelta(days=30),
                         questions=[AuditQuestion(position=1, text="Is the child's voice heard?")])
              for quarter, theme in ((4, "Matrix audits"), (3, "Matrix drafts"))]
    outside = factories.staff("service_manager", teams[YJ])
    for name in TEAMS:
        case = db.session.get(Case, objects[name]["case_id"])
        assert case is not None
        readers = READS_AUDIT[name]
        owner_sees = frozenset({WORKER}) if name == NORTH else NOBODY  # the owner's home lists it
        action = AuditAction(description=marks.new(f"{name} audit action", readers | owner_sees), owner=case.worker,
                             due_on=today + timedelta(days=14))
        audit = CaseAudit(round=rounds[0], case=case, auditor=outside, due_on=today + timedelta(days=30),
                          grade=grading.grades[1], findings=marks.new(f"{name} audit findings", readers),
                          submitted_at=dates.utcnow(), actions=[action], answers=[AuditAnswer(
                              question=rounds[0].questions[0], grade=grading.grades[0],
                              comment=marks.new(f"{name} audit answer comment", readers))])
        [persona] = DRAFT_AUDITORS[name]
        draft = CaseAudit(round=rounds[1], case=case, auditor=people[persona], due_on=today + timedelta(days=30),
                          findings=marks.new(f"{name} draft audit findings", frozenset({persona})))
        db.session.add_all([audit, draft])
        db.session.commit()
        for marker in (case.case_ref, *(person.name for person in teams[name].members)):
            if marker in marks.seen_by:
                marks.seen_by[marker] = marks.seen_by[marker] | {persona}
        objects[name].update(audit_id=audit.id, draft_audit_id=draft.id, audit_action_id=action.id)
    return rounds[0].id


def _caseload_reviews(services: tuple[Service, ...], teams: dict[str, Team], marks: Markers) -> dict[str, int]:
    """This month's caseload report of each team (both services have caseload reviews), with commentary on the
    team's first line for those who read the team's reviews."""
    for service in services:
        service.caseload_reviews = True
    caseload.make_reports(dates.today().replace(day=1), dates.today())
    found = {}
    for name, team in teams.items():
        review = db.session.scalars(select(CaseloadReview).where(CaseloadReview.team_id == team.id)).one()
        review.rows[0].commentary = marks.new(f"{name} caseload commentary", READS_RETURNS[name])
        found[name] = review.id
    db.session.commit()
    return found


def _group_record(worker: Staff, colleague: Staff, supervisor: Staff, objects: dict[str, dict[str, Any]],
                  marks: Markers) -> dict[str, int]:
    """A group supervision of the North worker that also discussed a South colleague's case (the service
    manager manages both; the colleague attended): each part is read only by those who may see its case (issue
    7 item 3). Those who read either part see who took part: the two workers' names. And the next group session
    of the two, booked for tomorrow: each sees only the cases they may see among those it will discuss."""
    today = dates.today()
    theirs = factories.case(marks.new("group record, south part: case reference", READS[SOUTH] | {ADMIN}), "CIN",
                            False, colleague, today - timedelta(days=100))
    cases = [db.session.get(Case, objects[NORTH]["case_id"]), theirs]
    record = factories.record("group", today - timedelta(days=2), worker, supervisor, cases, status="signed_off",
                              signed_off_at=dates.utcnow(), attendees=[colleague])
    parts = {}
    for team, discussion in zip((NORTH, SOUTH), record.discussions, strict=True):
        parts[team] = discussion
        for text in ("significant_events", "decisions_and_plan", "childs_voice", "worries"):
            setattr(discussion, text, marks.new(f"group record, {team} part: {text.replace('_', ' ')}", READS[team]))
        db.session.add(SupervisionAction(
            record=record, case=discussion.case, owner=discussion.case.worker, due_on=today + timedelta(days=9),
            description=marks.new(f"group record, {team} part: action", READS[team])))
    db.session.commit()
    change = record_services.SectionInput(parts[SOUTH].case_id, {"worries": marks.new(
        "group record, south part: worries, version 2", READS[SOUTH])})
    reason = marks.new("group record: version reason", GROUP_READERS)
    record_services.update_record(record, record_services.RecordContent([change], reason=reason), supervisor)
    # The worker's comment on version 2 is about the whole session: for readers of every part, the worker, and
    # whoever resolves the worker's disagreements (Manager A manages the worker; the service manager wrote it).
    record_services.acknowledge(record, False, marks.new("group record: the worker's comment",
                                                         frozenset({WORKER, MANAGER_A, SERVICE_MANAGER, QAIT})))
    booking = factories.booking(worker, supervisor, factories.uk_time(today + timedelta(days=1), 9), kind="group",
                                cases_=cases, attendees=[colleague],
                                location=marks.new("group session place", GROUP_READERS | {ADMIN}))
    db.session.commit()
    return {"group_record_id": record.id, "group_north_discussion_id": parts[NORTH].id,
            "group_south_discussion_id": parts[SOUTH].id, "group_booking_id": booking.id}


def _induction(team: str, starter: Staff, people: dict[str, Staff], marks: Markers) -> dict[str, int]:
    """The team's starter's induction: a buddy (North's is BUDDY; elsewhere a colleague who is no persona), the
    shadowing host A days hosted by WORKER in North, and a check-in with notes and a concern not yet seen."""
    today = dates.today()
    induction = factories.induction(starter, start_date=today - timedelta(days=3))
    buddy = people[BUDDY] if team == NORTH else factories.staff("worker", starter.team)
    buddies.name_buddy(induction, buddy, "", None)
    day = next(d for d in induction.days if d.host_slot == "a")
    if team == NORTH:
        buddies.name_host(induction, day, people[WORKER], "")
    seen_by = SEES_INDUCTION[team]
    checkin = checkins.log_checkin(induction, buddy, held_on=induction.starts_on, mode="in_person", doing=2,
                                   notes=marks.new(f"{team} check-in notes", seen_by),
                                   concern=marks.new(f"{team} check-in concern", seen_by))
    db.session.commit()
    return {"induction_id": induction.id, "day_id": day.id, "checkin_id": checkin.id}


def _checklist(name: str, induction: Induction, starter: Staff, runner: Staff, marks: Markers) -> dict[str, int]:
    """The starter's own item (B4, open), their tick of B1 with a comment (for the manager to confirm), the office
    item (B6, open), an item not applicable with its reason (A5) and the review, recorded: comments and review notes
    are for the induction's readers alone; a reason, like a cancellation's, is kept in the audit trail too."""
    readers = SEES_INDUCTION[name]
    items = {item.code: item for item in induction.items}
    checklist.tick(items["B1"], starter, dates.today(), marks.new(f"{name} checklist comment", readers),
                   confirms=False)
    checklist.mark_not_applicable(items["A5"], runner, marks.new(f"{name} not applicable reason", readers | {ADMIN}))
    checklist.record_review(induction, runner, dates.today(), marks.new(f"{name} review notes", readers))
    db.session.commit()
    return {"starter_item_id": items["B4"].id, "manager_item_id": items["B1"].id, "office_item_id": items["B6"].id}


def _spare_area() -> int:
    """A champion area nobody champions: the walk's edit (sent without its fields) takes it out of use."""
    area = ChampionArea(name="Matrix area", description="", active=True)
    db.session.add(area)
    db.session.commit()
    return area.id


def _induction_templates(marks: Markers) -> dict[str, int]:
    """An internal-move timetable with a day, a spare day (removed by the walk) and a checklist item: their texts
    are for admins, who edit them, alone; the timetable's name also for the managers who open and re-plan an
    induction (they choose a timetable by its name)."""
    template = InductionTemplate(name=marks.new("induction template name", ADMIN_ONLY | MANAGERS), kind="mover",
                                 length_days=3, active=True, version=1)
    day = InductionTemplateDay(template=template, day_number=2, kind="shadowing", host_slot="a", position=1000,
                               description=marks.new("induction template day", ADMIN_ONLY))
    spare = InductionTemplateDay(template=template, day_number=3, kind="reading", description="Spare", position=1001)
    item = ChecklistItem(code="Z1", section=marks.new("checklist section", ADMIN_ONLY), deadline="week_1",
                         title=marks.new("checklist item", ADMIN_ONLY), link="https://learning.example.org/z1",
                         position=1000, version=1, active=True)
    db.session.add_all([template, day, spare, item])
    db.session.commit()
    return {"template_id": template.id, "day_id": day.id, "spare_day_id": spare.id, "item_id": item.id}


def _directory_contacts(named: Staff, marks: Markers) -> dict[str, int]:
    """A specialist contact for the North team's service naming the buddy (who keeps it), and a support service
    with opening hours: everyone signed in reads them."""
    admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
    assert admin is not None
    specialist = contacts.save_contact(None, "specialist", {
        "name": marks.new("specialist contact name", SIGNED_IN), "service_id": named.team.service_id,
        "summary": marks.new("specialist contact summary", SIGNED_IN), "phone": "50222", "active": True},
        parse_hours("Monday to Friday 09:00-17:00"), admin, staff=named)
    support = contacts.save_contact(None, "support", {
        "name": marks.new("support service name", SIGNED_IN), "org_code": marks.new("support org code", SIGNED_IN),
        "link": "https://support.example.org", "active": True},
        parse_hours("Monday to Thursday 17:00-08:30\nFriday 17:00 to Monday 08:30"), admin)
    db.session.commit()
    return {"contact_id": specialist.id, "support_contact_id": support.id}


def _network(name: str, team: Team, people: dict[str, Staff], marks: Markers) -> dict[str, int]:
    """A network per team, read by everyone: North's lists BUDDY (who keeps it); each lists a colleague who is no
    persona (removed by the walk) and has a cancelled meeting (undone by the walk)."""
    kept_by = [people[BUDDY]] if name == NORTH else []
    details = networks.Details(name=marks.new(f"{name} network name", SIGNED_IN), kind="network",
                               purpose=marks.new(f"{name} network purpose", SIGNED_IN), place="Room 1")
    schedule = networks.Schedule(Pattern(MONTHLY_WEEKDAY, 1, 1, 3), dates.today().replace(day=1), None,
                                 time(14), time(17))
    network = networks.save_network(None, details, schedule, people[ADMIN])
    for person in (*kept_by, factories.staff("worker", team)):
        networks.add_contact(network, person, "chair", True, dates.today())
    meeting = recurrence.next_meetings(network, dates.today(), 1)[0].on
    exception = networks.add_exception(network, meeting)
    db.session.commit()
    return {"network_id": network.id, "network_contact_id": network.contacts[-1].id, "exception_id": exception.id}


def _supervision_return(name: str, team: Team, manager: Staff, marks: Markers) -> dict[str, Any]:
    """Last month's return, submitted with commentary that only the team's readers of returns may see (its
    managers, the service manager above and QAIT: never a worker or an admin)."""
    today = dates.today()
    month = return_services.last_month(today)
    ret = return_services.start(team, month, manager, today)
    return_services.save_draft(ret, marks.new(f"{name} return: team commentary", TEAM_DASHBOARD[name]), {})
    return_services.submit(ret, manager, today)
    db.session.commit()
    return {"month": dates.month_code(month), "number": 1}


def _dip_sample(name: str, team: Team, people: dict[str, Staff], marks: Markers, record_id: int) -> dict[str, int]:
    """The team's signed-off case record, sampled and rated by the service manager (Youth Justice's by QAIT), with
    comments for its supervisor (the team's manager) that only the readers of the sample may see."""
    record = db.session.get(SupervisionRecord, record_id)
    assert record is not None
    sampler = people[QAIT] if name == YJ else people[SERVICE_MANAGER]
    sample = DipSample(record=record, team=team, month=record.held_on.replace(day=1), sampler=sampler,
                       rated_at=dates.utcnow(), comments=marks.new(f"{name} dip sample comments", READS_SAMPLE[name]))
    sample.ratings = [DipRating(criterion=criterion, rating="met") for criterion in RUBRIC]
    db.session.add(sample)
    db.session.commit()
    return {"sample_id": sample.id}


def _team_objects(name: str, team: Team, worker: Staff, manager: Staff, resolver: Staff | None,
                  marks: Markers) -> dict[str, Any]:
    """A team's worker's case (with oversight), an earlier case record (a resolved disagreement, the worker's open
    disagreement with the record, an open and a dropped action), a signed-off case record changed after sign-off
    (an open disagreement, reviews of the earlier actions), a signed-off personal record (an action, the worker's
    resolved disagreement), a booked and a cancelled session."""
    today = dates.today()
    readers = READS[name]

    def content(label: str) -> str:  # record content: never for admins
        return marks.new(f"{name} {label}", readers)

    def identifier(label: str) -> str:  # admins see case references and session places in the audit trail
        return marks.new(f"{name} {label}", readers | {ADMIN})

    case = factories.case(identifier("case reference"), "CP", False, worker, today - timedelta(days=200))
    case_services.add_oversight(case, manager, "plan_change", today - timedelta(days=30), content("oversight decision"),
                                content("oversight rationale"))
    earlier = factories.record("case", today - timedelta(days=40), worker, manager, [case], status="signed_off")
    settled = earlier.discussions[0]
    settled.disagreement, settled.disagreement_note = True, content("resolved disagreement note")
    settled.resolved_at, settled.resolved_by, settled.resolution = dates.utcnow(), resolver, content("resolution")
    # The worker disagreed with what it says 10 days ago: nobody has resolved it, so it is with the service
    # manager too (R-SUP-7).
    earlier.acknowledged_at, earlier.worker_disagrees = dates.utcnow() - timedelta(days=10), True
    earlier.worker_comment = content("worker's open disagreement with the record")
    action = SupervisionAction(record=earlier, case=case, owner=worker, description=content("open action"),
                               due_on=today + timedelta(days=14))
    drop_reason = content("drop reason")
    dropped = SupervisionAction(record=earlier, case=case, owner=worker, description=content("dropped action"),
                                due_on=today, status="dropped", drop_reason=drop_reason)
    db.session.add_all([action, dropped])

    texts = ("actions_review", "significant_events", "decisions_and_plan", "reflective_analysis", "childs_voice",
             "worries", "working_well", "needs_to_happen")
    record = factories.record("case", today - timedelta(days=5), worker, manager, [case], status="signed_off",
                              signed_off_at=dates.utcnow())
    discussion = record.discussions[0]
    for text in texts:
        setattr(discussion, text, content(text.replace("_", " ")))
    discussion.disagreement, discussion.disagreement_note = True, content("open disagreement note")
    db.session.add_all([ActionReview(record=record, action=action, outcome="carried_forward",
                                     reason=content("review reason")),
                        ActionReview(record=record, action=dropped, outcome="dropped", reason=drop_reason)])
    db.session.commit()
    changed = record_services.SectionInput(case.id, {"worries": content("worries, version 2")})
    record_services.update_record(record, record_services.RecordContent([changed], reason=content("version reason")),
                                  manager)

    personal = factories.record("personal", today - timedelta(days=6), worker, manager, status="signed_off",
                                wellbeing=content("wellbeing"), workload=content("workload"),
                                learning=content("learning"), acknowledged_at=dates.utcnow() - timedelta(days=1),
                                worker_disagrees=True, worker_comment=content("worker's resolved disagreement"),
                                disagreement_resolved_at=dates.utcnow(), disagreement_resolved_by=manager,
                                disagreement_resolution=content("resolution of the worker's disagreement"))
    db.session.add(SupervisionAction(record=personal, owner=worker, description=content("personal action"),
                                     due_on=today + timedelta(days=20)))
    booked = factories.booking(worker, manager, factories.uk_time(today + timedelta(days=3), 10), kind="case",
                               cases_=[case], location=identifier("session place"))
    cancelled = factories.booking(worker, manager, factories.uk_time(today + timedelta(days=4), 11),
                                  status="cancelled", location=identifier("cancelled session place"))
    cancelled.change_reason = content("cancellation reason")
    token = issue_token(worker, "matrix")[1]
    bystander = factories.staff("worker", team)
    # The team's champion (a bystander: the directory shows their name to everyone) and a volunteer's offer.
    champion = factories.champion(bystander, "Domestic abuse", "team", starts_on=today - timedelta(days=300))
    offer = factories.champion(factories.staff("worker", team), "First aid", "office", starts_on=today,
                               state="proposed")
    grant = request_role(worker, "qait", None)
    # A cover still to come: it reaches nothing yet, so no persona's reach changes.
    cover = Cover(team=team, staff=bystander, manager=manager, starts_on=today + timedelta(days=30),
                  ends_on=today + timedelta(days=40), named_by=manager)
    absence = Absence(staff=worker, kind="sickness", starts_on=today - timedelta(days=100),
                      ends_on=today - timedelta(days=90), recorded_by=manager)
    db.session.add_all([cover, absence])
    db.session.commit()
    return {"token_id": token.id, "bystander_id": bystander.id, "grant_id": grant.id, "decision": "refuse",
            "team_id": team.id, "service_id": team.service_id, "staff_id": worker.id, "worker_email": worker.email,
            "case_id": case.id, "record_id": record.id, "discussion_id": discussion.id, "version": 1,
            "cover_id": cover.id, "absence_id": absence.id, "champion_id": champion.id, "offer_id": offer.id,
            "personal_record_id": personal.id, "earlier_record_id": earlier.id, "action_id": action.id,
            "booking_id": booked.id, "cancelled_booking_id": cancelled.id, "today": today.isoformat(),
            "next_week": (today + timedelta(days=7)).isoformat()}


# The database fingerprint ---------------------------------------------------------------------------------

# Signing in, refusals and failed sign-ins are recorded by design, on every kind of request.
RECORDS_REQUESTS = frozenset({"user_sessions", "audit_events", "sign_in_failures"})


def _fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but those that record requests themselves."""
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name not in RECORDS_REQUESTS:
            found[table.name] = [tuple(row) for row in db.session.execute(
                select(table).order_by(*table.primary_key.columns))]
    db.session.rollback()
    return found


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# The walk -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    method: str
    url: str
    persona: str
    team: str | None
    status: int
    expected: int
    leaks: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    view_ran: bool = False

    def __str__(self) -> str:
        where = f" [{self.team} objects]" if self.team else ""
        return f"{self.method} {self.url}{where} as {self.persona}: {self.status} (expected {self.expected})"


@dataclass
class Walk:
    matrix: list[Answer] = field(default_factory=list)
    not_taken: list[Answer] = field(default_factory=list)
    without_csrf: list[Answer] = field(default_factory=list)
    markers: Markers = field(default_factory=Markers)


PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _url(rule: str, visit: Visit, values: Mapping[str, Any]) -> str:
    path = PARAMETER.sub(lambda match: str(values[visit.values.get(match[1], match[1])]), rule)
    query = visit.query.format(**values)
    return f"{path}?{query}" if query else path


def _spy_on_views(app: Flask, reached: list[str]) -> None:
    """Notes each view that runs (its policy attribute is kept, so the gate still sees it)."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _spied(view, endpoint, reached)


def _spied(view: Callable[..., Any], endpoint: str, reached: list[str]) -> Callable[..., Any]:
    @functools.wraps(view)
    def spy(*args: Any, **kwargs: Any) -> Any:
        reached.append(endpoint)
        return view(*args, **kwargs)

    return spy


def _send(client: Client, method: str, url: str, token: str | None = None) -> tuple[int, str]:
    """The status and body of one request (closed at once: a static file holds its file open)."""
    response = client.open(url, method=method, data=None if token is None else {"csrf_token": token})
    try:
        if response.mimetype in (XLSX, "application/zip"):  # an Excel download or a ZIP (Your data): the markers
            # are looked for in every file inside
            with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
                return response.status_code, "".join(book.read(name).decode() for name in book.namelist())
        return response.status_code, response.get_data(as_text=True)
    finally:
        response.close()


def _requests(world: World) -> Iterator[tuple[str, str, Visit, str | None, str]]:
    """(method, rule, visit, team, URL) for every line of the matrix; signing out comes last."""
    for (method, rule), entry in sorted(MATRIX.items(), key=lambda item: item[0][1] == "/sign-out"):
        for visit in _visits(entry):
            for team in visit.teams:
                values = {**world.shared, **world.objects[team or NORTH]}
                yield method, rule, visit, team, _url(rule, visit, values)


def _walk(app: Flask) -> Walk:
    world = _build()
    adapter = app.url_map.bind("localhost")
    reached: list[str] = []
    _spy_on_views(app, reached)
    clients: dict[str, Client] = {}
    tokens: dict[str, str] = {}
    for persona in PERSONAS:
        client: Client = app.test_client()  # type: ignore[assignment]
        if persona != ANONYMOUS:
            response = client.post_form("/sign-in", {"email": world.people[persona].email,
                                                     "password": factories.PASSWORD})
            assert response.status_code == 303, f"{persona} could not sign in"
        clients[persona], tokens[persona] = client, client.csrf_token()
    requests = list(_requests(world))
    written = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.actor_label == "system"))
    assert written <= AUDIT_PAGES * 50, f"{written} audit events: raise AUDIT_PAGES so the admin reads them all"
    for method, rule, _visit, _team, url in requests:
        matched = adapter.match(url.partition("?")[0], method=method, return_rule=True)[0].rule
        assert matched == rule, f"{url} opens {matched}, not {rule}: check the objects' values"
    walk = Walk(markers=world.markers)

    # Without the CSRF token, as someone who may otherwise post there (the first persona not refused).
    done: set[tuple[str, str]] = set()
    for method, rule, visit, team, url in requests:
        if method != "POST" or (method, rule) in done or rule in CSRF_EXEMPT:
            continue
        done.add((method, rule))
        allowed = [p for p in PERSONAS[1:] if visit.expected(rule, p, team, method) not in (302, 403, 404)]
        persona = allowed[0] if allowed else ANONYMOUS
        before, reached[:] = _fingerprint(), []
        status, _ = _send(clients[persona], method, url, token=None)
        walk.without_csrf.append(Answer(method, url, persona, team, status, 400,
                                        changed=tuple(_changed(before, _fingerprint())), view_ran=bool(reached)))

    # Every GET, with the database compared before and after each.
    for method, rule, visit, team, url in requests:
        if method != "GET":
            continue
        for persona in PERSONAS:
            before = _fingerprint()
            status, body = _send(clients[persona], method, url)
            walk.matrix.append(Answer(method, url, persona, team, status,
                                      visit.expected(rule, persona, team, method),
                                      tuple(world.markers.leaks(persona, body)),
                                      tuple(_changed(before, _fingerprint()))))

    # A method a route does not take (with the token, so that it is not the CSRF check answering).
    taken = {(method, rule) for method, rule, *_ in requests}
    firsts = {rule: url for _, rule, _, _, url in reversed(requests)}
    for rule, url in firsts.items():
        for method in ("GET", "POST"):
            if (method, rule) not in taken:
                for persona in PERSONAS:
                    status, _ = _send(clients[persona], method, url, tokens[persona])
                    walk.not_taken.append(Answer(method, url, persona, None, status, NOT_TAKEN))

    # Every state-changing request, with the token and nothing else.
    for method, rule, visit, team, url in requests:
        if method == "GET":
            continue
        for persona in PERSONAS:
            status, body = _send(clients[persona], method, url, tokens[persona])
            walk.matrix.append(Answer(method, url, persona, team, status,
                                      visit.expected(rule, persona, team, method),
                                      tuple(world.markers.leaks(persona, body))))
    return walk


@pytest.fixture(scope="module")
def walk(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    with fresh_database(database_template, tmp_path_factory.mktemp("matrix")) as url:
        app = make_app(url)
        app.test_client_class = Client
        with app.app_context():
            try:
                yield _walk(app)
            finally:
                db.session.remove()
                db.engine.dispose()


def _report(problems: list[str], title: str) -> str:
    return f"{len(problems)} {title}:\n  " + "\n  ".join(problems)


# The tests ------------------------------------------------------------------------------------------------

def test_every_route_answers_every_persona_as_the_rules_say(walk: Walk) -> None:
    wrong = [str(answer) for answer in walk.matrix if answer.status != answer.expected]
    assert not wrong, _report(wrong, "answers differ from the matrix")


def test_a_method_a_route_does_not_take_is_405_for_everyone(walk: Walk) -> None:
    wrong = [str(answer) for answer in walk.not_taken if answer.status != answer.expected]
    assert not wrong, _report(wrong, "answers to a method the route does not take")


def test_no_answer_shows_anything_out_of_reach(walk: Walk) -> None:
    """Markers of objects out of the persona's reach, in any answer (GET or POST, whatever its status)."""
    leaks = [f"{answer}: {', '.join(answer.leaks)}" for answer in walk.matrix if answer.leaks]
    assert not leaks, _report(leaks, "answers show what is out of reach")


def test_every_marker_shows_to_someone_who_may_see_it(walk: Walk) -> None:
    """The markers check can fail: each planted text does show, on some page, to someone allowed to see it."""
    never = sorted(label for marker, label in walk.markers.labels.items() if marker not in walk.markers.shown)
    assert not never, f"planted text no page shows: {never}"


# Posted by a server, never a browser, so no form token exists to check: what proves them is checked instead.
CSRF_EXEMPT = {
    "/sign-in/sso/logout": "the provider's back-channel logout: a logout token signed by the provider "
                           "(tests/auth/test_sso.py refuses every other)",
}


def test_every_state_changing_route_refuses_a_request_without_the_csrf_token(walk: Walk) -> None:
    posts = {rule for (method, rule) in MATRIX if method != "GET" and rule not in CSRF_EXEMPT}
    assert len(walk.without_csrf) == len(posts)
    wrong = [f"{answer}{', its view ran' if answer.view_ran else ''}"
             f"{', changed ' + ', '.join(answer.changed) if answer.changed else ''}"
             for answer in walk.without_csrf if answer.status != 400 or answer.view_ran or answer.changed]
    assert not wrong, _report(wrong, "state-changing requests without the CSRF token were not refused")


def test_no_get_changes_the_database(walk: Walk) -> None:
    changed = [f"{answer}: changed {', '.join(answer.changed)}" for answer in walk.matrix
               if answer.method == "GET" and answer.changed]
    assert not changed, _report(changed, "GET requests changed the database")

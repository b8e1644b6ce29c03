"""Who may do what, and which rows they may see: the one authorisation mechanism every route uses.

Routes declare a policy with ``@requires("action")``; the sign-in gate refuses any endpoint that declares
none. Object checks call ``authorize(action, obj)`` (routes) or ``can(action, obj)`` (templates, menus).
Every rule about roles lives in this module, nowhere else. Lists come from the ``*_in_reach`` queries,
which filter in SQL rather than after loading (CONTRACT.md "Reach").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.dates import disagreements_escalated_by, today
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy
from teamops.induction.models import Induction, InductionItem
from teamops.org import covers
from teamops.org.models import MANAGER_ROLES, RoleGrant, Service, Staff, Team
from teamops.quality.audit_models import CaseAudit
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord

F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "_teamops_policy"
EVERYONE_READS = ("qait", "admin")
MANAGERS = MANAGER_ROLES
ABOVE_TEAMS = ("service_manager", "head_of_service")  # oversee several teams
MANAGER_IMPORT_KINDS = frozenset({"cases", "supervisions"})  # admins import every kind


# Reach: which rows a person may list -------------------------------------------------------------------

class Person(Protocol):
    """What the reach rules read of a person: an account (``Staff``) or a ``Holder``."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def team_id(self) -> int: ...


@dataclass(frozen=True)
class Holder:
    """Who holds a valid session or token, with what the reach rules read: enough to find a kept page
    (teamops.kept) without loading the account."""

    id: int
    role: str
    team_id: int



def signed_in() -> Staff:
    """The signed-in member of staff (for routes behind the sign-in gate)."""
    person: Staff = current_user._get_current_object()
    return person

def line_reports(person_id: int, *, chain: bool = False) -> Select[tuple[int]]:
    """Ids of the people this person line-manages, as a subquery; with ``chain``, also everyone below them
    (a recursive query: R-ORG-1's "directly or through a chain"; UNION stops at a loop in bad data)."""
    direct = select(Staff.id).where(Staff.line_manager_id == person_id)
    if not chain:
        return direct
    below = direct.cte("below", recursive=True, nesting=True)
    below = below.union(select(Staff.id).join(below, Staff.line_manager_id == below.c.id))
    return select(below.c.id)


def reach_team_ids(user: Person) -> Select[tuple[int]] | None:
    """Ids of the teams this person oversees as a whole, as a subquery; None means every team (CONTRACT.md
    "Reach"): a head of service their service's teams; a service manager the teams whose team manager they
    line-manage, directly or through a chain (R-ORG-1); a team manager their team; a worker none (they reach
    people: themselves and whoever they line-manage, R-ORG-2). Whoever covers for a team's manager also
    reaches that team while the cover runs (R-ORG-3)."""
    if user.role in EVERYONE_READS:
        return None
    covering = Team.id.in_(covers.covered_team_ids(user.id))
    if user.role == "head_of_service":
        service_of_user = select(Team.service_id).where(Team.id == user.team_id).scalar_subquery()
        return select(Team.id).where(or_(Team.service_id == service_of_user, covering))
    if user.role == "service_manager":
        managed = select(Staff.team_id).where(Staff.role == "team_manager",
                                              Staff.id.in_(line_reports(user.id, chain=True)))
        return select(Team.id).where(or_(Team.id.in_(managed), covering))
    if user.role == "team_manager":
        return select(Team.id).where(or_(Team.id == user.team_id, covering))
    return select(Team.id).where(covering)


def return_team_ids(user: Person) -> Select[tuple[int]]:
    """Ids of the teams whose returns and caseload commentary this person writes (``submit_return`` as a
    query): their own team as its team manager, and any team they cover while the cover runs (R-ORG-3)."""
    covering = Team.id.in_(covers.covered_team_ids(user.id))
    if user.role == "team_manager":
        return select(Team.id).where(or_(Team.id == user.team_id, covering))
    return select(Team.id).where(covering)


def teams_shown(user: Person) -> Select[tuple[int]] | None:
    """Ids of every team whose data this person's pages show: their own, the teams they oversee and the teams
    of the people they line-manage; None means every team. What a kept page's versions are read for."""
    overseen = reach_team_ids(user)
    if overseen is None:
        return None
    reports = select(Staff.team_id).where(Staff.line_manager_id == user.id)
    return select(Team.id).where(or_(Team.id == user.team_id, Team.id.in_(overseen), Team.id.in_(reports)))


def teams_in_reach(user: Staff) -> Select[tuple[Team]]:
    """Teams this person may list: those they oversee; a worker their own (and any they cover)."""
    query = select(Team)
    ids = reach_team_ids(user)
    if user.role == "worker" and ids is not None:
        return query.where(or_(Team.id == user.team_id, Team.id.in_(ids)))
    return query if ids is None else query.where(Team.id.in_(ids))


def _reads_work_of(user: Person) -> ColumnElement[bool]:
    """A condition on a joined ``Staff`` row: whose people, cases and records this person reads. Themselves
    and the people they line-manage (whatever their role, R-ORG-2), and everyone in the teams they oversee;
    QAIT everyone; admins nobody's case or record content."""
    if user.role == "admin":
        return false()
    ids = reach_team_ids(user)
    if ids is None:
        return true()
    return or_(Staff.id == user.id, Staff.line_manager_id == user.id, Staff.team_id.in_(ids))


def staff_in_reach(user: Staff) -> Select[tuple[Staff]]:
    """People this person may list; admins list everyone (accounts are theirs to manage)."""
    query = select(Staff)
    return query if user.role == "admin" else query.where(_reads_work_of(user))


def inductions_in_reach(user: Staff) -> Select[tuple[Induction]]:
    """Inductions whose starter is in reach (joined as ``Staff``): their own, the people they line-manage, the
    teams they oversee, and those they buddy now; QAIT all; admins none (they edit the templates, not a
    starter's induction)."""
    if user.role == "admin":
        return select(Induction).join(Staff, Staff.id == Induction.staff_id).where(false())
    buddies = exists().where(InductionBuddy.induction_id == Induction.id, InductionBuddy.buddy_id == user.id,
                             InductionBuddy.to_date.is_(None))
    return select(Induction).join(Staff, Staff.id == Induction.staff_id).where(or_(_reads_work_of(user), buddies))


def cases_in_reach(user: Staff) -> Select[tuple[Case]]:
    """Cases whose allocated worker is in reach (joined as ``Staff``, so lists may sort by the worker)."""
    return select(Case).join(Staff, Staff.id == Case.worker_id).where(_reads_work_of(user))


def records_in_reach(user: Staff) -> Select[tuple[SupervisionRecord]]:
    """Records whose worker is in reach (the same people as ``cases_in_reach``), and records that discuss a
    case in reach: a colleague at a group supervision reads the part about their own case."""
    cases_seen = cases_in_reach(user).with_only_columns(Case.id)
    discussing = select(CaseDiscussion.record_id).where(CaseDiscussion.case_id.in_(cases_seen))
    return (select(SupervisionRecord).join(Staff, Staff.id == SupervisionRecord.worker_id)
            .where(or_(_reads_work_of(user), SupervisionRecord.id.in_(discussing))))


# Object rules ------------------------------------------------------------------------------------------

def _team_of(obj: Any) -> Team | None:
    """The team an object belongs to: a team, a person's team, or the team of a case's or record's worker."""
    if isinstance(obj, Team):
        return obj
    if isinstance(obj, Staff):
        return obj.team
    worker = getattr(obj, "worker", None)
    return worker.team if isinstance(worker, Staff) else None


def overseen_team_ids(user: Staff) -> frozenset[int] | None:
    """The ids ``reach_team_ids`` gives, asked once per request for each person; None means every team."""
    if user.role in EVERYONE_READS:
        return None
    if user.role == "team_manager":
        return frozenset({user.team_id}) | _covered(user)
    if user.role == "worker":
        return _covered(user)
    known: dict[int, frozenset[int]] = g.setdefault("teamops_overseen", {})
    if user.id not in known:
        ids = reach_team_ids(user)
        known[user.id] = frozenset(db.session.scalars(ids)) if ids is not None else frozenset()
    return known[user.id]


def manages_anyone(user: Staff) -> bool:
    """Whether anyone has this person as their line manager (loaded with the signed-in account)."""
    return bool(user.has_reports)


def _covered(user: Staff) -> frozenset[int]:
    """Ids of the teams this person covers today (R-ORG-3): asked once per request, and only of someone who
    holds a cover (``has_covers`` comes with the signed-in account)."""
    if not user.has_covers:
        return frozenset()
    known: dict[int, frozenset[int]] = g.setdefault("teamops_covered", {})
    if user.id not in known:
        known[user.id] = frozenset(db.session.scalars(covers.covered_team_ids(user.id)))
    return known[user.id]


def oversees_team(user: Staff, obj: Any) -> bool:
    """Whether this person oversees the team (of the object) as a whole: a manager above it, its cover, or
    QAIT; never an admin."""
    return user.role != "admin" and _oversees_team(user, obj)


def _oversees_team(user: Staff, obj: Any) -> bool:
    """Whether the object's team is one this person oversees as a whole."""
    team = _team_of(obj)
    if team is None:
        return False
    if user.role == "head_of_service" and team.service_id == user.team.service_id:
        return True
    ids = overseen_team_ids(user)
    return ids is None or team.id in ids


def _person_of(obj: Any) -> Staff | None:
    """The person an object is about: the person, or a case's, record's or booking's worker."""
    if isinstance(obj, Staff):
        return obj
    worker = getattr(obj, "worker", None)
    return worker if isinstance(worker, Staff) else None


def _line_manages(user: Staff, obj: Any) -> bool:
    """Whether this person is the line manager of the person the object is about (R-ORG-2)."""
    person = _person_of(obj)
    return person is not None and person.line_manager_id == user.id


def _oversees(user: Staff, obj: Any) -> bool:
    """Whether the object is in this person's reach: a team they oversee, or themselves and the people they
    line-manage, with their cases and records (CONTRACT.md "Reach")."""
    if _oversees_team(user, obj):
        return True
    person = _person_of(obj)
    return person is not None and (person.id == user.id or person.line_manager_id == user.id)


def _manages(user: Staff, obj: Any) -> bool:
    """Team managers, service managers, heads of service and covers run the teams they oversee (cases,
    actions); QAIT read them."""
    if user.role in EVERYONE_READS:
        return False
    if obj is None:
        return user.role in MANAGERS or bool(_covered(user))
    return _oversees_team(user, obj)


def _supervises(user: Staff, obj: Any) -> bool:
    """Who books and records a person's supervision: the managers of their team and, whatever their role,
    their line manager (R-ORG-2)."""
    if user.role == "admin":
        return False
    if obj is None:
        return _manages(user, None) or manages_anyone(user)
    return _manages(user, obj) or _line_manages(user, obj)


def _reads_records(user: Staff, obj: Any) -> bool:
    if user.role == "admin":
        return False
    return obj is None or _oversees(user, obj)


def _reads_record(user: Staff, record: Any) -> bool:
    """A record's reader: whoever reads its worker's records, or may see one of the cases it discusses (who
    then reads only the parts about the cases they may see: ``can("view_case", discussion.case)``)."""
    if _reads_records(user, record):
        return True
    return user.role != "admin" and any(_reads_records(user, d.case) for d in record.discussions)


def _changes_record(user: Staff, record: Any) -> bool:
    """Whoever supervises the worker (a manager of their team, or their line manager) signs off, changes and
    files their records, never their own, and only when they may see every case the record discusses (the form
    shows them all)."""
    if not _supervises(user, record):
        return False
    return record is None or (record.worker_id != user.id
                              and all(_reads_records(user, d.case) for d in record.discussions))


def _acknowledges(user: Staff, record: Any) -> bool:
    """Only the person supervised acknowledges their record."""
    return user.role != "admin" and (record is None or record.worker_id == user.id)


def _sees_booking(user: Staff, booking: Booking | None) -> bool:
    """Whoever may read the worker's records, and everyone taking part (a group session's attendees)."""
    if booking is None or _reads_records(user, booking):
        return True
    return user.role != "admin" and user.id in {booking.worker_id, booking.supervisor_id,
                                                *(person.id for person in booking.attendees)}


def _records_booking(user: Staff, booking: Booking | None) -> bool:
    """A session's record is written by whoever ran it, while they still supervise the worker."""
    if booking is None:
        return _supervises(user, None)
    return booking.supervisor_id == user.id and _supervises(user, booking)


def _closes_action(user: Staff, action: SupervisionAction | None) -> bool:
    """An action's owner marks it done, or whoever supervises the owner."""
    if action is None:
        return user.role != "admin"
    return action.owner_id == user.id or _supervises(user, action.owner)


def _views_team_dashboard(user: Staff, obj: Any) -> bool:
    """Managers and QAIT see the teams they oversee; a line manager of any role sees the rows of the people
    they line-manage (R-ORG-2), on their own team's dashboard or a worker's drill-down."""
    if obj is None:
        return user.role == "qait" or _supervises(user, None)
    if oversees_team(user, obj):
        return True
    if isinstance(obj, Team):
        return obj.id == user.team_id and manages_anyone(user)
    return _line_manages(user, obj)


def _arranges_cover(user: Staff, team: Team | None) -> bool:
    """A team's own manager names someone to stand in while away (R-ORG-3), as may the managers above the
    team."""
    if team is None:
        return user.role in MANAGERS
    if user.role == "team_manager":
        return team.id == user.team_id
    return user.role in ABOVE_TEAMS and _oversees_team(user, team)


# Induction templates and team settings (R-IND-15) ----------------------------------------------------------
# Admins edit the organisation's timetables and checklist. A team's induction settings (its meeting day, its
# business-support contact) are set by whoever may manage the team today: its own manager, the managers above
# it, whoever covers for its manager, and admins.

def _sets_team_induction(user: Staff, team: Team | None) -> bool:
    if user.role == "admin":
        return True
    if team is None:
        return user.role in MANAGERS or bool(_covered(user))
    return _arranges_cover(user, team) or team.id in _covered(user)


def escalated_team_ids(user: Person) -> Select[tuple[int]] | None:
    """Ids of the teams whose escalations (R-SUP-7) come to this person, as a subquery; None means none. A
    team's escalations go to its own service manager: the first service manager met going up the line from
    its team manager; to the head of service of its service when there is none (R-ORG-1)."""
    if user.role not in ABOVE_TEAMS:
        return None
    above = aliased(Staff)
    up = (select(Staff.team_id.label("team_id"), Staff.line_manager_id.label("above"))
          .where(Staff.role == "team_manager").cte("up", recursive=True, nesting=True))
    up = up.union(select(up.c.team_id, above.line_manager_id).join(above, above.id == up.c.above)
                  .where(above.role != "service_manager"))
    if user.role == "service_manager":
        return select(up.c.team_id).where(up.c.above == user.id)
    with_one = select(up.c.team_id).join(above, above.id == up.c.above).where(above.role == "service_manager")
    service_of_user = select(Team.service_id).where(Team.id == user.team_id).scalar_subquery()
    return select(Team.id).where(Team.service_id == service_of_user, Team.id.not_in(with_one))


def _resolves_escalation(user: Staff, obj: Any) -> bool:
    """The team's own service manager resolves its escalations, or its head of service when it has none."""
    if user.role not in ABOVE_TEAMS:
        return False
    team = _team_of(obj)
    if team is None:
        return obj is None
    ids = escalated_team_ids(user)
    return ids is not None and db.session.scalar(select(Team.id).where(Team.id == team.id, Team.id.in_(ids)))\
        is not None


def _runs_team_of(user: Staff, obj: Any) -> bool:
    """Whether this person manages the team of the object's worker: its own team manager, or whoever covers
    for them (R-ORG-3). Not the managers above the team."""
    team = _team_of(obj)
    if team is None:
        return False
    return (user.role == "team_manager" and team.id == user.team_id) or team.id in _covered(user)


def _resolves_disagreement(user: Staff, record: Any) -> bool:
    """Who resolves a worker's disagreement with their own record (R-SUP-7): whoever wrote the record, the
    worker's line manager and the manager of the worker's team (or their cover), never the worker; once it has
    waited 7 days, also whoever gets the team's escalations. ``worker_disagreements_in_reach`` lists the
    same."""
    if user.role in EVERYONE_READS:
        return False
    if record is None:
        return _supervises(user, None)
    if record.worker_id == user.id or not _reads_records(user, record):
        return False
    if record.supervisor_id == user.id or _line_manages(user, record) or _runs_team_of(user, record):
        return True
    escalates_on = record.disagreement_escalates_on
    return escalates_on is not None and escalates_on <= today() and _resolves_escalation(user, record)


def worker_disagreements_in_reach(user: Staff, on: date) -> Select[tuple[SupervisionRecord]]:
    """Records whose worker disagreed with what was written that this person resolves (``_resolves_disagreement``
    on ``on``), resolved or not, with the worker joined as ``Staff``."""
    query = (select(SupervisionRecord).join(Staff, Staff.id == SupervisionRecord.worker_id)
             .where(SupervisionRecord.worker_disagrees == true()))
    if user.role in EVERYONE_READS:
        return query.where(false())
    theirs = [SupervisionRecord.supervisor_id == user.id, Staff.line_manager_id == user.id,
              Staff.team_id.in_(covers.covered_team_ids(user.id))]
    if user.role == "team_manager":
        theirs.append(Staff.team_id == user.team_id)
    escalated = escalated_team_ids(user)
    if escalated is not None:
        theirs.append(and_(Staff.team_id.in_(escalated),
                           SupervisionRecord.acknowledged_at < disagreements_escalated_by(on)))
    return query.where(SupervisionRecord.worker_id != user.id, _reads_work_of(user), or_(*theirs))


def _imports(user: Staff, kind: str | None) -> bool:
    """Admins import every kind; team and service managers import cases and supervisions for their teams."""
    if user.role == "admin":
        return True
    return user.role in MANAGERS and (kind is None or kind in MANAGER_IMPORT_KINDS)


def _active_qait_exists() -> bool:
    """Whether anyone active holds the QAIT role: asked once per request, however many grants a page shows."""
    if "teamops_qait_exists" not in g:
        g.teamops_qait_exists = db.session.scalar(
            select(Staff.id).where(Staff.role == "qait", Staff.active.is_(True)).limit(1)) is not None
    return bool(g.teamops_qait_exists)


def _approves_grant(user: Staff, grant: RoleGrant | None) -> bool:
    """A second person approves a QAIT or admin role: never whoever asked for it, nor the person it is for.
    The admin role is approved by another admin; the QAIT role by a QAIT member, or by another admin when
    nobody active is QAIT. Admins and QAIT see the Access changes page."""
    if grant is None:
        return user.role in EVERYONE_READS
    if grant.outcome is not None or user.id in (grant.requested_by_id, grant.staff_id):
        return False
    if grant.role == "qait" and _active_qait_exists():
        return user.role == "qait"
    return user.role == "admin"


# Induction (R-IND-1..18) --------------------------------------------------------------------------------
# A starter sees their own induction; whoever reads their work (their managers, line manager, QAIT) sees it
# too; whoever supervises them runs it. Admins edit the templates and never see a starter's induction.

def _buddies(user: Staff, induction: Induction) -> bool:
    """Whether this person is the induction's buddy now (a former buddy no longer reads it)."""
    return bool(db.session.scalar(select(exists().where(
        InductionBuddy.induction_id == induction.id, InductionBuddy.buddy_id == user.id,
        InductionBuddy.to_date.is_(None)))))


def _views_induction(user: Staff, induction: Induction | None) -> bool:
    if induction is None or user.role == "admin":
        return user.role != "admin"
    return (induction.staff_id == user.id or _reads_records(user, induction.staff)
            or _buddies(user, induction))


def _logs_checkin(user: Staff, induction: Induction | None) -> bool:
    """The current buddy logs check-ins, never the starter, while the induction is open."""
    if induction is None:
        return user.role != "admin"
    return induction.is_open and induction.staff_id != user.id and _buddies(user, induction)


def _runs_induction(user: Staff, induction: Induction | None) -> bool:
    if induction is None:
        return _supervises(user, None)
    return (induction.is_open and induction.staff_id != user.id and _supervises(user, induction.staff))


def _opens_induction(user: Staff, person: Staff | None) -> bool:
    if person is None:
        return _supervises(user, None)
    return person.id != user.id and person.active and _supervises(user, person)


# The checklist (R-IND-13): the starter ticks their own items; whoever runs the induction ticks, confirms and
# marks any item not applicable; the team's business-support contact ticks and confirms the office items. Nobody
# once the induction is signed off or cancelled, and never the starter confirming their own item.

def _office_contact(user: Staff, item: InductionItem) -> bool:
    return (item.confirmer == "business_support" and item.induction.staff_id != user.id
            and item.induction.staff.team.business_support_id == user.id)


def _ticks_item(user: Staff, item: InductionItem | None) -> bool:
    if item is None:
        return user.role != "admin"
    induction = item.induction
    return induction.is_open and (induction.staff_id == user.id or _runs_induction(user, induction)
                                  or _office_contact(user, item))


def _confirms_item(user: Staff, item: InductionItem | None) -> bool:
    if item is None:
        return user.role != "admin"
    return item.induction.is_open and (_runs_induction(user, item.induction) or _office_contact(user, item))


def _lists_network(user: Staff, network: Any) -> bool:
    """Whether this person is one of a network's listed contacts (who keep its entry true). Before the network
    is loaded (``@requires``), anyone signed in may be one: the route asks again with the network."""
    return network is None or any(
        contact.staff_id == user.id for contact in getattr(network, "contacts", ()))


def _runs_team_entry(user: Staff, team: Team | None) -> bool:
    """A team's directory entry (remit, bases, phone) is kept by its manager, whoever covers them, the managers
    above, and admins."""
    if user.role == "admin":
        return True
    return _manages(user, team)


def _decides_champion(user: Staff, champion: Any) -> bool:
    """A champion is appointed, approved, declined or stood down by a manager of the champion's team or their
    line manager; never by the volunteer themselves."""
    person = getattr(champion, "staff", champion)
    if person is None:
        return _manages(user, None) or manages_anyone(user)
    if person.id == user.id:
        return False
    return _manages(user, person) or person.line_manager_id == user.id


def _reads_returns(user: Staff, obj: Any) -> bool:
    """A team's QAIT returns and caseload reviews (issue 13): QAIT all; the managers above a team and its own
    manager (or cover) theirs; never a worker (unless covering the team) or an admin."""
    if user.role == "admin":
        return False
    if obj is None:
        return user.role in (*MANAGERS, "qait") or bool(_covered(user))
    return _oversees_team(user, _returns_team(obj))


def _submits_return(user: Staff, obj: Any) -> bool:
    """A team's return and caseload commentary are its own manager's to write and send, or whoever covers
    for them (R-ORG-3); the managers above read them, QAIT accepts or returns them."""
    if obj is None:
        return user.role == "team_manager" or bool(_covered(user))
    return _runs_team_of(user, _returns_team(obj))


def _returns_team(obj: Any) -> Team | None:
    """The team of a team, a return or a caseload review."""
    team = obj if isinstance(obj, Team) else getattr(obj, "team", None)
    return team if isinstance(team, Team) else None


SAMPLERS = (*ABOVE_TEAMS, "qait")  # who dip-samples supervision records (R-QA-6)


def _samples_team(user: Staff, obj: Any) -> bool:
    """Service managers, heads of service and QAIT dip-sample the supervision records of the teams in their
    reach (R-QA-6); ``obj`` is a team, a record or a sample (its team)."""
    if user.role not in SAMPLERS:
        return False
    if obj is None:
        return True
    team = obj.team if isinstance(getattr(obj, "team", None), Team) else obj
    return _oversees_team(user, team)


def _reads_dip_sample(user: Staff, sample: Any) -> bool:
    """A dip sample is read by whoever took it, the record's supervisor (the comments are for them), and the
    samplers whose reach holds the team; never the worker or an admin."""
    if sample is None:
        return user.role in SAMPLERS or _supervises(user, None)
    return sample.sampler_id == user.id or sample.record.supervisor_id == user.id or _samples_team(user, sample)


def _reads_case_audit(user: Staff, audit: Any) -> bool:
    """A case audit's findings (R-QA-4/5): its auditor and their audit buddy, QAIT, and the managers whose
    reach holds the case's team (its team manager sees the findings about their team); never an admin or
    the worker."""
    if user.role == "admin":
        return False
    if audit is None:
        return user.role in (*MANAGERS, "qait") or bool(_covered(user))
    if user.id in (audit.auditor_id, audit.buddy_id) or user.role == "qait":
        return True
    return user.role in MANAGERS and _oversees_team(user, audit.case)


def _reads_audit_round(user: Staff, round_: Any) -> bool:
    """A round's dates and briefings (its calendar file): QAIT, and whoever audits or buddies in it."""
    if user.role == "qait":
        return True
    if round_ is None:
        return user.role != "admin"
    return bool(db.session.scalar(select(exists().where(
        CaseAudit.round_id == round_.id, or_(CaseAudit.auditor_id == user.id, CaseAudit.buddy_id == user.id)))))


def _closes_audit_action(user: Staff, action: Any) -> bool:
    """A remedial action is marked done by its owner or by whoever runs the case's team."""
    if action is None:
        return user.role != "admin"
    return action.owner_id == user.id or _runs_team_of(user, action.audit.case)


POLICIES: dict[str, Callable[[Staff, Any], bool]] = {
    "signed_in": lambda user, obj: True,
    "manage_organisation": lambda user, obj: user.role == "admin",
    "view_audit": lambda user, obj: user.role == "admin",
    "view_team": lambda user, obj: obj is None or _oversees(user, obj),
    "view_staff": lambda user, obj: obj is None or _oversees(user, obj),
    "view_case": _reads_records,
    "view_record": lambda user, obj: _reads_record(user, obj) if isinstance(obj, SupervisionRecord)
    else _reads_records(user, obj),
    "view_booking": _sees_booking,
    "manage_cases": _manages,
    "supervise": _supervises,
    "change_record": _changes_record,
    "acknowledge_record": _acknowledges,
    "record_booking": _records_booking,
    "close_action": _closes_action,
    "view_team_actions": lambda user, obj: user.role in (*MANAGERS, "qait") or _supervises(user, None),
    "import_data": _imports,
    "resolve_escalations": _resolves_escalation,
    "resolve_disagreement": _resolves_disagreement,
    # The escalations queue: case disagreements for those above teams, workers' disagreements with their record
    # for whoever resolves them.
    "view_escalations": lambda user, obj: _resolves_escalation(user, None) or _resolves_disagreement(user, None),
    "view_team_dashboard": _views_team_dashboard,
    "view_supervisees": lambda user, obj: manages_anyone(user),
    "arrange_cover": _arranges_cover,
    "manage_induction_templates": lambda user, obj: user.role == "admin",
    "set_team_induction": _sets_team_induction,
    # A leaver's hand-over (R-ORG-4): by whoever manages their team (never by the leaver, never by an admin, who
    # reads no cases).
    "hand_over": lambda user, obj: user.role != "admin" and (
        _manages(user, None) if obj is None else _manages(user, obj) and obj.id != user.id),
    # A long absence (R-ORG-6) is recorded by whoever supervises the person (never by the person themselves).
    "record_absence": lambda user, obj: _supervises(user, obj) and getattr(obj, "id", None) != user.id,
    # A newly qualified social worker's ASYE dates (R-ASYE-1): the same people, the same way.
    "set_asye": lambda user, obj: _supervises(user, obj) and getattr(obj, "id", None) != user.id,
    "pick_team": lambda user, obj: user.role in (*ABOVE_TEAMS, "qait"),
    "view_service_dashboard": lambda user, obj: user.role in (*ABOVE_TEAMS, "qait"),
    "pick_service": lambda user, obj: user.role == "qait",
    "view_all_teams": lambda user, obj: user.role == "qait",
    "use_api": lambda user, obj: True,
    # Anyone signed in makes, lists and revokes their own API tokens (a token sees only what its account sees);
    # admins list and revoke everyone's, for leavers and leaks, but never see a token itself (only its hash is
    # kept).
    "manage_own_tokens": lambda user, obj: obj is None or getattr(obj, "staff_id", None) == user.id,
    "manage_all_tokens": lambda user, obj: user.role == "admin",
    "manage_policy": lambda user, obj: user.role == "admin",
    "manage_settings": lambda user, obj: user.role == "admin",  # the organisation's own settings
    "approve_role_grant": _approves_grant,
    "view_inductions": lambda user, obj: user.role == "qait" or _supervises(user, None),
    "view_own_induction": lambda user, obj: user.role != "admin",
    "view_induction": _views_induction,
    "run_induction": _runs_induction,
    "open_induction": _opens_induction,
    "log_checkin": _logs_checkin,
    # The new starters report for the director's quarterly meeting (R-IND-16): names, dates, buddy, status.
    "view_starters_report": lambda user, obj: user.role in EVERYONE_READS,
    # A buddy's concern is marked seen by whoever runs the induction.
    "resolve_induction_concern": lambda user, obj: _runs_induction(user, obj.induction if obj else None),
    "tick_induction_item": _ticks_item,
    # A team's business-support contact lists its starters' office items to confirm (an empty list for others).
    "view_office_items": lambda user, obj: user.role != "admin",
    "confirm_induction_item": _confirms_item,
    # The directory (issue 12): everyone signed in reads it; admins keep its reference data.
    "read_directory": lambda user, obj: True,
    "manage_directory": lambda user, obj: user.role == "admin",
    "edit_network": lambda user, obj: user.role == "admin" or _lists_network(user, obj),
    "edit_contact": lambda user, obj: user.role == "admin" or (
        obj is not None and getattr(obj, "staff_id", None) == user.id),
    "edit_team_entry": _runs_team_entry,
    "appoint_champion": _decides_champion,
    "volunteer_champion": lambda user, obj: user.role != "admin",
    # The champion themselves, whoever decides for them, or an admin (a leaver's role) steps down or confirms.
    "keep_champion": lambda user, obj: obj is None or (
        user.role == "admin" or getattr(obj, "staff_id", None) == user.id or _decides_champion(user, obj)),
    # QAIT returns and caseload reviews (issue 13).
    # Quality (issue 14): observing practice is for those who supervise the worker (R-QA-7); the worker and
    # everyone whose reach holds them read the observations. Dip samples (R-QA-6): see _samples_team.
    "observe_practice": lambda user, obj: _supervises(user, obj) and getattr(obj, "id", None) != user.id,
    "view_observations": lambda user, obj: user.role != "admin" and (obj is None or _oversees(user, obj)),
    "dip_sample": _samples_team,
    # Case audits (R-QA-4/5): QAIT runs the rounds; the auditor does theirs; admins keep the grading scales and
    # read no findings.
    "run_audits": lambda user, obj: user.role == "qait",
    "manage_grade_scales": lambda user, obj: user.role == "admin",
    "do_audit": lambda user, obj: user.role != "admin" and (obj is None or obj.auditor_id == user.id),
    "view_case_audit": _reads_case_audit,
    # What the audits found across rounds, for the teams in reach (QAIT every team; managers theirs).
    "view_audit_findings": lambda user, obj: user.role == "qait" or user.role in MANAGERS,
    "view_audit_round": _reads_audit_round,
    "close_audit_action": _closes_audit_action,
    # The case's team manager (or whoever covers) marks a submitted audit's findings read: they leave their home.
    "read_audit_findings": lambda user, obj: user.role != "admin" and (
        (user.role == "team_manager" or bool(_covered(user))) if obj is None else _runs_team_of(user, obj.case)),
    "view_dip_sample": _reads_dip_sample,
    # Only whoever took a sample rates it (and changes the ratings later), while the team is still theirs.
    "rate_dip_sample": lambda user, obj: _samples_team(user, obj) and (obj is None or obj.sampler_id == user.id),
    # The feedback on a sample is for the record's supervisor (never its worker): their list, and marking it read.
    "read_dip_feedback": lambda user, obj: _supervises(user, None) if obj is None
    else user.role != "admin" and obj.record.supervisor_id == user.id,
    "view_returns": _reads_returns,
    "submit_return": _submits_return,
    "run_returns": lambda user, obj: user.role == "qait",  # the dashboard, accept or return, chase, snapshot
    "view_service": lambda user, obj: user.role in EVERYONE_READS
    or (isinstance(obj, Service) and user.role == "head_of_service" and user.team.service_id == obj.id),
}


def can(action: str, obj: Any = None, user: Staff | None = None) -> bool:
    person = user if user is not None else current_user
    if not getattr(person, "is_authenticated", False):
        return False
    return POLICIES[action](person, obj)


def authorize(action: str, obj: Any = None) -> None:
    """403 unless the signed-in person may do ``action`` (to ``obj``)."""
    if not can(action, obj):
        abort(403)


def requires(action: str) -> Callable[[F], F]:
    """Declares the policy a route needs; checked before the view runs."""
    if action not in POLICIES:
        raise KeyError(f"unknown policy {action!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            authorize(action)
            return view(*args, **kwargs)

        setattr(wrapper, POLICY_ATTRIBUTE, action)
        return wrapper  # type: ignore[return-value]

    return decorate

"""Who may do what, and which rows they may see: the one authorisation mechanism every route uses.

Routes declare a policy with ``@requires("action")``; the sign-in gate refuses any endpoint that declares
none. Object checks call ``authorize(action, obj)`` (routes) or ``can(action, obj)`` (templates, menus).
Every rule about roles lives in this module, nowhere else. Lists come from the ``*_in_reach`` queries,
which filter in SQL rather than after loading (CONTRACT.md "Reach").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, or_, select, true

from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import RoleGrant, Service, Staff, Team
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord

F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "_teamops_policy"
EVERYONE_READS = ("qait", "admin")
MANAGERS = ("team_manager", "service_manager")
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


def reach_team_ids(user: Person) -> Select[tuple[int]] | None:
    """Ids of the teams this person oversees, as a subquery; None means every team."""
    if user.role in EVERYONE_READS:
        return None
    if user.role == "service_manager":
        service_of_user = select(Team.service_id).where(Team.id == user.team_id).scalar_subquery()
        return select(Team.id).where(Team.service_id == service_of_user)
    return select(Team.id).where(Team.id == user.team_id)


def teams_in_reach(user: Staff) -> Select[tuple[Team]]:
    query = select(Team)
    ids = reach_team_ids(user)
    return query if ids is None else query.where(Team.id.in_(ids))


def staff_in_reach(user: Staff) -> Select[tuple[Staff]]:
    query = select(Staff)
    if user.role == "worker":
        return query.where(Staff.id == user.id)
    ids = reach_team_ids(user)
    return query if ids is None else query.where(Staff.team_id.in_(ids))


def _reads_work_of(user: Staff) -> ColumnElement[bool]:
    """A condition on the joined ``Staff`` row of a case's or record's worker: whose case and record content
    this person reads. A worker their own, a manager their teams', QAIT everyone's; admins nobody's (they
    configure TeamOps but do not read case or record content)."""
    if user.role == "admin":
        return false()
    if user.role == "worker":
        return Staff.id == user.id
    ids = reach_team_ids(user)
    return true() if ids is None else Staff.team_id.in_(ids)


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


def _oversees(user: Staff, obj: Any) -> bool:
    team = _team_of(obj)
    if team is None:
        return False
    if user.role in EVERYONE_READS:
        return True
    if user.role == "service_manager":
        return team.service_id == user.team.service_id
    if user.role == "team_manager":
        return team.id == user.team_id
    if isinstance(obj, Staff):
        return obj.id == user.id
    return getattr(obj, "worker_id", None) == user.id


def _manages(user: Staff, obj: Any) -> bool:
    """Team and service managers run supervision for the teams they oversee."""
    return user.role in MANAGERS and (obj is None or _oversees(user, obj))


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
    """A manager signs off, changes and files the records of people they oversee, never their own, and only
    when they may see every case the record discusses (the form shows them all)."""
    if not _manages(user, record):
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
    """A session's record is written by the manager who ran it."""
    return user.role in MANAGERS and (booking is None or booking.supervisor_id == user.id)


def _closes_action(user: Staff, action: SupervisionAction | None) -> bool:
    """An action's owner marks it done, or a manager of the owner's team."""
    if action is None:
        return user.role != "admin"
    return action.owner_id == user.id or _manages(user, action.owner)


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
    "supervise": _manages,
    "change_record": _changes_record,
    "acknowledge_record": _acknowledges,
    "record_booking": _records_booking,
    "close_action": _closes_action,
    "view_team_actions": lambda user, obj: user.role in ("team_manager", "service_manager", "qait"),
    "import_data": _imports,
    "resolve_escalations": lambda user, obj: user.role == "service_manager" and (obj is None or _oversees(user, obj)),
    "view_team_dashboard": lambda user, obj: user.role in ("team_manager", "service_manager", "qait")
    and (obj is None or _oversees(user, obj)),
    "pick_team": lambda user, obj: user.role in ("service_manager", "qait"),
    "view_service_dashboard": lambda user, obj: user.role in ("service_manager", "qait"),
    "pick_service": lambda user, obj: user.role == "qait",
    "view_all_teams": lambda user, obj: user.role == "qait",
    "use_api": lambda user, obj: True,
    # Anyone signed in makes, lists and revokes their own API tokens (a token sees only what its account sees);
    # admins list and revoke everyone's, for leavers and leaks, but never see a token itself (only its hash is
    # kept).
    "manage_own_tokens": lambda user, obj: obj is None or getattr(obj, "staff_id", None) == user.id,
    "manage_all_tokens": lambda user, obj: user.role == "admin",
    "manage_policy": lambda user, obj: user.role == "admin",
    "approve_role_grant": _approves_grant,
    "view_service": lambda user, obj: user.role in EVERYONE_READS
    or (isinstance(obj, Service) and user.role == "service_manager" and user.team.service_id == obj.id),
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

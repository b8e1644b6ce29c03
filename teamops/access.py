"""Who may do what, and which rows they may see: the one authorisation mechanism every route uses.

Routes declare a policy with ``@requires("action")``; the sign-in gate refuses any endpoint that declares
none. Object checks call ``authorize(action, obj)``. Lists come from the ``*_in_reach`` queries, which filter
in SQL rather than after loading.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from teamops.org.models import Service, Staff, Team

F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "_teamops_policy"
EVERYONE_READS = ("qait", "admin")


def reach_team_ids(user: Staff) -> Select[tuple[int]] | None:
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


def cases_in_reach(user: Staff) -> Select[tuple[Any]]:
    """Cases whose allocated worker is in reach: a worker's own, a manager's teams', QAIT all; admins none
    (they configure TeamOps but do not read case or record content)."""
    from teamops.supervision.models import Case

    query = select(Case).join(Staff, Staff.id == Case.worker_id)
    if user.role == "admin":
        return query.where(false())
    if user.role == "worker":
        return query.where(Case.worker_id == user.id)
    ids = reach_team_ids(user)
    return query if ids is None else query.where(Staff.team_id.in_(ids))


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
    return user.role in ("team_manager", "service_manager") and (obj is None or _oversees(user, obj))


def _reads_records(user: Staff, obj: Any) -> bool:
    if user.role == "admin":
        return False
    return obj is None or _oversees(user, obj)


POLICIES: dict[str, Callable[[Staff, Any], bool]] = {
    "signed_in": lambda user, obj: True,
    "manage_organisation": lambda user, obj: user.role == "admin",
    "view_audit": lambda user, obj: user.role == "admin",
    "view_team": lambda user, obj: obj is None or _oversees(user, obj),
    "view_staff": lambda user, obj: obj is None or _oversees(user, obj),
    "view_case": _reads_records,
    "view_record": _reads_records,
    "manage_cases": _manages,
    "supervise": _manages,
    "resolve_escalations": lambda user, obj: user.role == "service_manager" and (obj is None or _oversees(user, obj)),
    "view_team_dashboard": lambda user, obj: user.role in ("team_manager", "service_manager", "qait")
    and (obj is None or _oversees(user, obj)),
    "view_service_dashboard": lambda user, obj: user.role in ("service_manager", "qait"),
    "view_all_teams": lambda user, obj: user.role == "qait",
    "use_api": lambda user, obj: True,
    "manage_policy": lambda user, obj: user.role == "admin",
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

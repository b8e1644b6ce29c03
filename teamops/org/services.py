"""Every read and write of services, teams and staff. Services flush; the request commits. Audit entries
are captured automatically at flush."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from teamops.api.tokens import revoke_tokens
from teamops.auth.services import cancel_password_links, end_all_sessions, issue_password_link, reset_password
from teamops.dates import today
from teamops.extensions import db
from teamops.notify import notify
from teamops.org import grants
from teamops.org.models import MANAGER_ROLES, Service, Staff, Team
from teamops.reminders.mail import link as mail_link


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(Staff.id).where(func.lower(Staff.email) == normalise_email(email))
    if except_id is not None:
        query = query.where(Staff.id != except_id)
    return db.session.scalar(query) is not None


def save_service(service: Service | None, name: str, induction_group: str = "other", *,
                 caseload_reviews: bool = False) -> Service:
    """``induction_group``: which part of the induction checklist the service's starters get (R-IND-15);
    ``caseload_reviews``: whether QAIT's monthly caseload review applies to its teams (R-QA-3)."""
    service = service or Service()
    service.name = name.strip()
    service.induction_group = induction_group
    service.caseload_reviews = caseload_reviews
    db.session.add(service)
    db.session.flush()
    return service


def save_team(team: Team | None, *, service_id: int, name: str, office_base: str,
              manager_id: int | None) -> Team:
    team = team or Team()
    team.service_id = service_id
    team.name = name.strip()
    team.office_base = office_base.strip()
    team.manager_id = manager_id
    db.session.add(team)
    db.session.flush()
    return team


def set_team_active(team: Team, active: bool) -> None:
    team.active = active
    db.session.flush()


def save_staff(staff: Staff | None, values: dict[str, Any], requested_by: Staff | None = None) -> Staff:
    """Creates or edits a person. Role and team changes land in the audit trail with before/after. The QAIT
    or admin role is only asked for (``grants.request_role``): the person keeps their role, or is a worker,
    until a second person approves it."""
    staff = staff or Staff()
    for field in ("name", "job_role", "employment_type", "team_id", "line_manager_id",
                  "start_date"):
        setattr(staff, field, values[field])
    if "work_phone" in values:  # the staff form's (the staff import plans its own rows)
        staff.work_phone = values["work_phone"]
    role = values["role"]
    wanted = role if grants.needs_approval(role, staff.role) else None
    staff.role = (staff.role or "worker") if wanted else role
    staff.name = staff.name.strip()
    staff.job_role = staff.job_role.strip()
    staff.email = normalise_email(values["email"])
    db.session.add(staff)
    db.session.flush()
    if wanted:
        grants.request_role(staff, wanted, requested_by)
        db.session.flush()
    return staff


def set_staff_active(staff: Staff, active: bool, on: date | None = None) -> None:
    """A leaver keeps all their history but can no longer sign in: their sessions end at once, and their API
    tokens and unused set-password links stop working for good. Those are revoked and deleted rather than
    merely refused while the account is inactive, so reactivating the account (a returner, a mistaken
    deactivation) gives back the account but not a token or link handed out before: the returner asks for
    new ones."""
    staff.active = active
    staff.left_on = None if active else (on or today())
    if not active:
        end_all_sessions(staff)
        revoke_tokens(staff)
        cancel_password_links(staff)
    db.session.flush()


def send_password_link(staff: Staff, *, reset: bool = False) -> None:
    """Sends the person a set-password link: to them, never to the screen of the admin who asked for it, so
    an admin cannot sign in as anyone. ``reset`` first takes away the password they have and signs them out
    everywhere (``reset_password``)."""
    token = reset_password(staff) if reset else issue_password_link(staff)
    link = mail_link(url_for("auth.set_password", token=token))
    why = "Your TeamOps password was reset, and you were signed out." if reset else "You have a TeamOps account."
    notify(staff, "Set your TeamOps password",
           f"{why} Set your password with this link. It works once, for 72 hours:\n\n{link}\n\n"
           "If you did not expect this, tell your TeamOps administrator.", secret=True)


def _search(query: Any, text: str, show: str, columns: tuple[Any, ...], active: Any) -> Any:
    """Filters a list by text in any of ``columns`` (case-insensitive), and by active, left or all."""
    if text:
        like = f"%{text.strip().lower()}%"
        query = query.where(or_(*(func.lower(column).like(like) for column in columns)))
    if show == "active":
        query = query.where(active.is_(True))
    elif show == "left":
        query = query.where(active.is_(False))
    return query


def search_staff(query: Any, text: str, show: str) -> Any:
    """Staff by name, e-mail or job role, and by active/left."""
    query = _search(query, text, show, (Staff.name, Staff.email, Staff.job_role), Staff.active)
    return query.options(selectinload(Staff.team).selectinload(Team.service)).order_by(Staff.name, Staff.id)


def search_teams(query: Any, text: str, show: str) -> Any:
    """Teams by name, office or service, and by open/closed."""
    query = _search(query.join(Team.service), text, show, (Team.name, Team.office_base, Service.name), Team.active)
    return query.options(selectinload(Team.service), selectinload(Team.manager)).order_by(Service.name, Team.name)


def active_teams() -> list[Team]:
    return list(db.session.scalars(
        select(Team).join(Team.service).where(Team.active.is_(True))
        .options(selectinload(Team.service)).order_by(Service.name, Team.name)
    ))


def active_managers() -> list[Staff]:
    """People who can be a team's manager or someone's line manager: active, not a plain worker."""
    return list(db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.role.in_(MANAGER_ROLES))
        .order_by(Staff.name)
    ))


def active_line_managers() -> list[Staff]:
    return list(db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.role != "worker").order_by(Staff.name)
    ))

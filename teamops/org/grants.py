"""Role grants: the QAIT role reads every record and the admin role changes everything, so giving either
takes two people. One asks (the staff form, the staff import), a second approves or refuses on the Access
changes page (``teamops.access`` "approve_role_grant" says who). Until then the person keeps the role they
have. Every grant and decision is audited (the model is) and told to the person concerned. Services flush;
the request commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.notify import notify
from teamops.org.models import APPROVED_ROLES, ROLE_LABELS, RoleGrant, Staff

RECENT_DECISIONS = 20


def needs_approval(role: str, current: str | None) -> bool:
    """A change to QAIT or admin waits for approval; any other change (including taking either away) does not."""
    return role in APPROVED_ROLES and role != current


def pending_grant(staff: Staff) -> RoleGrant | None:
    return db.session.scalar(select(RoleGrant).where(RoleGrant.staff_id == staff.id, RoleGrant.outcome.is_(None))
                             .order_by(RoleGrant.id.desc()).limit(1))


def request_role(staff: Staff, role: str, requested_by: Staff | None) -> RoleGrant:
    """Asks for ``staff`` to get ``role``. One request per person waits at a time: an earlier one for a
    different role is refused, in the name of whoever asked again (a later request replaces it). ``staff`` may
be a person not yet written (an import's new row); the caller flushes."""
    now = utcnow()
    if staff.id is not None:
        earlier = pending_grant(staff)
        if earlier is not None and earlier.role == role:
            return earlier
        if earlier is not None:
            earlier.outcome, earlier.decided_at = "refused", now
            earlier.decided_by_id = requested_by.id if requested_by is not None else None
    grant = RoleGrant(staff=staff, role=role, requested_by=requested_by, requested_at=now)
    db.session.add(grant)  # the caller flushes: an import adds the grant before the new person is written
    label = ROLE_LABELS[role]
    asker = requested_by.name if requested_by is not None else "A staff import"
    notify(staff, f"TeamOps: the {label} role was asked for you",
           f"{asker} asked for you to have the {label} role in TeamOps. It takes effect only when a second "
           "person approves it; until then your role stays as it is.")
    return grant


def decide(grant: RoleGrant, decided_by: Staff, approve: bool) -> None:
    """Approves (the person gets the role, if they still work here) or refuses (their role stays)."""
    grant.outcome = "approved" if approve else "refused"
    grant.decided_by_id, grant.decided_at = decided_by.id, utcnow()
    label = ROLE_LABELS[grant.role]
    if approve and grant.staff.active:
        grant.staff.role = grant.role
    db.session.flush()
    if approve:
        notify(grant.staff, f"TeamOps: you now have the {label} role",
               f"{decided_by.name} approved the {label} role for you in TeamOps. It applies from your next page.")
    else:
        notify(grant.staff, f"TeamOps: the {label} role was not approved",
               f"{decided_by.name} refused the {label} role for you in TeamOps. Your role stays as it was.")


def pending_grants() -> list[RoleGrant]:
    return list(db.session.scalars(
        select(RoleGrant).where(RoleGrant.outcome.is_(None))
        .options(selectinload(RoleGrant.staff), selectinload(RoleGrant.requested_by))
        .order_by(RoleGrant.requested_at, RoleGrant.id)))


def recent_decisions() -> list[RoleGrant]:
    return list(db.session.scalars(
        select(RoleGrant).where(RoleGrant.outcome.is_not(None))
        .options(selectinload(RoleGrant.staff), selectinload(RoleGrant.requested_by),
                 selectinload(RoleGrant.decided_by))
        .order_by(RoleGrant.decided_at.desc(), RoleGrant.id.desc()).limit(RECENT_DECISIONS)))

"""Disagreements about a case's next action, escalated to the team's own service manager, or to the head of
service when the team has none (R-SUP-7, R-ORG-1): the queue of those not yet resolved that come to the person,
and the resolution they record."""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import contains_eager, joinedload

from teamops.access import can, escalated_team_ids
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records.models import CaseDiscussion, SupervisionRecord

RECENTLY_RESOLVED = 10


def _escalations(user: Staff) -> Select[tuple[CaseDiscussion]]:
    query = (select(CaseDiscussion).join(SupervisionRecord, SupervisionRecord.id == CaseDiscussion.record_id)
             .join(Staff, Staff.id == SupervisionRecord.worker_id).where(CaseDiscussion.disagreement.is_(True)))
    if not can("resolve_escalations", user=user):
        return query.where(false())
    ids = escalated_team_ids(user)
    query = query.where(false()) if ids is None else query.where(Staff.team_id.in_(ids))
    record = contains_eager(CaseDiscussion.record)  # joined above, as is its worker
    return query.options(  # each row's case, record, people and team: all many-to-one, in the one query
        joinedload(CaseDiscussion.case),
        joinedload(CaseDiscussion.resolved_by),
        record.contains_eager(SupervisionRecord.worker).joinedload(Staff.team),
        record.joinedload(SupervisionRecord.supervisor),
    )


def open_escalations(user: Staff) -> list[CaseDiscussion]:
    """Unresolved disagreements that come to this person, oldest session first."""
    return list(db.session.scalars(_escalations(user).where(CaseDiscussion.resolved_at.is_(None))
                                   .order_by(CaseDiscussion.held_on, CaseDiscussion.id)))


def recently_resolved(user: Staff) -> list[CaseDiscussion]:
    return list(db.session.scalars(_escalations(user).where(CaseDiscussion.resolved_at.is_not(None))
                                   .order_by(CaseDiscussion.resolved_at.desc()).limit(RECENTLY_RESOLVED)))


def resolve(discussion: CaseDiscussion, user: Staff, resolution: str) -> bool:
    """Records the resolution; False when it was already resolved (nothing changes)."""
    if discussion.resolved_at is not None or not discussion.disagreement:
        return False
    discussion.resolution = resolution.strip()
    discussion.resolved_at = utcnow()
    discussion.resolved_by = user
    db.session.flush()
    return True


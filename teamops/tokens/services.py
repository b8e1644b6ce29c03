"""The lists the API tokens pages show. Writes are in ``teamops.api.tokens``; these are the reads that need care:
a stable order, the owner loaded in the same query, and what "working" means at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, not_, or_, select
from sqlalchemy.orm import contains_eager

from teamops.api.models import ApiToken
from teamops.extensions import db
from teamops.org.models import Staff

NEWEST_FIRST = (ApiToken.created_at.desc(), ApiToken.id.desc())


def _working(now: datetime) -> Any:
    return and_(ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)


def own_tokens(staff: Staff) -> Select[tuple[ApiToken]]:
    """Every token of ``staff``, revoked and expired ones too (so the owner sees when each stopped)."""
    return select(ApiToken).where(ApiToken.staff_id == staff.id).order_by(*NEWEST_FIRST)


def working_label_taken(staff: Staff, label: str, now: datetime) -> bool:
    """Whether ``staff`` has a working token with this label: two would be impossible to tell apart in the
    list or to revoke one by label. A stopped token's label may be used again for its replacement."""
    return db.session.scalar(select(ApiToken.id).where(
        ApiToken.staff_id == staff.id, ApiToken.label == label, _working(now)).limit(1)) is not None


def all_tokens(text: str, show: str, now: datetime) -> Select[tuple[ApiToken]]:
    """Every account's tokens with their owners (joined, so a page costs the same however long it is),
    searched by owner name, e-mail or label, and by ``show``: ``working``, ``stopped`` (revoked or expired) or
    ``all``."""
    query = select(ApiToken).join(Staff, Staff.id == ApiToken.staff_id).options(contains_eager(ApiToken.staff))
    if text.strip():
        like = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(Staff.name).like(like), func.lower(Staff.email).like(like),
                                func.lower(ApiToken.label).like(like)))
    if show == "working":
        query = query.where(_working(now))
    elif show == "stopped":
        query = query.where(not_(_working(now)))
    return query.order_by(*NEWEST_FIRST)

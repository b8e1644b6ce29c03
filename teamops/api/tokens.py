"""API tokens: made by ``create-token``, checked on every bearer request.

Only the SHA-256 of a token is stored, so a copy of the database gives nobody a working token. The token is a
long random secret, so a plain hash (not a slow password hash) is enough and lets a request find its row by
index. A token acts for its account with that account's current role and reach, and stops working the moment
the account is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from teamops.api.models import ApiToken
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff

TOKEN_PREFIX = "teamops_"  # noqa: S105 - not a secret: lets secret scanners recognise a leaked token
LABEL_MAX = 100
LAST_USED_GRANULARITY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(staff: Staff, label: str = "") -> str:
    """A new token for ``staff``; the caller shows it once, as it cannot be recovered later."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(staff_id=staff.id, token_hash=digest(token), label=label))
    db.session.commit()
    return token


def staff_for_token(token: str) -> Staff | None:
    """The active account a token belongs to, or None.

    ``last_used_at`` is written at most once a minute, and with a bulk UPDATE rather than by changing a loaded row:
    using a token is a read, like a session's last-seen time, and would otherwise add a row to the change
    audit trail every minute a reporting tool polls.
    """
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, Staff)
        .join(Staff, Staff.id == ApiToken.staff_id)
        .where(ApiToken.token_hash == digest(token))
    ).first()
    if row is None or not row.Staff.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        db.session.commit()
    staff: Staff = row.Staff
    return staff

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

from flask import Request
from sqlalchemy import select, update

from teamops.api.models import ApiToken
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff

TOKEN_PREFIX = "teamops_"  # noqa: S105 - not a secret: lets secret scanners recognise a leaked token
LABEL_MAX = 100
API_PREFIX = "/api/v1"
LAST_USED_GRANULARITY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(staff: Staff, label: str = "") -> str:
    """A new token for ``staff``; the caller shows it once, as it cannot be recovered later."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(staff_id=staff.id, token_hash=digest(token), label=label))
    db.session.flush()
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
    staff: Staff = row.Staff
    return staff


def sends_credentials(request: Request) -> bool:
    """A reporting API request with an ``Authorization`` header: the header decides who is asking, whatever
    the session cookie says."""
    return request.path.startswith(API_PREFIX + "/") and "Authorization" in request.headers


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header on a reporting API request, else None."""
    if not sends_credentials(request):
        return None
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def load_bearer(request: Request) -> Staff | None:
    """Flask-Login's request loader: the account of a valid bearer token, for this request only."""
    token = bearer_token(request)
    return staff_for_token(token) if token is not None else None

"""API tokens: made by ``create-token`` or on the API tokens page, checked on every bearer request, revoked by
their owner, an admin, ``revoke-token`` or the owner's deactivation.

Only the SHA-256 of a token is stored, so a copy of the database gives nobody a working token. The token is a
long random secret, so a plain hash (not a slow password hash) is enough and lets a request find its row by
index. A token acts for its account with that account's current role and reach, and stops working the moment
the account is deactivated, the token is revoked or it expires. Every token expires (by default a year after it
was made, at most a year ahead), so a token copied into a forgotten spreadsheet does not work for ever.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from flask import Request
from sqlalchemy import bindparam, select, update

from teamops.access import Holder
from teamops.api.models import ApiToken
from teamops.dates import add_months, start_of_day, today, utcnow
from teamops.extensions import db
from teamops.org.models import Staff

TOKEN_PREFIX = "teamops_"  # noqa: S105 - not a secret: lets secret scanners recognise a leaked token
LABEL_MAX = 100
API_PREFIX = "/api/v1"
LAST_USED_GRANULARITY = timedelta(minutes=1)
LIFETIME_MONTHS = 12  # the default lifetime of a token, and the furthest ahead its expiry may be set


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def latest_expiry_date() -> date:
    """The furthest-ahead expiry date a token may be given: a year from today."""
    return add_months(today(), LIFETIME_MONTHS)


def expiry_problem(day: date) -> str | None:
    """Why ``day`` cannot be a token's expiry date, or None. A token stops working at the start of that day
    (England), so it must be a day after today, and at most a year ahead."""
    if day <= today():
        return "The expiry date must be after today"
    latest = latest_expiry_date()
    if day > latest:
        return f"The expiry date must be no later than {latest.isoformat()}, a year from today"
    return None


def issue_token(staff: Staff, label: str = "", expires_on: date | None = None) -> tuple[str, ApiToken]:
    """A new token for ``staff`` and its row; the caller shows the token once, as it cannot be recovered later.

    With ``expires_on`` (already checked by ``expiry_problem``) it stops working at the start of that day;
    without, a year after now.
    """
    now = utcnow()
    if expires_on is not None:
        expires_at = start_of_day(expires_on)
    else:
        expires_at = datetime.combine(add_months(now.date(), LIFETIME_MONTHS), now.timetz())
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(staff_id=staff.id, token_hash=digest(token), label=label, created_at=now, expires_at=expires_at)
    db.session.add(row)
    db.session.flush()
    return token, row


def create_token(staff: Staff, label: str = "", expires_on: date | None = None) -> str:
    """``issue_token`` for callers that need only the token."""
    return issue_token(staff, label, expires_on)[0]


def revoke_token(token: ApiToken) -> bool:
    """Stops one token working. False when it was already revoked (revoking twice keeps the first time).
    The row is changed, not deleted, so the change is in the audit trail and the lists still show it."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    return True


def revoke_tokens(staff: Staff, label: str | None = None) -> list[ApiToken]:
    """Revokes every token of ``staff`` not yet revoked (expired ones too), or only those labelled ``label``;
    returns what it revoked, oldest first."""
    query = select(ApiToken).where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
    if label is not None:
        query = query.where(ApiToken.label == label)
    tokens = list(db.session.scalars(query.order_by(ApiToken.created_at, ApiToken.id)))
    for token in tokens:
        revoke_token(token)
    return tokens


def staff_for_token(token: str) -> Staff | None:
    """The active account a token belongs to, or None: also for a revoked or expired token, which answers
    exactly as a token that never existed does.

    ``last_used_at`` is written at most once a minute, and with a bulk UPDATE rather than by changing a loaded row:
    using a token is a read, like a session's last-seen time, and would otherwise add a row to the change
    audit trail every minute a reporting tool polls.
    """
    now = utcnow()
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, Staff)
        .join(Staff, Staff.id == ApiToken.staff_id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
    ).first()
    if row is None or not row.Staff.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    staff: Staff = row.Staff
    return staff


# Sent on every API request answered from a kept copy: built once, as plain SQL (teamops.kept, which may join
# the data versions to it).
_TOKENS, _STAFF = ApiToken.__table__, Staff.__table__
TOKEN_HOLDER = (select(_TOKENS.c.last_used_at, _STAFF.c.id, _STAFF.c.role, _STAFF.c.team_id, _STAFF.c.active)
                .join(_STAFF, _STAFF.c.id == _TOKENS.c.staff_id)
                .where(_TOKENS.c.token_hash == bindparam("digest"), _TOKENS.c.revoked_at.is_(None),
                       _TOKENS.c.expires_at > bindparam("now")))


def token_parameters(token: str) -> dict[str, Any]:
    """What ``TOKEN_HOLDER`` asks about for this token."""
    return {"digest": digest(token), "now": utcnow()}


def token_holder(row: Any) -> Holder | None:
    """The active account of a token, from its ``TOKEN_HOLDER`` row, as ``staff_for_token`` finds it but without
    loading it, when using the token writes nothing (it was last used under a minute ago); None when the full
    check must run."""
    if (row is None or not row.active or row.last_used_at is None
            or utcnow() - row.last_used_at >= LAST_USED_GRANULARITY):
        return None
    return Holder(row.id, row.role, row.team_id)


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

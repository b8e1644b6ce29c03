"""Sign-in, sessions and passwords: every write the auth pages make."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import joinedload, undefer

from teamops.access import Holder
from teamops.api.tokens import sends_credentials
from teamops.audit.services import record_event
from teamops.auth import holding, throttle
from teamops.auth.models import PasswordToken, UserSession
from teamops.auth.passwords import hash_password, needs_rehash, verify_password
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import EMAIL_MAX, Staff, Team

SESSION_KEY = "sid"
PASSWORD_LINK_HOURS = 72
LAST_SEEN_GRANULARITY = timedelta(minutes=1)
TYPED = "typed: "
ACTOR_LABEL_MAX = 254  # audit_events.actor_label


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignInResult:
    staff: Staff | None
    throttled: bool = False


def typed_address(email: str) -> str:
    """The address typed at sign-in as accounts store theirs (trimmed, lower-case), and no longer than an
    address can be, so the same account is counted however it was typed and a huge paste never reaches
    the throttle or the trail."""
    return email.strip().lower()[:EMAIL_MAX]


def typed_label(email: str) -> str:
    """The "who" of a failed sign-in: only what was typed, marked so, since nobody proved who they are."""
    return f"{TYPED}{typed_address(email)}"[:ACTOR_LABEL_MAX]


def _record_refusals(keys: list[throttle.Key], where: str, *, actor_id: int | None, actor_label: str) -> None:
    """One audit entry per locked key and window: the first refusal is worth recording, the next hundred from
    the same script are not."""
    for key in keys:
        if throttle.first_refusal(key):
            record_event("throttled", f"{where} refused: {key.limit} failures for {key.scope} within "
                         f"{throttle.WINDOW_MINUTES} minutes (recorded once per window)",
                         actor_id=actor_id, actor_label=actor_label)


def authenticate(email: str, password: str, address: str | None) -> SignInResult:
    """Checks credentials under throttling. Never says which of e-mail and password was wrong.

    A failure is audited against the typed address, never the account it names: typing someone's e-mail is
    not being them. The account, when there is one, is the event's subject. The password is never recorded.
    """
    typed = typed_address(email)
    keys = [throttle.account_key(typed), throttle.address_key(address)]
    locked = throttle.locked(keys)
    if locked:
        _record_refusals(locked, "sign-in", actor_id=None, actor_label=typed_label(typed))
        return SignInResult(None, throttled=True)
    staff = db.session.scalar(select(Staff).where(Staff.email == typed))
    password_hash = staff.password_hash if staff is not None else None
    if not verify_password(password_hash, password) or staff is None or not staff.active:
        throttle.record_failure(keys)
        record_event("sign_in_failed", f"failed sign-in for {typed}", actor_label=typed_label(typed),
                     entity="staff" if staff is not None else None,
                     entity_id=staff.id if staff is not None else None)
        return SignInResult(None)
    if password_hash is not None and needs_rehash(password_hash):
        staff.password_hash = hash_password(password)
    throttle.clear(keys[0])
    return SignInResult(staff)


def check_current_password(staff: Staff, password: str) -> Literal["right", "wrong", "throttled"]:
    """The current password, asked again before a change, under the sign-in throttle for the account: a
    session left open must not let whoever sits down at it guess the password without limit. The route
    commits, so a wrong guess counts and is audited."""
    key = throttle.account_key(staff.email)
    locked = throttle.locked([key])
    if locked:
        _record_refusals(locked, "password change", actor_id=staff.id, actor_label=staff.email)
        return "throttled"
    if not verify_password(staff.password_hash, password):
        throttle.record_failure([key])
        record_event("password_failed", f"wrong current password when changing the password of {staff.email}",
                     actor_id=staff.id, actor_label=staff.email, entity="staff", entity_id=staff.id)
        return "wrong"
    throttle.clear(key)
    return "right"


def prune_expired_sessions(now: datetime | None = None) -> int:
    """Deletes every account's sessions that are idle or older than the limits allow; returns how many.

    Such a row can never be used again (``check_session`` refuses it), but one whose browser simply went away
    stays in the table until something deletes it: a copy of the database would show who was signed in when,
    and the table would grow for ever. Called on each sign-in, so no scheduled job is needed; it is one DELETE,
    and cheap because pruning keeps the table down to the sessions that can still be used.
    """
    now = now or utcnow()
    config = current_app.config["TEAMOPS"]
    result = db.session.execute(delete(UserSession).where(or_(
        UserSession.last_seen_at < now - timedelta(minutes=config.idle_timeout_minutes),
        UserSession.created_at < now - timedelta(hours=config.absolute_timeout_hours))))
    return int(getattr(result, "rowcount", 0) or 0)


def start_session(staff: Staff, how: str = "", sso: tuple[str | None, str | None] = (None, None)) -> None:
    """A fresh session for this sign-in: nothing from before it survives (no session fixation), not even the
    form token this request cached. A session from single sign-on keeps the provider's ``sso`` session id and
    subject (teamops.auth.sso, for its back-channel logout). The new session's form token is made here, so the
    cookie set by the sign-in already carries it and no page has to set the cookie again (teamops.kept keeps pages
    only for a session that has its token). Expired sessions of every account are pruned first, and forms held
    through a sign-on longer than they may be (teamops.auth.holding)."""
    prune_expired_sessions()
    holding.prune()
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_digest(token), staff_id=staff.id, sso_sid=sso[0], sso_sub=sso[1]))
    session[SESSION_KEY] = token
    session.permanent = False
    generate_csrf()
    login_user(staff)
    record_event("sign_in", f"{staff.email} signed in" + (f" with {how}" if how else ""), actor_id=staff.id,
                 actor_label=staff.email)


def _current_row() -> UserSession | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))


def _ends_at(row: Any) -> datetime:
    """When the session ends if nothing more happens: idle time-out or absolute limit, whichever is first."""
    config = current_app.config["TEAMOPS"]
    idle: datetime = row.last_seen_at + timedelta(minutes=config.idle_timeout_minutes)
    limit: datetime = row.created_at + timedelta(hours=config.absolute_timeout_hours)
    return min(idle, limit)


def check_session(staff: Staff, activity: bool = True) -> str:
    """``"ended"`` when the session was ended elsewhere, or is idle or older than the limits allow (its row
    is deleted); ``"refreshed"`` when its last-seen time was moved on (at most once a minute); else
    ``"valid"``. A request that is not someone's activity (a dashboard polling in the background) checks
    the session without keeping it alive. The request commits whatever changed."""
    row = _current_row()
    if row is None or row.staff_id != staff.id:
        return "ended"
    now = utcnow()
    if now > _ends_at(row):
        db.session.delete(row)
        db.session.flush()
        return "ended"
    if activity and now - row.last_seen_at >= LAST_SEEN_GRANULARITY:
        row.last_seen_at = now
        db.session.flush()
        return "refreshed"
    return "valid"


# Sent on every request for a kept page: built once, as plain SQL (teamops.kept, which may join the data
# versions to it, so one statement answers both).
_SESSIONS, _STAFF = UserSession.__table__, Staff.__table__
SESSION_HOLDER = (select(_SESSIONS.c.staff_id, _SESSIONS.c.last_seen_at, _SESSIONS.c.created_at, _STAFF.c.role,
                         _STAFF.c.team_id, _STAFF.c.active)
                  .join(_STAFF, _STAFF.c.id == _SESSIONS.c.staff_id)
                  .where(_SESSIONS.c.token_hash == bindparam("digest")))


def session_parameters() -> dict[str, Any] | None:
    """What ``SESSION_HOLDER`` asks about for this request's session; None without one."""
    token = session.get(SESSION_KEY)
    return {"digest": _digest(token)} if token and session.get("_user_id") else None


def session_holder(row: Any, activity: bool = True) -> Holder | None:
    """The account of this request's session, from its ``SESSION_HOLDER`` row, when ``check_session`` would find
    it valid and write nothing: its last-seen time moved on under a minute ago (or the request is not activity).
    None when the full check must run: no session, or one to end or to refresh."""
    if row is None or not row.active or str(row.staff_id) != session.get("_user_id"):
        return None
    now = utcnow()
    if now > _ends_at(row) or (activity and now - row.last_seen_at >= LAST_SEEN_GRANULARITY):
        return None
    return Holder(row.staff_id, row.role, row.team_id)


def seconds_left() -> int:
    """Whole seconds until this session ends if nothing more happens (0 when it has ended)."""
    row = _current_row()
    return 0 if row is None else max(0, int((_ends_at(row) - utcnow()).total_seconds()))


def end_session(staff: Staff | None) -> None:
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))
    if staff is not None:
        record_event("sign_out", f"{staff.email} signed out", actor_id=staff.id, actor_label=staff.email)
    logout_user()
    session.clear()


def end_all_sessions(staff: Staff) -> None:
    """Signs this person out everywhere (deactivation, password change)."""
    db.session.execute(delete(UserSession).where(UserSession.staff_id == staff.id))


def change_password(staff: Staff, new_password: str) -> None:
    """Sets a new password and ends every other session; the current one is replaced by a new one."""
    staff.password_hash = hash_password(new_password)
    end_all_sessions(staff)
    db.session.flush()


def cancel_password_links(staff: Staff) -> None:
    """Deletes this person's unused set-password links (a new link replaces them; deactivation ends them, so
    that reactivating the account later does not bring an old link back to life)."""
    db.session.execute(delete(PasswordToken).where(PasswordToken.staff_id == staff.id,
                                                   PasswordToken.used_at.is_(None)))


def issue_password_link(staff: Staff, now: datetime | None = None) -> str:
    """A one-time set-password token, valid for 72 hours; earlier unused links stop working."""
    now = now or utcnow()
    cancel_password_links(staff)
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordToken(token_hash=_digest(token), staff_id=staff.id,
                                 expires_at=now + timedelta(hours=PASSWORD_LINK_HOURS)))
    db.session.flush()
    return token


def reset_password(staff: Staff) -> str:
    """For someone who lost their password: it stops working, they are signed out everywhere, and they get a
    fresh set-password link (returned, for sending to them and to nobody else)."""
    staff.password_hash = None
    end_all_sessions(staff)
    token = issue_password_link(staff)
    record_event("password_reset", f"password of {staff.email} reset; a set-password link was sent to them",
                 entity="staff", entity_id=staff.id)
    return token


def find_password_link(token: str) -> PasswordToken | None:
    row = db.session.scalar(select(PasswordToken).where(PasswordToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at < utcnow() or not row.staff.active:
        return None
    return row


def use_password_link(link: PasswordToken, new_password: str) -> None:
    link.used_at = utcnow()
    link.staff.password_hash = hash_password(new_password)
    end_all_sessions(link.staff)
    db.session.flush()


def load_staff(staff_id: str) -> Staff | None:
    """Flask-Login's user loader: the account a session belongs to. A reporting API request that sends its
    own credentials is not signed in by the cookie (``teamops.api.tokens.load_bearer`` decides). The person's
    team and service come with them: the reach checks and most pages read them."""
    if not staff_id.isdigit() or sends_credentials(request):
        return None
    return db.session.get(Staff, int(staff_id), options=[joinedload(Staff.team).joinedload(Team.service),
                                                          undefer(Staff.has_reports), undefer(Staff.has_covers)])

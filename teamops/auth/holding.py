"""Holding a kept form on the server through a single sign-on round trip (teamops.auth.keeping does it without one).

The password form carries what was typed as hidden fields, but signing in at the council's provider leaves
TeamOps and comes back with nothing but a code. What was typed can be tens of kilobytes, far beyond a cookie,
and the browser may come back to another worker or app server: so it waits in the database (``held_forms``),
under a random key that only this browser's session holds (the table has its SHA-256). It is read once, by the
sign-in it was held for, and never after 15 minutes. Its content is never logged or audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, session
from sqlalchemy import delete, func, select

from teamops.auth.models import HeldForm
from teamops.dates import utcnow
from teamops.extensions import db

HELD_KEY = "held_form"  # in the session cookie while the browser is at the provider: the key of its held form
HOLD_MINUTES = 15
HOLD = timedelta(minutes=HOLD_MINUTES)
# Anyone can open the sign-in page and post to it, so what the table can hold is bounded: a form of up to 1 MB of
# text (a half-written record is a few tens of kB) and 200 forms at once across the site (200 MB at most). Past
# either, the sign-on goes ahead without holding (and the log says so, never what was typed).
MOST_HELD_CHARACTERS = 1_000_000
MOST_HELD = 200


@dataclass(frozen=True)
class Held:
    """A held form, back: where it was sent and its fields as typed, in order."""

    path: str
    fields: list[tuple[str, str]]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def hold(path: str, fields: list[tuple[str, str]]) -> bool:
    """Holds the form for this browser's sign-on; False when it is too big, or too many are held already. The
    caller has dropped the form this session held before (a session holds one at a time); every form older than
    15 minutes goes as this one is stored, so the table never fills up."""
    now = utcnow()
    prune(now)
    size = sum(len(name) + len(value) for name, value in fields)
    if size > MOST_HELD_CHARACTERS or (db.session.scalar(select(func.count(HeldForm.id))) or 0) >= MOST_HELD:
        current_app.logger.warning("A form of %d characters was not held through single sign-on: too big, or %d "
                                   "held already", size, MOST_HELD)
        return False
    key = secrets.token_urlsafe(32)
    db.session.add(HeldForm(key_hash=_digest(key), path=path, fields=[[name, value] for name, value in fields],
                            created_at=now))
    db.session.flush()
    session[HELD_KEY] = key
    return True


def key_from_session() -> str | None:
    """The key of this browser's held form, taken out of the session: whatever happens next, it is used once."""
    key = session.pop(HELD_KEY, None)
    return key if isinstance(key, str) else None


def take(key: str | None) -> Held | None:
    """The form held under ``key``, deleted as it is read (one statement, so two requests cannot both have it);
    None when there is none: never held, already used, or older than 15 minutes."""
    if not key:
        return None
    row = db.session.execute(delete(HeldForm).where(HeldForm.key_hash == _digest(key))
                             .returning(HeldForm.path, HeldForm.fields, HeldForm.created_at)).first()
    if row is None or row.created_at < utcnow() - HOLD:
        return None
    return Held(row.path, [(str(name), str(value)) for name, value in row.fields])


def drop(key: str | None) -> None:
    """Deletes the form held under ``key`` unread (the sign-in it was held for did not happen)."""
    if key:
        db.session.execute(delete(HeldForm).where(HeldForm.key_hash == _digest(key)))


def prune(now: datetime | None = None) -> None:
    """Deletes every held form older than 15 minutes: called on each sign-in, as expired sessions are, so none
    outlives the next sign-in by anyone even when no other form is held after it."""
    db.session.execute(delete(HeldForm).where(HeldForm.created_at < (now or utcnow()) - HOLD))

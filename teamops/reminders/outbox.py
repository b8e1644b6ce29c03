"""One-off messages that are never lost (issue 15 items 1, 2, 5 and 7).

``queue`` adds the message to ``mail_outbox`` in the transaction of the change that causes it (it does not
flush: an import builds its rows with autoflush off, and the message goes in with everything else). When that
transaction commits, the message's id is handed to the request (or the command), which sends it once the page is
done (``send_queued``). A message that could not be sent then (the relay refused the address or was down, or the
process died first) is sent by the next ``send-reminders`` run (``deliver_due``), up to ``MAX_ATTEMPTS`` times.
Every attempt first claims the row (``UPDATE … SET state = 'sending', run_id = …`` on rows not already claimed,
committed), so two processes never send one message at the same time. Sending uses a session of its own, so it
never commits anything the page left uncommitted. Sent messages are deleted after ``KEEP_SENT``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import ColumnElement, and_, delete, event, inspect, or_, select, update
from sqlalchemy.orm import Session, joinedload

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.reminders.mail import Mail, Mailer, Refused, RelayDown
from teamops.reminders.models import (
    ERROR_MAX,
    FAILED,
    LINE_MAX,
    PENDING,
    SENDING,
    SENT,
    STALE_AFTER,
    OutboxMail,
)

# A message still pending this long after it was written was not sent by its request (the process died first):
# the next run sends it.
LEFT_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 7  # a week of daily runs: then it stays failed (and logged), and stops holding up the rest
KEEP_SENT = timedelta(days=30)  # a sent message's words are kept this long, then deleted
_SESSION_KEY = "teamops.outbox"

Delivered = tuple[int, list[str], str | None]  # how many were sent, the addresses refused, why the relay failed


def queue(person: Staff, subject: str, text: str, invitation: tuple[str, bytes] | None = None) -> None:
    """A message for ``person``, sent once the current transaction commits."""
    row = OutboxMail(staff=person, subject=subject[:LINE_MAX], text=text, created_at=utcnow(), state=PENDING,
                     attempts=0, invitation_method=invitation[0] if invitation else None,
                     invitation=invitation[1] if invitation else None)
    db.session.add(row)
    db.session.info.setdefault(_SESSION_KEY, []).append(row)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    rows = session.info.pop(_SESSION_KEY, None)
    if rows and has_app_context():
        ids = [key.identity[0] for key in map(inspect, rows) if key.identity]  # known without a query
        g.setdefault("outbox_ids", []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)  # rolled back: those rows are gone, and nothing is sent


def send_queued(response: Any = None) -> Any:
    """After a request (or at the end of a command): sends what it queued and committed. Nothing that goes wrong
    here fails the page: what is not sent is sent by the next run."""
    ids = g.pop("outbox_ids", None)
    if db.session.info.get(_SESSION_KEY):  # a page that queued a message but never committed its change
        current_app.logger.error("Messages queued but never committed, so not sent: %s",
                                 request.endpoint if has_request_context() else "a command")
    if ids:
        try:
            with Session(db.engine) as session:
                deliver(session, _claim(session, and_(OutboxMail.id.in_(ids), OutboxMail.state == PENDING)))
        except Exception:  # the change is committed: never turn it into an error page
            current_app.logger.exception("Messages %s left for the next send-reminders run", ids)
    return response


def discard_queued() -> int:
    """Deletes what this command queued and committed, unsent (the demo's fictional people): how many."""
    ids = g.pop("outbox_ids", None)
    if not ids:
        return 0
    with Session(db.engine) as session:
        gone = session.execute(delete(OutboxMail).where(OutboxMail.id.in_(ids), OutboxMail.state == PENDING))
        session.commit()
    return int(getattr(gone, "rowcount", 0) or 0)


def deliver_due(now: datetime) -> Delivered:
    """The run's part: messages that failed (fewer than ``MAX_ATTEMPTS`` times), were left pending by their
    request, or were claimed by a process that died; and sent messages older than ``KEEP_SENT`` are deleted."""
    with Session(db.engine) as session:
        session.execute(delete(OutboxMail).where(OutboxMail.state == SENT, OutboxMail.sent_at < now - KEEP_SENT))
        session.commit()
        due = or_(and_(OutboxMail.state == FAILED, OutboxMail.attempts < MAX_ATTEMPTS),
                  and_(OutboxMail.state == PENDING, OutboxMail.created_at < now - LEFT_AFTER),
                  and_(OutboxMail.state == SENDING, OutboxMail.claimed_at < now - STALE_AFTER))
        return deliver(session, _claim(session, due, now))


def _claim(session: Session, which: ColumnElement[bool], now: datetime | None = None) -> list[OutboxMail]:
    run_id, now = uuid.uuid4().hex, now or utcnow()
    session.execute(update(OutboxMail).where(which)
                    .values(state=SENDING, run_id=run_id, claimed_at=now, attempts=OutboxMail.attempts + 1)
                    .execution_options(synchronize_session=False))
    session.commit()
    return list(session.scalars(select(OutboxMail).where(OutboxMail.run_id == run_id, OutboxMail.state == SENDING)
                                .options(joinedload(OutboxMail.staff)).order_by(OutboxMail.id)))


def deliver(session: Session, rows: Sequence[OutboxMail]) -> Delivered:
    """Sends the claimed rows, each marked sent or failed and committed one by one."""
    sent, refused, down = 0, list[str](), None
    if not rows:
        return sent, refused, down
    with Mailer() as mailer:
        for row in rows:
            person = row.staff
            if down is not None:
                _mark(row, FAILED, down)
            elif not person.active:  # left since: nothing to send, and nothing to try again
                _mark(row, SENT, "Not sent: the account is no longer active", utcnow())
            else:
                invitation = (row.invitation_method, row.invitation) \
                    if row.invitation_method and row.invitation else None
                try:
                    mailer.send(Mail(person.name, person.email, row.subject, row.text, invitation=invitation))
                except Refused as failed:
                    refused.append(person.email)
                    _mark(row, FAILED, str(failed))
                    current_app.logger.warning("Mail to %s not sent (tried again next run): %s", person.email, failed)
                except RelayDown as failed:
                    down = str(failed)
                    _mark(row, FAILED, down)
                    current_app.logger.warning("Mail not sent (tried again next run): %s", failed)
                else:
                    sent += 1
                    _mark(row, SENT, None, utcnow())
            if row.state == FAILED and row.attempts >= MAX_ATTEMPTS:
                current_app.logger.error("Mail to %s given up after %s attempts: %s", person.email, row.attempts,
                                         row.last_error)
            session.commit()
    return sent, refused, down


def _mark(row: OutboxMail, state: str, error: str | None, sent_at: datetime | None = None) -> None:
    row.state, row.last_error, row.sent_at = state, error[:ERROR_MAX] if error else None, sent_at

"""One-off messages that are never lost or sent twice (issue 15 items 1, 2, 5 and 7).

``queue`` writes the message to ``mail_outbox`` in the transaction of the change that causes it: a change rolled
back sends nothing. When that transaction commits, the message's id is handed to the request, which sends it once
the page is done (``deliver_committed``, after the request). A message its request could not send (the relay
refused the address or was down, or the process died) is sent by the next ``send-reminders`` run
(``deliver_due``). Every attempt first claims the row (``UPDATE … SET state = 'sending', run_id = …`` on rows not
already claimed, committed), so two processes never send one message twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import ColumnElement, and_, event, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
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
_SESSION_KEY = "teamops.outbox"


def queue(person: Staff, subject: str, text: str, invitation: tuple[str, bytes] | None = None) -> None:
    """A message for ``person``, sent once the current transaction commits."""
    row = OutboxMail(staff=person, subject=subject[:LINE_MAX], text=text, created_at=utcnow(), state=PENDING,
                     invitation_method=invitation[0] if invitation else None,
                     invitation=invitation[1] if invitation else None)
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(_SESSION_KEY, []).append(row.id)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    ids = session.info.pop(_SESSION_KEY, None)
    if ids and has_request_context():
        g.setdefault("outbox_ids", []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)  # rolled back: those rows are gone, and nothing is sent


def deliver_committed(response: Any) -> Any:
    """After a request: sends what it queued and committed. A relay that fails leaves the rest to the next run and
    never fails the page."""
    ids = g.pop("outbox_ids", None)
    if db.session.info.get(_SESSION_KEY):  # a page that queued a message but never committed its change
        current_app.logger.error("Messages queued but never committed, so not sent: %s", request.endpoint)
    if ids:
        try:
            deliver(_claim(and_(OutboxMail.id.in_(ids), OutboxMail.state == PENDING)))
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Messages %s left for the next send-reminders run", ids)
    return response


def deliver_due(now: datetime) -> tuple[int, list[str], str | None]:
    """The run's part: messages that failed, were left pending by their request, or were claimed by a process that
    died. Returns how many were sent, the addresses refused and why the relay could not be used (or None)."""
    return deliver(_claim(or_(OutboxMail.state == FAILED,
                              and_(OutboxMail.state == PENDING, OutboxMail.created_at < now - LEFT_AFTER),
                              and_(OutboxMail.state == SENDING, OutboxMail.claimed_at < now - STALE_AFTER)), now))


def _claim(which: ColumnElement[bool], now: datetime | None = None) -> list[OutboxMail]:
    run_id, now = uuid.uuid4().hex, now or utcnow()
    db.session.execute(update(OutboxMail).where(which)
                       .values(state=SENDING, run_id=run_id, claimed_at=now, attempts=OutboxMail.attempts + 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.run_id == run_id, OutboxMail.state == SENDING)
                                   .options(joinedload(OutboxMail.staff)).order_by(OutboxMail.id)))


def deliver(rows: Sequence[OutboxMail]) -> tuple[int, list[str], str | None]:
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
                _mark(row, SENT, "Not sent: the account is no longer active")
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
            db.session.commit()
    return sent, refused, down


def _mark(row: OutboxMail, state: str, error: str | None, sent_at: datetime | None = None) -> None:
    row.state, row.last_error, row.sent_at = state, error[:ERROR_MAX] if error else None, sent_at

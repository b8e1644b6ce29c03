"""The daily reminder run (``flask --app wsgi teamops send-reminders``, issue 15 item 2).

1. Gather what is owed today from every source.
2. Claim it: insert one row per person and reminder, skipping any that exists (the unique constraint on person
   and key decides between two runs at once, on SQLite and PostgreSQL alike); take back the claims whose send
   failed before and those a dead run left behind. Committed before anything is sent.
3. Send each person one digest of everything this run holds for them; mark it sent (or failed, with the reason),
   committed person by person, so one bad address never stops the others and a relay that is down leaves the
   rest for the next run.
4. Send the one-off messages (decisions, chases, invitations) that their own request could not send.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import render_template
from sqlalchemy import Insert, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from teamops.extensions import db
from teamops.org.models import Staff
from teamops.reminders import inbox, outbox, sources
from teamops.reminders.mail import Mail, Mailer, Refused, RelayDown, link
from teamops.reminders.models import (
    CLAIMED,
    ERROR_MAX,
    FAILED,
    SENT,
    STALE_AFTER,
    WEEKLY,
    ReminderPreference,
    ReminderSend,
)

BATCH = 500


@dataclass
class RunResult:
    reminders: int = 0  # reminders sent
    mails: int = 0  # digests sent
    messages: int = 0  # one-off messages sent from the outbox (their first try had failed)
    refused: list[str] = field(default_factory=list)  # addresses the relay refused
    relay_down: str | None = None  # why nothing more could be sent

    @property
    def ok(self) -> bool:
        return not self.refused and self.relay_down is None


def _insert_new() -> Insert:
    """INSERT … ON CONFLICT (staff_id, key) DO NOTHING, in the database's own words."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement: Insert = dialect.insert(ReminderSend).on_conflict_do_nothing(index_elements=["staff_id", "key"])
    return statement


def claim(owed: Sequence[sources.Reminder], on: date, now: datetime, run_id: str) -> None:
    """Claims what is owed (new rows only) and takes back failed and stale claims, for this run."""
    rows = [{"staff_id": r.staff_id, "key": r.key, "category": r.category, "line": r.line, "path": r.path,
             "day": on, "state": CLAIMED, "run_id": run_id, "claimed_at": now, "attempts": 1} for r in owed]
    for start in range(0, len(rows), BATCH):
        db.session.execute(_insert_new(), rows[start:start + BATCH])
    db.session.execute(
        update(ReminderSend)
        .where(or_(ReminderSend.state == FAILED,
                   and_(ReminderSend.state == CLAIMED, ReminderSend.claimed_at < now - STALE_AFTER)))
        .values(state=CLAIMED, run_id=run_id, claimed_at=now, attempts=ReminderSend.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()


def digest(person: Staff, rows: Sequence[ReminderSend], on: date) -> Mail:
    """One e-mail listing everything this run holds for the person, by category, each with its link."""
    grouped: dict[str, list[ReminderSend]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (list(sources.CATEGORY_HEADINGS).index(r.category)
                                           if r.category in sources.CATEGORY_HEADINGS else 99, r.id)):
        grouped[row.category].append(row)
    sections = [(sources.CATEGORY_HEADINGS.get(category, category.title()),
                 [(row.line, link(row.path)) for row in items]) for category, items in grouped.items()]
    count = len(rows)
    subject = f"TeamOps: {count} thing{'s' if count != 1 else ''} for you to do ({on:%-d %B %Y})"
    values = {"person": person, "sections": sections, "on": on, "home": link("/")}
    return Mail(person.name, person.email, subject, render_template("reminders/digest.txt", **values),
                render_template("reminders/digest.html", **values))


def send_reminders(on: date, now: datetime) -> RunResult:
    """The day's digests, then any one-off message whose first try failed (``outbox.deliver_due``)."""
    result = _send_digests(on, now)
    if result.relay_down is None:
        result.messages, refused, result.relay_down = outbox.deliver_due(now)
        result.refused.extend(refused)
    return result


def _send_digests(on: date, now: datetime) -> RunResult:
    run_id = uuid.uuid4().hex
    preferences = {row.staff_id: row for row in db.session.scalars(select(ReminderPreference))}
    owed = [reminder for reminder in sources.due_on(on) if not _held_for_monday(reminder, preferences, on)]
    claim(owed, on, now, run_id)
    _to_inbox(run_id, now)
    held = list(db.session.scalars(select(ReminderSend).where(ReminderSend.run_id == run_id,
                                                               ReminderSend.state == CLAIMED)
                                   .order_by(ReminderSend.staff_id, ReminderSend.id)))
    by_person: dict[int, list[ReminderSend]] = defaultdict(list)
    for row in held:
        by_person[row.staff_id].append(row)
    people = {person.id: person for person in db.session.scalars(select(Staff).where(Staff.id.in_(by_person)))}
    result = RunResult()
    with Mailer() as mailer:
        for staff_id, rows in by_person.items():
            person = people[staff_id]
            if result.relay_down is not None:
                _mark(rows, FAILED, result.relay_down)
                continue
            if not person.active:  # left since: nothing to send, and nothing to try again
                _mark(rows, SENT, "Not sent: the account is no longer active")
                continue
            choice = preferences.get(staff_id)
            quiet = [row for row in rows if choice is not None and row.category in choice.off
                     and sources.is_coming(row.key)]
            if quiet:  # in TeamOps only, as the person chose
                _mark(quiet, SENT, None, now)
                rows = [row for row in rows if row not in quiet]
                if not rows:
                    db.session.commit()
                    continue
            try:
                mailer.send(digest(person, rows, on))
            except Refused as refused:
                result.refused.append(person.email)
                _mark(rows, FAILED, str(refused))
            except RelayDown as down:
                result.relay_down = str(down)
                _mark(rows, FAILED, str(down))
            else:
                result.mails += 1
                result.reminders += len(rows)
                _mark(rows, SENT, None, now)
            db.session.commit()
    db.session.commit()
    return result


def _held_for_monday(reminder: sources.Reminder, preferences: dict[int, ReminderPreference], on: date) -> bool:
    """A reminder of something coming, for someone who wants them weekly, waits for Monday's run."""
    choice = preferences.get(reminder.staff_id)
    return choice is not None and choice.digest == WEEKLY and on.weekday() != 0 and sources.is_coming(reminder.key)


def _to_inbox(run_id: str, now: datetime) -> None:
    """What this run claimed for the first time joins each person's notifications (a retry adds nothing)."""
    new = db.session.execute(select(ReminderSend.staff_id, ReminderSend.line, ReminderSend.path).where(
        ReminderSend.run_id == run_id, ReminderSend.state == CLAIMED, ReminderSend.attempts == 1))
    inbox.add_many(((staff_id, line, path) for staff_id, line, path in new), now)
    db.session.commit()


def _mark(rows: Sequence[ReminderSend], state: str, error: str | None, sent_at: datetime | None = None) -> None:
    for row in rows:
        row.state, row.last_error, row.sent_at = state, error[:ERROR_MAX] if error else None, sent_at

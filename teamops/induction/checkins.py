"""Buddy check-ins (R-IND-14): the ones the timetable expects, which are met, which were missed (flagged from
the working day after), logging one, and the concerns that wait for the manager. Services flush."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from teamops import dates
from teamops.extensions import db, flush_unique
from teamops.induction.buddy_models import InductionCheckin
from teamops.induction.models import Induction
from teamops.org.models import Staff


class AlreadyLogged(Exception):
    """The buddy already logged a check-in with this starter on that day: the request rolls back, says so."""


@dataclass(frozen=True)
class Expected:
    on: date
    met_by: InductionCheckin | None
    missed: bool  # unmet, and the working day after it has come

    @property
    def flagged_from(self) -> date:
        return dates.next_working_day(self.on + timedelta(days=1))


def expected_dates(induction: Induction) -> list[date]:
    return sorted({day.on_date for day in induction.days if day.kind == "buddy_checkin"})


def matched(induction: Induction, logged: Sequence[InductionCheckin], on: date) -> list[Expected]:
    """Each expected check-in, met by the first check-in not yet used that was held after the one before it and
    on or before it (so a late one counts for the next, and back-dating one clears a missed flag)."""
    remaining = sorted(logged, key=lambda c: (c.held_on, c.id or 0))
    found, previous = [], date.min
    for expected in expected_dates(induction):
        match = next((c for c in remaining if previous < c.held_on <= expected), None)
        if match is not None:
            remaining.remove(match)
        missed = match is None and on >= dates.next_working_day(expected + timedelta(days=1))
        found.append(Expected(expected, match, missed))
        previous = expected
    return found


def checkins_of(induction: Induction) -> list[InductionCheckin]:
    return list(db.session.scalars(select(InductionCheckin).where(InductionCheckin.induction_id == induction.id)
                                   .order_by(InductionCheckin.held_on, InductionCheckin.id)))


def log_checkin(induction: Induction, buddy: Staff, *, held_on: date, mode: str, doing: int, notes: str,
                concern: str) -> InductionCheckin:
    """Logs the check-in; AlreadyLogged when this buddy has logged one with the starter that day, which the
    database's unique constraint decides (two sends of the form at once both find none before either writes)."""
    checkin = InductionCheckin(induction=induction, buddy=buddy, held_on=held_on, mode=mode, doing=doing,
                               notes=notes.strip() or None, concern=concern.strip() or None)
    db.session.add(checkin)
    flush_unique(AlreadyLogged(f"A check-in of {held_on:%-d %B %Y} is already logged"),
                 "uq_induction_checkins_buddy_day", "induction_checkins.held_on")
    return checkin


def same_as_logged(induction: Induction, buddy: Staff, form: Any) -> bool:
    """Whether the check-in this buddy already logged that day says what ``form`` says: the same form sent twice
    (a double click, a retry), not a second check-in."""
    logged = db.session.scalar(select(InductionCheckin).where(
        InductionCheckin.induction_id == induction.id, InductionCheckin.buddy_id == buddy.id,
        InductionCheckin.held_on == form.held_on.data))
    concern = (form.concern.data or "").strip() if form.raise_concern.data else ""
    return logged is not None and (logged.mode, logged.doing, logged.notes or "", logged.concern or "") == (
        form.mode.data or "", int(form.doing.data or 3), (form.notes.data or "").strip(), concern)


def mark_seen(checkin: InductionCheckin, by: Staff, response: str) -> None:
    checkin.concern_seen_at, checkin.concern_seen_by = dates.utcnow(), by
    checkin.concern_response = response.strip() or None
    db.session.flush()


def open_concerns(inductions: Select[tuple[Induction]]) -> Select[tuple[InductionCheckin, Induction]]:
    """Concerns not yet seen, on the given inductions (a reach query joined to the starter)."""
    return (inductions.add_columns(InductionCheckin).join(InductionCheckin,
                                                          InductionCheckin.induction_id == Induction.id)
            .where(InductionCheckin.concern.is_not(None), InductionCheckin.concern_seen_at.is_(None))
            .order_by(InductionCheckin.held_on))

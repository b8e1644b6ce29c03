"""The checklist of a running induction, its review and its sign-off (R-IND-13, R-IND-15): ticking an item done,
confirming it, marking it not applicable, taking any of those back, recording the review and signing the
induction off. Who may do each is access.py's; the rules about dates and states are here. Services flush; the
request commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, union

from teamops import dates
from teamops.extensions import db
from teamops.induction.models import Induction, InductionItem
from teamops.org.models import Staff

EARLIEST_YEAR = 2000
COMMENT_MAX = 500


@dataclass(frozen=True)
class Outcome:
    """What a press did: ``changed`` false when the item was already in that state (a second tab, a double
    click), with the message that says so."""

    changed: bool
    message: str


def date_problem(item: InductionItem, done_on: date) -> str | None:
    """Why ``done_on`` cannot be the day this item was done: in the future, before 2000, or before day 1 for an
    item that is not one of the before-the-start tasks."""
    if done_on > dates.today():
        return "The date done cannot be in the future"
    if done_on.year < EARLIEST_YEAR:
        return f"Enter a date from {EARLIEST_YEAR} onwards"
    starts_on = item.induction.starts_on
    if item.deadline != "before_start" and done_on < starts_on:
        return f"This item cannot be done before day 1 of the induction ({starts_on:%-d %B %Y})"
    return None


def tick(item: InductionItem, by: Staff, done_on: date, comment: str | None, *, confirms: bool) -> Outcome:
    """Marks the item done on ``done_on`` (checked with ``date_problem`` first). Whoever may confirm it (the
    manager; business support for an office item) confirms it in the same press: they need not confirm their
    own tick."""
    if item.na_reason is not None:
        return Outcome(False, f"That item is marked not applicable: {item.title}")
    if item.done_on is not None:
        return Outcome(False, f"That item was already done: {item.title}")
    item.done_on, item.done_by_id, item.done_at = done_on, by.id, dates.utcnow()
    item.comment = (comment or "").strip() or None
    if confirms and item.confirmer != "starter":
        _confirm(item, by)
    db.session.flush()
    return Outcome(True, f"Done: {item.title}")


def confirm(item: InductionItem, by: Staff) -> Outcome:
    """Confirms an item the manager or business support confirms; an item nobody ticked yet is done today by
    whoever confirms it."""
    if item.confirmer == "starter":
        return Outcome(False, f"That item needs no confirmation: {item.title}")
    if item.na_reason is not None:
        return Outcome(False, f"That item is marked not applicable: {item.title}")
    if item.confirmed_on is not None:
        return Outcome(False, f"That item was already confirmed: {item.title}")
    if item.done_on is None:
        item.done_on, item.done_by_id, item.done_at = dates.today(), by.id, dates.utcnow()
    _confirm(item, by)
    db.session.flush()
    return Outcome(True, f"Confirmed: {item.title}")


def _confirm(item: InductionItem, by: Staff) -> None:
    item.confirmed_on, item.confirmed_by_id, item.confirmed_at = dates.today(), by.id, dates.utcnow()


def mark_not_applicable(item: InductionItem, by: Staff, reason: str) -> Outcome:
    """Not applicable, with the reason (the manager's call: the route checks who). A tick already made is
    replaced: an item is done or not applicable, never both."""
    if item.na_reason is not None:
        return Outcome(False, f"That item was already marked not applicable: {item.title}")
    _clear_done(item)
    item.na_reason, item.na_by_id, item.na_at = reason.strip(), by.id, dates.utcnow()
    db.session.flush()
    return Outcome(True, f"Not applicable: {item.title}")


def can_undo(item: InductionItem, user_id: int, runs: bool) -> bool:
    """Whoever runs the induction takes back a tick, a confirmation or "not applicable" at any time before
    sign-off; anyone else only their own last press, the same day (a slip of the finger)."""
    if not item.induction.is_open:
        return False
    if item.na_reason is not None:
        return runs
    if item.done_on is None:
        return False
    if runs:
        return True
    last_by, last_at = ((item.confirmed_by_id, item.confirmed_at) if item.confirmed_on is not None
                        else (item.done_by_id, item.done_at))
    return last_by == user_id and last_at is not None and dates.london_date(last_at) == dates.today()


def undo(item: InductionItem) -> Outcome:
    """Takes back the last step: "not applicable"; a confirmation of someone else's tick (back to "to confirm");
    or the tick itself (back to open)."""
    if item.na_reason is not None:
        item.na_reason = item.na_by_id = item.na_at = None
        message = f"No longer marked not applicable: {item.title}"
    elif item.confirmed_on is not None and item.confirmed_by_id != item.done_by_id:
        item.confirmed_on = item.confirmed_by_id = item.confirmed_at = None
        message = f"Confirmation taken back: {item.title}"
    elif item.done_on is not None:
        _clear_done(item)
        message = f"Open again: {item.title}"
    else:
        return Outcome(False, f"That item is already open: {item.title}")
    db.session.flush()
    return Outcome(True, message)


def _clear_done(item: InductionItem) -> None:
    item.done_on = item.done_by_id = item.done_at = item.comment = None
    item.confirmed_on = item.confirmed_by_id = item.confirmed_at = None


def tick_automatic(induction: Induction, automatic: str, by: Staff | None,
                   on: date | None = None) -> list[InductionItem]:
    """Ticks the items that tick themselves when something happens elsewhere: ``"buddy_named"`` (A6, when a buddy
    is named) and ``"review_recorded"`` (B14). They are done (and confirmed) on ``on``, default today, by
    whoever made it happen. Items already done or not applicable are left as they are; so is a finished
    induction."""
    if not induction.is_open:
        return []
    when = on or dates.today()
    ticked = []
    for item in induction.items:
        if item.automatic == automatic and item.done_on is None and item.na_reason is None:
            item.done_on, item.done_by_id, item.done_at = when, by.id if by else None, dates.utcnow()
            if item.confirmer != "starter":
                item.confirmed_on, item.confirmed_by_id, item.confirmed_at = when, item.done_by_id, item.done_at
            ticked.append(item)
    db.session.flush()
    return ticked


def review_problem(induction: Induction, held_on: date) -> str | None:
    if held_on > dates.today():
        return "The date of the review cannot be in the future"
    if held_on < induction.starts_on:
        return f"The review cannot be before day 1 of the induction ({induction.starts_on:%-d %B %Y})"
    return None


def record_review(induction: Induction, by: Staff, held_on: date, notes: str) -> None:
    """The review meeting (R-IND-13), checked with ``review_problem`` first; it ticks "Induction reviewed with
    your manager" by itself. Recording it again (a correction) replaces it."""
    induction.review_held_on, induction.review_notes, induction.reviewed_by_id = held_on, notes.strip(), by.id
    tick_automatic(induction, "review_recorded", by, held_on)


def still_open(induction: Induction) -> list[str]:
    """What stops sign-off: the review, then each item that must be resolved and is not (optional items never
    hold an induction up), by its place in the checklist."""
    found = [] if induction.review_held_on is not None else ["The review is not recorded"]
    for item in induction.items:
        if item.requirement != "optional" and not item.resolved:
            found.append(f"{item.title} (to confirm)" if item.done_on is not None else item.title)
    return found


def sign_off(induction: Induction, by: Staff) -> list[str]:
    """Signs the induction off today, or returns what is still open (nothing is written then). A signed-off
    induction is a record: nothing in it changes afterwards."""
    refusals = still_open(induction)
    if refusals:
        return refusals
    induction.signed_off_on, induction.signed_off_by_id, induction.signed_off_at = (
        dates.today(), by.id, dates.utcnow())
    db.session.flush()
    return []


def names_for(induction_ids: list[int]) -> dict[int, str]:
    """The names of everyone who ticked, confirmed, marked or reviewed anything in these inductions: one
    statement, however many items."""
    if not induction_ids:
        return {}
    items = InductionItem.induction_id.in_(induction_ids)
    who = union(select(InductionItem.done_by_id).where(items), select(InductionItem.confirmed_by_id).where(items),
                select(InductionItem.na_by_id).where(items),
                select(Induction.reviewed_by_id).where(Induction.id.in_(induction_ids))).subquery()
    rows = db.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(select(who.c.done_by_id)))).all()
    return {staff_id: name for staff_id, name in rows}

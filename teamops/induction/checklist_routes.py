"""An induction's checklist, review and sign-off (R-IND-13): ticking, confirming, marking not applicable and
taking each back, with or without JavaScript (htmx swaps the item's row; without it the form posts and the page
comes back at its checklist with a banner); recording the review; signing the induction off."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from teamops import dates
from teamops.access import authorize, can, requires, signed_in
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.induction import bp, checklist, reading
from teamops.induction.checklist_forms import DoneFields, NotApplicableForm, ReviewForm, done_fields
from teamops.induction.models import Induction, InductionItem
from teamops.org.models import Staff, Team
from teamops.web import form_status, get_or_404, render, see_other, wants_fragment


def _item(item_id: int) -> InductionItem:
    return get_or_404(InductionItem, item_id, options=(
        joinedload(InductionItem.induction).joinedload(Induction.staff).joinedload(Staff.team),))


def _posted(item_id: int, policy: str) -> InductionItem:
    """The item a row's button was pressed for, when this person may do that to it."""
    item = _item(item_id)
    authorize(policy, item)
    if not ActionForm().validate_on_submit():
        abort(400)
    return item


@bp.context_processor
def _checklist_helpers() -> dict[str, Any]:
    """What the checklist's rows read besides their item, on the induction page and in a row sent alone: each
    helper runs only when a row or the review block calls it."""
    return {"item_state": reading.item_state, "checklist_names": _names, "still_open": checklist.still_open,
            "undoable": _undoable, "done_form": _done_form}


def _names(induction: Induction) -> dict[int, str]:
    return checklist.names_for([induction.id])


def _undoable(item: InductionItem) -> bool:
    return can("tick_induction_item", item) and checklist.can_undo(item, current_user.id,
                                                                   can("run_induction", item.induction))


def _done_form(item: InductionItem, failed: DoneFields | None = None) -> DoneFields:
    """The row's "done on another day" fields: as sent back with their errors, or empty."""
    return failed if failed is not None and failed._prefix == f"item-{item.id}-" else done_fields(item.id)


def _answer(item: InductionItem, outcome: checklist.Outcome | None, fields: DoneFields | None = None,
            status: int = 200) -> Any:
    """htmx: the item's row, with the checklist's count out of band. Without JavaScript: back to the page's
    checklist with a banner; or a form sent back with its errors, on a page of its own."""
    induction = item.induction
    if wants_fragment():
        return render("induction/_item_row.html", item=item, induction=induction, on=dates.today(),
                      names=_names(induction), failed=fields, oob_progress=True, status=status)
    if fields is not None:
        return render("induction/item_done.html", item=item, induction=induction, form=fields, status=status)
    if outcome is not None:
        flash(outcome.message, "success" if outcome.changed else "info")
    if not can("view_induction", induction):  # the team's business-support contact: back to their office list
        return see_other(url_for("induction.office"))
    return see_other(url_for("induction.show", induction_id=induction.id, _anchor="checklist"))


@bp.route("/inductions/office")
@requires("view_office_items")
def office() -> Any:
    """The office items (badge, office and health and safety inductions, ...) of the starters in the teams whose
    business-support contact this person is, still to do or to confirm: the contact confirms them here without
    reading the rest of the induction."""
    items = list(db.session.scalars(
        select(InductionItem).join(Induction, Induction.id == InductionItem.induction_id)
        .join(Staff, Staff.id == Induction.staff_id).join(Team, Team.id == Staff.team_id)
        .where(Team.business_support_id == current_user.id, Induction.staff_id != current_user.id,
               Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None),
               InductionItem.confirmer == "business_support", InductionItem.na_reason.is_(None),
               or_(InductionItem.done_on.is_(None), InductionItem.confirmed_on.is_(None)))
        .options(contains_eager(InductionItem.induction).contains_eager(Induction.staff))
        .order_by(InductionItem.due_on, Staff.name, InductionItem.position)))
    names = checklist.names_for(sorted({item.induction_id for item in items}))
    return render("induction/office.html", items=items, names=names, on=dates.today())


@bp.route("/inductions/items/<int:item_id>/done", methods=["POST"])
@requires("tick_induction_item")
def item_done(item_id: int) -> Any:
    """A tick, today or on the date given, with an optional comment."""
    item = _posted(item_id, "tick_induction_item")
    fields = done_fields(item.id, posted=True)
    if fields.validate():
        done_on = fields.done_on.data or dates.today()
        problem = checklist.date_problem(item, done_on)
        if problem is None:
            outcome = checklist.tick(item, signed_in(), done_on, fields.comment.data,
                                     confirms=can("confirm_induction_item", item))
            db.session.commit()
            return _answer(item, outcome)
        fields.done_on.errors = [problem]
    return _answer(item, None, fields, 400)


@bp.route("/inductions/items/<int:item_id>/undo", methods=["POST"])
@requires("tick_induction_item")
def item_undo(item_id: int) -> Any:
    """Takes back the last step: the same day for whoever pressed it, at any time for the manager."""
    item = _posted(item_id, "tick_induction_item")
    if item.done_on is None and item.na_reason is None:
        outcome = checklist.Outcome(False, f"That item is already open: {item.title}")
    elif checklist.can_undo(item, current_user.id, can("run_induction", item.induction)):
        outcome = checklist.undo(item)
        db.session.commit()
    else:
        outcome = checklist.Outcome(False, f"That can no longer be taken back here: ask the manager. {item.title}")
    return _answer(item, outcome)


@bp.route("/inductions/items/<int:item_id>/confirm", methods=["POST"])
@requires("confirm_induction_item")
def item_confirm(item_id: int) -> Any:
    item = _posted(item_id, "confirm_induction_item")
    outcome = checklist.confirm(item, signed_in())
    db.session.commit()
    return _answer(item, outcome)


@bp.route("/inductions/items/<int:item_id>/not-applicable", methods=["GET", "POST"])
@requires("run_induction")
def item_na(item_id: int) -> Any:
    """Not applicable, with the reason: the manager's call (a starter with no family allocated yet, say)."""
    item = _item(item_id)
    authorize("run_induction", item.induction)
    form = NotApplicableForm()
    if form.validate_on_submit():
        outcome = checklist.mark_not_applicable(item, signed_in(), form.reason.data or "")
        db.session.commit()
        return _answer(item, outcome)
    return render("induction/item_na.html", form=form, item=item, induction=item.induction, status=form_status())


def _load(induction_id: int) -> Induction:
    return get_or_404(Induction, induction_id, options=(
        joinedload(Induction.staff).joinedload(Staff.team), selectinload(Induction.items)))


@bp.route("/inductions/<int:induction_id>/review", methods=["GET", "POST"])
@requires("run_induction")
def review(induction_id: int) -> Any:
    """The review meeting (R-IND-13): its date and notes. Recording it ticks "Induction reviewed"."""
    induction = _load(induction_id)
    authorize("run_induction", induction)
    form = ReviewForm()
    if request.method == "GET":
        form.held_on.data, form.notes.data = induction.review_held_on or dates.today(), induction.review_notes
    if form.validate_on_submit():
        assert form.held_on.data is not None
        problem = checklist.review_problem(induction, form.held_on.data)
        if problem is None:
            checklist.record_review(induction, signed_in(), form.held_on.data, form.notes.data or "")
            db.session.commit()
            flash(f"The review of {induction.staff.name}'s induction is recorded.", "success")
            return see_other(url_for("induction.show", induction_id=induction.id, _anchor="review"))
        form.held_on.errors = [problem]
    return render("induction/review.html", form=form, induction=induction, status=form_status())


@bp.route("/inductions/<int:induction_id>/sign-off", methods=["POST"])
@requires("run_induction")
def sign_off(induction_id: int) -> Any:
    """Signs the induction off once the review is recorded and every item that must be is resolved; otherwise
    back to the page, which lists what is still open."""
    induction = _load(induction_id)
    authorize("run_induction", induction)
    if not ActionForm().validate_on_submit():
        abort(400)
    still_open = checklist.sign_off(induction, signed_in())
    if still_open:
        count = len(still_open)
        flash(f"{induction.staff.name}'s induction is not signed off: {count} "
              f"{'thing is' if count == 1 else 'things are'} still open (listed under Review and sign-off).", "info")
    else:
        db.session.commit()
        flash(f"{induction.staff.name}'s induction is signed off. It stays here as a record.", "success")
    return see_other(url_for("induction.show", induction_id=induction.id, _anchor="review"))

"""The forms of an induction's checklist, its review and its sign-off. The rules about dates are
``teamops.induction.checklist``'s; the routes put its messages next to the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from teamops.forms import LONG_TEXT, DateInputField
from teamops.induction.checklist import COMMENT_MAX
from teamops.induction.models import REASON_MAX


class DoneFields(FlaskForm):
    """A tick with its date (today when left blank) and a comment. It sits in each row of the checklist, so each
    row's fields carry the item's prefix (their ids stay unique on the page), and the CSRF token travels in the
    row's own button-only form instead."""

    class Meta:
        csrf = False

    done_on = DateInputField("Date done (optional)", validators=[Optional()])
    comment = StringField("Comment (optional)", validators=[
        Length(max=COMMENT_MAX, message=f"Keep the comment to {COMMENT_MAX} characters")])


def done_fields(item_id: int, posted: bool = False) -> DoneFields:
    """The row's fields: as sent (``posted``), or empty."""
    prefix = f"item-{item_id}-"
    return DoneFields(prefix=prefix) if posted else DoneFields(formdata=None, prefix=prefix)


class NotApplicableForm(FlaskForm):
    reason = StringField("Why does this item not apply?", validators=[
        DataRequired("Say why the item does not apply"),
        Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX} characters")])


class ReviewForm(FlaskForm):
    held_on = DateInputField("Date of the review meeting", validators=[InputRequired("Enter the date of the review")])
    notes = TextAreaField("Notes of the review", validators=[
        DataRequired("Enter the notes of the review"),
        Length(max=LONG_TEXT, message=f"Keep the notes to {LONG_TEXT} characters")])

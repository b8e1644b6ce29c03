"""Form building blocks shared by every domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField
from wtforms.validators import ValidationError

from teamops.dates import parse_iso_date, today
from teamops.types import MAX_ID

LONG_TEXT = 5000  # characters in a record's or an oversight entry's free text


class ActionForm(FlaskForm):
    """An empty form: carries only the CSRF token, for button-only actions."""


class WholeNumberField(IntegerField):
    """A whole number with one plain message for anything else ("four", "1.5"), given as ``invalid``: so a field
    has one error, not WTForms' "Not a valid integer value." and then a range message."""

    def __init__(self, *args: Any, invalid: str = "Enter a whole number", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            text = str(valuelist[0]).strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 6:
                raise ValueError(self.invalid)
            self.data = int(text)


class IsoDateField(StringField):
    """A date typed or picked as YYYY-MM-DD, with plain messages for impossible dates like 2026-02-30."""

    data: date | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_iso_date(self.raw)
            except ValueError as error:
                self.data = None
                raise ValueError(str(error)) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data.isoformat() if self.data else ""


def year_between(years: tuple[int, int]) -> Any:
    """A date within ``years`` (one of the ranges in teamops.dates)."""
    low, high = years

    def check(form: FlaskForm, field: Field) -> None:
        if field.data and not low <= field.data.year <= high:
            raise ValidationError(f"Enter a date between {low} and {high}")

    return check


def not_in_future(message: str = "The date cannot be in the future") -> Any:
    """A date that has happened by today (teamops.dates' clock): an allocation, a closure, a session held."""

    def check(form: FlaskForm, field: Field) -> None:
        if field.data and field.data > today():
            raise ValidationError(message)

    return check


def check_date_range(first: date | None, last: date | None, longest_days: int, too_long: str) -> None:
    """A last day on or after the first, less than ``longest_days`` later (a cover, an absence)."""
    if last is None or first is None:
        return
    if last < first:
        raise ValidationError("The last day must be the same as or after the first day")
    if (last - first).days >= longest_days:
        raise ValidationError(too_long)


NO_ROW = -1  # an id no row has: what a number too large for an id column becomes, so it is "not found"


def whole_number(value: Any) -> int:
    """Select values as ids: blank is 0 ("none chosen"); anything else that is not a whole number an id column
    can hold becomes ``NO_ROW``, so it is refused with a message instead of a crash (``isdigit`` alone would
    pass ``²``, which ``int`` refuses)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return NO_ROW
    return id_number(text)


def id_number(value: Any) -> int:
    """``coerce`` for a select field of ids: ``int``, except that a number no id column can hold becomes
    ``NO_ROW``. Left as it was, PostgreSQL failed the whole query with it ("integer out of range"); as an id
    no row has, the form's own check refuses it with its message ("Choose an active worker…")."""
    number = int(value)
    return number if -MAX_ID - 1 <= number <= MAX_ID else NO_ROW


class IdField(IntegerField):
    """An id in a hidden field or the address (a booking's, say), as ``id_number`` reads it."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = id_number(self.data)

"""Form building blocks shared by every domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from teamops.dates import parse_iso_date, today

LONG_TEXT = 5000  # characters in a record's or an oversight entry's free text


class ActionForm(FlaskForm):
    """An empty form: carries only the CSRF token, for button-only actions."""


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


def whole_number(value: Any) -> int:
    """Select values as ids: blank is 0 ("none chosen"); anything else that is not a whole number becomes -1,
    which no row has, so it is refused with a message instead of a crash."""
    text = "" if value is None else str(value).strip()
    if not text:
        return 0
    return int(text) if text.isdigit() and len(text) < 10 else -1

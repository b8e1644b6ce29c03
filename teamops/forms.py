"""Form building blocks shared by every domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField
from wtforms.utils import unset_value
from wtforms.validators import Length, ValidationError

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


LINK_SCHEMES = ("https://", "http://")
PHONE_CHARACTERS = frozenset("0123456789 +()-")


class CountedLength(Length):
    """At most ``max`` characters, and the message says how many were typed (the text is kept on the page, so
    the writer sees how much to cut). A ``Length``, so the page shows GOV.UK's character count."""

    def __call__(self, form: Any, field: Field) -> None:
        typed = len(field.data or "")
        if typed > self.max:
            raise ValidationError(f"{field.label.text} must be {self.max:,} characters or fewer: it has {typed:,}, "
                                  f"{typed - self.max:,} too many")


def link_problem(link: str) -> str | None:
    """Why a web address cannot be a link (only http and https ever become one: never ``javascript:``)."""
    text = link.strip()
    if text and (not text.lower().startswith(LINK_SCHEMES) or len(text) <= len("https://")
                 or any(c.isspace() or not c.isprintable() for c in text)):
        return "Enter a web address that starts with https:// (or http://), or leave it empty"
    return None


def phone_problem(phone: str) -> str | None:
    """Why a phone number is not one: digits (a 5-digit extension, or a full number), spaces, ``+``, brackets
    and dashes only."""
    text = phone.strip()
    if not text:
        return None
    digits = sum(c.isdigit() for c in text)
    if not set(text) <= PHONE_CHARACTERS or not text.isascii():
        return "Enter a phone number in digits, like 50222 or 0116 305 0000, with no letters"
    if digits < 5 or digits > 15:
        return "Enter a phone number of 5 to 15 digits, like 50222 or 0116 305 0000"
    return None


class WebLink:
    """A WTForms validator: ``link_problem`` next to the field."""

    def __call__(self, form: Any, field: Field) -> None:
        problem = link_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class PhoneNumber:
    """A WTForms validator: ``phone_problem`` next to the field."""

    def __call__(self, form: Any, field: Field) -> None:
        problem = phone_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


DATE_PARTS = ("day", "month", "year")
MONTH_NAMES = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}


class DateInputField(StringField):
    """A date in the GOV.UK date input: day, month and year typed in three boxes (``<name>-day``, ``-month``,
    ``-year``), so no browser's language turns 3/12 into 12 March. A single value under the field's own name
    (ISO ``2026-03-31``) is read too: links and filters carry dates that way.

    Messages follow the GOV.UK pattern ("Date held must include a month", "… must be a real date"), and
    ``error_parts`` names the boxes to mark, so the error summary links to the first of them."""

    data: date | None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.parts: dict[str, str] | None = None
        self.error_parts: tuple[str, ...] = DATE_PARTS
        if formdata is not None and self.name not in formdata \
                and any(f"{self.name}-{part}" in formdata for part in DATE_PARTS):
            self.parts = {part: str(formdata.get(f"{self.name}-{part}", "")).strip() for part in DATE_PARTS}
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if self.parts is not None:
            if any(self.parts.values()):
                self.raw_data = ["-".join(self.parts[part] for part in ("year", "month", "day"))]
                self.data = self._from_parts(self.parts)
            return
        text = valuelist[0].strip() if valuelist else ""
        if text:
            self.data = parse_iso_date(text)
        else:  # only spaces: nothing typed, so InputRequired asks for the date (it would let " " through)
            self.raw_data = []

    def _from_parts(self, parts: dict[str, str]) -> date:
        label = self.label.text.removesuffix(" (optional)")
        missing = tuple(part for part in DATE_PARTS if not parts[part])
        if missing:
            self.error_parts = missing
            raise ValueError(f"{label} must include a {' and '.join(missing)}")
        month_text = parts["month"].lower()
        numbers = {part: parts[part] for part in ("day", "year")}
        numbers["month"] = str(MONTH_NAMES.get(month_text, month_text))
        wrong = tuple(part for part in DATE_PARTS if not (numbers[part].isascii() and numbers[part].isdigit()))
        if wrong:
            self.error_parts = wrong
            raise ValueError(f"{label} must be a real date")
        if len(numbers["year"]) != 4 or int(numbers["year"]) < 1:
            self.error_parts = ("year",)
            raise ValueError("Year must include 4 numbers")
        if not 1 <= int(numbers["month"]) <= 12:
            self.error_parts = ("month",)
            raise ValueError(f"{label} must be a real date")
        try:
            return date(int(numbers["year"]), int(numbers["month"]), int(numbers["day"]))
        except ValueError:
            self.error_parts = ("day",)  # the month and year are real: the day is not in that month
            raise ValueError(f"{label} must be a real date") from None

    def part_value(self, part: str) -> str:
        """What a box shows: what was typed, else the date's own day, month or year."""
        if self.parts is not None:
            return self.parts[part]
        if self.data is not None:
            return str(getattr(self.data, part))
        pieces = str(self.raw_data[0]).strip().split("-") if self.raw_data else []  # an ISO value in a link
        return pieces[("year", "month", "day").index(part)] if len(pieces) == 3 else ""

    def boxes(self, year_attributes: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The three boxes for GOV.UK's date input: what each shows, and which are marked as wrong."""
        items = []
        for part, width in (("day", 2), ("month", 2), ("year", 4)):
            wrong = bool(self.errors) and part in self.error_parts
            attributes = dict(year_attributes or {}) if part == "year" else {}
            if wrong:
                attributes["aria-invalid"] = "true"
            items.append({"name": part, "value": self.part_value(part), "attributes": attributes,
                          "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if wrong else "")})
        return items

    @property
    def part_names(self) -> tuple[str, ...]:
        """The boxes' names in a form or an address: what a list's page links carry over."""
        return tuple(f"{self.name}-{part}" for part in DATE_PARTS)

    def error_anchor(self) -> str:
        """The id of the first box with the error, for the error summary's link."""
        return f"{self.id}-{self.error_parts[0]}"

    def _value(self) -> str:
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

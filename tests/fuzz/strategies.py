"""Hypothesis strategies for hostile form values, chosen by each field's WTForms class (issue 16 item 3).

A value is text (a ``str``, possibly with lone surrogates, sent as the bytes a careless client would send), a list
of values for a repeated key, or a file for an upload. ``payload`` draws a whole form: each field sent, missing or
repeated, and unknown extra fields besides."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_wtf.file import FileField
from hypothesis import strategies as st
from wtforms import BooleanField, DateField, Field, FieldList, FormField, IntegerField, SelectFieldBase
from wtforms.fields import SelectMultipleField

from teamops.forms import DateInputField

HUGE = "x" * 100_000
SPECIAL_TEXT = (
    "", " ", "   \t  ", "\n", "\r\n", "\x00", "a\x00b", "\x1b[31mred", "\x7f", "\u0085", "\u2028", "\ufeff",
    "\u202egnp.exe", "\u200b", "\u200f\u202b", "💥", "👩‍👩‍👧‍👦", "Zoë Ñúñez", "ﷺ", "\U0010ffff", "\ud800",
    "a\udfffb", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "=CMD|' /C calc'!A0", "+1+1",
    "@SUM(1)", "'; DROP TABLE staff; --", "%s%s%n", "{{7*7}}", "../../etc/passwd", "null", "None", "[]", "{}",
    "-1", "0", "1e309", "NaN", "9" * 400, HUGE, " " * 5000, "\x00" * 2000,
)
SPECIAL_DATES = (
    "0001-01-01", "9999-12-31", "2026-02-29", "2024-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1",
    "31/12/2026", "12/31/2026", "20261231", "10000-01-01", "-0001-01-01", "0000-00-00",
    "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff10\uff11",  # 2026-01-01 in full-width digits
    "2026-01-01T00:00:00", "2026-01-01\x00", "tomorrow", "", " ",
)
SPECIAL_NUMBERS = (
    "0", "-1", "1", "2147483647", "2147483648", "9223372036854775808", "9" * 40, "1.5", "1e3", "four", "", " 7 ",
    "0x10", "²", "٣", "\uff11\uff12", "+5", "-0", "NaN", "inf",
)
BOOLEAN_VALUES = ("y", "on", "1", "true", "false", "0", "", "n")
DATE_PARTS = ("day", "month", "year")
# Names a view might read without a form field (and some it must ignore), sent as unknown extra fields.
EXTRA_NAMES = ("id", "csrf_token", "role", "status", "_method", "next", "team_id", "confirm", "do", "action",
               "chosen", "to", "back", "seed", "case_id", "auditor_id", "n")


@dataclass(frozen=True)
class Upload:
    """A file sent in a form."""

    content: bytes
    filename: str

    def file(self) -> tuple[io.BytesIO, str]:
        return io.BytesIO(self.content), self.filename


# Any text, with surrogates (sent as the bytes UTF-8 would give them if it allowed them) and control characters.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
control_text = st.text(st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Cs")), max_size=40)
hostile_text = st.one_of(st.sampled_from(SPECIAL_TEXT), any_text, control_text,
                         st.builds(lambda text, n: text * n, st.sampled_from(("é", "a ", "\u202e", "💥")),
                                   st.integers(1, 30_000)))
dates_text = st.one_of(st.sampled_from(SPECIAL_DATES), st.dates(date(1, 1, 1), date(9999, 12, 31)).map(str),
                       st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(str), hostile_text)
number_text = st.one_of(st.sampled_from(SPECIAL_NUMBERS), st.integers().map(str),
                        st.integers(-5, 500).map(str), hostile_text)
csv_cell = st.one_of(st.sampled_from(("", "=1+1", '"', '""', "a,b", "\n", "2026-02-29", "31/12/2026", "CP", "-1",
                                      "worker@example.org", HUGE[:5000])), any_text)
csv_text = st.lists(st.lists(csv_cell, max_size=8).map(lambda row: ",".join(row)), max_size=8).map("\r\n".join)
uploads = st.one_of(
    st.binary(max_size=2000).map(lambda content: Upload(content, "data.csv")),
    csv_text.map(lambda text: Upload(text.encode("utf-8", "surrogatepass"), "data.csv")),
    st.binary(max_size=500).map(lambda content: Upload(b"PK\x03\x04" + content, "data.xlsx")),
    st.tuples(st.binary(max_size=200), st.sampled_from(("", "x.exe", "../../x.csv", "\u202ecsv.exe", "a" * 300)))
    .map(lambda pair: Upload(*pair)),
    st.just(Upload(b"", "empty.csv")),
    st.just(Upload(b"\xef\xbb\xbfstaff_email,name\r\n" + b"a" * 200_000 + b",b\r\n", "huge.csv")),
)


def _choices(field: SelectFieldBase) -> list[str]:
    found: list[str] = []
    try:
        for option in field.iter_choices():
            found.append(str(option[0]))
    except Exception:  # a field whose choices the view sets later: garbage only, then
        return []
    return found


def value_strategy(field: Field) -> st.SearchStrategy[Any]:
    """Hostile values for one field, by its WTForms class (the most specific first)."""
    if isinstance(field, FileField):
        return st.one_of(uploads, hostile_text)
    if isinstance(field, BooleanField):
        return st.one_of(st.sampled_from(BOOLEAN_VALUES), hostile_text)
    if isinstance(field, SelectFieldBase):
        valid = _choices(field)
        one = st.one_of(st.sampled_from(valid), hostile_text) if valid else hostile_text
        if isinstance(field, SelectMultipleField):
            return st.lists(one, max_size=5)
        return one
    if isinstance(field, (DateInputField, DateField)):
        return dates_text
    if isinstance(field, IntegerField):
        return number_text
    return hostile_text


def leaf_fields(fields: dict[str, Field]) -> list[Field]:
    """The fields that take a value, inside form fields and field lists too (their names carry the prefix)."""
    found: list[Field] = []
    for field in fields.values():
        if isinstance(field, FormField):
            found.extend(leaf_fields(dict(field.form._fields)))
        elif isinstance(field, FieldList):
            found.extend(leaf_fields({str(n): entry for n, entry in enumerate(field.entries)}))
        elif field.name != "csrf_token":
            found.append(field)
    return found


@st.composite
def payload(draw: st.DrawFn, fields: list[tuple[str, st.SearchStrategy[Any], bool]]) -> list[tuple[str, Any]]:
    """A form as (name, value) pairs: each field missing, sent once or sent twice, and unknown fields besides.
    A date field is sometimes sent as the GOV.UK date input's three boxes."""
    pairs: list[tuple[str, Any]] = []
    for name, values, is_date in fields:
        how = draw(st.sampled_from(("once", "once", "once", "missing", "twice", "parts" if is_date else "once")))
        if how == "missing":
            continue
        if how == "parts":
            pairs.extend((f"{name}-{part}", draw(number_text)) for part in DATE_PARTS)
            continue
        for _ in range(2 if how == "twice" else 1):
            value = draw(values)
            pairs.extend((name, item) for item in (value if isinstance(value, list) else [value]))
    extra = draw(st.lists(st.tuples(st.one_of(st.sampled_from(EXTRA_NAMES), any_text), hostile_text), max_size=3))
    return pairs + extra

"""Issue 10 item 7: dates typed into GOV.UK's day, month and year boxes, read the same in every browser."""

from __future__ import annotations

from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired

from teamops.forms import DateInputField


class _Form(FlaskForm):
    class Meta:
        csrf = False

    held_on = DateInputField("Date held", validators=[InputRequired("Enter the date held")])


def _read(app, **boxes: str) -> _Form:
    with app.test_request_context():
        form = _Form(MultiDict(boxes))
        form.validate()
        return form


@pytest.mark.parametrize(("day", "month", "year", "expected"), [
    ("3", "12", "2026", date(2026, 12, 3)),  # 3 December, whatever the browser's language
    ("03", "03", "2026", date(2026, 3, 3)),
    (" 31 ", "Mar", "2026", date(2026, 3, 31)),
    ("1", "september", "2027", date(2027, 9, 1)),
    ("29", "2", "2028", date(2028, 2, 29)),
])
def test_the_three_boxes_make_a_date(app, day, month, year, expected):
    form = _read(app, **{"held_on-day": day, "held_on-month": month, "held_on-year": year})
    assert form.held_on.errors == [] and form.held_on.data == expected


@pytest.mark.parametrize(("day", "month", "year", "message", "marked"), [
    ("", "", "", "Enter the date held", ("day", "month", "year")),
    ("3", "", "2026", "Date held must include a month", ("month",)),
    ("", "", "2026", "Date held must include a day and month", ("day", "month")),
    ("30", "2", "2026", "Date held must be a real date", ("day",)),
    ("3", "13", "2026", "Date held must be a real date", ("month",)),
    ("3", "12", "26", "Year must include 4 numbers", ("year",)),
    ("3", "12", "0000", "Year must include 4 numbers", ("year",)),
    ("three", "12", "2026", "Date held must be a real date", ("day",)),
    ("3", "Decembre", "2026", "Date held must be a real date", ("month",)),
    ("3", "12", "\uff12\uff10\uff12\uff16", "Date held must be a real date", ("year",)),  # full-width digits
])
def test_a_wrong_date_says_what_is_wrong_and_marks_that_box(app, day, month, year, message, marked):
    form = _read(app, **{"held_on-day": day, "held_on-month": month, "held_on-year": year})
    assert form.held_on.data is None and form.held_on.errors == [message]
    assert form.held_on.error_parts == marked
    boxes = {box["name"]: box for box in form.held_on.boxes()}
    assert [part for part, box in boxes.items() if "govuk-input--error" in box["classes"]] == list(marked)
    assert boxes["year"]["value"] == year.strip()  # what was typed is kept


def test_a_link_may_carry_an_iso_date_under_the_field_name(app):
    form = _read(app, held_on="2026-12-03")
    assert form.held_on.data == date(2026, 12, 3)
    assert [box["value"] for box in form.held_on.boxes()] == ["3", "12", "2026"]
    assert _read(app, held_on="03/12/2026").held_on.errors  # not ISO: a US or UK reading is not guessed


@pytest.mark.parametrize("typed", [" ", "   ", "\t"])
def test_a_date_of_only_spaces_is_a_missing_date(app, typed):
    """Found by the fuzzing (issue 16 item 3): InputRequired let " " through with no date, and a view that
    trusted it answered 500."""
    form = _read(app, held_on=typed)
    assert form.held_on.data is None
    assert form.held_on.errors == ["Enter the date held"]


def test_a_filtered_list_s_page_links_keep_the_date_boxes(as_role, org):
    """The audit trail filtered from a day: page 2 is filtered from that day too."""
    from teamops.audit.services import record_event
    from teamops.extensions import db

    for number in range(60):
        record_event("sign_in", f"sign-in number {number}")
    db.session.commit()
    page = as_role("admin").get("/admin/audit?date_from-day=1&date_from-month=1&date_from-year=2026").get_data(
        as_text=True)
    link = next(part for part in page.split('href="')[1:] if "page=2" in part.split('"')[0]).split('"')[0]
    assert "date_from-day=1" in link and "date_from-year=2026" in link

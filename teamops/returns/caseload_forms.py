"""Forms of the caseload reviews: the month picker (a GET form) and the commentary, a text area per worker."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField

from teamops.forms import CountedLength, id_number
from teamops.org.models import Service
from teamops.returns.models import CASELOAD_COMMENTARY_MAX, CaseloadRow

ROW_PREFIX = "row-"


class MonthForm(FlaskForm):
    """Which month's reviews (``?month=YYYY-MM``) and, for QAIT, which service. It only reads: no CSRF token."""

    class Meta:
        csrf = False

    month = StringField("Month")
    service = SelectField("Service", coerce=id_number, validate_choice=False)

    def __init__(self, *args: Any, services: list[Service] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [(0, "All services"), *((service.id, service.name) for service in services or [])]


class CommentaryForm(FlaskForm):
    """A text area per row of the review, ``row-<id>``: built for the review's rows (``commentary_form``)."""

    def row_fields(self) -> list[tuple[CaseloadRow, Field]]:
        return [(row, self[f"{ROW_PREFIX}{row.id}"]) for row in self._rows]

    def commentary(self) -> dict[int, str]:
        """The text typed for each row, by row id (rows whose field was not sent are left out)."""
        return {row.id: field.data or "" for row, field in self.row_fields() if field.raw_data}

    _rows: list[CaseloadRow]


def commentary_form(rows: list[CaseloadRow]) -> CommentaryForm:
    """The commentary form for these rows, holding what was sent (a POST) or what is saved."""

    class Form(CommentaryForm):
        pass

    for row in rows:
        setattr(Form, f"{ROW_PREFIX}{row.id}", TextAreaField(
            f"Commentary on {row.name}'s caseload", default=row.commentary,
            validators=[CountedLength(max=CASELOAD_COMMENTARY_MAX)]))
    form = Form()
    form._rows = rows
    return form

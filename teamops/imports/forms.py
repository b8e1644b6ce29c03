from __future__ import annotations

import hashlib

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from teamops.imports.services import KINDS


class UploadForm(FlaskForm):
    kind = SelectField("What the file holds", choices=[(k, v.label) for k, v in KINDS.items()],
                       validators=[DataRequired("Select what the file holds")])
    file = FileField("CSV file")

    def validate_file(self, field: FileField) -> None:
        from wtforms.validators import ValidationError

        if field.data is None or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a CSV file")


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ConfirmForm(FlaskForm):
    """The confirm button carries the digest of the file previewed, so an old preview (its id since reused by
    another upload) can never confirm a file its reader has not seen."""

    digest = HiddenField()

from __future__ import annotations

import hashlib
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField
from wtforms.validators import ValidationError

from teamops.imports.services import KINDS


class UploadForm(FlaskForm):
    """Offers only the kinds the person may import (``kinds``): a manager never sees teams or staff."""

    kind = SelectField("What the file holds")
    file = FileField("CSV file")

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "Recognise it from the header row"), *((name, KINDS[name].label) for name in kinds)]

    def validate_file(self, field: FileField) -> None:
        if field.data is None or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a CSV file")


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ConfirmForm(FlaskForm):
    """The confirm button carries the digest of the file previewed, so an old preview (its id since reused by
    another upload) can never confirm a file its reader has not seen."""

    digest = HiddenField()

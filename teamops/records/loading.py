"""Loading a record for a route: 404 when it does not exist, 403 when the person may not do ``action`` to it."""

from __future__ import annotations

from flask import abort

from teamops.access import authorize
from teamops.records import queries
from teamops.records.models import SupervisionRecord
from teamops.web import MAX_ID


def load(record_id: int, action: str = "view_record") -> SupervisionRecord:
    record = queries.load_record(record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        abort(404)
    authorize(action, record)
    return record

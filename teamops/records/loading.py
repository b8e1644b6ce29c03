"""Loading a record for a route: 404 when it does not exist, 403 when the person may not do ``action`` to it."""

from __future__ import annotations

from teamops.access import authorize
from teamops.records.models import SupervisionRecord
from teamops.records.queries import RECORD_PAGE
from teamops.web import get_or_404


def load(record_id: int, action: str = "view_record") -> SupervisionRecord:
    record = get_or_404(SupervisionRecord, record_id, RECORD_PAGE)
    authorize(action, record)
    return record

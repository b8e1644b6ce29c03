"""Loading a record for a route: 404 when it does not exist, 403 when the person may not do ``action`` to it."""

from __future__ import annotations

from flask_login import current_user

from teamops.access import authorize
from teamops.records.models import SupervisionRecord
from teamops.records.queries import RECORD_PAGE, reachable_case_ids
from teamops.web import get_or_404


def load(record_id: int, action: str = "view_record") -> SupervisionRecord:
    record = get_or_404(SupervisionRecord, record_id, RECORD_PAGE)
    authorize(action, record)
    return record


def visible_cases(record: SupervisionRecord) -> set[int]:
    """Ids of the cases this record discusses that the signed-in person may see (one query)."""
    return reachable_case_ids(current_user._get_current_object(), (d.case_id for d in record.discussions))

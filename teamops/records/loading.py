"""Loading a record for a route: 404 when it does not exist, 403 when the person may not do ``action`` to it."""

from __future__ import annotations

from typing import Any

from flask import flash, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from teamops.access import authorize, can
from teamops.records.models import SupervisionRecord
from teamops.records.queries import RECORD_PAGE, reachable_case_ids
from teamops.records.text import hydrate, only_cases, snapshot
from teamops.retention import keep_from_purge
from teamops.web import format_date, get_or_404, see_other


def load(record_id: int, action: str = "view_record") -> SupervisionRecord:
    record = get_or_404(SupervisionRecord, record_id, RECORD_PAGE)
    authorize(action, record)
    return record


def purged_meanwhile(record: SupervisionRecord) -> ResponseReturnValue | None:
    """Called just before what a form sent is written to the record: None while the record keeps its content
    (then locked against the purge until the request commits); else, when the retention purge removed it since
    the page was read, why nothing was saved, and the way back to the record."""
    if keep_from_purge(record):
        return None
    assert record.content_purged_on is not None
    flash(f"Nothing was saved: this record's content was removed on {format_date(record.content_purged_on)} "
          "under the retention policy.", "error")
    return see_other(url_for("records.show", record_id=record.id))


def visible_cases(record: SupervisionRecord) -> set[int]:
    """Ids of the cases this record discusses that the signed-in person may see (one query)."""
    return reachable_case_ids(current_user._get_current_object(), (d.case_id for d in record.discussions))


def as_read(record: SupervisionRecord, kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record as the signed-in person reads it, ready for the templates and the text: its current content,
    or a ``kept`` version's (hydrated), with only the parts about cases they may see. The worker's response
    shows when they may see every part, and always to the worker and to whoever resolves their disagreement."""
    content = hydrate(snapshot(record)) if kept is None else kept
    must = record.worker_id == current_user._get_current_object().id or can("resolve_disagreement", record)
    return only_cases(content, visible_cases(record), with_response=must)

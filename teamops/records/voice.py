"""The worker's voice on their own record (R-SUP-7): when acknowledging, a worker may comment or record that they
disagree with what was written. A disagreement reaches whoever wrote the record, the worker's line manager and
the manager of their team; unresolved 7 days later (``teamops.dates``) it also reaches whoever gets the team's
escalations (R-ORG-1). The lists of them, for the escalations queue, and what the people concerned are told.

Messages name the person and the session's date, never what the record or the worker said: the words stay in
the record, for those who may read it."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import Select
from sqlalchemy.orm import contains_eager, joinedload

from teamops.access import worker_disagreements_in_reach
from teamops.dates import today
from teamops.extensions import db
from teamops.notify import notify
from teamops.org.models import Staff
from teamops.records.models import SupervisionRecord
from teamops.web import format_date

RECENTLY_RESOLVED = 10


def _disagreements(user: Staff) -> Select[tuple[SupervisionRecord]]:
    return worker_disagreements_in_reach(user, today()).options(  # each row's people: many-to-one, in the query
        contains_eager(SupervisionRecord.worker).joinedload(Staff.team),
        joinedload(SupervisionRecord.supervisor),
        joinedload(SupervisionRecord.disagreement_resolved_by),
    )


def waiting(user: Staff) -> list[SupervisionRecord]:
    """Records whose worker disagrees, not yet resolved, that this person resolves: longest waiting first."""
    return list(db.session.scalars(
        _disagreements(user).where(SupervisionRecord.disagreement_resolved_at.is_(None))
        .order_by(SupervisionRecord.acknowledged_at, SupervisionRecord.id)))


def recently_resolved(user: Staff) -> list[SupervisionRecord]:
    return list(db.session.scalars(
        _disagreements(user).where(SupervisionRecord.disagreement_resolved_at.is_not(None))
        .order_by(SupervisionRecord.disagreement_resolved_at.desc(), SupervisionRecord.id.desc())
        .limit(RECENTLY_RESOLVED)))


def _link(endpoint: str, record: SupervisionRecord) -> str:
    base: str = current_app.config["TEAMOPS"].base_url
    return base.rstrip("/") + url_for(endpoint, record_id=record.id)


def tell_about_disagreement(record: SupervisionRecord) -> None:
    """Tells whoever wrote the record, and the worker's line manager, that the worker disagrees with it."""
    worker = record.worker
    people = {person.id: person for person in (record.supervisor, worker.line_manager)
              if person is not None and person.active and person.id != worker.id}
    escalates_on = record.disagreement_escalates_on
    for person in people.values():
        notify(person, "TeamOps: a worker disagrees with their supervision record",
               f"{worker.name} has acknowledged the record of their supervision on {format_date(record.held_on)} "
               "and recorded that they disagree with what was written. Read their reasons in TeamOps and record "
               f"how the disagreement is resolved:\n\n{_link('records.resolve_disagreement', record)}\n\n"
               f"If it is still open on {format_date(escalates_on)}, it also goes to the service manager.")


def tell_worker_resolved(record: SupervisionRecord) -> None:
    """Tells the worker that their disagreement was resolved (how is on the record)."""
    resolver = record.disagreement_resolved_by
    if not record.worker.active or resolver is None:
        return
    notify(record.worker, "TeamOps: your disagreement with a supervision record was resolved",
           f"{resolver.name} recorded how your disagreement with the record of your supervision on "
           f"{format_date(record.held_on)} was resolved. Read it in TeamOps:\n\n{_link('records.show', record)}")


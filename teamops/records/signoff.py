"""Sign-off by the manager, acknowledgement by the worker, versions after sign-off, and filing on the case
record. Each step is only possible in its turn: a worker acknowledges what was signed off, and a change
after sign-off keeps the earlier version readable and asks the worker to acknowledge again."""

from __future__ import annotations

from typing import Any

from teamops.dates import utcnow
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.supervision.models import RecordVersion, SupervisionRecord


def sign_off(record: SupervisionRecord) -> bool:
    """False when it was already signed off (a second click changes nothing)."""
    if record.status == "signed_off":
        return False
    record.status = "signed_off"
    record.signed_off_at = utcnow()
    db.session.commit()
    return True


def acknowledge(record: SupervisionRecord) -> bool:
    """The worker confirms they have read the signed-off record; False when not possible or already done."""
    if record.status != "signed_off" or record.acknowledged_at is not None:
        return False
    record.acknowledged_at = utcnow()
    db.session.commit()
    return True


def mark_filed(record: SupervisionRecord) -> bool:
    """The manager has pasted the signed-off record into the case-recording system."""
    if record.status != "signed_off" or record.filed_at is not None:
        return False
    record.filed_at = utcnow()
    db.session.commit()
    return True


def keep_version(record: SupervisionRecord, previous: dict[str, Any], reason: str, editor: Staff) -> None:
    """Keeps the signed-off content as it was before a change; the new content is the next version. The worker
    has not read the new version yet, and the case file holds the old one, so both marks are cleared."""
    record.versions.append(RecordVersion(version=record.version, snapshot=previous, reason=reason,
                                         created_by_id=editor.id))
    record.version += 1
    record.acknowledged_at = None
    record.filed_at = None

"""Writes audit events. Creates, updates and deletes of audited models are captured automatically at flush,
so nothing made through the app or the CLI escapes the trail; sign-ins and refusals are recorded explicitly.

Admins read the trail and may not read children's records, so a model's content fields (``__audit_content__``)
reach it only as the fact that they changed: who, when, which field and the record's version. The text stays in
the record and its versions (``RecordVersion``), for the people who may read the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from teamops.audit.models import CONTENT, HIDDEN, IP_ADDRESS_MAX, AuditEvent
from teamops.dates import utcnow
from teamops.extensions import db


def init_app(app: Flask) -> None:
    """Captures every create, update and delete of an audited model at flush. A model opts in by naming its
    entity in ``__audited__``; ``__audit_hidden__`` names secrets whose values never reach the trail,
    ``__audit_content__`` the record content of which the trail keeps only that it changed, and
    ``__audit_version__`` the path to the record's version number (``"version"``, ``"record.version"``)."""
    if not event.contains(FlaskSession, "after_flush", _audit_flush):
        event.listen(FlaskSession, "after_flush", _audit_flush)


@dataclass(frozen=True)
class AuditSpec:
    """What a model declares about its audit: its entity name and the fields whose values are withheld."""

    entity: str
    hidden: frozenset[str]
    content: frozenset[str]
    version: str | None


def _audit_spec(obj: Any) -> AuditSpec | None:
    model = type(obj)
    entity = getattr(model, "__audited__", None)
    if entity is None:
        return None
    return AuditSpec(entity, frozenset(getattr(model, "__audit_hidden__", ())),
                     frozenset(getattr(model, "__audit_content__", ())), getattr(model, "__audit_version__", None))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def current_actor() -> tuple[int | None, str]:
    """The signed-in person, or the label a CLI command set in ``g.audit_actor``, or 'system'."""
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    if has_app_context() and getattr(g, "audit_actor", None):
        return None, str(g.audit_actor)
    return None, "system"


def _client_address() -> str | None:
    """Capped to the column (the longest IPv6 text): with more trusted proxies configured than there are, the
    address is whatever the client put in X-Forwarded-For, and a long one must not fail the request."""
    address = request.remote_addr if has_request_context() else None
    return address[:IP_ADDRESS_MAX] if address else address


def _row(action: str, entity: str, entity_id: int | None, summary: str,
         changes: dict[str, Any] | None) -> dict[str, Any]:
    actor_id, actor_label = current_actor()
    return {
        "at": utcnow(), "actor_id": actor_id, "actor_label": actor_label, "action": action,
        "entity_type": entity, "entity_id": entity_id, "summary": summary[:300], "changes": changes,
        "ip_address": _client_address(),
    }


def _withheld(value: Any) -> str | None:
    """A content value as the trail keeps it: only whether there was any."""
    return None if value is None or value == "" else CONTENT


def _kept(key: str, value: Any, spec: AuditSpec) -> Any:
    """A value as the trail keeps it: a secret as a mark, content as a mark (or None when empty)."""
    if value is None:
        return None
    if key in spec.content:
        return _withheld(value)
    return HIDDEN if key in spec.hidden else _plain(value)


def _change(key: str, before: Any, after: Any, spec: AuditSpec) -> list[Any] | None:
    """A field's before and after, or None when nothing the trail keeps changed."""
    if before == after:
        return None
    if key in spec.hidden:
        return [HIDDEN, HIDDEN]
    kept = [_kept(key, before, spec), _kept(key, after, spec)]
    return None if key in spec.content and kept == [None, None] else kept


def _changes(obj: Any, spec: AuditSpec, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if action == "delete":
            if key not in spec.hidden:
                changes[key] = [_kept(key, getattr(obj, key), spec), None]
        elif action == "create":
            kept = _kept(key, getattr(obj, key), spec)
            if kept is not None and key != "id":
                changes[key] = [None, kept]
        else:
            history = state.attrs[key].history
            if history.has_changes():
                change = _change(key, history.deleted[0] if history.deleted else None,
                                 history.added[0] if history.added else None, spec)
                if change is not None:
                    changes[key] = change
    return changes


def _record_version(obj: Any, spec: AuditSpec) -> int | None:
    """The version of the record the object belongs to, read along ``__audit_version__``; None when the
    object has left its record (an action removed from it)."""
    value: Any = obj
    for name in (spec.version or "").split("."):
        if value is None or not name:
            return None
        value = getattr(value, name, None)
    return value if isinstance(value, int) else None


def _describe(obj: Any, spec: AuditSpec) -> str:
    """How the summary names the object. A model that holds content is named only by its id and its record's
    version: its label may quote the content (an action's label is its description)."""
    if not spec.content:
        for name in ("email", "name", "label"):
            value = getattr(obj, name, None)
            if isinstance(value, str):
                return value
    described = f"#{getattr(obj, 'id', '?')}"
    version = _record_version(obj, spec)
    return described if version is None else f"{described} (record version {version})"


def _audit_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            spec = _audit_spec(obj)
            if spec is None:
                continue
            changes = _changes(obj, spec, action)
            if action == "update" and not changes:
                continue
            entity_id = getattr(obj, "id", None)
            rows.append(_row(action, spec.entity, entity_id if isinstance(entity_id, int) else None,
                             f"{action} {spec.entity} {_describe(obj, spec)}", changes))
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def record_event(action: str, summary: str, *, actor_id: int | None = None, actor_label: str | None = None,
                 entity: str | None = None, entity_id: int | None = None) -> None:
    """Appends one event (sign-in, sign-out, failed sign-in, refused access); the request commits it."""
    row = _row(action, entity or "", entity_id, summary, None)
    if entity is None:
        row["entity_type"] = None
    if actor_label is not None:
        row["actor_id"], row["actor_label"] = actor_id, actor_label
    db.session.execute(insert(AuditEvent), [row])

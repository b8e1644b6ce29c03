"""Writes audit events. Creates, updates and deletes of audited models are captured automatically at flush,
so nothing made through the app or the CLI escapes the trail; sign-ins and refusals are recorded explicitly."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from teamops.audit.models import IP_ADDRESS_MAX, AuditEvent
from teamops.dates import utcnow
from teamops.extensions import db

_HIDDEN = "(changed)"


def init_app(app: Flask) -> None:
    """Captures every create, update and delete of an audited model at flush. A model opts in by naming its
    entity in ``__audited__``; ``__audit_hidden__`` names fields whose values never reach the trail."""
    if not event.contains(FlaskSession, "after_flush", _audit_flush):
        event.listen(FlaskSession, "after_flush", _audit_flush)


def _audit_spec(obj: Any) -> tuple[str, frozenset[str]] | None:
    entity = getattr(type(obj), "__audited__", None)
    if entity is None:
        return None
    return entity, frozenset(getattr(type(obj), "__audit_hidden__", ()))


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


def _changes(obj: Any, hidden: frozenset[str], creating: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if creating:
            value = getattr(obj, attr.key)
            if value is not None and attr.key != "id":
                changes[attr.key] = [None, _HIDDEN if attr.key in hidden else _plain(value)]
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = (
                    [_HIDDEN, _HIDDEN] if attr.key in hidden else [_plain(before), _plain(after)]
                )
    return changes


def _describe(obj: Any) -> str:
    for name in ("email", "name", "label"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return f"#{getattr(obj, 'id', '?')}"


def _audit_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            spec = _audit_spec(obj)
            if spec is None:
                continue
            entity, hidden = spec
            if action == "delete":
                changes = {attr.key: [_plain(getattr(obj, attr.key)), None]
                           for attr in inspect(obj).mapper.column_attrs if attr.key not in hidden}
            else:
                changes = _changes(obj, hidden, creating=action == "create")
                if action == "update" and not changes:
                    continue
            entity_id = getattr(obj, "id", None)
            rows.append(_row(action, entity, entity_id if isinstance(entity_id, int) else None,
                             f"{action} {entity} {_describe(obj)}", changes))
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

"""Writes audit events. Creates, updates and deletes of audited models are captured automatically at flush,
so nothing made through the app or the CLI escapes the trail; rows inserted in bulk without the ORM (imports)
go through ``insert_audited``, which writes the same create events; sign-ins and refusals are recorded
explicitly.

Admins read the trail and may not read children's records, so a model's content fields (``__audit_content__``)
reach it only as the fact that they changed: who, when, which field and the record's version. The text stays in
the record and its versions (``RecordVersion``), for the people who may read the record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import JSON, ColumnDefault, Table, bindparam, cast, event, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, UOWTransaction

from teamops.audit.models import CONTENT, HIDDEN, IP_ADDRESS_MAX, AuditEvent
from teamops.dates import utcnow
from teamops.extensions import db


def init_app(app: Flask) -> None:
    """Captures every create, update and delete of an audited model at flush. A model opts in by naming its
    entity in ``__audited__``; ``__audit_hidden__`` names secrets whose values never reach the trail,
    ``__audit_content__`` the record content of which the trail keeps only that it changed, and
    ``__audit_version__`` the path to the record's version number (``"version"``, ``"record.version"``). A
    model with ``__audit_copied__`` is a copy made and removed with its parent (an induction's days and
    checklist items): only its changes are recorded, its parent's opening says the rest."""
    if not event.contains(FlaskSession, "after_flush", _audit_flush):
        event.listen(FlaskSession, "after_flush", _audit_flush)


@dataclass(frozen=True)
class AuditSpec:
    """What a model declares about its audit: its entity name and the fields whose values are withheld."""

    entity: str
    hidden: frozenset[str]
    content: frozenset[str]
    version: str | None


def _audit_spec(model: type[Any]) -> AuditSpec | None:
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


def _context() -> dict[str, Any]:
    """When, by whom and from where: what every event written at one moment shares."""
    actor_id, actor_label = current_actor()
    return {"at": utcnow(), "actor_id": actor_id, "actor_label": actor_label, "ip_address": _client_address()}


def _row(action: str, entity: str, entity_id: int | None, summary: str, changes: dict[str, Any] | None,
         context: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**(context or _context()), "action": action, "entity_type": entity, "entity_id": entity_id,
            "summary": summary[:300], "changes": changes}


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


def _created(obj: Any, keys: Iterable[str], spec: AuditSpec) -> dict[str, list[Any]]:
    """A new object's fields as the trail keeps them; a field it keeps as nothing is left out."""
    changes: dict[str, list[Any]] = {}
    for key in keys:
        value = getattr(obj, key)
        if value is None or key == "id":
            continue
        kept = _kept(key, value, spec)
        if kept is not None:
            changes[key] = [None, kept]
    return changes


def _changes(obj: Any, spec: AuditSpec, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    if action == "create":
        return _created(obj, state.mapper.column_attrs.keys(), spec)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if action == "delete":
            if key not in spec.hidden:
                changes[key] = [_kept(key, getattr(obj, key), spec), None]
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


def _describe(obj: Any, spec: AuditSpec, version: int | None) -> str:
    """How the summary names the object. A model that holds content is named only by its id and its record's
    version: its label may quote the content (an action's label is its description)."""
    if not spec.content:
        for name in ("email", "name", "label"):
            value = getattr(obj, name, None)
            if isinstance(value, str):
                return value
    described = f"#{getattr(obj, 'id', '?')}"
    return described if version is None else f"{described} (record version {version})"


def _event(action: str, obj: Any, spec: AuditSpec, changes: dict[str, list[Any]], version: int | None,
           context: dict[str, Any] | None = None) -> dict[str, Any]:
    entity_id = getattr(obj, "id", None)
    return _row(action, spec.entity, entity_id if isinstance(entity_id, int) else None,
                f"{action} {spec.entity} {_describe(obj, spec, version)}", changes, context)


def _audit_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            spec = _audit_spec(type(obj))
            if spec is None or (action != "update" and getattr(type(obj), "__audit_copied__", False)):
                continue
            changes = _changes(obj, spec, action)
            if action == "update" and not changes:
                continue
            rows.append(_event(action, obj, spec, changes, _record_version(obj, spec)))
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


class _Inserted:
    """A row written without the ORM, read as the flush reads an object: its values (with its id), and the
    model's plain properties computed from them (a case's ``label``)."""

    def __init__(self, values: dict[str, Any], properties: dict[str, property]) -> None:
        self.__dict__.update(values)
        self.__properties = properties

    def __getattr__(self, name: str) -> Any:
        found = self.__properties.get(name)
        if found is None or found.fget is None:
            raise AttributeError(name)
        return found.fget(self)


def _properties(model: type[Any]) -> dict[str, property]:
    found: dict[str, property] = {}
    for cls in reversed(model.__mro__):
        found.update((name, value) for name, value in vars(cls).items() if isinstance(value, property))
    return found


def _defaults(model: type[Any]) -> dict[str, ColumnDefault | None]:
    """Each column's Python-side default (``default=`` a value or a function), or None, by attribute."""
    found: dict[str, ColumnDefault | None] = {}
    for attr in inspect(model).column_attrs:
        default = attr.columns[0].default
        found[attr.key] = default if isinstance(default, ColumnDefault) and not default.is_clause_element else None
    return found


def _default(default: ColumnDefault | None) -> Any:
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


def _insert(table: Table, rows: list[dict[str, Any]], *, ids: bool) -> list[int]:
    """Inserts rows that share their keys; with ``ids``, returns their new ids in the rows' order.

    On PostgreSQL in one statement, each column that varies as one array, or (JSON) one JSON array, taken apart
    in order; a column with the same value in every row as that one value. Row by row (an executemany) or as a
    multi-row VALUES, psycopg handles each parameter in Python, and escapes each JSON text of an array: 100,000
    rows cost seconds. New ids follow the order of INSERT ... SELECT ... ORDER BY, the guarantee SQLAlchemy's
    own sort_by_parameter_order relies on there. SQLite takes an executemany, or sort_by_parameter_order."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        if not ids:
            connection.execute(insert(table), rows)
            return []
        in_order = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(in_order, rows).scalars())
    first = rows[0]
    varying = {key for key, value in first.items() if any(row[key] != value for row in rows)}
    documents = [key for key in first if key in varying and isinstance(table.c[key].type, JSON)]
    # At least one array, which numbers the rows.
    arrays = ([key for key in first if key in varying and key not in documents]
              or [key for key in first if key not in documents][:1])
    source = func.unnest(*[bindparam(f"each_{key}", [row[key] for row in rows], type_=ARRAY(table.c[key].type))
                           for key in arrays]).table_valued(*arrays, with_ordinality="place").render_derived()
    columns: dict[str, Any] = {key: source.c[key] for key in arrays}
    rows_from: Any = source
    for key in documents:
        elements = func.json_array_elements(bindparam(f"each_{key}", [row[key] for row in rows], type_=JSON)
                                            ).table_valued("value", with_ordinality="place").render_derived()
        rows_from = rows_from.join(elements, elements.c.place == source.c.place)
        columns[key] = elements.c.value
    for key in first:
        if key not in columns:
            columns[key] = cast(bindparam(f"all_{key}", first[key], type_=table.c[key].type), table.c[key].type)
    statement = insert(table).from_select(
        list(columns), select(*columns.values()).select_from(rows_from).order_by(source.c.place))
    if not ids:
        connection.execute(statement)
        return []
    return sorted(connection.execute(statement.returning(table.c.id)).scalars())


def insert_audited(model: type[Any], rows: list[dict[str, Any]],
                   versions: Sequence[int | None] | None = None) -> list[dict[str, Any]]:
    """Inserts many new rows of an audited model in a few statements, with the "create" events the flush would
    write for them; returns the rows as written: every column, defaults filled in as the ORM fills them (a
    column neither given nor defaulted is NULL), and the new id. For imports: an ORM object and a unit-of-work
    flush per row cost seconds per 10,000 rows (benchmarks/).

    ``rows`` are keyed by column. ``versions`` gives each row's record version when the model's
    ``__audit_version__`` goes through a relationship (a discussion's ``record.version``), since a row holds
    only its record's id."""
    spec = _audit_spec(model)
    if spec is None:
        raise ValueError(f"{model.__name__} is not audited")
    if not rows:
        return []
    defaults = _defaults(model)
    given: set[str] = set().union(*rows)
    if given - defaults.keys():
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(given - defaults.keys()))}")
    columns = {key: default for key, default in defaults.items() if key != "id"}
    written = [{key: values[key] if key in values else _default(default) for key, default in columns.items()}
               for values in rows]
    ids = _insert(db.metadata.tables[model.__tablename__], written, ids=True)
    # A column no row gives, whose one default the trail keeps as nothing (NULL, empty content), is not read
    # for every event: a discussion has thirteen of them.
    unread = {key for key, default in columns.items() if key not in given and (default is None or default.is_scalar)
              and _kept(key, _default(default), spec) is None}
    kept = [key for key in defaults if key not in unread]
    properties = _properties(model)
    context = _context()
    events = []
    for index, (row, new_id) in enumerate(zip(written, ids, strict=True)):
        row["id"] = new_id
        inserted = _Inserted(row, properties)
        version = versions[index] if versions is not None else _record_version(inserted, spec)
        events.append(_event("create", inserted, spec, _created(inserted, kept, spec), version, context))
    _insert(db.metadata.tables[AuditEvent.__tablename__], events, ids=False)
    return written


def record_event(action: str, summary: str, *, actor_id: int | None = None, actor_label: str | None = None,
                 entity: str | None = None, entity_id: int | None = None) -> None:
    """Appends one event (sign-in, sign-out, failed sign-in, refused access); the request commits it."""
    row = _row(action, entity or "", entity_id, summary, None)
    if entity is None:
        row["entity_type"] = None
    if actor_label is not None:
        row["actor_id"], row["actor_label"] = actor_id, actor_label
    db.session.execute(insert(AuditEvent), [row])


def note_read(obj: Any, why: str) -> None:
    """Records that the signed-in person read an audited object for a reason (a supervision record opened for a
    dip sample): its entity, id and record version, never its content; the request commits it."""
    spec = _audit_spec(type(obj))
    if spec is None:
        raise ValueError(f"{type(obj).__name__} is not audited")
    version = _record_version(obj, spec)
    described = f"#{obj.id}" if version is None else f"#{obj.id} (record version {version})"
    db.session.execute(insert(AuditEvent), [_row("read", spec.entity, obj.id, f"read {spec.entity} {described}: {why}",
                                                 None)])

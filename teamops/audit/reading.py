"""How the audit trail reads for people: a plain name for each kind of record and each field, people's, teams'
and services' names for their ids, Yes/No, and UK local dates and times.

The trail stores what the flush saw (column names, raw values, UTC as ISO text) and is never rewritten, so all
of this happens on reading. What each stored value is comes from the audited models' own columns (a foreign
key, a boolean, a date, a timestamp), and the names for a page of events are read together, in one statement
whatever the page holds. Withheld values (secrets, record content) still read only "changed"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, String, TypeDecorator, bindparam, cast, literal, select, union_all

from teamops.audit.models import AuditEvent
from teamops.bookings.models import KIND_LABELS
from teamops.cases.models import OVERSIGHT_LABELS
from teamops.dates import parse_iso_date
from teamops.extensions import Base, db
from teamops.org.models import ROLE_LABELS
from teamops.records.labels import ACTION_STATUS_LABELS
from teamops.web import format_datetime, format_short_date

# Every entity that a model names in ``__audited__``, as the filter and the summaries call it (a test checks
# that none is missing). The keys are what the trail stores and the filter's URL carries.
ENTITY_LABELS: dict[str, str] = {
    "absence": "Absence",
    "action": "Supervision action",
    "action_review": "Action review",
    "api_token": "API token",
    "booking": "Booking",
    "case": "Case",
    "case_allocation": "Case allocation",
    "case_discussion": "Case discussion",
    "case_type": "Case type",
    "caseload_review": "Caseload review",
    "caseload_row": "Caseload review line",
    "practice_observation": "Practice observation",
    "dip_sample": "Dip sample",
    "dip_rating": "Dip sample rating",
    "grade_scale": "Grading scale",
    "grade": "Grade",
    "audit_round": "Audit round",
    "audit_question": "Audit question",
    "case_audit": "Case audit",
    "audit_answer": "Audit answer",
    "audit_action": "Audit action",
    "champion": "Champion",
    "champion_area": "Champion area",
    "contact": "Directory contact or support service",
    "contact_hours": "Opening hours",
    "cover": "Cover for a manager",
    "induction": "Induction",
    "induction_buddy": "Induction buddy",
    "induction_checkin": "Buddy check-in",
    "induction_checklist_item": "Induction checklist item",
    "induction_day": "Induction day",
    "induction_item": "Induction item",
    "induction_template": "Induction timetable",
    "induction_template_day": "Induction timetable day",
    "network": "Network or group",
    "network_contact": "Network contact",
    "network_exception": "Network meeting change",
    "organisation_settings": "Organisation settings",
    "oversight": "Management oversight",
    "password_link": "Set-password link",
    "policy_change": "Policy change",
    "return_chase": "Return chase",
    "return_note": "Return commentary",
    "return_version": "Return submission",
    "role_grant": "Role grant",
    "service": "Service",
    "staff": "Staff member",
    "supervision_record": "Supervision record",
    "supervision_return": "Supervision return",
    "supervision_settings": "Supervision settings",
    "team": "Team",
}

# Fields whose name does not read well on its own; any other reads as its name ("office_base": "Office base",
# "team_id": "Team").
FIELD_LABELS: dict[str, str] = {
    "id": "ID",
    "email": "E-mail",
    "role": "TeamOps role",
    "password_hash": "Password",
    "token_hash": "Token",
    "case_ref": "Case reference",
    "case_type_code": "Case type",
    "record_id": "Supervision record",
    "staff_id": "Staff member",
    "duration_minutes": "Length (minutes)",
    "change_reason": "Reason for the change",
    "childs_voice": "Child's voice",
    "scaling": "Scaling score",
    "case_cap_months": "Case supervision at least every (months)",
    "high_risk_cap_months": "High-risk case supervision at least every (months)",
    "personal_interval_months": "Personal supervision every (months)",
    "asye_interval_count": "ASYE personal supervision every",
    "asye_interval_unit": "ASYE personal supervision unit",
    "asye_starts_on": "ASYE start",
    "asye_ends_on": "ASYE last day",
    "section_47": "Section 47 enquiry",
    "coworker_id": "Co-worker",
    "case_ref_rule": "Case reference rule",
    "case_ref_pattern": "Case reference pattern",
    "case_ref_example": "Case reference example",
    "case_ref_hint": "Case reference hint",
}

# Where a field means something particular to its kind of record.
ENTITY_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("booking", "starts_at"): "Session start",
    ("booking", "status"): "Session status",
    ("cover", "staff_id"): "Covered by",
    ("cover", "manager_id"): "Manager covered",
    ("api_token", "staff_id"): "Holder",
    ("password_link", "staff_id"): "For",
    ("team", "manager_id"): "Team manager",
    ("champion", "staff_id"): "Champion",
    ("champion", "area_id"): "Area",
    ("champion", "scope"): "Champions for",
    ("champion", "starts_on"): "Champion from",
    ("champion", "ends_on"): "Stepped down on",
    ("champion", "proposed_by_id"): "Offered or appointed by",
    ("champion", "decided_by_id"): "Decided by",
    ("champion", "checked_by_id"): "Checked by",
    ("champion", "checked_on"): "Last checked",
    ("team", "remit"): "What the team does",
    ("team", "checked_by_id"): "Checked by",
    ("team", "checked_on"): "Last checked",
    ("staff", "work_phone"): "Work phone",
    ("staff", "office_base"): "Own office base",
    ("contact", "staff_id"): "Member of staff named",
    ("contact", "service_id"): "Service area",
    ("contact", "org_code"): "Organisation code",
    ("contact", "always_open"): "Open 24 hours, every day",
    ("contact", "active"): "Listed",
    ("contact", "checked_by_id"): "Checked by",
    ("contact_hours", "opens_day"): "Opens on (Monday 0)",
    ("contact_hours", "closes_day"): "Closes on (Monday 0)",
    ("network", "rule"): "Meeting pattern (RRULE)",
    ("network", "first_on"): "Meetings from",
    ("network", "until"): "Meetings until",
    ("network", "starts_at"): "Meeting start time",
    ("network", "ends_at"): "Meeting end time",
    ("network", "audience"): "Who it is for",
    ("network", "mailbox"): "Shared mailbox",
    ("network_contact", "staff_id"): "Contact",
    ("network_contact", "agreed_on"): "Agreed to be listed on",
    ("network_exception", "original_on"): "Meeting day",
    ("network_exception", "moved_on"): "Moved to",
    ("network_exception", "moved_starts_at"): "Moved start time",
    ("network_exception", "moved_ends_at"): "Moved end time",
}

# Codes stored in a field, as people read them; any other code reads with spaces ("signed_off": "Signed off").
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("staff", "role"): ROLE_LABELS,
    ("role_grant", "role"): ROLE_LABELS,
    ("booking", "kind"): KIND_LABELS,
    ("supervision_record", "kind"): KIND_LABELS,
    ("action", "status"): ACTION_STATUS_LABELS,
    ("oversight", "kind"): OVERSIGHT_LABELS,
}
CODED_FIELDS = frozenset({"role", "kind", "status", "outcome", "employment_type", "interval_unit"})

# The tables whose rows a person recognises by a name, and the column that holds it.
NAMED_TABLES: dict[str, str] = {
    "staff": "name",
    "teams": "name",
    "services": "name",
    "cases": "case_ref",
    "case_types": "label",
    "champion_areas": "name",
}

NOTHING = "\N{EN DASH}"
DATE, MOMENT = "date", "moment"  # how a stored time reads
CHANGED = "changed"


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity) or entity.replace("_", " ").capitalize()


def field_label(entity: str | None, field: str) -> str:
    """The field's name for people: ``team_id`` reads "Team", ``starts_at`` "Starts at"."""
    found = ENTITY_FIELD_LABELS.get((entity or "", field)) or FIELD_LABELS.get(field)
    if found:
        return found
    return field.removesuffix("_id").replace("_", " ").capitalize()


def entity_choices() -> list[tuple[str, str]]:
    """Every audited entity as the filter offers it, alphabetical by its label."""
    return sorted(ENTITY_LABELS.items(), key=lambda item: item[1].lower())


@dataclass(frozen=True)
class Column:
    """What a stored value is: a date or a moment (``DATE``, ``MOMENT``) or anything else (None), and the named
    table it refers to, if any."""

    time_kind: str | None
    refers_to: str | None = None  # a table in NAMED_TABLES
    reference: bool = False  # a foreign key, named or not: an id shown as "#id" when it has no name


@cache
def audited_columns() -> dict[str, dict[str, Column]]:
    """Each audited entity's columns by attribute name, read from the models once (``teamops`` imports every
    model, through ``teamops.models``, before any page is read)."""
    found: dict[str, dict[str, Column]] = {}
    for mapper in Base.registry.mappers:
        entity = getattr(mapper.class_, "__audited__", None)
        if entity is None:
            continue
        columns: dict[str, Column] = {}
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
            time_kind = MOMENT if isinstance(kind, DateTime) else DATE if isinstance(kind, Date) else None
            targets = [key.column.table.name for key in column.foreign_keys]
            named = next((table for table in targets if table in NAMED_TABLES), None)
            columns[attribute.key] = Column(time_kind, named, bool(targets))
        found[entity] = columns
    return found


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    withheld: bool  # the trail keeps only that it changed


@dataclass(frozen=True)
class ReadEvent:
    """An event as the page shows it."""

    at: datetime
    actor_name: str | None  # the person's name, when the event was theirs; actor_label is the e-mail then
    actor_label: str
    summary: str
    changes: list[Change]


def _columns(event: AuditEvent) -> dict[str, Column]:
    return audited_columns().get(event.entity_type or "", {})


def _wanted(events: Iterable[AuditEvent]) -> dict[str, set[Any]]:
    """The keys to name, by table, across the page's events: their actors and their foreign keys' values."""
    wanted: dict[str, set[Any]] = {table: set() for table in NAMED_TABLES}
    for event in events:
        if event.actor_id is not None:
            wanted["staff"].add(event.actor_id)
        columns = _columns(event)
        withheld = event.withheld_fields
        for field, values in (event.changes or {}).items():
            column = columns.get(field)
            if column is None or column.refers_to is None or field in withheld:
                continue
            wanted[column.refers_to].update(value for value in values if _is_key(value))
    return wanted


def _is_key(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value != "")


def _names(wanted: dict[str, set[Any]]) -> dict[str, dict[str, str]]:
    """Every name the page needs, by table and key (as text), in one statement: the same count of statements
    whatever the page shows. Whole-number ids are written into the statement (a page's changes can hold more
    ids than a statement should bind); a text key (a case type's code) is bound."""
    parts = []
    for table_name, keys in wanted.items():
        table = db.metadata.tables[table_name]
        key_column = next(iter(table.primary_key.columns))
        if key_column.type.python_type is int:
            numbers = sorted(key for key in keys if isinstance(key, int))
            condition = key_column.in_(bindparam(f"{table_name}_keys", numbers, expanding=True,
                                                 literal_execute=True))
            found = bool(numbers)
        else:
            texts = sorted(key for key in keys if isinstance(key, str))
            condition = key_column.in_(texts)
            found = bool(texts)
        if found:
            parts.append(select(cast(literal(table_name), String), cast(key_column, String),
                                table.c[NAMED_TABLES[table_name]]).where(condition))
    names: dict[str, dict[str, str]] = {table: {} for table in NAMED_TABLES}
    if parts:
        for table_name, key, name in db.session.execute(union_all(*parts)):
            names[table_name][key] = name
    return names


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _shown(value: Any, column: Column | None, names: dict[str, dict[str, str]]) -> str:
    """A stored value as people read it."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column is not None and column.reference:
        named = names.get(column.refers_to or "", {}).get(str(value))
        return named if named is not None else f"#{value}"
    if column is not None and column.time_kind is not None and isinstance(value, str):
        return _as_time(value, column.time_kind)
    return str(value)


def _as_time(value: str, time_kind: str) -> str:
    """A stored ISO date or moment in UK words; text that is neither (written by hand) reads as it is."""
    try:
        return format_datetime(_moment(value)) if time_kind == MOMENT else format_short_date(parse_iso_date(value))
    except ValueError:
        return value


def _coded(value: str, codes: dict[str, str] | None) -> str:
    """A stored code as people read it: its label where the app has one, else the code with spaces."""
    if codes and value in codes:
        return codes[value]
    return value.replace("_", " ").capitalize()


def _summary(event: AuditEvent) -> str:
    """The stored summary with its entity's plain name: ``create supervision_record #4`` reads "create
    supervision record #4". A summary of another shape (a sign-in) is shown as it is."""
    entity = event.entity_type
    stored = f"{event.action} {entity} "
    if not entity or not event.summary.startswith(stored):
        return event.summary
    label = entity_label(entity)
    in_sentence = label if label.split()[0].isupper() else label[0].lower() + label[1:]
    return f"{event.action} {in_sentence} {event.summary[len(stored):]}"


def read_events(events: Sequence[AuditEvent]) -> list[ReadEvent]:
    """The page's events as people read them, with every name they need read in one statement."""
    names = _names(_wanted(events))
    read = []
    for event in events:
        columns = _columns(event)
        withheld = event.withheld_fields
        changes = []
        for field, values in (event.changes or {}).items():
            label = field_label(event.entity_type, field)
            if field in withheld:
                changes.append(Change(label, CHANGED, CHANGED, withheld=True))
                continue
            codes = VALUE_LABELS.get((event.entity_type or "", field))
            before, after = (_coded(value, codes) if field in CODED_FIELDS and isinstance(value, str) and value
                             else _shown(value, columns.get(field), names) for value in values)
            changes.append(Change(label, before, after, withheld=False))
        actor_name = names["staff"].get(str(event.actor_id)) if event.actor_id is not None else None
        read.append(ReadEvent(event.at, actor_name, event.actor_label, _summary(event), changes))
    return read

"""redact record content already stored in the audit trail

Revision ID: 0003_redact_audit_content
Revises: 0002_supervision
Create Date: 2026-11-29 09:00:00.000000

Until this revision the audit trail kept every changed field's before and after, so record content (what a
supervision record, case discussion, oversight entry, action, action review or booking change reason says)
was readable by admins on /admin/audit, who may not read records. From now on the app keeps only that such a
field changed (``__audit_content__`` on the models); this revision does the same to the rows already stored:
each content value in ``audit_events.changes`` becomes "(content)" (an empty one stays empty, as the app now
keeps it), and the summaries that quoted an action's description ("create action Visit weekly...") name the
action by its id instead. The text itself stays where it belongs: in the record and its versions.

The trail is append-only: database triggers refuse every UPDATE and DELETE on audit_events (0001_foundation).
This revision is the one sanctioned exception. In one transaction it drops the trigger, rewrites only the
redacted values (no row is deleted, no other column changes), and creates the trigger again exactly as
0001_foundation made it. On PostgreSQL, DROP TRIGGER holds an exclusive lock on audit_events until the
transaction commits, so nothing else can write to the trail while the trigger is away, and a failure rolls
the trigger back with everything else. On SQLite the revision opens the transaction itself before the drop
(see ``begin_sqlite_transaction``), so there too a failure leaves the trigger in place, and the write lock it
holds keeps other writers out until it commits.

Downgrade changes nothing: the redacted text is gone for good (that is the point), and the schema, with its
trigger, is the same before and after this revision.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_redact_audit_content'
down_revision = '0002_supervision'
branch_labels = None
depends_on = None

# Frozen here (not imported from the app's models) so this revision always redacts the same fields.
CONTENT_FIELDS = {
    "supervision_record": ("wellbeing", "workload", "learning"),
    "case_discussion": ("actions_review", "significant_events", "decisions_and_plan", "reflective_analysis",
                        "childs_voice", "worries", "working_well", "needs_to_happen", "scaling",
                        "disagreement_note", "resolution"),
    "oversight": ("decision", "rationale"),
    "action": ("description", "drop_reason"),
    "action_review": ("reason",),
    "booking": ("change_reason",),
}
CONTENT = "(content)"
BATCH = 500

# The append-only triggers, as 0001_foundation creates them (the PostgreSQL function stays in place).
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
    "postgresql": ["DROP TRIGGER audit_events_append_only ON audit_events"],
}
CREATE_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    ],
    "postgresql": [
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}

audit_events = sa.table(
    "audit_events", sa.column("id", sa.Integer), sa.column("action", sa.String),
    sa.column("entity_type", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("summary", sa.String), sa.column("changes", sa.JSON),
)


def _withheld(value):
    return None if value is None or value == "" else CONTENT


def redacted_changes(action, fields, changes):
    """The changes with each content value withheld; an empty value on a create is dropped, as the app does."""
    if not isinstance(changes, dict):
        return changes
    result = {}
    for field, values in changes.items():
        if field not in fields or not isinstance(values, list):
            result[field] = values
            continue
        kept = [_withheld(value) for value in values]
        if kept == [None, None] and action != "delete":
            continue  # nothing but an empty value was written: the app no longer lists it
        result[field] = kept
    return result


def redacted_summary(action, entity_type, entity_id, summary):
    """An action's summary quoted its description; it names the action by its id instead."""
    if entity_type != "action" or action not in ("create", "update", "delete"):
        return summary
    return f"{action} action #{entity_id if entity_id is not None else '?'}"


def redact(connection):
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(audit_events).where(audit_events.c.entity_type.in_(list(CONTENT_FIELDS)),
                                          audit_events.c.id > last_id)
            .order_by(audit_events.c.id).limit(BATCH)).mappings().all()
        if not rows:
            return
        for row in rows:
            changes = redacted_changes(row["action"], CONTENT_FIELDS[row["entity_type"]], row["changes"])
            summary = redacted_summary(row["action"], row["entity_type"], row["entity_id"], row["summary"])
            values = {**({"changes": changes} if changes != row["changes"] else {}),
                      **({"summary": summary} if summary != row["summary"] else {})}
            if values:
                connection.execute(audit_events.update().where(audit_events.c.id == row["id"]).values(**values))
        last_id = rows[-1]["id"]


def begin_sqlite_transaction(connection):
    """Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so a DROP TRIGGER issued first
    would commit on its own: a failure later would leave the trail without its trigger. Opening the
    transaction first makes the drop, the redaction and the new trigger commit, or roll back, together."""
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")


def upgrade():
    connection = op.get_bind()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        begin_sqlite_transaction(connection)
    for statement in DROP_TRIGGERS[dialect]:
        op.execute(statement)
    redact(connection)
    for statement in CREATE_TRIGGERS[dialect]:
        op.execute(statement)


def downgrade():
    # Nothing to undo: the content is not restored, and the schema (triggers included) is unchanged.
    pass

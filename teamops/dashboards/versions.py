"""Which teams' figures a transaction changed, and their versions (issue 8: "a per-team data version, so an
unchanged dashboard is not rebuilt, invalidated by every write that changes it").

Every flush notes whose figures and pages its objects touch: a case, an allocation, a booking, a supervision
record or discussion, an action, an oversight entry, a grant of a role, a member of staff (by their team,
before and after a move; by everyone's, when what other pages show of them changes: a name, a role). Just
before the commit those become team ids and each team's version goes up by one, in one statement, in the same
transaction: the new figures and the new version are committed together or not at all, and the version rows
are locked last, for the shortest time. Changes to what every team depends on (the policy, services, teams)
and writes that bypass the ORM (bulk imports: ``changed_everything``) move row 0, which every cache key
includes. Kept pages (teamops.kept) are kept under the same versions.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Select, case, event, func, inspect, or_, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import MANYTOONE, Session, UOWTransaction

from teamops.bookings.models import Booking
from teamops.cases.models import Case, CaseAllocation, OversightEntry
from teamops.dashboards.models import EVERY_TEAM, FiguresVersion
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction, InductionDay, InductionItem
from teamops.org.models import Absence, Cover, OrganisationSettings, RoleGrant, Service, Staff, Team
from teamops.policy.models import CaseType, PolicyChange, SupervisionSettings
from teamops.quality.audit_models import AuditAction, CaseAudit
from teamops.quality.models import DipSample, PracticeObservation
from teamops.records.models import CaseDiscussion, SupervisionAction, SupervisionRecord
from teamops.returns.models import CaseloadReview, ReturnChase, SupervisionReturn

# Past this many people or cases in one transaction (an import), every team's version moves instead.
MOST_IDS = 500
_STAFF, _CASES, _ALL = "figures_staff", "figures_cases", "figures_all"
_INDUCTIONS = "figures_inductions"  # an induction's id: its starter's team (a checklist item's state)
_AUDITS = "figures_audits"  # a case audit's id: its case's team now (its manager's home shows the findings)
# The attribute of each model that names whose figures it changes, or None for "every team". The
# relationships that can move to someone else (a case's worker, an action's owner, a person's team) keep
# their old value on change (``active_history``), so both sides of a move are seen.
_WHOSE: dict[type, tuple[str, tuple[str, ...]] | None] = {
    Staff: (_STAFF, ("id",)), Case: (_STAFF, ("worker",)), CaseAllocation: (_STAFF, ("worker_id",)),
    Booking: (_STAFF, ("worker_id", "supervisor_id", "attendees")),
    SupervisionRecord: (_STAFF, ("worker_id", "supervisor_id", "attendees")),
    SupervisionAction: (_STAFF, ("owner",)), RoleGrant: (_STAFF, ("staff_id",)),
    CaseDiscussion: (_CASES, ("case_id",)), OversightEntry: (_CASES, ("case_id",)),
    Absence: (_STAFF, ("staff_id",)),
    # An induction's page, the starter's, buddy's and hosts' homes and the managers' lists show it (issue 11):
    # a change moves the starter's team and, for a buddy or a host, theirs.
    Induction: (_STAFF, ("staff_id",)), InductionDay: (_INDUCTIONS, ("induction_id",)),
    InductionItem: (_INDUCTIONS, ("induction_id",)), InductionCheckin: (_INDUCTIONS, ("induction_id",)),
    InductionBuddy: (_INDUCTIONS, ("induction_id",)),
    Team: None, Service: None, CaseType: None, SupervisionSettings: None, PolicyChange: None, Cover: None,
    # A team's supervision return and QAIT's chases of it: its dashboard shows the submitted figure, its
    # managers' homes the return's state (issue 13); the organisation's return-date rule moves every due date.
    SupervisionReturn: ("figures_teams", ("team_id",)), ReturnChase: ("figures_teams", ("team_id",)),
    # A team's caseload review waits on its managers' homes until it is returned to QAIT (R-QA-3).
    CaseloadReview: ("figures_teams", ("team_id",)),
    # The team table says when each worker's practice was last observed (R-QA-7).
    PracticeObservation: (_STAFF, ("worker_id",)),
    OrganisationSettings: None,
    # A rated dip sample waits on its record's supervisor's home until they read it (R-QA-6): their team moves
    # (below); the sampled team's too, whose pages may come to show the ratings.
    DipSample: ("figures_teams", ("team_id",)),
    # A case audit's findings and open actions wait on the case's team manager's home (R-QA-5); an action also
    # on its owner's (below).
    CaseAudit: (_AUDITS, ("id",)), AuditAction: (_AUDITS, ("audit_id",)),
}
# What other teams' pages show of a person (a supervisor's name on a booking, a manager's on a team list): a
# change to one of these moves every team's version.
_SHOWN_EVERYWHERE = ("name", "email", "job_role", "role", "active")


def init_app(app: Flask) -> None:
    for name, listener in (("after_flush", _note_flush), ("before_commit", _bump_before_commit),
                           ("after_rollback", _forget), ("after_commit", _forget)):
        if not event.contains(FlaskSession, name, listener):
            event.listen(FlaskSession, name, listener)


def changed_everything(session: Session | None = None) -> None:
    """For writes made without ORM objects (a bulk import): every team's figures may have changed."""
    (session or db.session).info[_ALL] = True


def _values(obj: Any, key: str) -> list[Any]:
    """The attribute's value now and, when this flush changes it, before (a case moved to another worker); the
    ids of the people or teams a relationship names. A many-to-one relationship the object did not have loaded
    (a case closed without its worker read first) is read from its foreign key, which the row holds: otherwise
    nothing would be noted, and its team's kept figures would go stale."""
    state = inspect(obj)
    history = state.attrs[key].history
    values = [v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None]
    relationship = state.mapper.relationships.get(key)
    if not values and key in state.unloaded and relationship is not None and relationship.direction is MANYTOONE:
        values = [getattr(obj, state.mapper.get_property_by_column(column).key)
                  for column in relationship.local_columns]
    return [v.id if isinstance(v, Staff | Team) else v for v in values if v is not None]


def _note_flush(session: Session, flush_context: UOWTransaction) -> None:
    # A team whose members list changed (someone moved) is "dirty" without a column changing: not counted. A
    # booking's or record's attendees are a collection that is counted.
    dirty = [obj for obj in session.dirty
             if session.is_modified(obj, include_collections=not isinstance(obj, Team | Staff))]
    for obj in (*session.new, *dirty, *session.deleted):
        model = type(obj)
        if model not in _WHOSE:
            continue
        whose = _WHOSE[model]
        if whose is None:
            session.info[_ALL] = True
            continue
        bucket, keys = whose
        session.info.setdefault(bucket, set()).update(value for key in keys for value in _values(obj, key))
        if model is DipSample:  # the record's supervisor's home says there is feedback to read
            session.info.setdefault(_STAFF, set()).add(_supervisor_of(session, obj))
        if model is InductionBuddy or model is InductionDay:  # the buddy's or host's own home shows it
            session.info.setdefault(_STAFF, set()).update(_values(obj, "buddy_id" if model is InductionBuddy
                                                                  else "host_id"))
        if model is AuditAction:  # its owner's home lists it
            session.info.setdefault(_STAFF, set()).update(_values(obj, "owner_id"))
        if model is Staff:  # a person's row changes their team's figures, and both teams' on a move
            session.info.setdefault("figures_teams", set()).update(_values(obj, "team") + _values(obj, "team_id"))
            if obj not in session.new and any(inspect(obj).attrs[key].history.has_changes()
                                              for key in _SHOWN_EVERYWHERE):
                session.info[_ALL] = True


def _supervisor_of(session: Session, sample: DipSample) -> int | None:
    """The sampled record's supervisor: from the record when it is loaded, else read by its id."""
    record = sample.__dict__.get("record")
    if record is not None:
        return int(record.supervisor_id)
    return session.connection().scalar(select(SupervisionRecord.supervisor_id)
                                       .where(SupervisionRecord.id == sample.record_id))


def wrote_figures(session: Session) -> bool:
    """Whether this transaction has written something figures read, not yet committed: figures it builds now
    must not be kept under the versions read now."""
    return bool(session.new or session.dirty or session.deleted
                or any(session.info.get(key) for key in (_STAFF, _CASES, _INDUCTIONS, _AUDITS, _ALL,
                                                         "figures_teams")))


def _forget(session: Session) -> None:
    for key in (_STAFF, _CASES, _INDUCTIONS, _AUDITS, _ALL, "figures_teams"):
        session.info.pop(key, None)


def _bump_before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: note its objects first
    info = session.info
    staff, cases, teams = info.get(_STAFF, set()), info.get(_CASES, set()), info.get("figures_teams", set())
    inductions, audits = info.get(_INDUCTIONS, set()), info.get(_AUDITS, set())
    if not (staff or cases or teams or inductions or audits or info.get(_ALL)):
        return
    everything = info.get(_ALL) or len(staff) + len(cases) + len(teams) + len(inductions) + len(audits) > MOST_IDS
    if everything:
        wanted = {EVERY_TEAM}
    else:
        queries: list[Select[Any]] = [select(Staff.team_id).where(Staff.id.in_(sorted(staff)))]
        if cases:  # every team that held the case: a month-end figure counts it where it was then
            queries.append(select(Staff.team_id).join(CaseAllocation, CaseAllocation.worker_id == Staff.id)
                           .where(CaseAllocation.case_id.in_(sorted(cases))))
        if inductions:  # the starter's team (their induction's page, the managers' homes and lists)
            queries.append(select(Staff.team_id).join(Induction, Induction.staff_id == Staff.id)
                           .where(Induction.id.in_(sorted(inductions))))
        if audits:  # the team of each audited case's worker
            queries.append(select(Staff.team_id).join(Case, Case.worker_id == Staff.id)
                           .join(CaseAudit, CaseAudit.case_id == Case.id).where(CaseAudit.id.in_(sorted(audits))))
        wanted = set(session.scalars(union(*queries) if len(queries) > 1 else queries[0])) | teams
    _bump(session, sorted(wanted))
    _forget(session)


def _bump(session: Session, team_ids: list[int]) -> None:
    """One statement: a row per team, moved on by one, or created at a random version: a database emptied and
    filled again (a restore, a test) never repeats a version a cache may already hold."""
    if not team_ids:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    start = secrets.randbelow(2**30) + 1
    statement = dialect.insert(FiguresVersion).values([{"team_id": i, "version": start} for i in team_ids])
    session.execute(statement.on_conflict_do_update(
        index_elements=[FiguresVersion.team_id], set_={"version": FiguresVersion.version + 1}))


# Read on every request for a kept page: built once, sent on the session's connection as plain SQL (an ORM
# statement built per request costs more than the page's copy saves).
_VERSIONS = FiguresVersion.__table__
FINGERPRINT = select(
    func.count().label("rows"), func.coalesce(func.sum(_VERSIONS.c.version), 0).label("total"),
    func.max(case((_VERSIONS.c.team_id == EVERY_TEAM, _VERSIONS.c.version))).label("everything"))


def fingerprint() -> tuple[int, int, int] | None:
    """Every team's figures at once, in one aggregate: (rows, sum of versions, version of everything). Versions
    only ever go up by one or start afresh at random, so any write anywhere changes the sum; None before the
    first write, when nothing may be kept."""
    return fingerprint_of(db.session.connection().execute(FINGERPRINT).one())


def fingerprint_of(row: Any) -> tuple[int, int, int] | None:
    """The fingerprint from a row with ``FINGERPRINT``'s columns."""
    return None if row.everything is None else (int(row.rows), int(row.total), int(row.everything))


def versions_query(team_ids: Select[tuple[int]] | list[int]) -> Select[tuple[int, int]]:
    """The statement ``versions`` sends: built once for teams asked about again and again (a person's reach)."""
    return select(_VERSIONS.c.team_id, _VERSIONS.c.version).where(
        or_(_VERSIONS.c.team_id == EVERY_TEAM, _VERSIONS.c.team_id.in_(team_ids)))


def versions(team_ids: Select[tuple[int]] | list[int]) -> dict[int, int]:
    """The versions of these teams and of everything (key 0); a row never written is missing."""
    return read(versions_query(team_ids))


def read(statement: Select[tuple[int, int]]) -> dict[int, int]:
    """The versions a ``versions_query`` asks for."""
    return {team_id: version for team_id, version in db.session.connection().execute(statement)}


__all__ = ["FINGERPRINT", "changed_everything", "fingerprint", "fingerprint_of", "init_app", "read", "versions",
           "versions_query", "wrote_figures"]

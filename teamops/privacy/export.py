"""The subject access export: a person's own data as a ZIP of JSON files (one per kind, the whole truth) and CSV
copies of the flat lists (for a spreadsheet), with a README.txt saying what each file holds and what is left out.

Scope (README "What TeamOps stores and why"): a subject access request is about the person's own personal data.
Their personal supervision records (as the supervisee) are about them, so their content is included. Case and
group supervisions they took part in are listed by date, kind, their part in it and the case references, but
not what was written: that is about children and their families, whose data it is, and it is already on the
child's record in the case-recording system. What managers and quality assurance recorded about the person is
theirs: absences (with their kind), observations of their practice and dip-sample feedback on supervision they
wrote, with the feedback; case audits they did and audit actions they own by case and date only (the findings
and the actions' wording are about a child). Audit events are theirs (done by them, or about their account),
with the trail's one-line summary and never its field changes; an IP address only on events they did. Secrets
(a password hash, token or feed hashes) are never in it. Everything is read in a fixed number of statements.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from teamops.api.models import ApiToken
from teamops.audit.models import AuditEvent
from teamops.bookings.models import Booking
from teamops.cases.models import Case
from teamops.directory.models import Network
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy, InductionCheckin
from teamops.induction.models import Induction, InductionItem
from teamops.org.models import Absence, RoleGrant, Staff, Team, TeamMembership
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit
from teamops.quality.models import OBSERVATION_SETTINGS, RATINGS, RUBRIC, DipSample, PracticeObservation
from teamops.records.models import (
    ActionReview,
    CaseDiscussion,
    SupervisionAction,
    SupervisionRecord,
    record_attendees,
)
from teamops.reminders.models import DAILY, CalendarFeed, FeedNetwork, Notification, ReminderPreference
from teamops.spreadsheets import csv_text

Row = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(**values: Any) -> Row:
    return {key: _plain(value) for key, value in values.items()}


def _person(person: Staff) -> Row:
    manager = db.session.get(Staff, person.line_manager_id) if person.line_manager_id else None
    team = db.session.get(Team, person.team_id)
    return _row(name=person.name, email=person.email, job_role=person.job_role, role=person.role,
                role_label=person.role_label, team=team.name if team else None,
                line_manager=manager.name if manager else None, employment_type=person.employment_type,
                start_date=person.start_date, asye_starts_on=person.asye_starts_on, asye_ends_on=person.asye_ends_on,
                active=person.active, left_on=person.left_on, work_phone=person.work_phone,
                office_base=person.office_base, account_created_at=person.created_at,
                has_password=person.password_hash is not None,
                linked_to_a_council_account=person.sso_subject is not None)


def _role_requests(person: Staff) -> list[Row]:
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id == person.id).order_by(RoleGrant.id))
    return [_row(role=g.role, requested_at=g.requested_at, decided_at=g.decided_at, outcome=g.outcome)
            for g in grants]


def _team_history(person: Staff) -> list[Row]:
    rows = db.session.execute(
        select(Team.name, TeamMembership.from_date, TeamMembership.to_date).join(Team)
        .where(TeamMembership.staff_id == person.id).order_by(TeamMembership.from_date, TeamMembership.id))
    return [_row(team=name, from_date=start, to_date=end) for name, start, end in rows]


def _personal_supervision(person: Staff) -> list[Row]:
    """Their own personal supervision records (as the supervisee), with what was written: it is about them."""
    records = db.session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.worker_id == person.id, SupervisionRecord.kind == "personal")
        .order_by(SupervisionRecord.held_on, SupervisionRecord.id)
        .options(selectinload(SupervisionRecord.supervisor), selectinload(SupervisionRecord.actions))).all()
    reviews: dict[int, list[ActionReview]] = {}
    ids = select(SupervisionRecord.id).where(SupervisionRecord.worker_id == person.id,
                                             SupervisionRecord.kind == "personal")
    for review in db.session.scalars(select(ActionReview).where(ActionReview.record_id.in_(ids))
                                     .options(selectinload(ActionReview.action)).order_by(ActionReview.id)):
        reviews.setdefault(review.record_id, []).append(review)
    return [_row(held_on=r.held_on, supervisor=r.supervisor.name, status=r.status, version=r.version,
                 signed_off_at=r.signed_off_at, acknowledged_at=r.acknowledged_at, wellbeing=r.wellbeing,
                 workload=r.workload, learning=r.learning, your_comment=r.worker_comment,
                 you_disagreed=r.worker_disagrees, disagreement_resolution=r.disagreement_resolution,
                 actions=[_row(description=a.description, due_on=a.due_on, status=a.status, done_on=a.done_on,
                               drop_reason=a.drop_reason) for a in r.actions],
                 reviews_of_earlier_actions=[_row(action=v.action.description, outcome=v.outcome, reason=v.reason)
                                             for v in reviews.get(r.id, [])])
            for r in records]


def _case_supervisions(person: Staff) -> list[Row]:
    """Case and group supervisions they took part in: when, their part, the case references; never the content.
    At a group session, anyone but its supervisor sees only the parts about their own cases (CONTRACT "Reach"), so
    only the cases allocated to them are named."""
    attended = select(record_attendees.c.record_id).where(record_attendees.c.staff_id == person.id)
    supervisor = aliased(Staff)
    worker = aliased(Staff)
    records = db.session.execute(
        select(SupervisionRecord, worker.name, supervisor.name)
        .join(worker, worker.id == SupervisionRecord.worker_id)
        .join(supervisor, supervisor.id == SupervisionRecord.supervisor_id)
        .where(SupervisionRecord.kind != "personal",
               or_(SupervisionRecord.worker_id == person.id, SupervisionRecord.supervisor_id == person.id,
                   SupervisionRecord.id.in_(attended)))
        .order_by(SupervisionRecord.held_on, SupervisionRecord.id)).all()
    refs: dict[int, list[str]] = {}
    own_refs: dict[int, list[str]] = {}
    if records:
        for record_id, ref, case_worker in db.session.execute(
                select(CaseDiscussion.record_id, Case.case_ref, Case.worker_id).join(Case)
                .where(CaseDiscussion.record_id.in_(
                    select(SupervisionRecord.id).where(SupervisionRecord.kind != "personal", or_(
                        SupervisionRecord.worker_id == person.id, SupervisionRecord.supervisor_id == person.id,
                        SupervisionRecord.id.in_(attended)))))
                .order_by(Case.case_ref)):
            refs.setdefault(record_id, []).append(ref)
            if case_worker == person.id:
                own_refs.setdefault(record_id, []).append(ref)
    rows = []
    for record, worker_name, supervisor_name in records:
        part = ("worker" if record.worker_id == person.id
                else "supervisor" if record.supervisor_id == person.id else "attendee")
        whole = part == "supervisor" or (part == "worker" and record.kind == "case")
        cases = refs.get(record.id, []) if whole else own_refs.get(record.id, [])
        rows.append(_row(held_on=record.held_on, kind=record.kind, your_part=part, worker=worker_name,
                         supervisor=supervisor_name, case_refs=" ".join(cases), status=record.status,
                         content_removed_on=record.content_purged_on))
    return rows


def _case_actions(person: Staff) -> list[Row]:
    """Actions from case supervisions that they own: dates and state, not the wording (it is about a child)."""
    rows = db.session.execute(
        select(SupervisionAction.due_on, SupervisionAction.status, SupervisionAction.done_on, Case.case_ref,
               SupervisionRecord.held_on)
        .join(Case, Case.id == SupervisionAction.case_id).join(SupervisionRecord)
        .where(SupervisionAction.owner_id == person.id)
        .order_by(SupervisionAction.due_on, SupervisionAction.id))
    return [_row(case_ref=ref, agreed_on=held, due_on=due, status=status, done_on=done)
            for due, status, done, ref, held in rows]


def _absences(person: Staff) -> list[Row]:
    """Their long absences: the kind is theirs to see (the audit trail never records it)."""
    recorder = aliased(Staff)
    rows = db.session.execute(
        select(Absence, recorder.name).outerjoin(recorder, recorder.id == Absence.recorded_by_id)
        .where(Absence.staff_id == person.id).order_by(Absence.starts_on, Absence.id))
    return [_row(kind=a.kind_label, first_day=a.starts_on, last_day=a.ends_on, recorded_by=name,
                 recorded_at=a.recorded_at) for a, name in rows]


def _observations(person: Staff) -> list[Row]:
    """Observations of their practice, with the feedback they were given: it is about them (R-QA-7)."""
    observer = aliased(Staff)
    rows = db.session.execute(
        select(PracticeObservation, observer.name).join(observer, observer.id == PracticeObservation.observer_id)
        .where(PracticeObservation.worker_id == person.id)
        .order_by(PracticeObservation.observed_on, PracticeObservation.id))
    return [_row(observed_on=o.observed_on, setting=OBSERVATION_SETTINGS.get(o.setting, o.setting), observer=name,
                 feedback=o.feedback, recorded_at=o.recorded_at) for o, name in rows]


def _dip_feedback(person: Staff) -> list[Row]:
    """Dip samples of supervision they wrote, as rated against the rubric, with the comments back to them: about
    their supervision, not the child (R-QA-6). Samples not rated yet are not feedback yet."""
    sampler = aliased(Staff)
    samples = db.session.execute(
        select(DipSample, sampler.name, SupervisionRecord.held_on, SupervisionRecord.kind)
        .join(SupervisionRecord, SupervisionRecord.id == DipSample.record_id)
        .join(sampler, sampler.id == DipSample.sampler_id)
        .where(SupervisionRecord.supervisor_id == person.id, DipSample.rated_at.is_not(None))
        .order_by(DipSample.rated_at, DipSample.id)
        .options(selectinload(DipSample.ratings))).all()
    return [_row(record_held_on=held, record_kind=kind, sampled_by=name, rated_at=s.rated_at,
                 ratings={RUBRIC.get(r.criterion, r.criterion): RATINGS.get(r.rating, r.rating) for r in s.ratings},
                 comments=s.comments, you_read_it_at=s.read_by_supervisor_at)
            for s, name, held, kind in samples]


def _case_audits(person: Staff) -> list[Row]:
    """Case audits they carried out (or buddied): round, case, dates; not the findings, which are about a child."""
    rows = db.session.execute(
        select(CaseAudit, AuditRound, Case.case_ref).join(AuditRound, AuditRound.id == CaseAudit.round_id)
        .join(Case, Case.id == CaseAudit.case_id)
        .where(or_(CaseAudit.auditor_id == person.id, CaseAudit.buddy_id == person.id))
        .order_by(CaseAudit.due_on, CaseAudit.id))
    return [_row(round=r.name, case_ref=ref, your_part="auditor" if a.auditor_id == person.id else "buddy",
                 reaudit=a.reaudit_of_id is not None, due_on=a.due_on, submitted_at=a.submitted_at)
            for a, r, ref in rows]


def _audit_actions(person: Staff) -> list[Row]:
    """Remedial actions from case audits that they own: case, dates and state, not the wording (it is about a
    child)."""
    rows = db.session.execute(
        select(AuditAction.due_on, AuditAction.done_on, AuditAction.created_at, Case.case_ref)
        .join(CaseAudit, CaseAudit.id == AuditAction.audit_id).join(Case, Case.id == CaseAudit.case_id)
        .where(AuditAction.owner_id == person.id).order_by(AuditAction.due_on, AuditAction.id))
    return [_row(case_ref=ref, agreed_at=created, due_on=due, done_on=done) for due, done, created, ref in rows]


def _inductions(person: Staff) -> list[Row]:
    inductions = db.session.scalars(
        select(Induction).where(Induction.staff_id == person.id).order_by(Induction.starts_on, Induction.id)).all()
    ids = select(Induction.id).where(Induction.staff_id == person.id)
    items: dict[int, list[Row]] = {}
    for item in db.session.scalars(select(InductionItem).where(InductionItem.induction_id.in_(ids))
                                   .order_by(InductionItem.position, InductionItem.id)):
        items.setdefault(item.induction_id, []).append(_row(
            section=item.section, item=item.title, due_on=item.due_on, done_on=item.done_on,
            confirmed_on=item.confirmed_on, not_applicable_because=item.na_reason, comment=item.comment))
    buddies: dict[int, list[Row]] = {}
    for buddy, name in db.session.execute(select(InductionBuddy, Staff.name).join(Staff, Staff.id ==
                                          InductionBuddy.buddy_id).where(InductionBuddy.induction_id.in_(ids))
                                          .order_by(InductionBuddy.from_date, InductionBuddy.id)):
        buddies.setdefault(buddy.induction_id, []).append(_row(buddy=name, from_date=buddy.from_date,
                                                               to_date=buddy.to_date))
    checkins: dict[int, list[Row]] = {}
    for checkin, name in db.session.execute(select(InductionCheckin, Staff.name).join(Staff, Staff.id ==
                                            InductionCheckin.buddy_id).where(InductionCheckin.induction_id.in_(ids))
                                            .order_by(InductionCheckin.held_on, InductionCheckin.id)):
        checkins.setdefault(checkin.induction_id, []).append(_row(held_on=checkin.held_on, buddy=name,
                                                                  mode=checkin.mode))
    return [_row(kind=i.kind, employment_type=i.employment_type, starts_on=i.starts_on, ends_on=i.ends_on,
                 review_held_on=i.review_held_on, review_notes=i.review_notes, signed_off_on=i.signed_off_on,
                 cancelled_at=i.cancelled_at, buddies=buddies.get(i.id, []), buddy_checkins=checkins.get(i.id, []),
                 checklist=items.get(i.id, []))
            for i in inductions]


def _bookings(person: Staff) -> list[Row]:
    worker, supervisor = aliased(Staff), aliased(Staff)
    rows = db.session.execute(
        select(Booking, worker.name, supervisor.name).join(worker, worker.id == Booking.worker_id)
        .join(supervisor, supervisor.id == Booking.supervisor_id)
        .where(or_(Booking.worker_id == person.id, Booking.supervisor_id == person.id))
        .order_by(Booking.starts_at, Booking.id))
    return [_row(starts_at=b.starts_at, minutes=b.duration_minutes, kind=b.kind, worker=w, supervisor=s,
                 location=b.location, online=b.online, status=b.status) for b, w, s in rows]


def _notifications(person: Staff) -> list[Row]:
    rows = db.session.scalars(select(Notification).where(Notification.staff_id == person.id)
                              .order_by(Notification.created_at, Notification.id))
    return [_row(created_at=n.created_at, line=n.line, read_at=n.read_at) for n in rows]


def _audit(person: Staff) -> list[Row]:
    """Events they did, and events about their account; the summary line only (never field changes, which for a
    record would name fields of other people's records), their own IP address only."""
    rows = db.session.scalars(
        select(AuditEvent).where(or_(AuditEvent.actor_id == person.id,
                                     (AuditEvent.entity_type == "staff") & (AuditEvent.entity_id == person.id)))
        .order_by(AuditEvent.at, AuditEvent.id))
    return [_row(at=e.at, by_you=e.actor_id == person.id, action=e.action, summary=e.summary,
                 ip_address=e.ip_address if e.actor_id == person.id else None) for e in rows]


def _tokens(person: Staff) -> list[Row]:
    rows = db.session.scalars(select(ApiToken).where(ApiToken.staff_id == person.id).order_by(ApiToken.id))
    return [_row(label=t.label, created_at=t.created_at, expires_at=t.expires_at, last_used_at=t.last_used_at,
                 revoked_at=t.revoked_at) for t in rows]


def _reminders(person: Staff) -> Row:
    preference = db.session.get(ReminderPreference, person.id)
    feed = db.session.scalar(select(CalendarFeed.created_at).where(CalendarFeed.staff_id == person.id))
    networks = db.session.scalars(select(Network.name).join(FeedNetwork, FeedNetwork.network_id == Network.id)
                                  .where(FeedNetwork.staff_id == person.id).order_by(Network.name)).all()
    return _row(digest=preference.digest if preference else DAILY,
                email_off=sorted(preference.off) if preference else [],
                calendar_feed_made_at=feed, calendar_feed_networks=list(networks))


def collect(person: Staff) -> dict[str, Any]:
    """Everything the export holds, by file name (without ``.json``)."""
    return {
        "you": {**_person(person), "role_requests": _role_requests(person)},
        "team_history": _team_history(person),
        "personal_supervision": _personal_supervision(person),
        "case_and_group_supervisions": _case_supervisions(person),
        "case_actions_you_own": _case_actions(person),
        "inductions": _inductions(person),
        "absences": _absences(person),
        "observations_of_your_practice": _observations(person),
        "dip_sample_feedback": _dip_feedback(person),
        "case_audits_you_did": _case_audits(person),
        "audit_actions_you_own": _audit_actions(person),
        "bookings": _bookings(person),
        "notifications": _notifications(person),
        "audit_events": _audit(person),
        "api_tokens": _tokens(person),
        "reminder_settings": _reminders(person),
    }


README = """Your data from TeamOps, as of {made_at} (UTC)

This is the personal data TeamOps holds about {name} <{email}>, one JSON file per kind, and a CSV copy of each
simple list to open in a spreadsheet. Dates are YYYY-MM-DD, times ISO 8601 in UTC.

you.json                         your staff record, role and any role changes asked for
team_history.csv/.json           the teams you belonged to, from and to
personal_supervision.json        your personal supervision records, with what was written and the actions
case_and_group_supervisions.*    case and group supervisions you took part in: date, kind, your part, case
                                 references. What was written about a case is not included: it is about a child
                                 and family, and it is on the child's record in the case-recording system.
case_actions_you_own.*           actions from case supervisions that you own: dates and state, not the wording
inductions.json                  your inductions: timetable dates, buddies, check-in dates, checklist
absences.*                       your long absences: kind, first and last day, who recorded them
observations_of_your_practice.*  observations of your practice: date, setting, observer and the feedback
dip_sample_feedback.json         dip samples of supervision records you wrote: the ratings and the comments
case_audits_you_did.*            case audits you carried out or buddied: round, case reference, dates; not the
                                 findings (they are about a child and family)
audit_actions_you_own.*          remedial actions from case audits that you own: dates, not the wording
bookings.*                       supervision sessions booked with you, as the worker or the supervisor
notifications.*                  notifications TeamOps showed you
audit_events.*                   what you did in TeamOps, and changes made to your account (summary lines)
api_tokens.*                     your API tokens: labels and dates (never the token)
reminder_settings.json           your reminder and calendar feed choices

Not included: passwords, tokens and feed addresses (only kept as hashes); other people's supervision records;
what a buddy noted about a check-in (ask your information governance team: it is reviewed for other people's
data before it is released). See the README of TeamOps, "What TeamOps stores and why".
"""


def _csv(rows: Sequence[Row]) -> str | None:
    """A CSV copy of a list of flat rows; None for a list whose rows hold lists (JSON only)."""
    if not rows or any(isinstance(value, list | dict) for row in rows for value in row.values()):
        return None
    header = list(rows[0])
    return csv_text([header, *([row[key] for key in header] for row in rows)])


def export_zip(person: Staff, made_at: datetime) -> bytes:
    data = collect(person)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(made_at=made_at.isoformat(timespec="seconds"),
                                                     name=person.name, email=person.email))
        for name, value in data.items():
            archive.writestr(f"{name}.json", json.dumps(value, indent=2, ensure_ascii=False))
            if isinstance(value, list):
                text = _csv(value)
                if text is not None:
                    archive.writestr(f"{name}.csv", text)
    return out.getvalue()

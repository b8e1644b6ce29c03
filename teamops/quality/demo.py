"""The demo's quality assurance.

Dip samples (R-QA-6): over the last three months (this one included), the demo service manager has sampled and
rated two records a month of each team they oversee, so the ratings over time have something to show. The records
are personal supervisions the demo already holds, written up in TeamOps (their dates do not change, so no figure
does), and one more a month is written up and left for picking; the latest sample of the demo manager's
supervision is rated and not yet read (their home says so), and one of last month's is picked and waits for its
ratings.

Observations of practice (R-QA-7) over the last months, so the team tables say when each worker was last observed
(some never)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Service, Staff, Team
from teamops.quality.audit_models import CaseAudit
from teamops.quality.models import (
    NOT_MET,
    OBSERVATION_SETTINGS,
    PARTLY,
    PICKED_AT_RANDOM,
    PICKED_BY_HAND,
    RUBRIC,
    DipRating,
    DipSample,
    PracticeObservation,
)
from teamops.records.models import SupervisionRecord

MONTHS = 3
PER_TEAM = 2
OWN_HISTORY = ("worker@example.org", "newstarter@example.org")  # the demo accounts keep the records they have
WRITTEN = {
    "wellbeing": "Feeling settled in the team; talked through a difficult home visit and what helped afterwards.",
    "workload": "Caseload is manageable; two assessments due this month, one case to review for closure.",
    "learning": "Wants to build confidence in court work: shadow a colleague at the next hearing.",
}
COMMENTS = (
    "A reflective discussion of the visit. Say who does each action and by when, and review last month's actions "
    "first.",
    "Clear decisions with their reasons. Next time, note the worker's own reflections in their words.",
    "Good to see last month's actions reviewed. The actions agreed need dates.",
)


def seed_dip_samples(on: date, teams: list[Team], sampler: Staff, supervisor: Staff) -> None:
    """``teams`` are the teams ``sampler`` oversees, the demo manager's first; ``supervisor`` is the demo manager,
    whose latest sample is left unread."""
    last = dates.add_months(on.replace(day=1), -1)
    months = [dates.add_months(last, back) for back in range(2 - MONTHS, 2)]  # to this month: the demo's history
    unread: DipSample | None = None
    for n, team in enumerate(teams):
        for m, month in enumerate(months):
            for k, record in enumerate(_records(team, month, sampler)):
                _write_up(record)
                if k >= PER_TEAM:
                    continue  # written up, not sampled: one left to pick
                sample = DipSample(record=record, team=team, month=month, sampler=sampler,
                                   picked=PICKED_AT_RANDOM if k == 0 else PICKED_BY_HAND,
                                   sampled_at=min(dates.start_of_day(month + timedelta(days=35)), dates.utcnow()))
                db.session.add(sample)
                if month == last and n == 1 and k == 0:
                    continue  # picked, waiting for its ratings
                _rate(sample, n + m + k)
                latest = unread is None or record.held_on >= unread.record.held_on
                if record.supervisor_id == supervisor.id and latest:
                    unread = sample
    db.session.flush()
    if unread is not None:
        unread.read_by_supervisor_at = None


def _records(team: Team, month: date, sampler: Staff) -> list[SupervisionRecord]:
    """The team's first personal supervisions held in the month (by people in the team now, who were in it
    then: the demo moves nobody), never one of the sampler's own supervision."""
    return list(db.session.scalars(
        select(SupervisionRecord).join(Staff, Staff.id == SupervisionRecord.worker_id)
        .where(Staff.team_id == team.id, Staff.email.not_in(OWN_HISTORY), SupervisionRecord.kind == "personal",
               SupervisionRecord.supervisor_id != sampler.id, SupervisionRecord.worker_id != sampler.id,
               SupervisionRecord.status == "signed_off",
               SupervisionRecord.held_on.between(month, dates.month_end(month.year, month.month)))
        .order_by(SupervisionRecord.held_on, SupervisionRecord.id).limit(PER_TEAM + 1)))


def _write_up(record: SupervisionRecord) -> None:
    """The record as if written in TeamOps on the day, signed off and acknowledged (nothing waits on anyone)."""
    held = dates.start_of_day(record.held_on)
    record.imported = False
    record.wellbeing, record.workload, record.learning = WRITTEN["wellbeing"], WRITTEN["workload"], WRITTEN["learning"]
    record.recorded_at = record.signed_off_at = held + timedelta(hours=15)
    record.acknowledged_at = held + timedelta(days=1, hours=10)


def _rate(sample: DipSample, seed: int) -> None:
    """Most criteria met; a varying one or two partly met or not met, so the trend moves."""
    criteria = list(RUBRIC)
    weak = {criteria[seed % len(criteria)]: PARTLY, criteria[(seed * 3 + 1) % len(criteria)]: NOT_MET}
    sample.ratings = [DipRating(criterion=criterion, rating=weak.get(criterion, "met")) for criterion in criteria]
    sample.comments = COMMENTS[seed % len(COMMENTS)]
    sample.rated_at = sample.sampled_at + timedelta(hours=2)
    sample.read_by_supervisor_at = sample.rated_at + timedelta(days=2)


FEEDBACK = (
    "Warm, clear explanation of the plan to the family; next time check the child's understanding in their own words.",
    "Good use of the safety plan with the parents. Develop: summarise the agreed actions before leaving.",
    "Confident chairing of the network meeting; make sure every agency's view is recorded.",
)


def seed_observations(on: date, teams: list[Team]) -> None:
    """Every third worker of these teams was never observed; the others once or twice in the last months, by
    their line manager. The demo worker's practice was observed twice."""
    settings = list(OBSERVATION_SETTINGS)
    people = db.session.scalars(
        select(Staff).where(Staff.team_id.in_([team.id for team in teams]), Staff.role == "worker",
                            Staff.active.is_(True), Staff.start_date <= on - timedelta(days=120))
        .order_by(Staff.team_id, Staff.id))
    for n, person in enumerate(people):
        times = 2 if person.email == "worker@example.org" else n % 3
        observer = person.line_manager or person.team.manager
        if observer is None:
            continue
        for k in range(times):
            day = dates.previous_working_day(on - timedelta(days=20 + 50 * k + n % 17))
            db.session.add(PracticeObservation(worker=person, observer=observer, observed_on=day,
                                               setting=settings[(n + k) % len(settings)],
                                               feedback=FEEDBACK[(n + k) % len(FEEDBACK)]))


AUDIT_QUESTIONS = (
    "Is management oversight recorded on the case, with clear direction and reasons?",
    "Is the child's voice and lived experience evident in the plan?",
    "Are supervision actions specific, with timescales, and followed up?",
)
AUDIT_FINDINGS = ("Oversight is regular and the reasons for decisions are clear; the plan reflects the child's "
                  "wishes. Actions from supervision need dates.")


def seed_audit_round(on: date, service: Service, manager: Staff, qait: Staff) -> None:
    """This quarter's thematic audit of ``service`` (R-QA-4): a case of each of its teams given to the manager of
    another team, the demo manager auditing one (with a buddy: their first audit); the audit of the demo
    manager's team submitted with a remedial action for them (their home shows both), one more submitted."""
    from teamops.quality import audits, rounds  # the services import the models this module seeds

    scale = rounds.default_scale()
    round_ = rounds.save_round(None, rounds.RoundDetails(
        year=on.year, quarter=rounds.quarter_of(on), theme="Management oversight", service_ids=(service.id,),
        due_on=dates.next_working_day(on + timedelta(days=21)), scale_id=scale.id, questions=AUDIT_QUESTIONS,
        briefing_before_at=datetime.combine(dates.previous_working_day(on - timedelta(days=7)), time(10),
                                            tzinfo=dates.LONDON),
        briefing_after_at=datetime.combine(dates.next_working_day(on + timedelta(days=28)), time(10),
                                           tzinfo=dates.LONDON),
        briefing_place="County Hall, Room 2"), qait)
    teams = sorted((team for team in service.teams if team.active and team.manager is not None
                    and db.session.scalar(select(Case.id).join(Staff, Staff.id == Case.worker_id)
                                          .where(Staff.team_id == team.id, Case.closed_on.is_(None)).limit(1))),
                   key=lambda team: (team.id != manager.team_id, team.id))  # the demo manager's team first
    managers = [team.manager for team in teams if team.manager is not None]
    given: list[CaseAudit] = []
    for n, team in enumerate(teams):
        case = db.session.scalars(select(Case).join(Staff, Staff.id == Case.worker_id)
                                  .where(Staff.team_id == team.id, Case.closed_on.is_(None))
                                  .order_by(Case.id)).first()
        auditor = manager if n == 1 else next(
            (other for other in managers[n + 1:] + managers[:n] if other.team_id != team.id and other is not manager),
            None)
        if auditor is None:
            continue
        audit = CaseAudit(round=round_, case=case, auditor=auditor, due_on=round_.due_on,
                          buddy=managers[-1] if auditor is manager else None)  # the demo manager's first audit
        db.session.add(audit)
        given.append(audit)
    db.session.flush()
    # The audit of the demo manager's team is submitted with an action for them; one more, with none needed.
    for n, audit in enumerate(given[0:3:2]):
        audits.save_draft(audit, [audits.AnswerInput(question.id, scale.grades[(n + q) % 2 + 1].id, "")
                                  for q, question in enumerate(round_.questions)],
                          scale.grades[n + 1].id, AUDIT_FINDINGS)
        if n == 0:
            owner = audits.team_of(audit).manager
            assert owner is not None
            audits.add_action(audit, audits.ActionInput("Add dates to the actions in each supervision record.",
                                                       owner.id, dates.next_working_day(on + timedelta(days=14))), on)
        audits.submit(audit, no_action_needed=n != 0, now=dates.utcnow())

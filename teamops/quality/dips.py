"""Dip-sampling supervision records (R-QA-6): which records a team held in a month, picking some (at random or
chosen), rating them against the rubric, the supervisor reading the feedback, and the ratings by team over time.

A record belongs to the team its worker was in on the day it was held (dated membership, teamops.org.memberships),
so a move later does not carry a team's past records away. Only signed-off records written in TeamOps are sampled:
a draft may still change, and an imported record holds its date and cases, not what was written. Nobody samples a
record of their own supervision (as its supervisor or its worker). Each sampler has the organisation's target per
team per month (``dip_samples_per_team``); the same record may be sampled by two people (a service manager and
QAIT), once each. Services flush; the request commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from teamops import dates, scheduling
from teamops.extensions import db
from teamops.org.memberships import held_on
from teamops.org.models import Staff, Team, TeamMembership
from teamops.org.settings import settings
from teamops.quality.models import MET, PICKED_AT_RANDOM, PICKED_BY_HAND, RATINGS, RUBRIC, DipRating, DipSample
from teamops.records.models import SupervisionRecord
from teamops.retention import keep_from_purge

TREND_MONTHS = 12
MOST_AT_ONCE = 20  # records picked at random in one go (the target's own limit)


class DipRefused(ValueError):
    """Why a pick cannot be made, in words for the person picking."""


def parse_month(text: str | None, on: date) -> date:
    """The month asked for (``YYYY-MM``), this month when none is given; DipRefused for anything else."""
    if not (text or "").strip():
        return on.replace(day=1)
    try:
        return dates.month_start((text or "").strip())
    except ValueError as error:
        raise DipRefused(f"Enter the month as YYYY-MM, for example {dates.month_code(on)}") from error


def target() -> int:
    """How many records each sampler aims to sample per team each month (an organisation setting)."""
    return settings().dip_samples_per_team


def _month_range(month: date) -> tuple[date, date]:
    return month, dates.month_end(month.year, month.month)


def records_held(team_ids: Select[tuple[int]] | list[int], month: date) -> Select[tuple[int, int]]:
    """(record id, team id) of the signed-off records written in TeamOps and held in ``month`` by workers of
    these teams, each with the team its worker was in on the day it was held."""
    first, last = _month_range(month)
    return (select(SupervisionRecord.id, TeamMembership.team_id)
            .join(TeamMembership, and_(TeamMembership.staff_id == SupervisionRecord.worker_id,
                                       held_on(SupervisionRecord.held_on)))
            .where(TeamMembership.team_id.in_(team_ids), SupervisionRecord.held_on.between(first, last),
                   SupervisionRecord.status == "signed_off", SupervisionRecord.imported.is_(False)))


def _pickable(team_id: int, month: date, sampler: Staff) -> Select[tuple[int, int]]:
    """The team's records held that month that this person may pick: not of their own supervision, nor one whose
    content the retention purge removed (there is nothing left to rate)."""
    return records_held([team_id], month).where(SupervisionRecord.supervisor_id != sampler.id,
                                               SupervisionRecord.worker_id != sampler.id,
                                               SupervisionRecord.content_purged_on.is_(None))


@dataclass(frozen=True)
class TeamMonth:
    """A team's line on the dip samples page: its records held in the month, and this sampler's samples."""

    team: Team
    held: int
    sampled: int
    rated: int
    target: int

    @property
    def left(self) -> int:
        """Samples still to pick to meet the target (never below nothing)."""
        return max(self.target - self.sampled, 0)


def month_overview(teams: Select[tuple[Team]], month: date, sampler: Staff) -> list[TeamMonth]:
    """Each team in ``teams`` with its records held in the month and this sampler's samples of them: three
    statements whatever the number of teams."""
    rows = list(db.session.scalars(teams.join(Team.service).options(contains_eager(Team.service))
                                   .order_by(Team.name, Team.id)).unique())
    ids = teams.with_only_columns(Team.id).order_by(None)
    held_rows = records_held(ids, month).subquery()
    held = dict(db.session.execute(
        select(held_rows.c.team_id, func.count()).group_by(held_rows.c.team_id)).tuples().all())
    mine = {team_id: (sampled, rated) for team_id, sampled, rated in db.session.execute(
        select(DipSample.team_id, func.count(DipSample.id), func.count(DipSample.rated_at))
        .where(DipSample.sampler_id == sampler.id, DipSample.month == month, DipSample.team_id.in_(ids))
        .group_by(DipSample.team_id)).tuples()}
    aim = target()
    return [TeamMonth(team, held.get(team.id, 0), *mine.get(team.id, (0, 0)), target=aim) for team in rows]


@dataclass(frozen=True)
class HeldRecord:
    """One record on the picking list: when, who, what kind; never what it says."""

    id: int
    held_on: date
    kind: str
    worker: str
    supervisor: str
    sample_id: int | None  # this sampler's sample of it, if they took one
    rated: bool  # ... and whether they have rated it
    own: bool  # of the sampler's own supervision: not theirs to sample


def month_records(team: Team, month: date, sampler: Staff) -> list[HeldRecord]:
    """The team's records held in the month, with their worker's and supervisor's names and this sampler's
    sample of each: one statement."""
    worker, supervisor = aliased(Staff), aliased(Staff)
    held_rows = records_held([team.id], month).subquery()
    rows = db.session.execute(
        select(SupervisionRecord.id, SupervisionRecord.held_on, SupervisionRecord.kind, worker.name, supervisor.name,
               DipSample.id, DipSample.rated_at, SupervisionRecord.worker_id, SupervisionRecord.supervisor_id)
        .join(held_rows, held_rows.c.id == SupervisionRecord.id)
        .join(worker, worker.id == SupervisionRecord.worker_id)
        .join(supervisor, supervisor.id == SupervisionRecord.supervisor_id)
        .outerjoin(DipSample, and_(DipSample.record_id == SupervisionRecord.id, DipSample.sampler_id == sampler.id))
        .order_by(SupervisionRecord.held_on, worker.name, SupervisionRecord.id)).tuples()
    return [HeldRecord(record_id, day, kind, worker_name, supervisor_name, sample_id, rated_at is not None,
                       sampler.id in (worker_id, supervisor_id))
            for record_id, day, kind, worker_name, supervisor_name, sample_id, rated_at, worker_id, supervisor_id
            in rows]


@dataclass
class Picked:
    made: list[DipSample] = field(default_factory=list)
    already: int = 0  # chosen records this person had sampled already
    refused: int = 0  # chosen records not theirs to pick (another team's, a draft, their own)


def _sample(record_id: int, team_id: int, month: date, sampler: Staff, picked: str) -> DipSample:
    sample = DipSample(record_id=record_id, team_id=team_id, month=month, sampler_id=sampler.id, picked=picked,
                       sampled_at=dates.utcnow())
    db.session.add(sample)
    return sample


def _already(sampler: Staff, record_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(record_ids))
    if not ids:
        return set()
    return set(db.session.scalars(select(DipSample.record_id).where(DipSample.sampler_id == sampler.id,
                                                                    DipSample.record_id.in_(ids))))


def pick_at_random(team: Team, month: date, sampler: Staff, count: int) -> Picked:
    """``count`` of the team's records of the month this person has not sampled yet, chosen at random."""
    if count < 1 or count > MOST_AT_ONCE:
        raise DipRefused(f"Enter how many records to pick, from 1 to {MOST_AT_ONCE}")
    pickable = dict(db.session.execute(_pickable(team.id, month, sampler)).tuples().all())
    left = sorted(set(pickable) - _already(sampler, pickable))
    if not left:
        raise DipRefused(f"There are no more of {team.name}'s records of {dates.month_label(month)} for you to "
                         "sample")
    if count > len(left):
        raise DipRefused(f"Only {len(left)} of {team.name}'s records of {dates.month_label(month)} "
                         f"{'is' if len(left) == 1 else 'are'} left for you to sample: pick {len(left)} or fewer")
    chosen = secrets.SystemRandom().sample(left, count)
    picked = Picked([_sample(record_id, team.id, month, sampler, PICKED_AT_RANDOM) for record_id in sorted(chosen)])
    db.session.flush()
    return picked


def pick_chosen(team: Team, month: date, sampler: Staff, record_ids: list[int]) -> Picked:
    """The records this person chose from the list: only the team's of the month that they may pick; those they
    had sampled already are counted, not sampled twice."""
    if not record_ids:
        raise DipRefused("Select the records to sample")
    wanted = sorted(set(record_ids))
    pickable = dict(db.session.execute(_pickable(team.id, month, sampler)
                                       .where(SupervisionRecord.id.in_(wanted))).tuples().all())
    already = _already(sampler, pickable)
    picked = Picked([_sample(record_id, team.id, month, sampler, PICKED_BY_HAND)
                     for record_id in sorted(set(pickable) - already)],
                    already=len(already), refused=len(wanted) - len(pickable))
    db.session.flush()
    return picked


def load_sample(sample_id: int) -> DipSample | None:
    """A sample with its team, record, the record's people and the ratings (one statement, and the ratings)."""
    return db.session.scalar(
        select(DipSample).join(DipSample.record).join(DipSample.team)
        .where(DipSample.id == sample_id)
        .options(contains_eager(DipSample.record), contains_eager(DipSample.team)))


def ratings_of(sample: DipSample) -> dict[str, str]:
    """The sample's rating of each criterion rated, by criterion."""
    return {rating.criterion: rating.rating for rating in sample.ratings}


def purged_reason(sample: DipSample) -> str | None:
    """Why the sample can no longer be rated: the retention purge removed its record's content."""
    purged = sample.record.content_purged_on
    if purged is None:
        return None
    return (f"This record's content was removed on {purged:%-d %B %Y} under the retention policy: there is nothing "
            "left to rate")


def rate(sample: DipSample, ratings: dict[str, str], comments: str, at: datetime) -> bool:
    """Saves a rating of every criterion and the comments; returns whether it was rated before (a change). The
    supervisor is to read it (again)."""
    purged = purged_reason(sample)
    if purged is not None:
        raise DipRefused(purged)
    if not keep_from_purge(sample.record):  # the purge removed the record's content while it was being rated
        raise DipRefused(purged_reason(sample) or "")
    if set(ratings) != set(RUBRIC) or any(value not in RATINGS for value in ratings.values()):
        raise DipRefused("Rate every criterion as met, partly met or not met")
    was_rated = sample.rated_at is not None
    kept = {rating.criterion: rating for rating in sample.ratings}
    for criterion in RUBRIC:
        if criterion in kept:
            kept[criterion].rating = ratings[criterion]
        else:
            sample.ratings.append(DipRating(criterion=criterion, rating=ratings[criterion]))
    sample.comments = comments.strip()
    sample.rated_at = at
    sample.read_by_supervisor_at = None
    db.session.flush()
    return was_rated


def mark_read(sample: DipSample, at: datetime) -> bool:
    """The supervisor has read the feedback; False when they had already."""
    if sample.read_by_supervisor_at is not None or sample.rated_at is None:
        return False
    sample.read_by_supervisor_at = at
    db.session.flush()
    return True


def feedback_for(supervisor: Staff) -> list[DipSample]:
    """The rated samples of this person's supervision, unread first, newest first: one statement (the page
    shows each with its ratings, read in one more)."""
    return list(db.session.scalars(
        select(DipSample).join(DipSample.record)
        .where(SupervisionRecord.supervisor_id == supervisor.id, DipSample.rated_at.is_not(None))
        .options(contains_eager(DipSample.record), selectinload(DipSample.ratings))
        .order_by(DipSample.read_by_supervisor_at.is_not(None), DipSample.rated_at.desc(), DipSample.id.desc())))


def rated_samples_of(record: SupervisionRecord) -> list[DipSample]:
    """The record's rated dip samples with their team and ratings, newest first (two statements, one when none):
    the record's page shows each to whoever may read it."""
    return list(db.session.scalars(
        select(DipSample).where(DipSample.record_id == record.id, DipSample.rated_at.is_not(None))
        .options(joinedload(DipSample.team), selectinload(DipSample.ratings))
        .order_by(DipSample.rated_at.desc(), DipSample.id.desc())))


def unread_count(supervisor: Staff) -> int:
    """Rated samples of this person's supervision they have not read yet (their home page says so)."""
    return db.session.scalar(
        select(func.count(DipSample.id)).join(DipSample.record)
        .where(SupervisionRecord.supervisor_id == supervisor.id, DipSample.rated_at.is_not(None),
               DipSample.read_by_supervisor_at.is_(None))) or 0


# Ratings by team over time -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthRatings:
    """The criteria rated in a month (every sampler's rated samples) and how many were met."""

    rated: int = 0
    met: int = 0

    @property
    def pct_met(self) -> float | None:
        return scheduling.percentage(self.met, self.rated)

    def __add__(self, other: MonthRatings) -> MonthRatings:
        return MonthRatings(self.rated + other.rated, self.met + other.met)


def trend_months(month: date) -> list[date]:
    """The twelve months ending with ``month``, oldest first."""
    return [dates.add_months(month, back) for back in range(1 - TREND_MONTHS, 1)]


def ratings_by_team(team_ids: Select[tuple[int]], months: list[date]) -> dict[int, dict[date, MonthRatings]]:
    """Each team's criteria rated and met per month, over ``months``: one statement."""
    met = func.sum(case((DipRating.rating == MET, 1), else_=0))
    rows = db.session.execute(
        select(DipSample.team_id, DipSample.month, func.count(DipRating.id), met)
        .join(DipRating, DipRating.sample_id == DipSample.id)
        .where(DipSample.team_id.in_(team_ids), DipSample.rated_at.is_not(None),
               DipSample.month.between(months[0], months[-1]))
        .group_by(DipSample.team_id, DipSample.month)).tuples()
    found: dict[int, dict[date, MonthRatings]] = {}
    for team_id, month, rated, met_count in rows:
        found.setdefault(team_id, {})[month] = MonthRatings(rated, int(met_count or 0))
    return found


def line_of(by_team: dict[int, dict[date, MonthRatings]], team_ids: Iterable[int],
            months: list[date]) -> list[MonthRatings]:
    """The teams' ratings added up, month by month."""
    ids = list(team_ids)
    return [sum((by_team.get(team_id, {}).get(month, MonthRatings()) for team_id in ids), MonthRatings())
            for month in months]


def criterion_totals(team_ids: Select[tuple[int]], month: date) -> list[tuple[str, dict[str, int]]]:
    """For the month, each criterion of the rubric with how many samples rated it met, partly met and not met
    (the teams' rated samples, every sampler's): one statement."""
    rows = db.session.execute(
        select(DipRating.criterion, DipRating.rating, func.count(DipRating.id))
        .join(DipSample, DipSample.id == DipRating.sample_id)
        .where(DipSample.team_id.in_(team_ids), DipSample.month == month, DipSample.rated_at.is_not(None))
        .group_by(DipRating.criterion, DipRating.rating)).tuples()
    counts: dict[str, dict[str, int]] = {criterion: dict.fromkeys(RATINGS, 0) for criterion in RUBRIC}
    for criterion, rating, count in rows:
        if criterion in counts and rating in RATINGS:
            counts[criterion][rating] = count
    return list(counts.items())


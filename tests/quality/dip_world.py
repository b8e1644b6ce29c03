"""A small organisation for the dip-sampling tests, worked out by hand: March 2026's records of the North and
South teams (and one Youth Justice record), with what may and may not be sampled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from teamops import dates
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.quality.models import RUBRIC, DipRating, DipSample
from teamops.records.models import SupervisionRecord
from tests import factories

MONTH = date(2026, 3, 1)
APRIL = date(2026, 4, 14)  # a day in April: March has ended
SECRET = "The worker was very worried about the family"  # record content: never in a list, the trail or a mail


@dataclass
class World:
    org: dict[str, Any]
    north_records: list[SupervisionRecord]  # Wren's signed-off records written in March: North's, pickable
    draft: SupervisionRecord  # Wren's draft of March
    imported: SupervisionRecord  # Wren's imported record of March (no content to judge)
    february: SupervisionRecord  # Wren's record of February
    mover_march: SupervisionRecord  # the mover's March record: held while in South, so South's
    mover_april: SupervisionRecord  # the mover's April record: North's
    south_record: SupervisionRecord
    yj_record: SupervisionRecord
    mover: Staff


def build(org: dict[str, Any]) -> World:
    teams = org["teams"]
    worker, manager = org["worker"], org["team_manager"]
    south_manager = org["south_manager"]

    def written(day: date, person: Staff, supervisor: Staff, status: str = "signed_off",
                **values: Any) -> SupervisionRecord:
        return factories.record("personal", day, person, supervisor, status=status, wellbeing=SECRET,
                                signed_off_at=dates.utcnow() if status == "signed_off" else None, **values)

    mover = factories.staff("worker", teams["south"], name="Mo Mover", start_date=date(2020, 1, 6))
    north_records = [written(date(2026, 3, day), worker, manager) for day in (3, 12, 24)]
    draft = written(date(2026, 3, 26), worker, manager, status="draft")
    imported = factories.record("personal", date(2026, 3, 27), worker, manager, imported=True, status="signed_off")
    february = written(date(2026, 2, 17), worker, manager)
    mover_march = written(date(2026, 3, 18), mover, south_manager)
    south_record = written(date(2026, 3, 10), org["south_worker"], south_manager)
    yj_record = written(date(2026, 3, 11), org["yj_worker"], factories.staff("team_manager", teams["yj"]))
    with dates.freeze(date(2026, 4, 1)):  # the mover joins North on 1 April
        mover.team = teams["north"]
        mover.line_manager = manager
        db.session.commit()
    mover_april = written(date(2026, 4, 2), mover, manager)
    return World(org, north_records, draft, imported, february, mover_march, mover_april, south_record, yj_record,
                 mover)


def rated(record: SupervisionRecord, team_id: int, month: date, sampler: Staff, met: int,
          partly: int = 0, comments: str = "") -> DipSample:
    """A sample rated by hand: ``met`` criteria met, ``partly`` partly met, the rest not met."""
    sample = DipSample(record_id=record.id, team_id=team_id, month=month, sampler_id=sampler.id,
                       rated_at=dates.utcnow(), comments=comments)
    for n, criterion in enumerate(RUBRIC):
        rating = "met" if n < met else "partly" if n < met + partly else "not_met"
        sample.ratings.append(DipRating(criterion=criterion, rating=rating))
    db.session.add(sample)
    db.session.commit()
    return sample

"""Observations of practice (R-QA-7): a manager records that they watched a worker's practice and gave
feedback, so the team dashboard can say when each worker was last observed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.expression import ScalarSelect

from teamops.extensions import db
from teamops.notify import notify
from teamops.org.models import Staff
from teamops.quality.models import OBSERVATION_SETTINGS, PracticeObservation


def record(worker: Staff, observer: Staff, observed_on: date, setting: str, feedback: str) -> PracticeObservation:
    """Records the observation and tells the worker it is on their record (the feedback itself they heard)."""
    observation = PracticeObservation(worker=worker, observer=observer, observed_on=observed_on, setting=setting,
                                      feedback=feedback.strip())
    db.session.add(observation)
    db.session.flush()
    notify(worker, "An observation of your practice was recorded",
           f"{observer.name} recorded that they observed your practice ({OBSERVATION_SETTINGS[setting].lower()}) "
           f"on {observed_on:%A %-d %B %Y}. You can read it in TeamOps.")
    return observation


def of_worker(worker_id: int) -> Select[tuple[PracticeObservation]]:
    """A worker's observations, the latest first, with who observed."""
    return (select(PracticeObservation).where(PracticeObservation.worker_id == worker_id)
            .options(joinedload(PracticeObservation.observer))
            .order_by(PracticeObservation.observed_on.desc(), PracticeObservation.id.desc()))


def last_observed_on(on: date) -> ScalarSelect[date]:
    """The outer query's person's last observation on or before ``on`` (a correlated subquery: the dashboard
    reads it with the people, in the same statement)."""
    return (select(func.max(PracticeObservation.observed_on))
            .where(PracticeObservation.worker_id == Staff.id, PracticeObservation.observed_on <= on)
            .correlate(Staff).scalar_subquery())

"""What quality assurance holds (issue 14).

A practice observation (R-QA-7) is a manager's note that they watched a worker's practice: the day, the setting
and the feedback they gave, so the team dashboard can say when each worker was last observed.

A dip sample (R-QA-6) is one supervision record picked by a service manager or QAIT (at random or chosen) and
rated against the rubric: one rating per criterion, with comments back to the supervisor. The team is the
worker's team on the day the record was held, kept on the sample so the ratings roll up by team and month.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamops.dates import utcnow
from teamops.extensions import Model
from teamops.org.models import Staff, Team
from teamops.records.models import SupervisionRecord
from teamops.types import UTCDateTime

# R-QA-7: where the practice was seen.
OBSERVATION_SETTINGS = {
    "home_visit": "Home visit",
    "child_seen_alone": "Seeing the child alone",
    "family_meeting": "Family meeting or network meeting",
    "conference": "Child protection conference or review",
    "court": "Court",
    "office": "Office, duty or telephone work",
    "other": "Other",
}
OBSERVATION_FEEDBACK_MAX = 2000

# R-QA-6: the rubric, drawn from the standards (seed 001's quality statements for managers and the employer
# standards' appendix): what a good supervision record shows.
RUBRIC = {
    "reflective": "Reflective: the worker's thinking, feelings and hypotheses are explored, not only tasks",
    "voice": "The child's voice is present: their wishes and feelings, in their words where possible",
    "lived_experience": "The child's lived experience and the plan's progress are clear",
    "decisions": "Decisions are clear, with the reasons for them",
    "actions": "Actions are specific, with who does them and by when",
    "previous_actions": "The previous supervision's actions are reviewed",
}
MET, PARTLY, NOT_MET = "met", "partly", "not_met"
RATINGS = {MET: "Met", PARTLY: "Partly met", NOT_MET: "Not met"}
PICKED_AT_RANDOM, PICKED_BY_HAND = "random", "chosen"
DIP_COMMENTS_MAX = 2000


class PracticeObservation(Model):
    """A manager watched a worker's practice and gave feedback (R-QA-7)."""

    __audited__ = "practice_observation"
    __audit_content__ = ("feedback",)
    __tablename__ = "practice_observations"
    __table_args__ = (
        CheckConstraint(f"setting IN {tuple(OBSERVATION_SETTINGS)!r}", name="setting"),
        # A worker's last observation by a date: one index seek (the dashboard's "last observed").
        Index("ix_practice_observations_worker_id_observed_on", "worker_id", "observed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    setting: Mapped[str] = mapped_column(String(20))
    feedback: Mapped[str] = mapped_column(Text, default="")  # the feedback given to the worker
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Staff] = relationship(foreign_keys=[worker_id])
    observer: Mapped[Staff] = relationship(foreign_keys=[observer_id])

    @property
    def label(self) -> str:
        return f"observation of practice on {self.observed_on:%-d %B %Y}"


class DipSample(Model):
    """One supervision record sampled and rated against the rubric (R-QA-6)."""

    __audited__ = "dip_sample"
    __audit_content__ = ("comments",)
    __tablename__ = "dip_samples"
    __table_args__ = (
        UniqueConstraint("record_id", "sampler_id", name="uq_dip_samples_record_sampler"),
        CheckConstraint(f"picked IN {(PICKED_AT_RANDOM, PICKED_BY_HAND)!r}", name="picked"),
        Index("ix_dip_samples_team_id_month", "team_id", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("supervision_records.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))  # the worker's team on the day it was held
    month: Mapped[date] = mapped_column(Date)  # the first day of the month the record was held in
    sampler_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    picked: Mapped[str] = mapped_column(String(10), default=PICKED_BY_HAND)
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None until the ratings are saved
    comments: Mapped[str] = mapped_column(Text, default="")  # back to the supervisor
    read_by_supervisor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    record: Mapped[SupervisionRecord] = relationship()
    team: Mapped[Team] = relationship()
    sampler: Mapped[Staff] = relationship()
    ratings: Mapped[list[DipRating]] = relationship(back_populates="sample", cascade="all, delete-orphan",
                                                    order_by="DipRating.id")

    @property
    def label(self) -> str:
        return f"dip sample of a supervision record of {self.month:%B %Y}"


class DipRating(Model):
    """One criterion of the rubric, rated for one sample."""

    __audited__ = "dip_rating"
    __tablename__ = "dip_ratings"
    __table_args__ = (
        UniqueConstraint("sample_id", "criterion", name="uq_dip_ratings_sample_criterion"),
        CheckConstraint(f"criterion IN {tuple(RUBRIC)!r}", name="criterion"),
        CheckConstraint(f"rating IN {tuple(RATINGS)!r}", name="rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("dip_samples.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(20))
    rating: Mapped[str] = mapped_column(String(10))

    sample: Mapped[DipSample] = relationship(back_populates="ratings")

    @property
    def label(self) -> str:
        return f"rating of '{RUBRIC[self.criterion]}'"

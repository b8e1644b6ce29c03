"""What waits for a manager (issue 10 item 3), on their home page: drafts to finish and sign off, case
discussions to put on the child's record within the 7 days (R-SUP-5), records a worker disagreed with,
escalations that come to them, cases imported for a permanent starter during their induction (R-IND-3), and
mandatory training still open after its due date in the inductions they run (R-IND-10). Each list is the
person's own (the records they wrote) or their queue, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from teamops.access import can, inductions_in_reach, staff_in_reach
from teamops.cases.allocation_rules import Breach, breaches
from teamops.dates import FILING_DAYS, days_to_file, today
from teamops.extensions import db
from teamops.induction.models import Induction, InductionItem
from teamops.org.models import Staff
from teamops.records import escalations, voice
from teamops.records.models import CaseDiscussion, SupervisionRecord
from teamops.records.services import missing_core

SHOWN = 10  # of each list; the rest are counted, with a link to the whole list


@dataclass(frozen=True)
class Draft:
    record: SupervisionRecord
    missing: int  # parts still to write before sign-off (0: ready to sign off)


@dataclass(frozen=True)
class ToFile:
    discussion: CaseDiscussion
    days_left: int  # of the 7; negative when late


@dataclass
class Waiting:
    drafts: list[Draft] = field(default_factory=list)
    to_file: list[ToFile] = field(default_factory=list)
    disagreements: list[SupervisionRecord] = field(default_factory=list)
    escalations: list[CaseDiscussion] = field(default_factory=list)
    training_overdue: list[InductionItem] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.drafts or self.to_file or self.disagreements or self.escalations or self.training_overdue
                    or self.breaches)


def training_overdue(user: Staff, on: date) -> list[InductionItem]:
    """Mandatory training still open after its due date (R-IND-10: the 6 weeks) in the inductions in this
    person's reach that are not signed off, never their own: one statement, the starters joined."""
    running = (inductions_in_reach(user).where(Induction.staff_id != user.id, Induction.signed_off_at.is_(None),
                                               Induction.cancelled_at.is_(None))
               .with_only_columns(Induction.id))
    return list(db.session.scalars(
        select(InductionItem).join(InductionItem.induction).join(Induction.staff)
        .where(InductionItem.induction_id.in_(running), InductionItem.requirement == "mandatory",
               InductionItem.done_on.is_(None), InductionItem.na_reason.is_(None), InductionItem.due_on < on)
        .options(contains_eager(InductionItem.induction).contains_eager(Induction.staff))
        .order_by(InductionItem.due_on, Staff.name, InductionItem.position, InductionItem.id)))


def waiting_for(user: Staff) -> Waiting:
    on = today()
    drafts = db.session.scalars(
        select(SupervisionRecord).where(SupervisionRecord.supervisor_id == user.id,
                                        SupervisionRecord.status == "draft")
        .options(joinedload(SupervisionRecord.worker), selectinload(SupervisionRecord.discussions)
                 .joinedload(CaseDiscussion.case))
        .order_by(SupervisionRecord.held_on, SupervisionRecord.id)).all()
    unfiled = db.session.scalars(
        select(CaseDiscussion).join(CaseDiscussion.record)
        .where(SupervisionRecord.supervisor_id == user.id, SupervisionRecord.status == "signed_off",
               SupervisionRecord.imported.is_(False), CaseDiscussion.filed_at.is_(None))
        .options(contains_eager(CaseDiscussion.record).joinedload(SupervisionRecord.worker),
                 joinedload(CaseDiscussion.case))
        .order_by(CaseDiscussion.held_on, CaseDiscussion.id)).all()
    return Waiting(
        drafts=[Draft(record, len(missing_core(record))) for record in drafts],
        to_file=[ToFile(d, FILING_DAYS - days_to_file(d.held_on, None, on)) for d in unfiled],
        disagreements=voice.waiting(user),
        escalations=escalations.open_escalations(user) if can("resolve_escalations", user=user) else [],
        training_overdue=training_overdue(user, on),
        breaches=breaches(staff_in_reach(user).with_only_columns(Staff.id)),
    )

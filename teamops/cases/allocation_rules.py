"""Who may be given a case on a day (R-IND-3, R-ASYE-2), in one place for every way a case is allocated: the
new-case form, reallocation and the case details on the case page, a leaver's hand-over and the case import.

R-IND-3: permanent staff get no case during their induction (``teamops.induction.periods``): refused, with the
day they may be given one. Agency staff may be given cases from their second day, by priority, so their first
day is a caution the manager confirms. R-ASYE-2: in the first 6 months of their ASYE (``teamops.org.asye``) a
worker leads a child protection case, or a case with a Section 47 enquiry under way, only with a co-worker named;
a co-worker is active, someone else, not in induction and not in their own first 6 ASYE months. The import is the
case system's record: it accepts such a row with a warning for the line, and a permanent starter's case shows as
a breach on the manager's home page (``breaches``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, select

from teamops import dates
from teamops.cases.models import Case, CaseAllocation
from teamops.extensions import db
from teamops.induction import periods
from teamops.induction.models import Induction
from teamops.org import asye
from teamops.org.models import Staff

CHILD_PROTECTION = "CP"


@dataclass(frozen=True)
class Finding:
    """What a rule says: the reason and what to do instead go by ``field`` (the form's worker, or its
    co-worker). ``flagged``: an import that does it anyway shows as a breach on the manager's home page."""

    reason: str
    advice: str
    field: str = "worker_id"
    flagged: bool = False

    @property
    def message(self) -> str:
        return f"{self.reason} {self.advice}".strip()

    @property
    def imported(self) -> str:
        """The import's warning for a row it accepts all the same (the case system is the record)."""
        shown = " The manager's home page shows it until the induction is signed off." if self.flagged else ""
        return f"{self.reason} Imported all the same, as the case system is the record.{shown}"


class Refusal(Finding):
    """Not allowed on a page; a warning for the line in an import."""


class Caution(Finding):
    """Allowed once the manager confirms ("Allocate anyway"); a warning for the line in an import."""


Verdict = Refusal | Caution | None


def _day(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


def induction_verdict(worker: Staff, on: date, rows: periods.Rows) -> Verdict:
    """R-IND-3 for giving ``worker`` a case on ``on``."""
    period = periods.period_on(worker, on, rows)
    if period is None:
        return None
    if period.employment_type != "agency":
        after = dates.next_working_day(period.ends_on + timedelta(days=1))
        return Refusal(f"{worker.name} is in induction until {_day(period.ends_on)}: permanent staff are not given "
                       "cases during induction (they can read the files of cases planned for them).",
                       f"Choose someone else, or allocate from {_day(after)}.", flagged=True)
    if period.is_first_day(on):
        return Caution(f"{_day(on)} is {worker.name}'s first day (agency staff, in induction until "
                       f"{_day(period.ends_on)}): agency staff are given cases from their second day, by priority.",
                       "Allocate anyway, or choose someone else.")
    return None


def needs_coworker(case_type_code: str, section_47: bool) -> bool:
    """A child protection case or a Section 47 enquiry: what an ASYE in their first 6 months may not lead alone."""
    return case_type_code == CHILD_PROTECTION or section_47


def _first_months(person: Staff) -> str:
    last = asye.first_six_months_end(person)
    return f"{person.name} is in the first 6 months of their ASYE (until {last:%-d %B %Y})"


def coworker_refusal(worker: Staff, coworker: Staff, on: date, rows: periods.Rows) -> Refusal | None:
    """A co-worker is an experienced colleague: active, not the lead, not in induction, past their first 6
    ASYE months."""
    if not coworker.active:
        return Refusal(f"{coworker.name} has left:", "choose an active co-worker.", "coworker_id")
    if coworker.id == worker.id:
        return Refusal("The co-worker cannot be the lead worker:", "choose someone else, or no co-worker.",
                       "coworker_id")
    period = periods.period_on(coworker, on, rows)
    if period is not None:
        return Refusal(f"{coworker.name} is in induction until {_day(period.ends_on)}:",
                       "choose an experienced co-worker.", "coworker_id")
    if asye.in_first_six_months(coworker, on):
        return Refusal(f"{_first_months(coworker)}:", "choose an experienced co-worker.", "coworker_id")
    return None


def asye_refusal(worker: Staff, on: date, case_type_code: str, section_47: bool,
                 coworker: Staff | None) -> Refusal | None:
    """R-ASYE-2 for the lead worker."""
    if coworker is None and needs_coworker(case_type_code, section_47) and asye.in_first_six_months(worker, on):
        return Refusal(f"{_first_months(worker)}: name an experienced co-worker to lead a child protection case or "
                       "Section 47 enquiry with them.", "", "coworker_id")
    return None


def allocation_check(worker: Staff, on: date, case_type_code: str, section_47: bool = False,
                     coworker: Staff | None = None, *, new_worker: bool = True,
                     rows: periods.Rows | None = None) -> Verdict:
    """Whether ``worker`` may lead a case of this type from ``on``: a refusal, a caution to confirm, or None.
    ``new_worker`` False: the case stays with its worker (a change of its details), so only the rules about
    the kind of case apply. ``rows``: the people's inductions when already read (the import reads everyone's
    once); otherwise one statement."""
    if rows is None:
        rows = periods.rows_for([person.id for person in (worker, coworker) if person is not None])
    verdict = induction_verdict(worker, on, rows) if new_worker else None
    if isinstance(verdict, Refusal):
        return verdict
    if coworker is not None:
        refusal = coworker_refusal(worker, coworker, on, rows)
        if refusal is not None:
            return refusal
    return asye_refusal(worker, on, case_type_code, section_47, coworker) or verdict


def induction_ends(worker_ids: Select[tuple[int]] | Sequence[int], workers: Sequence[Staff],
                   on: date) -> dict[int, date]:
    """For a list of workers to choose from: the last day of the induction of those in one on ``on``."""
    rows = periods.rows_for(worker_ids)
    found = {}
    for worker in workers:
        period = periods.period_on(worker, on, rows)
        if period is not None:
            found[worker.id] = period.ends_on
    return found


@dataclass(frozen=True)
class Breach:
    case_id: int
    case_ref: str
    worker_name: str
    allocated_on: date
    ends_on: date


def breaches(people: Select[tuple[int]]) -> list[Breach]:
    """Cases allocated to a permanent starter during their induction (only an import can do that), while that
    induction is open, for the people in ``people`` (a query of ids): one statement."""
    rows = db.session.execute(
        select(Case.id, Case.case_ref, Staff.name, CaseAllocation.from_date, Induction.ends_on)
        .join(CaseAllocation, CaseAllocation.case_id == Case.id)
        .join(Staff, Staff.id == CaseAllocation.worker_id)
        .join(Induction, and_(Induction.staff_id == Staff.id, Induction.kind == "new_starter",
                              Induction.employment_type == "permanent", Induction.cancelled_at.is_(None),
                              Induction.signed_off_at.is_(None), Induction.starts_on <= CaseAllocation.from_date,
                              Induction.ends_on >= CaseAllocation.from_date))
        .where(Staff.id.in_(people))
        .order_by(CaseAllocation.from_date.desc(), Case.case_ref))
    return [Breach(*row) for row in rows]

"""Buddies and shadowing hosts (R-IND-4, R-IND-11): ranked suggestions with their reasons, the refusals, and
naming one (a change of buddy keeps the history). Services flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from teamops import dates
from teamops.extensions import db
from teamops.induction.buddy_models import InductionBuddy
from teamops.induction.checklist import tick_automatic
from teamops.induction.models import Induction, InductionDay
from teamops.induction.services import job_group_for
from teamops.notify import notify
from teamops.org.models import MANAGER_ROLES, OrganisationSettings, Staff, Team

SHOWN = 10  # suggestions listed; anyone else is named by e-mail
NOT_SUGGESTED = ("qait", "admin")  # not practitioners in a team; managers are suggested only to new managers
DEFAULT_MIN_SERVICE_MONTHS = 6


def current_buddy_row(induction: Induction) -> InductionBuddy | None:
    return db.session.scalar(select(InductionBuddy).where(InductionBuddy.induction_id == induction.id,
                                                          InductionBuddy.to_date.is_(None))
                             .options(joinedload(InductionBuddy.buddy)))


def buddy_history(induction: Induction) -> list[InductionBuddy]:
    return list(db.session.scalars(select(InductionBuddy).where(InductionBuddy.induction_id == induction.id)
                                   .options(joinedload(InductionBuddy.buddy))
                                   .order_by(InductionBuddy.from_date, InductionBuddy.id)))


def open_induction_ending(person_id: object, on: date) -> Select[tuple[date]]:
    """The last day of a person's open induction that has not ended by ``on``, as a correlated subquery."""
    return (select(func.max(Induction.ends_on))
            .where(Induction.staff_id == person_id, Induction.signed_off_at.is_(None),
                   Induction.cancelled_at.is_(None), Induction.ends_on >= on))


def duties_now() -> Select[tuple[int]]:
    """How many open inductions each person buddies now, correlated to ``Staff``."""
    return (select(func.count(InductionBuddy.id)).join(Induction, Induction.id == InductionBuddy.induction_id)
            .where(InductionBuddy.buddy_id == Staff.id, InductionBuddy.to_date.is_(None),
                   Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None)))


def min_service_months() -> int:
    value = db.session.scalar(select(OrganisationSettings.buddy_min_service_months).where(
        OrganisationSettings.id == 1))
    return DEFAULT_MIN_SERVICE_MONTHS if value is None else value


def months_between(start: date, on: date) -> int:
    months = (on.year - start.year) * 12 + on.month - start.month
    return max(0, months - (on.day < start.day))


def length_words(months: int) -> str:
    """ "3 years", "1 year", "5 months", "1 month"."""
    if months >= 12:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


@dataclass(frozen=True)
class Suggestion:
    person: Staff
    team_name: str
    office_base: str
    duties: int
    reasons: tuple[str, ...]
    rank: tuple[object, ...]


def suggestions(induction: Induction, reach: Select[tuple[Staff]], on: date) -> list[Suggestion]:
    """Active colleagues in the starter's service, in the picker's reach or in the starter's office, best first
    (one statement): a comparable role (they take the starter on shadowed home visits), the same team then the
    same office, enough service, the fewest buddy duties now, then by name. Left out: the starter, anyone in
    their own induction, the starter's line manager and their team's manager, QAIT and admins, and managers
    unless the starter is one."""
    starter = induction.staff
    team = starter.team
    in_reach = reach.with_only_columns(Staff.id)
    own_ending = open_induction_ending(Staff.id, on).scalar_subquery()
    duties = duties_now().scalar_subquery()
    rows = db.session.execute(
        select(Staff, Team.name, Team.office_base, duties)
        .join(Team, Team.id == Staff.team_id)
        .where(Staff.active.is_(True), Team.service_id == team.service_id, Staff.id != starter.id,
               Staff.role.not_in(NOT_SUGGESTED if induction.job_group == "manager" else (*NOT_SUGGESTED,
                                                                                           *MANAGER_ROLES)),
               own_ending.is_(None),
               or_(Staff.id.in_(in_reach), Team.office_base == team.office_base),
               Staff.id != func.coalesce(starter.line_manager_id, 0), Staff.id != func.coalesce(team.manager_id, 0))
    ).all()
    minimum = min_service_months()
    found = []
    starter_group = induction.job_group
    for person, team_name, office, duty_count in rows:
        reasons: list[str] = []
        same_role = person.job_role.strip().lower() == starter.job_role.strip().lower()
        same_group = job_group_for(person) == starter_group
        if same_role:
            reasons.append(f"Also a {person.job_role.strip().lower()}")
        elif same_group:
            reasons.append({"front_line": "Front-line role", "business_support": "Business support role",
                            "manager": "A manager"}[starter_group])
        same_team = person.team_id == starter.team_id
        same_office = office == team.office_base
        if same_team:
            reasons.append("Same team")
        elif same_office:
            reasons.append(f"Same office: {office}")
        months = months_between(person.start_date, on)
        experienced = months >= minimum
        reasons.append(f"{length_words(months)}' service" if experienced
                       else f"Started {length_words(months)} ago: under {minimum} months")
        reasons.append("Buddies nobody now" if not duty_count
                       else f"Buddies {duty_count} starter{'s' if duty_count != 1 else ''} now")
        rank = (not same_role, not (same_role or same_group), not same_team, not same_office, not experienced,
                duty_count, person.name.lower(), person.id)
        found.append(Suggestion(person, team_name, office, int(duty_count or 0), tuple(reasons), rank))
    return sorted(found, key=lambda s: s.rank)[:SHOWN]


def refusal(induction: Induction, person: Staff | None, reason: str, on: date) -> str | None:
    """Why this person cannot buddy (or host) the starter, or None. A colleague from another service needs a
    reason."""
    starter = induction.staff
    if person is None or not person.active:
        if person is not None:
            return f"{person.name} has left: choose an active colleague"
        return "Nobody active in TeamOps has that e-mail address"
    if person.id == starter.id:
        return f"{starter.name} cannot be their own buddy"
    ending = db.session.scalar(open_induction_ending(person.id, on))
    if ending is not None:
        return (f"{person.name} is in their own induction until {ending:%A %-d %B %Y}: choose an experienced "
                "colleague")
    if person.team.service_id != starter.team.service_id and not reason.strip():
        return (f"{person.name} works in {person.team.service.name}: say why a buddy from another service (for "
                "example no colleague in the office this fortnight)")
    return None


def name_buddy(induction: Induction, person: Staff, reason: str, by: Staff | None) -> InductionBuddy:
    """The new buddy from today; the one before ends today (both are kept). Ticks "buddy allocated" and tells
    the buddy."""
    on = dates.today()
    current = current_buddy_row(induction)
    if current is not None:
        if current.buddy_id == person.id:
            return current
        current.to_date = on
        db.session.flush()
    row = InductionBuddy(induction=induction, buddy=person, from_date=on, reason=reason.strip() or None,
                         named_by=by)
    db.session.add(row)
    tick_automatic(induction, "buddy_named", by, on)
    db.session.flush()
    notify(person, f"You are {induction.staff.name}'s buddy",
           f"{by.name if by else 'Their manager'} has named you as {induction.staff.name}'s buddy for their "
           f"induction, which starts on {induction.starts_on:%A %-d %B %Y}. Your check-ins are on their "
           "induction page in TeamOps.")
    return row


def end_buddy(induction: Induction, on: date) -> None:
    """The current buddy stops today (a leaver's hand-over); the row stays in the history."""
    current = current_buddy_row(induction)
    if current is not None:
        current.to_date = max(on, current.from_date)
        db.session.flush()


def name_host(induction: Induction, day: InductionDay, person: Staff, reason: str) -> list[InductionDay]:
    """The host of a day; naming shadowing host A (or B) also fills that slot's other days that have none."""
    days = [day] + [other for other in induction.days
                    if other is not day and day.host_slot in ("a", "b") and other.host_slot == day.host_slot
                    and other.host_id is None]
    for each in days:
        each.host, each.host_reason = person, reason.strip() or None
    db.session.flush()
    return days


def buddying(person_id: int) -> Select[tuple[Induction]]:
    """The open inductions this person buddies now."""
    return (select(Induction).join(InductionBuddy, and_(InductionBuddy.induction_id == Induction.id,
                                                        InductionBuddy.to_date.is_(None)))
            .where(InductionBuddy.buddy_id == person_id, Induction.signed_off_at.is_(None),
                   Induction.cancelled_at.is_(None)))


def is_current_buddy(person_id: int, induction_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        InductionBuddy.induction_id == induction_id, InductionBuddy.buddy_id == person_id,
        InductionBuddy.to_date.is_(None)))))


"""Champions (issue 12 items 1 and 2): appointing, volunteering and approval, stepping down (the history stays),
and "who is my … champion?" nearest first: the person's team, then their office base, then their service, then
county-wide. A person's office base is their own when set, else their team's main base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from teamops.dates import utcnow
from teamops.directory.checking import mark_checked
from teamops.directory.models import SCOPES, Champion, ChampionArea
from teamops.extensions import db
from teamops.org.models import Staff, Team, TeamBase

NEAREST = {0: "In your team", 1: "At your office base", 2: "In your service", 3: "County-wide"}
CURRENT_STATES = ("proposed", "active")

ChampionStaff = aliased(Staff, name="champion_staff")
ChampionTeam = aliased(Team, name="champion_team")


def base_of(person: Staff) -> str:
    """Where a person works from: their own base, else their team's main one."""
    return (person.office_base or "").strip() or person.team.office_base


def champion_base() -> ColumnElement[str]:
    """The champion's office base in SQL (their own, else their team's), compared without case."""
    own = func.nullif(func.trim(func.coalesce(ChampionStaff.office_base, "")), "")
    return func.lower(func.coalesce(own, ChampionTeam.office_base))


@dataclass(frozen=True)
class Place:
    """Where "nearest" is measured from: a team, its service and an office base."""

    team_id: int
    service_id: int
    base: str

    @classmethod
    def of_person(cls, person: Staff) -> Place:
        return cls(person.team_id, person.team.service_id, base_of(person))

    @classmethod
    def of_team(cls, team: Team) -> Place:
        return cls(team.id, team.service_id, team.office_base)


def rank_from(place: Place) -> ColumnElement[int]:
    return case(
        (ChampionStaff.team_id == place.team_id, literal(0)),
        (champion_base() == place.base.strip().lower(), literal(1)),
        (ChampionTeam.service_id == place.service_id, literal(2)),
        else_=literal(3),
    )


def _serves(place: Place) -> ColumnElement[bool]:
    """Whether a champion's scope reaches someone at ``place``."""
    return or_(
        Champion.scope == "county",
        and_(Champion.scope == "team", ChampionStaff.team_id == place.team_id),
        and_(Champion.scope == "office", champion_base() == place.base.strip().lower()),
        and_(Champion.scope == "service", ChampionTeam.service_id == place.service_id),
    )


def current(on: date) -> Select[tuple[Champion]]:
    """Champions serving today (approved, started, not stepped down), whose member of staff has not left; the
    champion's staff row and team are joined (``ChampionStaff``, ``ChampionTeam``) and loaded with them."""
    return (
        select(Champion)
        .join(ChampionStaff, Champion.staff_id == ChampionStaff.id)
        .join(ChampionTeam, ChampionStaff.team_id == ChampionTeam.id)
        .join(ChampionArea, Champion.area_id == ChampionArea.id)
        .where(Champion.state == "active", Champion.starts_on <= on, ChampionStaff.active.is_(True),
               ChampionArea.active.is_(True))
        .options(contains_eager(Champion.staff.of_type(ChampionStaff)).contains_eager(
                     ChampionStaff.team.of_type(ChampionTeam)),
                 contains_eager(Champion.area))
    )


def nearest(place: Place, on: date, area_id: int | None = None, *, only_serving: bool = True,
            ) -> list[tuple[Champion, int]]:
    """Champions (of an area, or every area) with how near each is (0 team … 3 further), nearest first; with
    ``only_serving`` only those whose scope reaches ``place``."""
    rank = rank_from(place).label("rank")
    query = current(on).add_columns(rank)
    if area_id is not None:
        query = query.where(Champion.area_id == area_id)
    if only_serving:
        query = query.where(_serves(place))
    rows = db.session.execute(query.order_by(ChampionArea.name, rank, ChampionStaff.name)).all()
    return [(row[0], row[1]) for row in rows]


def nearest_by_area(place: Place, on: date) -> dict[int, tuple[Champion, int]]:
    """Each area's nearest champion serving ``place``: the directory home's table."""
    found: dict[int, tuple[Champion, int]] = {}
    for champion, rank in nearest(place, on):
        found.setdefault(champion.area_id, (champion, rank))
    return found


def in_team(team_id: int, on: date) -> list[Champion]:
    return list(db.session.scalars(current(on).where(ChampionStaff.team_id == team_id)
                                   .order_by(ChampionArea.name, ChampionStaff.name)).unique())


def at_base(base: str, on: date) -> list[Champion]:
    return list(db.session.scalars(current(on).where(champion_base() == base.strip().lower())
                                   .order_by(ChampionArea.name, ChampionStaff.name)).unique())


def active_areas() -> list[ChampionArea]:
    return list(db.session.scalars(select(ChampionArea).where(ChampionArea.active.is_(True))
                                   .order_by(ChampionArea.name)))


def current_role(person: Staff, area_id: int) -> Champion | None:
    """The person's proposed or active role in an area, if any (one at a time: a partial unique index)."""
    return db.session.scalar(select(Champion).where(
        Champion.staff_id == person.id, Champion.area_id == area_id, Champion.state.in_(CURRENT_STATES)))


def refusal(person: Staff | None, area_id: int | None, scope: str) -> str | None:
    """Why this person cannot champion this area now (or None)."""
    if person is None:
        return "Enter the work e-mail of a member of staff"
    if not person.active:
        return f"{person.name} has left, so cannot be a champion"
    if scope not in SCOPES:
        return "Choose who they champion for"
    if area_id is None or db.session.get(ChampionArea, area_id) is None:
        return "Choose an area"
    role = current_role(person, area_id)
    if role is not None:
        return (f"{person.name} is already waiting for approval as a champion for this area"
                if role.state == "proposed" else f"{person.name} is already a champion for this area")
    return None


def appoint(person: Staff, area_id: int, scope: str, starts_on: date, note: str, by: Staff) -> Champion:
    """A manager appoints a champion in their team: active from ``starts_on``."""
    champion = Champion(staff=person, area_id=area_id, scope=scope, state="active", starts_on=starts_on,
                        note=note.strip(), proposed_by_id=by.id, decided_by_id=by.id, decided_at=utcnow())
    mark_checked(champion, by)
    db.session.add(champion)
    db.session.flush()
    return champion


def volunteer(person: Staff, area_id: int, scope: str, note: str, on: date) -> Champion:
    """A member of staff offers to champion an area; their manager approves or declines."""
    champion = Champion(staff=person, area_id=area_id, scope=scope, state="proposed", starts_on=on,
                        note=note.strip(), proposed_by_id=person.id)
    mark_checked(champion, person, on)
    db.session.add(champion)
    db.session.flush()
    return champion


def decide(champion: Champion, approve: bool, by: Staff, on: date) -> None:
    """Approves a volunteer (a champion from today) or declines them."""
    champion.state = "active" if approve else "declined"
    champion.decided_by_id = by.id
    champion.decided_at = utcnow()
    if approve:
        champion.starts_on = max(champion.starts_on, on)
        mark_checked(champion, by, on)
    else:
        champion.ends_on = on if on >= champion.starts_on else champion.starts_on
    db.session.flush()


def step_down(champion: Champion, on: date) -> None:
    """Ends a champion's role (or withdraws a volunteer's offer) today; the row stays as history."""
    champion.state = "ended"
    champion.ends_on = max(on, champion.starts_on)
    db.session.flush()


def waiting_for(user: Staff, people: Select[tuple[int]]) -> list[Champion]:
    """Volunteers waiting for a decision among ``people`` (ids of those this person decides for)."""
    return list(db.session.scalars(
        select(Champion).join(Champion.staff).where(Champion.state == "proposed", Champion.staff_id.in_(people),
                                                     Staff.active.is_(True))
        .options(contains_eager(Champion.staff), selectinload(Champion.area))
        .order_by(Champion.starts_on, Staff.name)))


def history_of(people: Select[tuple[int]]) -> list[Champion]:
    """Every champion role, past and present, of ``people``: newest first."""
    return list(db.session.scalars(
        select(Champion).join(Champion.staff).where(Champion.staff_id.in_(people))
        .options(contains_eager(Champion.staff), selectinload(Champion.area))
        .order_by(Champion.state.in_(CURRENT_STATES).desc(), Champion.starts_on.desc(), Staff.name)))


def left_champions() -> list[Champion]:
    """Champions still listed whose member of staff has left: they no longer show in the directory, and each
    needs a new champion (the admins' "to check" list) until someone stands them down."""
    return list(db.session.scalars(
        select(Champion).join(Champion.staff).where(Champion.state.in_(CURRENT_STATES), Staff.active.is_(False))
        .options(contains_eager(Champion.staff).selectinload(Staff.team), selectinload(Champion.area))
        .order_by(Staff.name)))


def office_bases() -> list[str]:
    """Every office base the organisation's teams work from, and any base a person set: for browsing and
    choosing."""
    names = {name.strip() for name in db.session.scalars(select(Team.office_base).where(Team.active.is_(True)))}
    names |= {name.strip() for name in db.session.scalars(select(TeamBase.name))}
    return sorted(name for name in names if name)

"""The demo's networks and groups (DOMAIN.md "Champions, networks, teams and support"): fictional contacts from
the demo staff, shared mailboxes at example.org, and CONTRACT.md's "Diversity advocates" meeting monthly on the
third Tuesday, 14:00 to 17:00. Called by teamops/demo.py; adds and flushes, and skips a network that exists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from teamops.directory import networks, recurrence
from teamops.directory.models import Network
from teamops.directory.recurrence import MONTHLY_DAY, MONTHLY_WEEKDAY, WEEKLY, Pattern
from teamops.extensions import db
from teamops.org.models import Staff

RELEASE = "Line managers let staff, agency staff included, attend in office hours."
MON, TUE, WED, THU, FRI = range(5)


@dataclass(frozen=True)
class DemoNetwork:
    details: networks.Details
    pattern: Pattern | None
    times: tuple[time, time] | None
    roles: tuple[str, ...]  # the listed contacts' roles, filled from the demo staff in turn


def _details(name: str, kind: str, purpose: str, audience: str, mailbox: str | None, place: str, online: bool,
             notes: str = "") -> networks.Details:
    return networks.Details(name=name, kind=kind, purpose=purpose, audience=audience, mailbox=mailbox, place=place,
                            online=online, notes=" ".join(part for part in (notes, RELEASE) if part))


DEMO_NETWORKS = (
    DemoNetwork(_details(
        "Black, Asian and Multi-Ethnic staff network", "network",
        "A safe space to share experiences, support one another and influence how the service tackles racism.",
        "Staff who are Black, Asian or from a multi-ethnic background", "bame.network@example.org",
        "Room 4, County Hall", True), Pattern(MONTHLY_WEEKDAY, 1, WED, 1), (time(12, 30), time(13, 30)),
        ("co_chair", "co_chair")),
    DemoNetwork(_details(
        "Race champions", "group",
        "Champions who take anti-racist practice into their teams and bring back what they hear.",
        "Race champions in every team", "race.champions@example.org", "Online", True),
        Pattern(MONTHLY_WEEKDAY, 2, THU, 2), (time(10, 0), time(12, 0)), ("chair",)),
    DemoNetwork(_details(
        "Diversity advocates", "group",
        "Advocates who promote equality, diversity and inclusion across the service and review its policies.",
        "Anyone who works here", "diversity.advocates@example.org", "Training room, Riverside House", True),
        Pattern(MONTHLY_WEEKDAY, 1, TUE, 3), (time(14, 0), time(17, 0)), ("chair", "vice_chair")),
    DemoNetwork(_details(
        "LGBT+ staff network", "network",
        "Peer support, social events and a voice on policies that affect LGBT+ staff.",
        "Staff who are lesbian, gay, bisexual, trans or otherwise LGBT+, and allies", "lgbt.network@example.org",
        "Room 2, County Hall", True,
        "The last half hour of each meeting is confidential, for LGBT+ staff only."),
        Pattern(MONTHLY_WEEKDAY, 1, THU, -1), (time(16, 0), time(17, 30)), ("co_chair", "co_chair")),
    DemoNetwork(_details(
        "Disabled workers' group", "group",
        "Support and advice for disabled staff and those with long-term conditions, including reasonable "
        "adjustments.", "Disabled staff and staff with long-term health conditions", "disabled.workers@example.org",
        "Online", True), Pattern(MONTHLY_WEEKDAY, 2, MON, 1), (time(13, 0), time(14, 0)), ("chair",)),
    DemoNetwork(_details(
        "New starters network", "network",
        "Meet other people new to the service, ask questions and hear from managers and practitioners.",
        "Anyone in their first year here", None, "Riverside House", False),
        Pattern(WEEKLY, 2, WED), (time(10, 0), time(11, 0)), ("contact",)),
    DemoNetwork(_details(
        "Practice development group", "group",
        "Practitioner-chaired reflective sessions on research, case studies and new ways of working.",
        "Social workers and family support practitioners", "practice.development@example.org",
        "Learning centre, County Hall", False), Pattern(MONTHLY_DAY, 1, month_day=15), (time(9, 30), time(11, 0)),
        ("chair",)),
    DemoNetwork(_details(
        "Mentoring scheme", "scheme",
        "Pairs newer staff with an experienced mentor for six months: ask the scheme's contact to join.",
        "Anyone who would like a mentor, or to be one", "mentoring@example.org", "", False), None, None,
        ("contact",)),
)


def seed_networks(on: date, staff: Sequence[Staff]) -> list[Network]:
    """The demo networks with contacts taken in turn from ``staff`` (active demo people), checked ``on``."""
    made: list[Network] = []
    people = [person for person in staff if person.active]
    turn = 0
    for demo in DEMO_NETWORKS:
        if db.session.scalar(select(Network.id).where(Network.name == demo.details.name)) is not None:
            continue
        contacts = []
        for _ in demo.roles:
            if people:
                contacts.append(people[turn % len(people)])
                turn += 1
        schedule = networks.Schedule()
        if demo.pattern is not None and demo.times is not None:
            first = on.replace(day=1) - timedelta(days=180)
            schedule = networks.Schedule(demo.pattern, first, None, *demo.times)
        checker = contacts[0] if contacts else None
        network = networks.save_network(None, demo.details, schedule, checker) if checker is not None else \
            _saved_unchecked(demo.details, schedule, on)
        for person, role in zip(dict.fromkeys(contacts), demo.roles, strict=False):
            networks.add_contact(network, person, role, True, on - timedelta(days=30))
        network.checked_on = on - timedelta(days=14)
        made.append(network)
    diversity = next((network for network in made if network.name == "Diversity advocates"), None)
    if diversity is not None:
        _change_meetings(diversity, on)
    db.session.flush()
    return made


def _saved_unchecked(details: networks.Details, schedule: networks.Schedule, on: date) -> Network:
    """With no staff to list, the network is still saved: it shows that it needs a contact."""
    network = Network(name=details.name, kind=details.kind, purpose=details.purpose, audience=details.audience,
                      mailbox=details.mailbox, place=details.place, online=details.online, notes=details.notes,
                      checked_on=on)
    if schedule.pattern is not None:
        network.rule, network.first_on = recurrence.to_rule(schedule.pattern), schedule.first_on
        network.starts_at, network.ends_at = schedule.starts_at, schedule.ends_at
    db.session.add(network)
    db.session.flush()
    return network


def _change_meetings(network: Network, on: date) -> None:
    """One meeting cancelled and one moved, a few months ahead, so the page and the .ics show both."""
    assert network.rule is not None and network.first_on is not None
    ahead = recurrence.meeting_days(network.rule, network.first_on, None, on + timedelta(days=60),
                                    on + timedelta(days=200))
    if len(ahead) >= 2:
        networks.add_exception(network, ahead[0], note="Cancelled: the room is needed for training")
        networks.add_exception(network, ahead[1], ahead[1] + timedelta(days=1), time(10, 0), time(13, 0),
                               note="Moved to the Wednesday morning")

"""Audit rounds' rules (issue 14 item 1, R-QA-4): the pick stratified by case type against a small organisation
worked out by hand (tests/quality/rounds_world.py), the own-team setting and the line-manager rule, buddies for
first-time auditors, progress counts and grades by service and question, grading scales."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.settings import settings
from teamops.quality import round_picks, rounds
from teamops.quality.audit_models import OFSTED_GRADES, CaseAudit, GradeScale
from teamops.quality.round_picks import stratify
from teamops.quality.rounds import Refused
from teamops.reminders.models import OutboxMail
from tests.quality.rounds_world import TODAY, World, audit, build, details, make_round


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


def case_id(ref: str) -> int:
    found = db.session.scalar(select(Case.id).where(Case.case_ref == ref))
    assert found is not None
    return found


def audits_made() -> int:
    return db.session.scalar(select(func.count(CaseAudit.id))) or 0


@pytest.mark.parametrize(("n", "seats"), [
    (5, {"CP": 3, "CIN": 1, "EH": 1}),  # 3.0, 1.5 and 0.5 of 5: EH gets its one
    (4, {"CP": 2, "CIN": 1, "EH": 1}),  # 2.4, 1.2, 0.4
    (8, {"CP": 5, "CIN": 2, "EH": 1}),  # 4.8, 2.4, 0.8: the largest remainder (CP's .8) takes the eighth
    (2, {"CP": 1, "CIN": 1}),  # fewer than the types: the biggest types one each
    (10, {"CP": 6, "CIN": 3, "EH": 1}),  # every case
    (25, {"CP": 6, "CIN": 3, "EH": 1}),  # no more than there are
    (0, {}),
])
def test_the_pick_is_spread_across_case_types_in_proportion(n: int, seats: dict[str, int]) -> None:
    assert stratify({"CP": 6, "CIN": 3, "EH": 1, "YJ": 0}, n) == seats


def test_the_offer_follows_the_types_spreads_the_work_and_never_gives_a_manager_their_own_team(
        world: World) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world)
        offer = round_picks.offer(round_, 5, seed=7, on=TODAY)
        again = round_picks.offer(round_, 5, seed=7, on=TODAY)
    assert offer.rows == again.rows  # the same seed, the same pick
    assert offer.available == 10  # the Youth Justice cases and the closed one are never offered
    assert Counter(row.case.case_type for row in offer.rows) == {"CP": 3, "CIN": 1, "EH": 1}
    team_of = {manager.id: manager.team_id for manager in world.managers.values()}
    assert all(team_of[row.auditor_id] != row.case.team_id for row in offer.rows)
    assert sorted(Counter(row.auditor_id for row in offer.rows).values()) == [1, 2, 2]  # 5 cases, 3 auditors
    assert {a.name for a in offer.auditors} == {"East Manager", "North Manager", "South Manager"}
    assert offer.first_timers == {row.auditor_id for row in offer.rows}  # nobody has audited before
    # Another seed draws from the same types in the same numbers.
    with dates.freeze(TODAY):
        other = round_picks.offer(round_, 5, seed=8, on=TODAY)
    assert Counter(row.case.case_type for row in other.rows) == {"CP": 3, "CIN": 1, "EH": 1}


def test_a_confirmed_pick_is_written_and_a_case_of_the_auditors_own_team_is_refused(world: World) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world)
        north, south = world.managers["north"], world.managers["south"]
        with pytest.raises(Refused) as refused:
            round_picks.assign(round_, [(case_id("SOUTH-CP-1"), north.id), (case_id("NORTH-CP-1"), north.id)],
                               world.qait, TODAY)
        assert list(refused.value.problems) == ["auditor-1"]
        assert "North Manager line-manages the worker of NORTH-CP-1" in refused.value.problems["auditor-1"]
        db.session.rollback()
        assert audits_made() == 0  # nothing written
        made = round_picks.assign(round_, [(case_id("SOUTH-CP-1"), north.id), (case_id("EAST-CP-1"), 0),
                                           (case_id("NORTH-CIN-3"), south.id)], world.qait, TODAY)
        db.session.commit()
    assert [(a.case.case_ref, a.auditor.name, a.due_on) for a in made] == [
        ("SOUTH-CP-1", "North Manager", date(2026, 3, 31)), ("NORTH-CIN-3", "South Manager", date(2026, 3, 31))]
    with pytest.raises(Refused) as twice:  # already in the round
        round_picks.assign(round_, [(case_id("SOUTH-CP-1"), world.managers["east"].id)], world.qait, TODAY)
    assert "already in this round" in twice.value.problems["case-0"]
    with pytest.raises(Refused) as outside:  # a Youth Justice case, and a Youth Justice manager
        round_picks.assign(round_, [(case_id("YJ-YJ-1"), world.managers["yj"].id)], world.qait, TODAY)
    assert set(outside.value.problems) == {"case-0", "auditor-0"}


def test_the_own_team_setting_lets_a_manager_audit_their_team_but_never_their_own_reports(
        world: World, make: Any) -> None:
    north = world.managers["north"]
    colleague = make.staff("worker", world.teams["north"], name="Nova Colleague")  # line-managed by nobody
    make.case("NORTH-OWN-1", "CP", False, colleague, date(2025, 12, 1))
    with dates.freeze(TODAY):
        round_ = make_round(world)
        with pytest.raises(Refused) as refused:
            round_picks.assign(round_, [(case_id("NORTH-OWN-1"), north.id)], world.qait, TODAY)
        assert "NORTH-OWN-1 is a case of North Manager's own team (North Team)" in refused.value.problems["auditor-0"]
        db.session.rollback()
        row = settings()
        row.auditors_own_team = True
        db.session.add(row)
        db.session.commit()
        with pytest.raises(Refused) as own_report:  # the line-manager rule holds whatever the setting
            round_picks.assign(round_, [(case_id("NORTH-CP-1"), north.id)], world.qait, TODAY)
        assert "line-manages" in own_report.value.problems["auditor-0"]
        db.session.rollback()
        made = round_picks.assign(round_, [(case_id("NORTH-OWN-1"), north.id)], world.qait, TODAY)
        db.session.commit()
    assert made[0].auditor_id == north.id


def test_a_first_time_auditor_gets_an_experienced_buddy_of_their_service_and_both_are_told(
        world: World, make: Any) -> None:
    with dates.freeze(date(2025, 11, 2)):
        earlier = make_round(world, year=2025, quarter=4, due_on=date(2025, 12, 15), theme="Plans")
    audit(earlier, "NORTH-CP-1", world.managers["south"], submitted=True)  # experienced, same service
    audit(earlier, "SOUTH-CP-1", world.managers["yj"], submitted=True)  # experienced, another service
    audit(earlier, "EAST-CP-1", world.managers["north"])  # audited before, not submitted: not a first-timer
    with dates.freeze(TODAY):
        round_ = make_round(world)
        made = round_picks.assign(round_, [(case_id("NORTH-CP-2"), world.managers["east"].id),
                                           (case_id("NORTH-CIN-3"), world.managers["east"].id),
                                           (case_id("EAST-CP-2"), world.managers["south"].id),
                                           (case_id("SOUTH-CP-2"), world.managers["north"].id)], world.qait, TODAY)
        db.session.commit()
    buddies = {a.case.case_ref: a.buddy.name if a.buddy else None for a in made}
    assert buddies == {"NORTH-CP-2": "South Manager", "NORTH-CIN-3": "South Manager", "EAST-CP-2": None,
                       "SOUTH-CP-2": None}
    queued = [(row.staff.email, row.subject, row.text) for row in db.session.scalars(select(OutboxMail))]
    to_east = [text for address, _, text in queued if address == "east.tm@example.org"]
    assert to_east and any("South Manager is your audit buddy" in text for text in to_east)
    assert ("south.tm@example.org", "TeamOps: you are East Manager's audit buddy") in [q[:2] for q in queued]
    everything = "\n".join(text for _, _, text in queued)
    assert "NORTH-CP-2" in everything and "Is the plan clear?" not in everything  # a reference, no content
    # QAIT changes the buddy, then clears it.
    audit_ = made[0]
    round_picks.set_buddy(audit_, world.managers["yj"].id)
    assert audit_.buddy is not None and audit_.buddy.name == "Yj Manager"
    round_picks.set_buddy(audit_, None)
    assert audit_.buddy_id is None
    with pytest.raises(Refused):
        round_picks.set_buddy(audit_, audit_.auditor_id)  # never the auditor themselves


def test_progress_counts_each_status_on_the_day(world: World) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world)
        other = make_round(world, theme="Voice of the child")
    audit(round_, "NORTH-CP-1", world.managers["south"], submitted=True)
    audit(round_, "NORTH-CP-2", world.managers["south"], due_on=date(2026, 2, 9))  # overdue on the 10th
    audit(round_, "SOUTH-CP-1", world.managers["east"])  # due 31 March
    audit(round_, "SOUTH-CP-2", world.managers["east"], due_on=TODAY)  # due today: not overdue yet
    found = rounds.progress([round_.id, other.id], TODAY)
    assert found[round_.id] == rounds.Progress(total=4, submitted=1, overdue=1)
    assert found[round_.id].assigned == 2
    assert other.id not in found
    assert rounds.progress([round_.id], date(2026, 4, 1))[round_.id].overdue == 3


def test_grades_by_service_and_by_question_count_only_submitted_audits(world: World, make: Any) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world, service_ids=(world.csc.id, world.yj.id))
    audit(round_, "NORTH-CP-1", world.managers["south"], submitted=True, grade=1)
    audit(round_, "SOUTH-CP-1", world.managers["east"], submitted=True, grade=2)
    audit(round_, "EAST-CP-1", world.managers["north"], submitted=True, grade=2)
    audit(round_, "YJ-YJ-1", world.managers["north"], submitted=True, grade=4)
    audit(round_, "EAST-CP-2", world.managers["south"])  # not submitted: not counted
    grades = {grade.label: grade.id for grade in round_.scale.grades}
    by_service = {row.label: row.counts for row in rounds.grades_by_service(round_)}
    assert by_service == {"Children's Social Care": {grades["Outstanding"]: 1, grades["Good"]: 2},
                          "Youth Justice": {grades["Inadequate"]: 1}}
    by_question = rounds.grades_by_question(round_)
    assert [row.label for row in by_question] == ["1. Is the plan clear?", "2. Is the child's voice heard?"]
    assert by_question[0].counts == {grades["Outstanding"]: 1, grades["Good"]: 2, grades["Inadequate"]: 1}
    assert by_question[1].total == 4


def test_the_ofsted_scale_is_made_once_and_a_scale_in_use_keeps_its_grades(world: World) -> None:
    scale = rounds.default_scale()
    assert tuple(grade.label for grade in scale.grades) == OFSTED_GRADES
    assert rounds.default_scale().id == scale.id
    assert rounds.ensure_default_scale() is False
    own = rounds.save_scale(None, "Three steps", ["Strong", "Adequate", "Weak"], active=True)
    db.session.commit()
    with pytest.raises(Refused) as taken:
        rounds.save_scale(None, "three STEPS", ["A", "B"], active=True)
    assert "There is already a scale called three STEPS" in taken.value.problems["name"]
    rounds.save_scale(own, "Three steps", ["Strong", "Adequate", "Needs work"], active=True)  # unused: may change
    db.session.commit()
    assert [g.label for g in own.grades] == ["Strong", "Adequate", "Needs work"]
    with dates.freeze(TODAY):
        make_round(world, scale_id=own.id)
    with pytest.raises(Refused) as used:
        rounds.save_scale(own, "Three steps", ["Strong", "Weak"], active=True)
    assert "used by 1 audit round, so its grades cannot change" in used.value.problems["grades"]
    db.session.rollback()
    rounds.save_scale(own, "Three-step scale", ["Strong", "Adequate", "Needs work"], active=False)  # rename, retire
    db.session.commit()
    assert db.session.get(GradeScale, own.id).name == "Three-step scale"  # type: ignore[union-attr]
    assert own not in rounds.active_scales()


def test_a_round_is_unique_per_quarter_and_theme_and_locked_once_an_audit_is_submitted(world: World) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world)
        with pytest.raises(Refused) as twice:
            rounds.save_round(None, details(world, theme="  management   OVERSIGHT "), world.qait)
        assert "There is already a round on management OVERSIGHT in Q1 2026" in twice.value.problems["theme"]
        db.session.rollback()
        audit(round_, "NORTH-CP-1", world.managers["south"])
        with pytest.raises(Refused) as dropping:  # North's case is audited: Children's Social Care stays
            rounds.save_round(round_, details(world, service_ids=(world.yj.id,)), world.qait)
        assert "Cases of Children's Social Care are being audited" in dropping.value.problems["service_ids"]
        db.session.rollback()
        rounds.save_round(round_, details(world, due_on=date(2026, 3, 20)), world.qait)
        db.session.commit()
        assert round_.audits[0].due_on == date(2026, 3, 20)  # the audits follow the round's due date
        audit(round_, "SOUTH-CP-1", world.managers["east"], submitted=True)
        assert rounds.locked_message(round_) is not None
        with pytest.raises(Refused):
            rounds.save_round(round_, details(world, theme="Something else"), world.qait)

"""Dip-sampling supervision records (issue 14 item 3, R-QA-6): picking a team's records of a month (the team
on the day, the target, never a draft, an imported record or another team's), rating them against the rubric
(bad input answered next to the field, nothing written), the audit of reading a record for a sample, the
supervisor's feedback (never the worker's), and the ratings by team over time."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from teamops import dates
from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.models import OrganisationSettings
from teamops.quality import dips
from teamops.quality.dips import DipRefused
from teamops.quality.models import DIP_COMMENTS_MAX, RUBRIC, DipRating, DipSample
from tests.quality.dip_world import APRIL, MONTH, SECRET, World, build, rated

PICK = "/quality/dip-samples/teams/{team}/2026-03"


@pytest.fixture
def world(org: dict[str, Any]) -> World:
    return build(org)


def samples() -> list[DipSample]:
    return list(db.session.scalars(select(DipSample).order_by(DipSample.record_id)))


def full_rating(value: str = "met", comments: str = "") -> dict[str, str]:
    return {**{f"rating_{criterion}": value for criterion in RUBRIC}, "comments": comments}


# Picking ---------------------------------------------------------------------------------------------------

def test_random_picks_only_the_teams_signed_off_records_of_the_month_on_the_day(world: World, as_role: Any) -> None:
    """North held three signed-off records written in March (Wren's): the draft, the imported record, February's
    and the mover's March record (held while they were in South) are never picked; the mover's record is
    South's."""
    sm = as_role("service_manager")
    north, south = world.org["teams"]["north"], world.org["teams"]["south"]
    with dates.freeze(APRIL):
        for _ in range(3):
            assert sm.post_form(PICK.format(team=north.id) + "/random", {"count": "1"}).status_code == 303
        assert {s.record_id for s in samples()} == {r.id for r in world.north_records}
        assert {s.team_id for s in samples()} == {north.id} and {s.picked for s in samples()} == {"random"}
        assert all(s.month == MONTH for s in samples())
        again = sm.post_form(PICK.format(team=north.id) + "/random", {"count": "1"})
        assert again.status_code == 400
        assert "There are no more of" in again.get_data(as_text=True) and len(samples()) == 3
        south_picked = sm.post_form(PICK.format(team=south.id) + "/random", {"count": "2"})
    assert south_picked.status_code == 303
    assert {s.record_id for s in samples() if s.team_id == south.id} == {world.mover_march.id,
                                                                         world.south_record.id}


def test_random_asks_for_no_more_than_is_left_and_defaults_to_the_target(world: World, as_role: Any) -> None:
    sm = as_role("service_manager")
    north = world.org["teams"]["north"]
    with dates.freeze(APRIL):
        page = sm.get(PICK.format(team=north.id)).get_data(as_text=True)
        assert 'name="count" type="text" value="2"' in page  # the target: 2 by default
        too_many = sm.post_form(PICK.format(team=north.id) + "/random", {"count": "4"})
        assert too_many.status_code == 400 and not samples()
        text = too_many.get_data(as_text=True)
        assert "Only 3 of" in text and "pick 3 or fewer" in text and 'value="4"' in text
        assert sm.post_form(PICK.format(team=north.id) + "/random", {"count": "0"}).status_code == 400
        assert sm.post_form(PICK.format(team=north.id) + "/random", {"count": "1"}).status_code == 303
        page = sm.get(PICK.format(team=north.id)).get_data(as_text=True)
    assert 'name="count" type="text" value="1"' in page  # what is left of the target
    assert SECRET not in page  # the list says when, who and what kind: never what a record says


def test_choosing_refuses_other_records_and_never_samples_twice(world: World, as_role: Any) -> None:
    sm = as_role("service_manager")
    north = world.org["teams"]["north"]
    url = PICK.format(team=north.id) + "/chosen"
    wanted = [world.north_records[0].id, world.draft.id, world.imported.id, world.south_record.id,
              world.february.id]
    with dates.freeze(APRIL):
        nothing = sm.post_form(url, {})
        assert nothing.status_code == 400 and "Select the records to sample" in nothing.get_data(as_text=True)
        assert sm.post_form(url, {"records": [str(n) for n in wanted]}).status_code == 303
        text = sm.get(PICK.format(team=north.id)).get_data(as_text=True)
        assert "1 record added to your samples" in text and "4 could not be sampled" in text
        assert sm.post_form(url, {"records": [str(world.north_records[0].id)]}).status_code == 303
        twice = sm.get(PICK.format(team=north.id)).get_data(as_text=True)
    assert "already in your samples" in twice
    assert [(s.record_id, s.picked) for s in samples()] == [(world.north_records[0].id, "chosen")]


def test_the_same_record_is_sampled_once_by_each_person(world: World, org: dict[str, Any]) -> None:
    north = org["teams"]["north"]
    record = world.north_records[0]
    dips.pick_chosen(north, MONTH, org["service_manager"], [record.id])
    dips.pick_chosen(north, MONTH, org["qait"], [record.id])
    again = dips.pick_chosen(north, MONTH, org["qait"], [record.id])
    db.session.commit()
    assert again.already == 1 and not again.made
    assert sorted(s.sampler_id for s in samples()) == sorted([org["service_manager"].id, org["qait"].id])


def test_nobody_samples_their_own_supervision(world: World, org: dict[str, Any], make: Any) -> None:
    """The service manager's own supervision of a team manager is not theirs to rate."""
    north = org["teams"]["north"]
    own = make.record("personal", MONTH.replace(day=20), org["team_manager"], org["service_manager"],
                      status="signed_off")
    picked = dips.pick_chosen(north, MONTH, org["service_manager"], [own.id])
    assert picked.refused == 1 and not picked.made
    with pytest.raises(DipRefused):
        dips.pick_at_random(north, MONTH, org["service_manager"], 4)  # three are left: Wren's


# The page of teams -----------------------------------------------------------------------------------------

def test_the_month_across_the_teams_in_reach(world: World, as_role: Any, org: dict[str, Any]) -> None:
    sm, qait = as_role("service_manager"), as_role("qait")
    with dates.freeze(APRIL):
        page = sm.get("/quality/dip-samples?month=2026-03").get_data(as_text=True)
        assert "Family Safeguarding North" in page and "Family Safeguarding South" in page
        assert "Youth Justice Team" not in page  # not in their reach
        rows = {row.team.name: row for row in dips.month_overview(
            select(type(org["teams"]["north"])), MONTH, org["service_manager"])}
        assert (rows["Family Safeguarding North"].held, rows["Family Safeguarding South"].held) == (3, 2)
        assert rows["Youth Justice Team"].held == 1
        everyone = qait.get("/quality/dip-samples?month=2026-03").get_data(as_text=True)
        assert "Youth Justice Team" in everyone
        service = org["services"][1].id
        one_service = qait.get(f"/quality/dip-samples?month=2026-03&service={service}").get_data(as_text=True)
        assert "Youth Justice Team" in one_service and "Family Safeguarding North" not in one_service
        bad = sm.get("/quality/dip-samples?month=March")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Enter the month as YYYY-MM" in text and 'value="March"' in text


# Rating ----------------------------------------------------------------------------------------------------

@pytest.fixture
def sample(world: World, org: dict[str, Any]) -> DipSample:
    picked = dips.pick_chosen(org["teams"]["north"], MONTH, org["service_manager"], [world.north_records[0].id])
    db.session.commit()
    return picked.made[0]


@pytest.mark.parametrize(("change", "message"), [
    ({"rating_voice": ""}, "Select met, partly met or not met for “The child&#39;s voice is present"),
    ({"rating_actions": "excellent"}, "Select met, partly met or not met for “Actions are specific"),
    ({"comments": "x" * (DIP_COMMENTS_MAX + 1)}, "Comments must be 2,000 characters or fewer (you typed 2,001)"),
])
def test_bad_ratings_are_answered_next_to_the_field_and_nothing_is_written(
        sample: DipSample, as_role: Any, change: dict[str, str], message: str) -> None:
    sm = as_role("service_manager")
    form = {**full_rating(comments="Good reflection."), **change}
    if change.get("rating_voice") == "":
        del form["rating_voice"]
    answer = sm.post_form(f"/quality/dip-samples/{sample.id}", form)
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert message in text and "There is a problem" in text and "govuk-error-message" in text
    assert form["comments"] in text  # what was typed stays
    db.session.refresh(sample)
    assert sample.rated_at is None and not db.session.scalar(select(func.count(DipRating.id)))


def test_the_sampler_rates_the_supervisor_is_told_and_may_change_it(
        sample: DipSample, as_role: Any, caplog: Any) -> None:
    sm = as_role("service_manager")
    with caplog.at_level(logging.INFO):
        saved = sm.post_form(f"/quality/dip-samples/{sample.id}",
                             {**full_rating("partly"), "rating_voice": "met", "comments": "Ask about the child."})
    assert saved.status_code == 303
    db.session.refresh(sample)
    assert sample.rated_at is not None and sample.comments == "Ask about the child."
    assert dips.ratings_of(sample)["voice"] == "met" and dips.ratings_of(sample)["actions"] == "partly"
    assert "Mail to Tia Manager <tm@example.org>" in caplog.text and "dip sample" in caplog.text
    assert SECRET not in caplog.text and "Ask about the child." not in caplog.text
    changed = sm.post_form(f"/quality/dip-samples/{sample.id}", full_rating("not_met", "Write the actions."))
    assert changed.status_code == 303
    db.session.refresh(sample)
    assert set(dips.ratings_of(sample).values()) == {"not_met"} and len(sample.ratings) == len(RUBRIC)
    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "dip_sample",
                                                        AuditEvent.action == "update")).all()
    assert trail and all("Write the actions." not in str(event.changes) for event in trail)
    assert any((event.changes or {}).get("comments") == ["(content)", "(content)"] for event in trail)


def test_only_the_sampler_rates(sample: DipSample, as_role: Any) -> None:
    """QAIT reads a service manager's sample (and the record) but rates only its own."""
    qait = as_role("qait")
    assert qait.get(f"/quality/dip-samples/{sample.id}").status_code == 200
    assert qait.post_form(f"/quality/dip-samples/{sample.id}", full_rating()).status_code == 403


def test_reading_a_record_for_a_sample_is_audited_without_its_content(sample: DipSample, as_role: Any) -> None:
    sm = as_role("service_manager")
    page = sm.get(f"/quality/dip-samples/{sample.id}")
    assert page.status_code == 200 and SECRET in page.get_data(as_text=True)  # the record, read only
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).all()
    assert [(e.entity_type, e.entity_id, e.actor_label) for e in reads] == [
        ("supervision_record", sample.record_id, "sm@example.org")]
    assert "dip sample" in reads[0].summary and SECRET not in reads[0].summary and reads[0].changes is None
    trail = as_role("admin").get("/admin/audit?action=read")
    assert trail.status_code == 200 and "dip sample" in trail.get_data(as_text=True)
    assert SECRET not in trail.get_data(as_text=True)


# The supervisor's feedback ---------------------------------------------------------------------------------

def test_the_supervisor_reads_the_feedback_and_the_worker_never_does(
        sample: DipSample, as_role: Any, org: dict[str, Any]) -> None:
    sm, manager, worker = as_role("service_manager"), as_role("team_manager"), as_role("worker")
    assert manager.get(f"/quality/dip-samples/{sample.id}").status_code == 200  # not rated yet: nothing to read
    assert "Dip samples of your supervision" not in manager.get("/").get_data(as_text=True)
    sm.post_form(f"/quality/dip-samples/{sample.id}", full_rating("met", "Clear actions with dates."))
    home = manager.get("/").get_data(as_text=True)
    assert "Dip samples of your supervision (1)" in home
    listing = manager.get("/quality/dip-samples/feedback").get_data(as_text=True)
    assert "Clear actions with dates." in listing and "Not read" in listing
    page = manager.get(f"/quality/dip-samples/{sample.id}").get_data(as_text=True)
    assert "Clear actions with dates." in page and "Mark as read" in page
    assert SECRET not in page  # the record is on its own page, for those who read it
    assert manager.post_form(f"/quality/dip-samples/{sample.id}/read").status_code == 303
    db.session.refresh(sample)
    assert sample.read_by_supervisor_at is not None
    assert "Dip samples of your supervision" not in manager.get("/").get_data(as_text=True)
    for url in (f"/quality/dip-samples/{sample.id}", "/quality/dip-samples/feedback", "/quality/dip-samples"):
        answer = worker.get(url)
        assert answer.status_code == 403 and "Clear actions with dates." not in answer.get_data(as_text=True)
    assert worker.post_form(f"/quality/dip-samples/{sample.id}/read").status_code == 403


def test_the_feedback_is_on_the_records_own_page_for_its_supervisor_and_samplers_never_its_worker(
        sample: DipSample, as_role: Any, org: dict[str, Any]) -> None:
    url = f"/records/{sample.record_id}"
    assert "Dip samples of this record" not in as_role("team_manager").get(url).get_data(as_text=True)  # not rated
    rating = {**full_rating("met"), "rating_voice": "not_met", "comments": "Ask the child."}
    as_role("service_manager").post_form(f"/quality/dip-samples/{sample.id}", rating)
    supervisor = as_role("team_manager").get(url).get_data(as_text=True)
    section = supervisor[supervisor.index("Dip samples of this record"):]
    assert "Ask the child." in section and "Not read" in section and "Not met" in section
    assert f"/quality/dip-samples/{sample.id}" in section
    for reader in ("service_manager", "qait"):  # the sampler, and QAIT, whose reach holds the team
        page = as_role(reader).get(url).get_data(as_text=True)
        assert "Ask the child." in page and "Not read" not in page, reader
    worker = as_role("worker").get(url)
    assert worker.status_code == 200 and SECRET in worker.get_data(as_text=True)  # their own record
    assert "Ask the child." not in worker.get_data(as_text=True)
    assert "Dip samples of this record" not in worker.get_data(as_text=True)


# Ratings over time -----------------------------------------------------------------------------------------

def test_the_percentage_met_by_team_and_month_worked_out_by_hand(world: World, org: dict[str, Any],
                                                                 as_role: Any) -> None:
    """North: February 4 of 6 met (66.7%); March 6 and 3 of 12 (75.0%). South: March 0 of 6 (0.0%). Both teams in
    March: 9 of 18 (50.0%). An unrated sample counts for nothing."""
    north, south = org["teams"]["north"], org["teams"]["south"]
    sm, qait = org["service_manager"], org["qait"]
    rated(world.february, north.id, dates.add_months(MONTH, -1), sm, met=4, partly=1)
    rated(world.north_records[0], north.id, MONTH, sm, met=6)
    rated(world.north_records[1], north.id, MONTH, qait, met=3, partly=2)
    rated(world.south_record, south.id, MONTH, sm, met=0, partly=3)
    dips.pick_chosen(north, MONTH, sm, [world.north_records[2].id])  # picked, not rated
    db.session.commit()
    months = dips.trend_months(MONTH)
    ids = select(type(north).id).where(type(north).id.in_([north.id, south.id]))
    by_team = dips.ratings_by_team(ids, months)
    assert [point.pct_met for point in dips.line_of(by_team, [north.id], months)][-2:] == [66.7, 75.0]
    assert dips.line_of(by_team, [south.id], months)[-1].pct_met == 0.0
    assert dips.line_of(by_team, [north.id, south.id], months)[-1] == dips.MonthRatings(18, 9)
    assert dips.line_of(by_team, [north.id], months)[0].pct_met is None
    totals = dict(dips.criterion_totals(ids, MONTH))
    assert totals["reflective"] == {"met": 2, "partly": 1, "not_met": 0}  # North's two samples met it
    assert totals["decisions"] == {"met": 1, "partly": 1, "not_met": 1}
    assert totals["previous_actions"] == {"met": 1, "partly": 0, "not_met": 2}
    with dates.freeze(APRIL):
        page = as_role("service_manager").get("/quality/dip-samples?month=2026-03").get_data(as_text=True)
    for figure in ("66.7%", "75.0%", "0.0%", "50.0%"):
        assert figure in page
    assert "<svg" in page and "Percentage of criteria rated met" in page


def test_an_admin_sets_the_target(as_role: Any) -> None:
    admin = as_role("admin")
    form = {"case_ref_rule": "default", "case_ref_pattern": "", "case_ref_example": "", "case_ref_hint": "",
            "buddy_min_service_months": "6", "return_due_rule": "next"}
    refused = admin.post_form("/admin/settings", {**form, "dip_samples_per_team": "21"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Enter how many records to dip-sample per team, from 0 to 20" in text and 'value="21"' in text
    assert db.session.get(OrganisationSettings, 1) is None
    assert admin.post_form("/admin/settings", {**form, "dip_samples_per_team": "5"}).status_code == 303
    assert db.session.get(OrganisationSettings, 1).dip_samples_per_team == 5
    assert dips.target() == 5

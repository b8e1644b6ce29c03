"""What ``send-reminders`` owes whom on a day (issue 15 item 2), source by source: overdue supervision actions,
records not signed off, filed or acknowledged, a starter's checklist and pre-start tasks, buddy check-ins due and
missed, caseload commentary and case audits; each line names people, dates and case references, never content."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from teamops import dates
from teamops.extensions import db
from teamops.induction import buddies, checkins
from teamops.org.models import Cover, Team
from teamops.reminders import sources
from teamops.reminders.sources import Reminder
from teamops.returns import services as returns_services
from teamops.returns.models import CaseloadReview
from tests import factories
from tests.conftest import counting_queries
from tests.quality.audit_world import audit_round, case_audit, scale

DAY = date(2026, 11, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with dates.freeze(DAY):
        yield


def owed(app: Flask, on: date, source: Any) -> list[Reminder]:
    with app.test_request_context("/"):
        return list(source(on))


def lines_for(found: list[Reminder], person: Any) -> list[str]:
    return [r.line for r in found if r.staff_id == person.id]


def test_an_overdue_action_reminds_its_owner_without_its_words(app, org):
    factories.action(org["worker"], org["team_manager"], DAY - timedelta(days=1), description="MARK-secret plan",
                     status="open", held_on=DAY - timedelta(days=20)).record.status = "signed_off"
    db.session.commit()
    found = owed(app, DAY, sources.actions)
    assert lines_for(found, org["worker"]) == [
        "A supervision action from Wren Worker's supervision of 29 October 2026 was due 17 November 2026"]
    assert all("MARK" not in r.line for r in found)
    assert not owed(app, DAY - timedelta(days=1), sources.actions)  # due that day: not overdue yet


def test_records_not_signed_off_filed_or_acknowledged_after_seven_days(app, org):
    case = factories.case("N-SRC-1", "CP", False, org["worker"], date(2026, 6, 1))
    draft = factories.record("personal", DAY - timedelta(days=7), org["worker"], org["team_manager"])
    signed = factories.record("case", DAY - timedelta(days=9), org["worker"], org["team_manager"], [case],
                              status="signed_off",
                              signed_off_at=datetime(2026, 11, 10, 12, 0, tzinfo=dates.LONDON))
    recent = factories.record("personal", DAY - timedelta(days=6), org["worker"], org["team_manager"])
    found = owed(app, DAY, sources.records)
    manager = lines_for(found, org["team_manager"])
    assert "The record of Wren Worker's supervision of 11 November 2026 is not signed off" in manager
    assert any("9 November 2026 is not yet filed on the child's record" in line for line in manager)
    assert lines_for(found, org["worker"]) == [
        "Please read and acknowledge the record of your supervision of 9 November 2026"]
    assert all(str(recent.id) not in r.key for r in found) and draft.id and signed.id


def test_a_starters_checklist_and_pre_start_tasks(app, org, make):
    starter = make.staff("worker", org["teams"]["north"], email="starter@example.org", name="Sky Starter",
                         start_date=date(2026, 11, 23))
    starter.line_manager = org["team_manager"]
    db.session.commit()
    induction = factories.induction(starter)
    before = [item for item in induction.items if item.deadline == "before_start"]
    assert before
    found = owed(app, DAY, sources.induction)
    manager = lines_for(found, org["team_manager"])
    assert any(line.startswith("Sky Starter's induction, before they start: “") for line in manager)
    assert all("before they start" not in line for line in lines_for(found, starter))
    # A week into the induction, the starter's own overdue items reach them and their manager.
    later = owed(app, date(2026, 12, 4), sources.induction)
    theirs = [line for line in lines_for(later, starter) if " was due " in line]
    assert theirs and all(line.startswith("Your induction: “") for line in theirs)
    assert any(line.startswith("Sky Starter's induction: “") and " was due " in line
               for line in lines_for(later, org["team_manager"]))


def test_buddy_check_ins_due_today_and_missed(app, org, make):
    starter = make.staff("worker", org["teams"]["north"], email="starter@example.org", name="Sky Starter",
                         start_date=date(2026, 11, 2))
    starter.line_manager = org["team_manager"]
    db.session.commit()
    induction = factories.induction(starter)
    buddies.name_buddy(induction, org["south_worker"], "", org["team_manager"])
    db.session.commit()
    first = checkins.expected_dates(induction)[0]
    on_the_day = owed(app, first, sources.induction)
    assert "Your buddy check-in with Sky Starter is due today" in lines_for(on_the_day, org["south_worker"])
    after = dates.next_working_day(first + timedelta(days=1))
    missed = owed(app, after, sources.induction)
    line = f"The buddy check-in with Sky Starter due on {first:%-d %B %Y} was not logged"
    assert line in lines_for(missed, org["south_worker"]) and line in lines_for(missed, org["team_manager"])


def test_case_audits_due_soon_and_overdue(app, org):
    made = audit_round(scale(), list(org["services"]), due_on=date(2026, 11, 24))
    audit = case_audit(made, factories.case("N-AUD-9", "CP", False, org["worker"], date(2026, 5, 1)),
                       org["south_manager"], buddy=org["service_manager"])
    assert not owed(app, date(2026, 11, 16), sources.audits)  # 8 days before
    soon = owed(app, date(2026, 11, 17), sources.audits)
    assert lines_for(soon, org["south_manager"]) == [
        "Your audit of case N-AUD-9 (Q4 2026: Neglect) is due by 24 November 2026"]
    assert lines_for(soon, org["service_manager"]) == lines_for(soon, org["south_manager"])  # the buddy too
    late = owed(app, date(2026, 11, 25), sources.audits)
    assert lines_for(late, org["south_manager"]) == [
        "Your audit of case N-AUD-9 (Q4 2026: Neglect) was due 24 November 2026"]
    audit.content_purged_on = date(2026, 11, 25)  # a draft the retention purge emptied: it cannot be written in
    db.session.commit()
    assert not owed(app, date(2026, 11, 25), sources.audits)
    audit.content_purged_on, audit.submitted_at = None, dates.utcnow()
    db.session.commit()
    assert not owed(app, date(2026, 11, 25), sources.audits)


def test_unresolved_disagreements_go_to_whoever_resolves_them_each_week(app, org):
    """R-SUP-7: about a case's next action, to the team's service manager from the day after the session, again
    each week until resolved; about what a record says, to the supervisor, and once it has escalated (7 days on)
    to the service manager too. Never what anyone said."""
    case = factories.case("N-DIS-1", "CP", False, org["worker"], date(2026, 6, 1))
    record = factories.record("case", DAY - timedelta(days=3), org["worker"], org["team_manager"], [case],
                              status="signed_off")
    record.discussions[0].disagreement = True
    record.discussions[0].disagreement_note = "MARK-secret reasons"
    said = datetime(2026, 11, 16, 9, 0, tzinfo=dates.LONDON)  # acknowledged on Monday the 16th
    other = factories.record("personal", DAY - timedelta(days=10), org["worker"], org["team_manager"],
                             status="signed_off", acknowledged_at=said, worker_disagrees=True,
                             worker_comment="MARK-secret comment")
    db.session.commit()
    found = owed(app, DAY, sources.disagreements)
    assert lines_for(found, org["service_manager"]) == [
        "Case N-DIS-1: Wren Worker disagrees with the next action agreed in supervision on 15 November 2026, and "
        "it is not resolved"]  # the record's not escalated before the 23rd
    assert lines_for(found, org["team_manager"]) == [
        "Wren Worker disagrees with what the record of their supervision of 8 November 2026 says, and it is not "
        "resolved"]
    assert all("MARK" not in r.line for r in found)
    later = owed(app, date(2026, 11, 23), sources.disagreements)
    assert len(lines_for(later, org["service_manager"])) == 2  # the record's reached them now
    assert "(escalated to you on 23 November 2026)" in lines_for(later, org["service_manager"])[1]
    # The same week says it once (the same key); the next week again.
    assert {r.key for r in owed(app, DAY + timedelta(days=1), sources.disagreements)} == {r.key for r in found}
    assert not {r.key for r in later} & {r.key for r in found if r.staff_id == org["team_manager"].id}
    record.discussions[0].resolved_at = other.disagreement_resolved_at = dates.utcnow()
    db.session.commit()
    assert not owed(app, date(2026, 11, 23), sources.disagreements)


def test_directory_entries_to_check_go_to_their_keepers_or_the_admins(app, org):
    """Not checked for six months: a network to its listed contacts, one nobody keeps to the admins; once for
    each time it goes stale, so confirming it ends the reminder."""
    from tests.directory.conftest import make_network  # a directory helper

    kept = make_network(org["admin"], contacts=((org["worker"], "chair"),))
    orphan = make_network(org["admin"], name="Reading group")
    for team in org["teams"].values():
        team.checked_on = DAY  # teams checked today: nothing owed for them
    kept.checked_on = orphan.checked_on = date(2026, 5, 1)
    db.session.commit()
    found = owed(app, DAY, sources.directory_checks)
    assert lines_for(found, org["worker"]) == [
        "The directory entry for Diversity advocates was last checked on 1 May 2026: please confirm it is still "
        "correct, or change it"]
    assert [line.split(" was ")[0] for line in lines_for(found, org["admin"])] == [
        "The directory entry for Reading group"]
    assert all(sources.is_coming(r.key) for r in found)  # may wait for Monday, or stay in TeamOps
    kept.checked_on = DAY
    db.session.commit()
    assert not lines_for(owed(app, DAY, sources.directory_checks), org["worker"])


def test_cases_are_read_in_batches_with_the_same_result(app, org, monkeypatch):
    """A county's open cases are worked out a batch at a time (one IN list each, within SQLite's limit on bound
    values): the reminders are the same as in one go."""
    for n in range(3):
        factories.case(f"N-BAT-{n}", "CP", False, org["worker"], date(2026, 6, 1 + n))
    whole = owed(app, DAY, sources.supervision)
    monkeypatch.setattr(sources, "CASES_AT_ONCE", 1)
    assert owed(app, DAY, sources.supervision) == whole and len(whole) >= 3


def test_a_disagreement_whose_supervisor_has_left_goes_to_the_workers_line_manager(app, org, make):
    gone = make.staff("team_manager", org["teams"]["north"], email="gone@example.org", name="Gil Gone")
    org["worker"].line_manager = org["team_manager"]
    record = factories.record("personal", DAY - timedelta(days=10), org["worker"], gone, status="signed_off",
                              acknowledged_at=datetime(2026, 11, 16, 9, 0, tzinfo=dates.LONDON),
                              worker_disagrees=True)
    gone.active = False
    db.session.commit()
    found = owed(app, DAY, sources.disagreements)
    assert [r.staff_id for r in found if r.key.startswith(f"record-disagreement:{record.id}:")] == [
        org["team_manager"].id]


def _owed_to_teams(source: str) -> tuple[Any, date, str]:
    """A source of reminders to each team's managers, the day it owes one to every team, and its keys' start."""
    if source == "directory checks":
        return sources.directory_checks, DAY, "directory-check:team:{}:"
    if source == "returns due":  # November 2026's return is due on Friday 4 December: 2 working days left on the 3rd
        return sources.supervision_returns, date(2026, 12, 3), "return-due:{}:"
    return sources.caseload_commentary, DAY, "caseload-due:"


@pytest.mark.parametrize("source", ["directory checks", "returns due", "caseload commentary"])
def test_each_team_s_managers_and_covers_are_found_in_statements_that_do_not_grow_with_the_teams(app, org, source):
    """Directory checks, returns due and caseload commentary tell each team's managers and whoever covers for
    them (R-ORG-3): read for every team at once, so a county's run costs what a small one does."""
    found_by, on, key = _owed_to_teams(source)

    def owed_by_every_team() -> None:
        for team in db.session.query(Team):
            team.checked_on = None
            if source == "caseload commentary" and not db.session.query(CaseloadReview).filter_by(
                    team_id=team.id).count():
                db.session.add(CaseloadReview(team_id=team.id, month=date(2026, 11, 1), as_of=date(2026, 10, 31),
                                              commentary_due_on=DAY + timedelta(days=1), rows=[]))
        db.session.commit()

    def run() -> tuple[int, list[Reminder]]:
        with app.test_request_context("/"), counting_queries() as counter:
            found = list(found_by(on))
        return counter.count, found

    def told(team: Team, found: list[Reminder]) -> list[int]:
        reviews = {review.team_id: review.id for review in db.session.query(CaseloadReview)}
        start = key.format(team.id) if "{}" in key else f"{key}{reviews[team.id]}"
        return sorted(r.staff_id for r in found if r.key.startswith(start))

    owed_by_every_team()
    before, _ = run()
    added = []
    for n in range(4):
        team = factories.team(f"Added team {n}", service=org["teams"]["north"].service)
        manager = factories.staff("team_manager", team, name=f"Manager {n}")
        cover = factories.staff("worker", org["teams"]["north"], name=f"Cover {n}")
        db.session.add(Cover(team=team, staff=cover, manager=manager, starts_on=DAY, ends_on=date(2026, 12, 31)))
        added.append((team, manager, cover))
    owed_by_every_team()
    after, found = run()
    assert after == before and found
    for team, manager, cover in added:
        assert told(team, found) == sorted([manager.id, cover.id])
    north = org["teams"]["north"]
    assert told(north, found) == sorted(person.id for person in returns_services.team_managers(north, on))

"""The audit rounds' pages (issue 14 item 1, R-QA-4): QAIT sets up a round (each bad input answered next to its
field, nothing written), is offered a pick and confirms it as shown, adds and removes a case, changes a buddy;
managers list their audits and download the briefings; admins keep the scales and see no round."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from teamops import dates
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.quality import rounds
from teamops.quality.audit_models import AuditRound, CaseAudit, GradeScale
from tests.conftest import Client, sign_in
from tests.quality.rounds_world import TODAY, World, audit, build, make_round


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


@pytest.fixture
def signed_in(app: Flask) -> Any:
    def client_for(person: Any) -> Client:
        client: Client = app.test_client()  # type: ignore[assignment]
        sign_in(client, person)
        return client

    return client_for


def rounds_made() -> int:
    return db.session.scalar(select(func.count(AuditRound.id))) or 0


def audits_made() -> int:
    return db.session.scalar(select(func.count(CaseAudit.id))) or 0


def round_form(world: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": "2026", "quarter": "1", "theme": "Management oversight", "service_ids": [str(world.csc.id)],
        "due_on-day": "31", "due_on-month": "3", "due_on-year": "2026", "scale_id": str(rounds.default_scale().id),
        "questions": "Is the plan clear?\n\n  Is the child's voice heard?  \n",
        "before_date-day": "15", "before_date-month": "2", "before_date-year": "2026", "before_time": "09:30",
        "after_date-day": "14", "after_date-month": "4", "after_date-year": "2026", "after_time": "14:00",
        "briefing_place": "Room 2, County Hall"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_qait_sets_up_a_round_and_sees_it_listed(world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        page = qait.get("/quality/audits/rounds/new")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Ofsted judgements: Outstanding, Good, Requires improvement, Inadequate" in text
        saved = qait.post_form("/quality/audits/rounds/new", round_form(world))
        assert saved.status_code == 303
        made = db.session.scalars(select(AuditRound)).one()
        assert [q.text for q in made.questions] == ["Is the plan clear?", "Is the child's voice heard?"]
        assert made.briefing_before_at == datetime(2026, 2, 15, 9, 30, tzinfo=UTC)  # GMT in February
        assert made.briefing_after_at == datetime(2026, 4, 14, 13, 0, tzinfo=UTC)  # 14:00 BST
        round_page = qait.get(saved.headers["Location"]).get_data(as_text=True)
        listing = qait.get("/quality/audits/rounds").get_data(as_text=True)
    assert "Management oversight" in round_page and "Room 2, County Hall" in round_page
    assert "15 February 2026, 09:30" in round_page and "14 April 2026, 14:00" in round_page
    assert "No cases given out yet" in round_page
    assert "Q1 2026: Management oversight" in listing and "31 March 2026" in listing


@pytest.mark.parametrize(("changes", "message"), [
    ({"theme": ""}, "Enter the round&#39;s theme"),
    ({"theme": "x" * 121}, "Keep the theme to 120 characters or fewer"),
    ({"service_ids": None}, "Choose at least one service taking part"),
    ({"year": "27"}, "Enter a year from 2000 to 2098"),
    ({"quarter": None}, "Choose the quarter"),
    ({"due_on-day": "30", "due_on-month": "2"}, "Audits due by must be a real date"),
    ({"due_on-day": "31", "due_on-month": "12", "due_on-year": "2025"},
     "The due date must be on or after the quarter&#39;s first day, 1 January 2026"),
    ({"due_on-day": ""}, "Audits due by must include a day"),
    ({"questions": "\n \n"}, "Enter at least one question"),
    ({"questions": "\n".join(f"Question {n}" for n in range(11))}, "Give 1 to 10 questions, one a line (you gave 11)"),
    ({"questions": "Fine\n" + "y" * 301}, "Question 2 is longer than 300 characters"),
    ({"before_time": "25:00"}, "Enter a time as HH:MM in the 24-hour clock"),
    ({"before_time": ""}, "Enter the time of the briefing"),
    ({"after_date-day": "", "after_date-month": "", "after_date-year": ""},
     "Enter the date of the briefing, or clear its time"),
    ({"after_date-month": "1"}, "The briefing after must be later than the one before"),
    ({"after_date-day": "29", "after_date-month": "3", "after_time": "01:30"}, "the clocks go forward"),
    ({"scale_id": "999"}, "Choose the grading scale"),
    ({"briefing_place": "z" * 201}, "Keep the place to 200 characters or fewer"),
])
def test_a_bad_round_is_sent_back_with_the_message_and_nothing_written(world: World, signed_in: Any,
                                                                        changes: dict[str, Any], message: str) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        answer = qait.post_form("/quality/audits/rounds/new", round_form(world, **changes))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert message in text and "govuk-error-summary" in text and "govuk-error-message" in text
    assert rounds_made() == 0
    typed = changes.get("briefing_place", "Room 2, County Hall")
    assert f'value="{typed}"' in text  # what was typed is kept


def test_the_same_theme_twice_in_a_quarter_is_a_message_not_an_error(world: World, signed_in: Any) -> None:
    with dates.freeze(TODAY):
        make_round(world)
        answer = signed_in(world.qait).post_form("/quality/audits/rounds/new",
                                                 round_form(world, theme="MANAGEMENT  oversight"))
    assert answer.status_code == 400
    assert "There is already a round on MANAGEMENT oversight in Q1 2026" in answer.get_data(as_text=True)
    assert rounds_made() == 1


def _shown_rows(page: str) -> list[tuple[int, int]]:
    """The offered table as the page shows it: each row's case id and the auditor selected."""
    cases = [int(found) for found in re.findall(r'name="case_id" value="(\d+)"', page)]
    selects = page.split('name="auditor_id"')[1:]
    chosen = [int(re.search(r'<option value="(\d+)" selected', part).group(1))  # type: ignore[union-attr]
              for part in selects]
    return list(zip(cases, chosen, strict=True))


def test_qait_confirms_the_pick_as_shown(world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        round_ = make_round(world)
        url = f"/quality/audits/rounds/{round_.id}/pick"
        page = qait.get(f"{url}?n=5&seed=42").get_data(as_text=True)
        rows = _shown_rows(page)
        assert _shown_rows(qait.get(f"{url}?n=5&seed=42").get_data(as_text=True)) == rows  # the seed holds it
        assert len(rows) == 5 and 'name="seed" value="42"' in page
        assert "First audit: a buddy will be given" in page
        confirmed = qait.post_form(url, {"seed": "42", "n": "5", "case_id": [c for c, _a in rows],
                                         "auditor_id": [a for _c, a in rows]})
        assert confirmed.status_code == 303
        listing = qait.get(f"/quality/audits/rounds/{round_.id}").get_data(as_text=True)
    made = {(a.case_id, a.auditor_id) for a in db.session.scalars(select(CaseAudit))}
    assert made == set(rows)
    assert "5 cases: 5 assigned, 0 submitted, 0 overdue" in listing


def test_a_pick_giving_a_manager_their_own_teams_case_is_sent_back_with_the_row_marked(
        world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        round_ = make_round(world)
        north_case = _case("NORTH-CP-1")
        south_case = _case("SOUTH-CP-1")
        answer = qait.post_form(f"/quality/audits/rounds/{round_.id}/pick", {
            "seed": "1", "n": "2", "case_id": [south_case, north_case],
            "auditor_id": [world.managers["north"].id, world.managers["north"].id]})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'id="auditor-1-error"' in text and "North Manager line-manages the worker of NORTH-CP-1" in text
    assert 'href="#auditor-1"' in text  # the summary links to the row's choice
    assert audits_made() == 0


def _case(ref: str) -> int:
    found = db.session.scalar(select(Case.id).where(Case.case_ref == ref))
    assert found is not None
    return found


def test_qait_adds_a_case_by_reference_removes_one_and_changes_a_buddy(world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        round_ = make_round(world)
        base = f"/quality/audits/rounds/{round_.id}"
        unknown = qait.post_form(f"{base}/cases", {"case_ref": "NOPE-1", "auditor_id": world.managers["east"].id})
        assert unknown.status_code == 400 and "No case has that reference" in unknown.get_data(as_text=True)
        own = qait.post_form(f"{base}/cases", {"case_ref": "EAST-CP-1", "auditor_id": world.managers["east"].id})
        assert own.status_code == 400 and "line-manages the worker of EAST-CP-1" in own.get_data(as_text=True)
        assert 'value="EAST-CP-1"' in own.get_data(as_text=True)
        added = qait.post_form(f"{base}/cases", {"case_ref": "EAST-CP-1", "auditor_id": world.managers["north"].id})
        assert added.status_code == 303
        made = db.session.scalars(select(CaseAudit)).one()
        buddy_page = qait.get(f"{base}/audits/{made.id}/buddy")
        assert buddy_page.status_code == 200 and "South Manager" in buddy_page.get_data(as_text=True)
        changed = qait.post_form(f"{base}/audits/{made.id}/buddy", {"buddy_id": world.managers["south"].id})
        assert changed.status_code == 303
        db.session.refresh(made)
        assert made.buddy_id == world.managers["south"].id
        removed = qait.post_form(f"{base}/audits/{made.id}/remove")
        assert removed.status_code == 303
    assert audits_made() == 0


def test_a_submitted_audit_stays_and_locks_the_round(world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        round_ = make_round(world)
        done = audit(round_, "NORTH-CP-1", world.managers["south"], submitted=True, grade=2)
        qait.post_form(f"/quality/audits/rounds/{round_.id}/audits/{done.id}/remove")
        edit = qait.get(f"/quality/audits/rounds/{round_.id}/edit")
        page = qait.get(f"/quality/audits/rounds/{round_.id}").get_data(as_text=True)
    assert audits_made() == 1
    assert edit.status_code == 303
    assert "can no longer change" in page and "Good" in page  # the overall grade, and in the grades tables


def test_managers_list_their_audits_and_download_the_briefings(world: World, signed_in: Any) -> None:
    with dates.freeze(TODAY):
        round_ = make_round(world, briefing_before_at=datetime(2026, 2, 15, 9, 30, tzinfo=UTC),
                            briefing_place="Room 2")
        audit(round_, "NORTH-CP-1", world.managers["east"], buddy=world.managers["south"],
              due_on=date(2026, 2, 1))
        auditor = signed_in(world.managers["east"]).get("/quality/audits").get_data(as_text=True)
        buddy = signed_in(world.managers["south"]).get("/quality/audits").get_data(as_text=True)
        nobody = signed_in(world.managers["north"])
        empty = nobody.get("/quality/audits").get_data(as_text=True)
        ics = signed_in(world.managers["east"]).get(f"/quality/audits/rounds/{round_.id}/briefings.ics")
        refused = nobody.get(f"/quality/audits/rounds/{round_.id}/briefings.ics")
    assert "NORTH-CP-1" in auditor and "Q1 2026: Management oversight" in auditor and "Overdue" in auditor
    assert "with South Manager as your buddy" in auditor and "15 February 2026, 09:30" in auditor
    assert "Buddy of East Manager" in buddy and "NORTH-CP-1" in buddy
    assert "You have no audits" in empty and "NORTH-CP-1" not in empty
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    body = ics.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "LOCATION:Room 2" in body and "NORTH-CP-1" not in body
    assert refused.status_code == 403


def test_the_menu_and_who_may_open_what(world: World, signed_in: Any) -> None:
    admin, qait, manager, worker = (signed_in(world.admin), signed_in(world.qait), signed_in(world.managers["north"]),
                                    signed_in(world.workers["north"]))
    assert 'href="/quality/audits/rounds"' in qait.get("/").get_data(as_text=True)
    assert 'href="/quality/audits"' in manager.get("/").get_data(as_text=True)
    assert "/quality/audits" not in worker.get("/").get_data(as_text=True)
    admin_home = admin.get("/").get_data(as_text=True)
    assert 'href="/quality/scales"' in admin_home and "/quality/audits" not in admin_home
    assert admin.get("/quality/audits/rounds").status_code == 403
    assert manager.get("/quality/audits/rounds").status_code == 403
    assert qait.get("/quality/scales").status_code == 403
    assert admin.get("/quality/audits").status_code == 403


def test_admins_keep_the_grading_scales(world: World, signed_in: Any) -> None:
    admin = signed_in(world.admin)
    listing = admin.get("/quality/scales").get_data(as_text=True)
    assert "Ofsted judgements" in listing and "Outstanding, Good, Requires improvement, Inadequate" in listing
    for grades, message in (("Only one", "Give 2 to 7 grades, one a line (you gave 1)"),
                            ("Good\nBad\ngood", "Grades 1 and 3 are the same"),
                            ("\n".join("ABCDEFGH"), "(you gave 8)")):
        answer = admin.post_form("/quality/scales/new", {"name": "Mine", "grades": grades, "active": "yes"})
        assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(GradeScale.id))) == 1
    added = admin.post_form("/quality/scales/new", {"name": "Mine", "grades": "Strong\n\nWeak\n", "active": "yes"})
    assert added.status_code == 303
    mine = db.session.scalars(select(GradeScale).where(GradeScale.name == "Mine")).one()
    assert [g.label for g in mine.grades] == ["Strong", "Weak"]
    with dates.freeze(TODAY):
        make_round(world, scale_id=mine.id)
    page = admin.get(f"/quality/scales/{mine.id}").get_data(as_text=True)
    assert "1 audit round uses this scale, so its grades cannot change" in page
    refused = admin.post_form(f"/quality/scales/{mine.id}", {"name": "Mine", "grades": "Strong\nOK\nWeak",
                                                             "active": "yes"})
    assert refused.status_code == 400 and "its grades cannot change" in refused.get_data(as_text=True)
    retired = admin.post_form(f"/quality/scales/{mine.id}", {"name": "Mine (old)", "grades": "Strong\nWeak",
                                                             "active": "no"})
    assert retired.status_code == 303
    db.session.refresh(mine)
    assert (mine.name, mine.active) == ("Mine (old)", False)
    with dates.freeze(TODAY):
        form = signed_in(world.qait).get("/quality/audits/rounds/new").get_data(as_text=True)
    assert "Mine (old)" not in form  # not offered for new rounds


def test_a_pick_with_every_case_left_out_or_not_offered_gives_nothing_out(world: World, signed_in: Any) -> None:
    qait = signed_in(world.qait)
    with dates.freeze(TODAY):
        round_ = make_round(world)
        url = f"/quality/audits/rounds/{round_.id}/pick"
        none_chosen = qait.post_form(url, {"seed": "1", "n": "1", "case_id": [_case("SOUTH-CP-1")], "auditor_id": [0]})
        assert none_chosen.status_code == 400
        assert "Choose an auditor for at least one case" in none_chosen.get_data(as_text=True)
        made_up = qait.post_form(url, {"seed": "1", "n": "1", "case_id": ["99999"],
                                       "auditor_id": [world.managers["north"].id]})
        assert made_up.status_code == 303
        assert "not one TeamOps offered" in qait.get(made_up.headers["Location"]).get_data(as_text=True)
    assert audits_made() == 0

"""Writing case, group and personal supervision records (R-SUP-4, R-SUP-5, R-SUP-6, R-SUP-9)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from teamops.dates import today
from teamops.extensions import db
from teamops.records.models import ActionReview, CaseDiscussion, SupervisionAction, SupervisionRecord
from teamops.scheduling import case_facts_on
from tests.records.conftest import (
    case_data,
    count_actions,
    count_records,
    days_ago,
    discussion_of,
    personal_data,
    write_url,
)


def test_manager_writes_a_case_supervision_record(as_role, org, case_of):
    case = case_of()
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", days_ago(2), [case])
    form = manager.get(url).get_data(as_text=True)
    assert "Case CP-1001" in form and "Significant events since the last supervision" in form
    assert "The child&#39;s voice" in form and "What are we worried about?" in form
    assert form.count(f'name="c{case.id}_new') == 15  # three blank action rows: text, owner, due date (3 boxes)
    response = manager.post_form(url, case_data(case, worries="Partner's history", working_well="School",
                                                needs_to_happen="Safety plan"))
    assert response.status_code == 303
    record = db.session.scalar(select(SupervisionRecord))
    assert (record.kind, record.held_on, record.status, record.version) == ("case", days_ago(2), "draft", 1)
    assert record.worker == org["worker"] and record.supervisor == org["team_manager"]
    discussion = discussion_of(record)
    assert discussion.held_on == record.held_on  # due dates read the discussion's own date
    assert discussion.scaling == 6 and discussion.worries == "Partner's history"
    assert discussion.childs_voice == "Said they feel safer at home now."
    action = db.session.scalar(select(SupervisionAction))
    assert (action.case_id, action.owner_id, action.status) == (case.id, org["worker"].id, "open")
    assert action.due_on == today() + timedelta(days=14)
    assert case_facts_on([case.id], today()) == {case.id: (days_ago(2), None)}
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Record saved." in page and "Draft" in page and "Visit weekly and update the plan" in page


def test_action_owner_can_be_the_manager(as_role, org, case_of):
    case = case_of()
    as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                      case_data(case, owner=org["team_manager"]))
    assert db.session.scalar(select(SupervisionAction)).owner_id == org["team_manager"].id


def test_owner_must_be_the_worker_or_the_manager(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                 case_data(case, owner=org["south_worker"]))
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert count_records() == 0


def test_no_further_action_instead_of_actions(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").post_form(
        write_url(org["worker"], "case", None, [case]),
        case_data(case, new1_description="", new1_due_on="", no_further_action="y"))
    assert response.status_code == 303
    assert discussion_of(db.session.scalar(select(SupervisionRecord))).no_further_action
    assert count_actions() == 0


def test_group_supervision_records_one_discussion_per_case(as_role, org, make, case_of):
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    first, second = case_of(ref="CP-1"), case_of(colleague, ref="CIN-2", case_type="CIN")
    manager = as_role("team_manager")
    url = write_url(org["worker"], "group", days_ago(1), [first, second], [colleague])
    response = manager.post_form(url, {**case_data(first), **case_data(second)})
    assert response.status_code == 303
    record = db.session.scalar(select(SupervisionRecord))
    assert record.kind == "group" and record.attendees == [colleague]
    discussions = db.session.scalars(select(CaseDiscussion).order_by(CaseDiscussion.case_id)).all()
    assert [d.case_id for d in discussions] == [first.id, second.id]
    owners = {a.case_id: a.owner_id for a in db.session.scalars(select(SupervisionAction))}
    assert owners == {first.id: org["worker"].id, second.id: colleague.id}  # each case's own worker by default
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Case CP-1" in page and "Case CIN-2" in page and "Cal Colleague" in page


def test_personal_supervision_record(as_role, org):
    manager = as_role("team_manager")
    response = manager.post_form(write_url(org["worker"], "personal", days_ago(3)), personal_data(org["worker"]))
    assert response.status_code == 303
    record = db.session.scalar(select(SupervisionRecord))
    assert record.kind == "personal" and record.discussions == []
    assert record.wellbeing == "Feeling well supported." and record.learning.startswith("Booked")
    action = db.session.scalar(select(SupervisionAction))
    assert action.case_id is None and action.record_id == record.id
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Learning and development" in page and "Complete the refresher" in page


def test_an_empty_personal_record_is_refused(as_role, org):
    response = as_role("team_manager").post_form(
        write_url(org["worker"], "personal"), personal_data(org["worker"], wellbeing="", workload="", learning=""))
    assert response.status_code == 400
    assert "Record at least one of wellbeing, workload" in response.get_data(as_text=True)
    assert count_records() == 0


def test_open_actions_from_last_time_are_reviewed(as_role, org, case_of, saved_record):
    case = case_of()
    first = saved_record(case, held_on=days_ago(40))
    earlier = db.session.scalar(select(SupervisionAction))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", days_ago(1), [case])
    form = manager.get(url).get_data(as_text=True)
    assert "Visit weekly and update the plan" in form and f'name="review_{earlier.id}"' in form
    response = manager.post_form(url, {**case_data(case, new1_description="Book the review conference"),
                                       f"review_{earlier.id}": "done"})
    assert response.status_code == 303
    db.session.refresh(earlier)
    assert earlier.status == "done" and earlier.done_on == days_ago(1)
    review = db.session.scalar(select(ActionReview))
    assert review.outcome == "done" and review.record_id != first.id
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Review of actions from last time" in page and "Done" in page


def test_carried_forward_stays_open_and_dropped_needs_a_reason(as_role, org, case_of, saved_record):
    case = case_of()
    saved_record(case, held_on=days_ago(40))
    earlier = db.session.scalar(select(SupervisionAction))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", days_ago(1), [case])
    refused = manager.post_form(url, {**case_data(case), f"review_{earlier.id}": "dropped"})
    assert refused.status_code == 400
    assert "Give the reason for dropping this action" in refused.get_data(as_text=True)
    unanswered = manager.post_form(url, case_data(case))
    assert unanswered.status_code == 400
    assert "was done, carried forward or dropped" in unanswered.get_data(as_text=True)
    assert count_records() == 1
    carried = manager.post_form(url, {**case_data(case), f"review_{earlier.id}": "carried_forward"})
    assert carried.status_code == 303
    db.session.refresh(earlier)
    assert earlier.status == "open"


def test_dropping_an_action_keeps_the_reason(as_role, org, case_of, saved_record):
    case = case_of()
    saved_record(case, held_on=days_ago(40))
    earlier = db.session.scalar(select(SupervisionAction))
    as_role("team_manager").post_form(write_url(org["worker"], "case", days_ago(1), [case]), {
        **case_data(case), f"review_{earlier.id}": "dropped", f"review_{earlier.id}_reason": "Family moved away"})
    db.session.refresh(earlier)
    assert earlier.status == "dropped" and earlier.drop_reason == "Family moved away"
    assert db.session.scalar(select(ActionReview)).reason == "Family moved away"


def test_a_disagreement_is_recorded_with_its_note(as_role, org, case_of):
    case = case_of()
    note = "Worker wants a CP conference"
    as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                      case_data(case, disagreement="y", disagreement_note=note))
    discussion = db.session.scalar(select(CaseDiscussion))
    assert discussion.disagreement and discussion.disagreement_note == "Worker wants a CP conference"
    assert discussion.resolved_at is None


def test_records_list_shows_what_the_viewer_may_see(as_role, org, saved_record):
    saved_record()
    page = as_role("team_manager").get("/records").get_data(as_text=True)
    assert "1 record found" in page and "Wren Worker" in page and "CP-1001" in page
    filtered = as_role("team_manager").get(f"/records?worker={org['team_manager'].id}").get_data(as_text=True)
    assert "0 records found" in filtered
    fragment = as_role("team_manager").get("/records?show=draft", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<div class="teamops-results"')

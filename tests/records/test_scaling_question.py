"""A scaling score keeps its question (R-SUP-9, issue 9 item 12): what 0 and 10 mean for the case is stored
with every score, offered again for the next record, and shown wherever the score is."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.records.models import CaseDiscussion
from teamops.records.text import scaling_lines
from tests import factories
from tests.records.conftest import QUESTION, case_data, count_actions, count_records, days_ago, discussion_of, write_url

MISSING = "Say what 0 and 10 mean for this score"


def test_a_score_without_its_question_is_refused_next_to_the_question(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                 case_data(case, scaling="6", scaling_question=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    field = f"c{case.id}_scaling_question"
    assert f'href="#{field}"' in text and f"Case {case.case_ref}: {MISSING}" in text  # the summary
    assert MISSING in text.split(f'<p id="{field}-error" class="govuk-error-message">', 1)[1][:300]
    assert f'id="c{case.id}_scaling" name="c{case.id}_scaling" type="text" value="6"' in text  # kept
    assert count_records() == 0 and count_actions() == 0


def test_the_question_is_stored_with_the_score_and_shown_with_it(as_role, org, saved_record):
    record = saved_record()
    discussion = discussion_of(record)
    assert (discussion.scaling, discussion.scaling_question) == (6, QUESTION)
    manager = as_role("team_manager")
    page = manager.get(f"/records/{record.id}").get_data(as_text=True)
    assert "6 out of 10<br>What 0 and 10 mean for this case: " + QUESTION in page
    text = manager.get(f"/records/{record.id}/cases/{discussion.id}/copy.txt").get_data(as_text=True)
    assert f"Scaling score: 6 out of 10\nWhat 0 and 10 mean for this case: {QUESTION}\n" in text


def test_without_a_score_no_question_is_kept(as_role, org, saved_record):
    record = saved_record(scaling="", scaling_question="Offered, but nothing was scaled")
    assert (discussion_of(record).scaling, discussion_of(record).scaling_question) == (None, None)


def test_a_question_longer_than_200_characters_is_refused(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                 case_data(case, scaling_question="x" * 201))
    assert response.status_code == 400 and "Keep this to 200 characters or fewer" in response.get_data(as_text=True)
    assert count_records() == 0


def test_a_new_record_offers_the_question_the_case_was_last_scaled_on(as_role, org, case_of):
    case, other = case_of(), case_of(ref="CP-2002")
    worker, manager_ = org["worker"], org["team_manager"]
    factories.record("case", days_ago(40), worker, manager_, [case], scaling=3,
                     scaling_question="0 = removal, 10 = closure")
    factories.record("case", days_ago(20), worker, manager_, [case], scaling=5, scaling_question=QUESTION)
    factories.record("case", days_ago(10), worker, manager_, [case])  # not scaled that time
    factories.record("case", days_ago(8), worker, manager_, [other], scaling=2)  # before questions were asked
    manager = as_role("team_manager")
    form = manager.get(write_url(org["worker"], "case", days_ago(1), [case, other])).get_data(as_text=True)
    assert f'name="c{case.id}_scaling_question" type="text" value="{QUESTION}"' in form
    assert f'name="c{other.id}_scaling_question" type="text" value=""' in form
    assert "The question this case was last scaled on" in form
    earlier = manager.get(write_url(org["worker"], "case", days_ago(30), [case])).get_data(as_text=True)
    assert f'name="c{case.id}_scaling_question" type="text" value="0 = removal, 10 = closure"' in earlier


def test_an_old_score_reads_question_not_recorded_and_may_stay_so(as_role, org, case_of):
    case = case_of()
    record = factories.record("case", days_ago(5), org["worker"], org["team_manager"], [case], scaling=4,
                              significant_events="Before questions were asked for")
    discussion = discussion_of(record)
    manager = as_role("team_manager")
    assert "4 out of 10 (question not recorded)" in manager.get(f"/records/{record.id}").get_data(as_text=True)
    copy = manager.get(f"/records/{record.id}/cases/{discussion.id}/copy.txt").get_data(as_text=True)
    assert "Scaling score: 4 out of 10 (question not recorded)" in copy
    edit = manager.get(f"/records/{record.id}/edit").get_data(as_text=True)
    assert "Not recorded when this score was given" in edit
    data = {"held_on": record.held_on.isoformat(), f"c{case.id}_scaling": "4", f"c{case.id}_scaling_question": "",
            f"c{case.id}_no_further_action": "y", f"c{case.id}_worries": "A worry added later"}
    assert manager.post_form(f"/records/{record.id}/edit", data).status_code == 303  # the old score stays
    db.session.refresh(discussion)
    assert (discussion.scaling, discussion.scaling_question, discussion.worries) == (4, None, "A worry added later")
    changed = manager.post_form(f"/records/{record.id}/edit", {**data, f"c{case.id}_scaling": "5"})
    assert changed.status_code == 400 and MISSING in changed.get_data(as_text=True)
    assert db.session.scalar(select(CaseDiscussion.scaling).where(CaseDiscussion.id == discussion.id)) == 4


def test_a_version_kept_before_questions_were_asked_reads_question_not_recorded():
    assert scaling_lines({"scaling": 7}) == ["Scaling score: 7 out of 10 (question not recorded)"]
    assert scaling_lines({"scaling": 7, "scaling_question": "0 = a, 10 = b"}) == [
        "Scaling score: 7 out of 10", "What 0 and 10 mean for this case: 0 = a, 10 = b"]

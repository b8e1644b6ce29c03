"""Every bad input to a record is answered with a clear message, status 400, and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teamops.bookings.models import Booking
from teamops.dates import today
from teamops.extensions import db
from teamops.records.models import SupervisionRecord
from tests.records.conftest import case_data, count_actions, count_records, days_ago, write_url


def refused(response, message):
    text = response.get_data(as_text=True)
    assert response.status_code == 400, text[:2000]
    assert message in text, text[:4000]
    assert "There is a problem" in text
    assert count_records() == 0 and count_actions() == 0
    return text


@pytest.mark.parametrize(
    ("held_on", "message"),
    [("1900-01-01", "from 1 January 2000 onwards"), ("2100-01-01", "cannot be in the future"),
     ("1999-12-31", "from 1 January 2000 onwards"), ("2026-02-30", "Enter a real date"),
     ("31/01/2026", "YYYY-MM-DD"), ("", "Enter the date the session was held")],
)
def test_session_dates_outside_2000_to_today_are_refused(as_role, org, case_of, held_on, message):
    case = case_of(allocated_on=today().replace(year=1999))
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", None, [case]).replace(f"held_on={days_ago(1).isoformat()}",
                                                                   f"held_on={held_on}")
    refused(manager.post_form(url, case_data(case)), message)
    setup = manager.get(url.replace("/records/new/write", "/records/new"))
    assert setup.status_code == 400 and message in setup.get_data(as_text=True)


def test_tomorrow_is_refused(as_role, org, case_of):
    case = case_of()
    refused(as_role("team_manager").post_form(write_url(org["worker"], "case", today() + timedelta(days=1), [case]),
                                              case_data(case)), "cannot be in the future")


def test_an_unknown_case_is_refused(as_role, org):
    url = write_url(org["worker"], "case").replace("kind=case", "kind=case&case=999999")
    refused(as_role("team_manager").post_form(url, {}), "One or more of the chosen cases does not exist")


def test_a_closed_case_is_refused(as_role, org, case_of):
    case = case_of(closed_on=days_ago(5))
    text = refused(as_role("team_manager").post_form(write_url(org["worker"], "case", days_ago(1), [case]),
                                                     case_data(case)), "only open cases can be discussed")
    assert "Case CP-1001 was closed on" in text


def test_a_case_closed_after_the_session_can_still_be_recorded(as_role, org, case_of):
    case = case_of(closed_on=days_ago(1))
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", days_ago(3), [case]),
                                                 case_data(case))
    assert response.status_code == 303


def test_another_teams_case_is_refused_without_naming_it(as_role, org, case_of):
    theirs = case_of(org["south_worker"], ref="SOUTH-77")
    text = refused(as_role("team_manager").post_form(write_url(org["worker"], "group", None, [theirs]),
                                                     case_data(theirs)),
                   "One or more of the chosen cases is not in the teams you manage")
    assert "SOUTH-77" not in text


def test_case_supervision_only_discusses_the_workers_own_cases(as_role, org, make, case_of):
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    theirs = case_of(colleague, ref="CIN-9")
    refused(as_role("team_manager").post_form(write_url(org["worker"], "case", None, [theirs]), case_data(theirs)),
            "Case CIN-9 is not allocated to Wren Worker")


def test_a_deactivated_worker_is_refused(as_role, org, case_of):
    case = case_of()
    org["worker"].active = False
    db.session.commit()
    refused(as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]), case_data(case)),
            "Wren Worker has left: records can only be written for active staff")


def test_a_worker_of_another_team_is_refused(as_role, org, case_of):
    case = case_of(org["south_worker"], ref="SOUTH-1")
    refused(as_role("team_manager").post_form(write_url(org["south_worker"], "case", None, [case]), case_data(case)),
            "You can only write records for people you supervise")


def test_case_supervision_needs_a_case(as_role, org):
    url = write_url(org["worker"], "case") + "&step=cases"
    refused(as_role("team_manager").post_form(url, {}), "Select at least one case discussed")


@pytest.mark.parametrize("scaling", ["11", "-1", "5.5", "ten", "100"])
def test_scaling_outside_0_to_10_is_refused(as_role, org, case_of, scaling):
    case = case_of()
    text = refused(as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                     case_data(case, scaling=scaling)),
                   "Enter the scaling score as a whole number from 0 to 10")
    assert f'value="{scaling}"' in text  # what was typed is kept


@pytest.mark.parametrize("scaling", ["0", "10", ""])
def test_scaling_bounds_and_blank_are_accepted(as_role, org, case_of, scaling):
    case = case_of()
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                 case_data(case, scaling=scaling))
    assert response.status_code == 303


def test_an_action_without_a_due_date_is_refused(as_role, org, case_of):
    case = case_of()
    text = refused(as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                     case_data(case, new1_due_on="")),
                   "Enter a due date for this action: every action needs a timescale")
    assert "Case CP-1001: Enter a due date" in text  # the summary says which case
    assert 'value="Visit weekly and update the plan"' in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new1_description": "", "new1_due_on": ""}, "Agree at least one action with a due date, or record that"),
        ({"no_further_action": "y"}, "Untick “no further action” or clear the actions"),
        ({"new1_description": ""}, "Describe the action, or clear its due date"),
        ({"new1_due_on": "2026-02-30"}, "Enter a real date"),
        ({"new1_due_on": "1999-01-01"}, "Enter a date between 2000 and 2100"),
        ({"new1_due_on": "2020-01-01"}, "The due date cannot be before the session"),
        ({"new1_description": "x" * 501}, "Keep this to 500 characters or fewer"),
        ({"childs_voice": "x" * 5001}, "Keep this to 5,000 characters or fewer"),
        ({"disagreement": "y"}, "Describe the disagreement: the service manager will resolve it"),
    ],
)
def test_bad_discussion_input(as_role, org, case_of, overrides, message):
    case = case_of()
    refused(as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                              case_data(case, **overrides)), message)


def test_long_text_up_to_the_limit_is_accepted(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").post_form(write_url(org["worker"], "case", None, [case]),
                                                 case_data(case, childs_voice="x" * 5000, new1_description="y" * 500))
    assert response.status_code == 303


def test_workers_qait_and_admins_cannot_write_records(as_role, org, case_of):
    case = case_of()
    for role in ("worker", "qait", "admin"):
        client = as_role(role)
        assert client.get("/records/new").status_code == 403
        assert client.post_form(write_url(org["worker"], "case", None, [case]), case_data(case)).status_code == 403
    assert count_records() == 0


def test_a_manager_cannot_record_their_own_supervision(as_role, org):
    response = as_role("team_manager").post_form(write_url(org["team_manager"], "personal"), {})
    refused(response, "You cannot record your own supervision")


def test_double_submit_writes_one_record(as_role, org, case_of):
    case = case_of()
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", days_ago(1), [case])
    first = manager.post_form(url, case_data(case))
    second = manager.post_form(url, case_data(case))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count_records() == 1 and count_actions() == 1
    page = manager.get(second.headers["Location"]).get_data(as_text=True)
    assert "already been recorded, so it was not saved a second time" in page


def test_the_same_session_a_minute_later_is_a_new_record(as_role, org, case_of):
    case = case_of()
    manager = as_role("team_manager")
    url = write_url(org["worker"], "case", days_ago(1), [case])
    manager.post_form(url, case_data(case))
    record = db.session.scalar(select(SupervisionRecord))
    record.recorded_at = record.recorded_at - timedelta(minutes=2)
    db.session.commit()
    assert manager.post_form(url, {**case_data(case), **_carry_all(record)}).status_code == 303
    assert count_records() == 2


def _carry_all(record):
    return {f"review_{a.id}": "carried_forward" for a in record.actions}


def test_a_record_from_a_booking_marks_it_held_and_is_written_once(as_role, org, case_of, booking_for):
    case = case_of()
    booking = booking_for(cases=[case], days=-2)
    manager = as_role("team_manager")
    start = manager.get(f"/records/new?booking={booking.id}")
    assert start.status_code == 303
    url = start.headers["Location"]
    assert f"booking={booking.id}" in url and f"case={case.id}" in url and days_ago(2).isoformat() in url
    assert manager.post_form(url, case_data(case)).status_code == 303
    db.session.refresh(booking)
    record = db.session.scalar(select(SupervisionRecord))
    assert booking.status == "held" and record.booking_id == booking.id and record.held_on == days_ago(2)
    again = manager.post_form(url, case_data(case))
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/records/{record.id}")
    assert count_records() == 1
    restart = manager.get(f"/records/new?booking={booking.id}")
    assert restart.headers["Location"].endswith(f"/records/{record.id}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "cancelled"}, "This booking was cancelled"),
        ({"days": 3}, "This session has not happened yet"),
        ({"kind": "personal"}, "This booking is for personal supervision"),
        ({"supervisor": "south_manager"}, "This booking is not one of your sessions with Wren Worker"),
    ],
)
def test_bad_bookings_are_refused(as_role, org, case_of, booking_for, change, message):
    case = case_of()
    if "supervisor" in change:
        change = {"supervisor": org[change["supervisor"]]}
    booking = booking_for(cases=[case], **change)
    url = write_url(org["worker"], "case", days_ago(1), [case], booking=booking)
    refused(as_role("team_manager").post_form(url, case_data(case)), message)
    assert db.session.get(Booking, booking.id).status == change.get("status", "booked")


def test_two_submits_at_the_same_moment_write_one_record(app, as_role, org, case_of):
    import threading

    case = case_of()
    url = write_url(org["worker"], "case", days_ago(1), [case])
    clients = [as_role("team_manager"), as_role("team_manager")]
    payloads = [{**case_data(case), "csrf_token": c.csrf_token()} for c in clients]
    answers: list = [None, None]

    def submit(n):
        with app.app_context():
            answers[n] = clients[n].post(url, data=payloads[n])

    threads = [threading.Thread(target=submit, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count_records() == 1 and count_actions() == 1

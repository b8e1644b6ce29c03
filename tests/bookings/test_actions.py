"""The actions page: open actions, overdue first and tagged; marking done with and without JavaScript."""

from __future__ import annotations

import pytest

from teamops.dates import today
from teamops.extensions import db
from teamops.records.models import SupervisionAction
from tests.bookings.conftest import in_days, new_action, new_case


@pytest.fixture
def actions(org):
    worker, manager = org["worker"], org["team_manager"]
    case = new_case(worker)
    return {
        "later": new_action(worker, manager, in_days(10), "Update the chronology", case),
        "overdue": new_action(worker, manager, in_days(-3), "Book the core group", case),
        "personal": new_action(worker, manager, in_days(2), "Finish the safeguarding course"),
        "done": new_action(worker, manager, in_days(-9), "Already finished", case, status="done"),
        "south": new_action(org["south_worker"], org["south_manager"], in_days(-1), "South team task"),
    }


def reread(action) -> SupervisionAction:
    return db.session.get(SupervisionAction, action.id)


def test_worker_sees_their_open_actions_overdue_first(as_role, actions):
    page = as_role("worker").get("/actions").get_data(as_text=True)
    assert "My actions" in page
    positions = [page.index(text) for text in ("Book the core group", "Finish the safeguarding course",
                                              "Update the chronology")]
    assert positions == sorted(positions)
    overdue_row = page[page.index("Book the core group"):page.index("Finish the safeguarding course")]
    assert "govuk-tag--red" in overdue_row and "Overdue" in overdue_row
    assert "Personal" in page
    assert "Already finished" not in page and "South team task" not in page


def test_worker_cannot_open_someone_elses_actions(as_role, org, actions):
    client = as_role("worker")
    assert client.get(f"/actions?worker={org['south_worker'].id}").status_code == 403
    assert client.get(f"/actions?worker={org['team_manager'].id}").status_code == 403
    assert client.get(f"/actions?worker={org['worker'].id}").status_code == 200


def test_manager_sees_a_workers_actions_in_reach(manager, org, actions):
    page = manager.get(f"/actions?worker={org['worker'].id}").get_data(as_text=True)
    assert "Book the core group" in page and "South team task" not in page
    assert manager.get(f"/actions?worker={org['south_worker'].id}").status_code == 403
    assert manager.get("/actions?worker=999999").status_code == 404
    assert manager.get("/actions?worker=abc").status_code == 404


def test_manager_sees_everyone_in_their_teams(manager, actions):
    page = manager.get("/actions").get_data(as_text=True)
    assert "Everyone in your teams" in page and "Wren Worker" in page
    assert "Book the core group" in page and "South team task" not in page


def test_htmx_filter_answers_the_results_only(manager, org, actions):
    response = manager.get(f"/actions?worker={org['worker'].id}", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and "Book the core group" in page


def test_admin_does_not_read_actions(as_role, actions):
    assert as_role("admin").get("/actions").status_code == 403


def test_owner_marks_done_without_javascript(as_role, actions):
    client = as_role("worker")
    response = client.post_form(f"/actions/{actions['overdue'].id}/done")
    assert response.status_code == 303
    done = reread(actions["overdue"])
    assert done.status == "done" and done.done_on == today()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Action marked done: Book the core group" in page
    assert "Book the core group" not in page.split("<table")[1]  # in the banner only: no longer listed


def test_marking_done_with_htmx_swaps_the_row(as_role, actions):
    client = as_role("worker")
    response = client.post_form(f"/actions/{actions['later'].id}/done", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith("<tr") and f"Done {today().day}" in page and "Mark done" not in page
    assert reread(actions["later"]).status == "done"


def test_manager_marks_a_workers_action_done(manager, org, actions):
    response = manager.post_form(f"/actions/{actions['personal'].id}/done?worker={org['worker'].id}")
    assert response.status_code == 303 and f"worker={org['worker'].id}" in response.headers["Location"]
    assert reread(actions["personal"]).status == "done"


@pytest.mark.parametrize("role", ["south_manager", "south_worker", "qait"])
def test_others_cannot_mark_done(as_role, actions, role):
    assert as_role(role).post_form(f"/actions/{actions['overdue'].id}/done").status_code == 403
    assert reread(actions["overdue"]).status == "open"


def test_marking_done_twice_changes_nothing(as_role, actions):
    client = as_role("worker")
    response = client.post_form(f"/actions/{actions['done'].id}/done")
    assert response.status_code == 303
    assert reread(actions["done"]).done_on is None
    assert "already closed" in client.get("/actions").get_data(as_text=True)


def test_mark_done_needs_the_csrf_token(as_role, actions):
    response = as_role("worker").post(f"/actions/{actions['overdue'].id}/done")
    assert response.status_code == 400
    assert reread(actions["overdue"]).status == "open"


def test_actions_page_query_count_does_not_grow(manager, org, make, count_queries):
    def add(n):
        for i in range(n):
            person = make.staff(team=org["teams"]["north"])
            new_action(person, org["team_manager"], in_days(i - 2), f"Task {i}", new_case(person))

    add(2)
    with count_queries() as few:
        assert manager.get("/actions").status_code == 200
    add(8)
    with count_queries() as many:
        assert manager.get("/actions").status_code == 200
    assert many.count == few.count

"""The checklist of a running induction (issue 11 item 5; Access; Bad input): the starter ticks their items, the
manager or the team's business-support contact confirms them, the manager marks one not applicable with a
reason; each reads on time, done late, due, due today or overdue; a tick is taken back the same day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import checklist, reading
from tests.dates_typed import date_boxes
from tests.induction.conftest import TODAY, item, signed_in

HTMX = {"HX-Request": "true"}


def _state(induction, code: str) -> tuple[date | None, date | None, str | None]:
    row = item(induction, code)
    return row.done_on, row.confirmed_on, row.na_reason


@pytest.mark.parametrize("role", ["worker", "south_manager", "qait", "admin"])
def test_nobody_else_ticks_the_starters_own_item(app, org, induction, role):
    """Bad input: ticking another person's item (B4 is the starter's: their log-ins work)."""
    with freeze(TODAY):
        client = signed_in(app, org[role])
        response = client.post_form(f"/inductions/items/{item(induction, 'B4').id}/done")
    assert response.status_code == 403
    assert _state(induction, "B4") == (None, None, None)


def test_the_starter_ticks_their_items_and_sees_on_time_and_late(app, starter, induction):
    b4, b5 = item(induction, "B4"), item(induction, "B5")  # both due on day 1, Monday 30 November
    with freeze(TODAY):
        client = signed_in(app, starter)
        on_time = client.post_form(f"/inductions/items/{b4.id}/done",
                                   {**date_boxes(f"item-{b4.id}-done_on", date(2026, 11, 30)),
                                    f"item-{b4.id}-comment": "Working since Monday"})
        late = client.post_form(f"/inductions/items/{b5.id}/done")
        assert on_time.status_code == late.status_code == 303
        assert on_time.headers["Location"].endswith(f"/inductions/{induction.id}#checklist")
        page = client.get(on_time.headers["Location"]).get_data(as_text=True)
    assert "Done: All equipment provided" in page  # the banner
    assert "Done on time" in page and "Done late" in page and "Comment: Working since Monday" in page
    assert "Done 30 Nov 2026 by Nico Fraser" in page
    assert _state(induction, "B4") == (date(2026, 11, 30), None, None)
    assert item(induction, "B5").done_on == TODAY and item(induction, "B4").comment == "Working since Monday"


def test_timeliness_on_each_day(induction):
    """Due, due today and overdue while open; on time or late by the day it was done (not when confirmed)."""
    b6 = item(induction, "B6")  # within 3 working days: Wednesday 2 December
    assert b6.due_on == TODAY
    assert reading.item_state(b6, TODAY - timedelta(days=1)).label == "Due"
    assert reading.item_state(b6, TODAY).label == "Due today"
    assert reading.item_state(b6, TODAY + timedelta(days=1)).label == "Overdue"
    b3 = item(induction, "B3")  # the starter confirms it
    b3.done_on = b3.due_on
    assert reading.item_state(b3, TODAY + timedelta(days=30)).label == "Done on time"
    b3.done_on = b3.due_on + timedelta(days=1)
    assert reading.item_state(b3, TODAY + timedelta(days=30)).label == "Done late"
    b6.done_on = b6.due_on
    assert reading.item_state(b6, TODAY).label == "To confirm"
    b6.confirmed_on = b6.due_on + timedelta(days=5)
    assert reading.item_state(b6, TODAY + timedelta(days=9)).label == "Done on time"
    db.session.rollback()


def test_an_office_item_is_confirmed_by_the_teams_business_support_contact(app, make, org, starter, induction):
    b6 = item(induction, "B6")  # ID badge appointment: business support confirms it
    other = make.staff("worker", org["teams"]["north"], name="Olly Other")
    with freeze(TODAY):
        signed_in(app, starter).post_form(f"/inductions/items/{b6.id}/done")
        assert reading.item_state(item(induction, "B6"), TODAY).label == "To confirm"
        assert signed_in(app, starter).post_form(f"/inductions/items/{b6.id}/confirm").status_code == 403
        assert signed_in(app, other).post_form(f"/inductions/items/{b6.id}/confirm").status_code == 403
        assert item(induction, "B6").confirmed_on is None
        contact = signed_in(app, org["worker"])
        page = contact.get(f"/inductions/{induction.id}")
        assert page.status_code == 403  # the contact confirms office items; the induction page is the managers'
        response = contact.post_form(f"/inductions/items/{b6.id}/confirm")
        assert response.status_code == 303
        # ... and is refused the starter's own items
        assert contact.post_form(f"/inductions/items/{item(induction, 'B4').id}/done").status_code == 403
    confirmed = item(induction, "B6")
    assert confirmed.confirmed_on == TODAY and confirmed.confirmed_by_id == org["worker"].id and confirmed.resolved


def test_the_manager_ticks_and_confirms_their_own_items_in_one_press(app, org, induction):
    a1 = item(induction, "A1")  # welcome letter sent: the manager confirms it
    with freeze(TODAY):
        signed_in(app, org["team_manager"]).post_form(f"/inductions/items/{a1.id}/done",
                                                      date_boxes(f"item-{a1.id}-done_on", date(2026, 11, 20)))
    done = item(induction, "A1")
    assert done.done_on == date(2026, 11, 20) and done.confirmed_by_id == org["team_manager"].id
    assert reading.item_state(done, TODAY).label == "Done on time"


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-12-03", "The date done cannot be in the future"),
    ("1999-12-31", "Enter a date from 2000 onwards"),
    ("2026-11-27", "This item cannot be done before day 1 of the induction (30 November 2026)"),
    ("2026-02-30", "must be a real date"),
])
def test_a_wrong_date_is_refused_and_nothing_written(app, starter, induction, typed, message):
    b4 = item(induction, "B4")
    with freeze(TODAY):
        client = signed_in(app, starter)
        page = client.post_form(f"/inductions/items/{b4.id}/done", date_boxes(f"item-{b4.id}-done_on", typed))
        row = client.post_form(f"/inductions/items/{b4.id}/done", date_boxes(f"item-{b4.id}-done_on", typed),
                               headers=HTMX)
    assert page.status_code == row.status_code == 400
    assert message in page.get_data(as_text=True) and "govuk-error-summary" in page.get_data(as_text=True)
    assert message in row.get_data(as_text=True) and "<details class=\"govuk-details govuk-!-margin-bottom-0\" open" \
        in row.get_data(as_text=True)
    assert _state(induction, "B4") == (None, None, None)


def test_a_before_the_start_item_may_be_done_before_day_1(app, org, induction):
    a3 = item(induction, "A3")  # log-ins requested in time for day 1
    with freeze(TODAY):
        response = signed_in(app, org["team_manager"]).post_form(
            f"/inductions/items/{a3.id}/done", date_boxes(f"item-{a3.id}-done_on", date(2026, 11, 23)))
    assert response.status_code == 303 and item(induction, "A3").done_on == date(2026, 11, 23)


def test_a_comment_longer_than_500_characters_is_refused(app, starter, induction):
    b4 = item(induction, "B4")
    with freeze(TODAY):
        response = signed_in(app, starter).post_form(f"/inductions/items/{b4.id}/done",
                                                     {f"item-{b4.id}-comment": "x" * 501})
    assert response.status_code == 400 and "Keep the comment to 500 characters" in response.get_data(as_text=True)
    assert _state(induction, "B4") == (None, None, None)


def test_not_applicable_needs_a_reason(app, org, starter, induction):
    b13 = item(induction, "B13")
    with freeze(TODAY):
        manager = signed_in(app, org["team_manager"])
        assert manager.get(f"/inductions/items/{b13.id}/not-applicable").status_code == 200
        refused = manager.post_form(f"/inductions/items/{b13.id}/not-applicable", {"reason": "  "})
        assert refused.status_code == 400
        assert "Say why the item does not apply" in refused.get_data(as_text=True)
        assert _state(induction, "B13") == (None, None, None)
        too_long = manager.post_form(f"/inductions/items/{b13.id}/not-applicable", {"reason": "x" * 301})
        assert too_long.status_code == 400 and _state(induction, "B13") == (None, None, None)
        assert signed_in(app, starter).post_form(f"/inductions/items/{b13.id}/not-applicable",
                                                 {"reason": "Not me"}).status_code == 403
        done = manager.post_form(f"/inductions/items/{b13.id}/not-applicable", {"reason": "No family allocated yet"})
        assert done.status_code == 303
        page = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "Not applicable: No family allocated yet" in page and "by Tia Manager" in page
    assert _state(induction, "B13") == (None, None, "No family allocated yet") and item(induction, "B13").resolved


def test_the_starter_undoes_their_tick_the_same_day_only(app, org, starter, induction):
    b4 = item(induction, "B4")
    with freeze(TODAY):
        client = signed_in(app, starter)
        client.post_form(f"/inductions/items/{b4.id}/done")
        assert client.post_form(f"/inductions/items/{b4.id}/undo").status_code == 303
        assert _state(induction, "B4") == (None, None, None)
        client.post_form(f"/inductions/items/{b4.id}/done")
        # someone else's tick is not theirs to take back
        assert signed_in(app, org["south_manager"]).post_form(f"/inductions/items/{b4.id}/undo").status_code == 403
    with freeze(TODAY + timedelta(days=1)):
        client = signed_in(app, starter)
        response = client.post_form(f"/inductions/items/{b4.id}/undo")
        assert response.status_code == 303
        assert "can no longer be taken back here" in client.get(response.headers["Location"]).get_data(as_text=True)
        assert _state(induction, "B4") == (TODAY, None, None)
        assert "Undo" not in client.get(f"/inductions/{induction.id}").get_data(as_text=True)
        # the manager may, at any time before sign-off
        assert signed_in(app, org["team_manager"]).post_form(f"/inductions/items/{b4.id}/undo").status_code == 303
    assert _state(induction, "B4") == (None, None, None)


def test_undoing_a_confirmation_goes_back_to_to_confirm(app, org, starter, induction):
    b1 = item(induction, "B1")  # met your manager on day 1: the manager confirms the starter's tick
    with freeze(TODAY):
        signed_in(app, starter).post_form(f"/inductions/items/{b1.id}/done")
        manager = signed_in(app, org["team_manager"])
        manager.post_form(f"/inductions/items/{b1.id}/confirm")
        assert item(induction, "B1").resolved
        manager.post_form(f"/inductions/items/{b1.id}/undo")
    assert _state(induction, "B1") == (TODAY, None, None)


def test_with_htmx_the_row_swaps_and_the_count_follows(app, starter, induction):
    b4 = item(induction, "B4")
    with freeze(TODAY):
        client = signed_in(app, starter)
        done = client.post_form(f"/inductions/items/{b4.id}/done", headers=HTMX)
        body = done.get_data(as_text=True)
        assert done.status_code == 200 and body.lstrip().startswith("<tr")
        assert "Done late" in body and "Undo" in body and "Mark done" not in body
        assert 'id="checklist-progress" hx-swap-oob="true"' in body and ">1 of " in body
        undone = client.post_form(f"/inductions/items/{b4.id}/undo", headers=HTMX).get_data(as_text=True)
    assert "Mark done" in undone and "Overdue" in undone and ">0 of " in undone


def test_automatic_items_tick_themselves(org, induction):
    """A6 when a buddy is named (the buddies' code calls this), B14 when the review is recorded."""
    with freeze(TODAY):
        ticked = checklist.tick_automatic(induction, "buddy_named", org["team_manager"])
        db.session.commit()
    assert [i.code for i in ticked] == ["A6"]
    a6 = item(induction, "A6")
    assert a6.done_on == TODAY and a6.resolved and a6.done_by_id == org["team_manager"].id
    with freeze(TODAY):
        assert checklist.tick_automatic(induction, "buddy_named", org["team_manager"]) == []  # already done


ROW_BUDGET = 13  # statements for one htmx "Mark done" or "Undo" answer (measured 13 on both databases, with the
# two that move the starter's team's figures version)


def test_mark_done_and_undo_keep_to_a_query_budget(app, starter, induction, count_queries):
    """The checklist's write routes answer htmx with a row (tests/test_query_budget.py measures the GET pages):
    the names and the count come in one statement each, so every item and step costs the same."""
    with freeze(TODAY):
        client = signed_in(app, starter)
        token = client.csrf_token()
        used = []
        for code in ("B4", "B5"):
            for step in ("done", "undo"):
                with count_queries() as counter:
                    answer = client.post(f"/inductions/items/{item(induction, code).id}/{step}",
                                         data={"csrf_token": token}, headers=HTMX)
                assert answer.status_code == 200
                used.append(counter.count)
    assert len(set(used[::2])) == len(set(used[1::2])) == 1, used
    assert max(used) <= ROW_BUDGET, used

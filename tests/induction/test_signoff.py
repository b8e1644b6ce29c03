"""The review and sign-off of an induction (issue 11 item 7, R-IND-13): the manager records the review meeting
(which ticks "Induction reviewed with your manager"), and signs the induction off once every item that must be is
done or not applicable; it then shows as complete and stays readable, and nothing in it changes any more."""

from __future__ import annotations

from datetime import date

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import checklist
from teamops.induction.models import Induction
from tests.dates_typed import date_boxes
from tests.induction.conftest import TODAY, item, signed_in

REVIEW = {**date_boxes("held_on", date(2026, 12, 1)), "notes": "Settling in well; core course booked"}


def _resolve_all_but(induction: Induction, manager, *codes: str) -> None:
    with freeze(TODAY):
        for row in induction.items:
            if row.code not in codes and row.requirement != "optional" and not row.resolved:
                if row.done_on is None:
                    checklist.tick(row, manager, row.due_on if row.due_on <= TODAY else TODAY, None, confirms=True)
                else:
                    checklist.confirm(row, manager)
        db.session.commit()


def test_sign_off_is_refused_without_the_review_and_with_items_open(app, org, induction):
    with freeze(TODAY):
        manager = signed_in(app, org["team_manager"])
        response = manager.post_form(f"/inductions/{induction.id}/sign-off")
        assert response.status_code == 303 and response.headers["Location"].endswith("#review")
        page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not signed off" in page and "Still open before sign-off" in page
    assert "The review is not recorded" in page
    assert "Log-in details for IT systems, the case-recording system and e-mail received and working" in page
    assert db.session.get(Induction, induction.id).signed_off_at is None


def test_recording_the_review_ticks_the_review_item(app, org, starter, induction):
    with freeze(TODAY):
        manager = signed_in(app, org["team_manager"])
        assert manager.get(f"/inductions/{induction.id}/review").status_code == 200
        assert signed_in(app, starter).post_form(f"/inductions/{induction.id}/review", REVIEW).status_code == 403
        for wrong, message in ((date_boxes("held_on", date(2026, 12, 3)), "cannot be in the future"),
                               (date_boxes("held_on", date(2026, 11, 27)), "cannot be before day 1"),
                               (date_boxes("held_on", "--"), "Enter the date of the review")):
            refused = manager.post_form(f"/inductions/{induction.id}/review", {**REVIEW, **wrong})
            assert refused.status_code == 400 and message in refused.get_data(as_text=True)
        no_notes = manager.post_form(f"/inductions/{induction.id}/review", {**REVIEW, "notes": ""})
        assert no_notes.status_code == 400 and "Enter the notes of the review" in no_notes.get_data(as_text=True)
        assert item(induction, "B14").done_on is None
        saved = manager.post_form(f"/inductions/{induction.id}/review", REVIEW)
        assert saved.status_code == 303
        page = signed_in(app, starter).get(f"/inductions/{induction.id}").get_data(as_text=True)
    b14 = item(induction, "B14")
    assert b14.done_on == date(2026, 12, 1) and b14.resolved and b14.confirmed_by_id == org["team_manager"].id
    assert "Review held on 1 December 2026 with Tia Manager" in page and "core course booked" in page
    db.session.refresh(induction)
    assert induction.review_held_on == date(2026, 12, 1) and induction.reviewed_by_id == org["team_manager"].id


def test_signed_off_once_everything_is_resolved_then_read_only(app, org, starter, induction):
    manager_person = org["team_manager"]
    _resolve_all_but(induction, manager_person, "C1")
    with freeze(TODAY):
        manager = signed_in(app, manager_person)
        manager.post_form(f"/inductions/{induction.id}/review", REVIEW)
        refused = manager.post_form(f"/inductions/{induction.id}/sign-off")
        page = manager.get(refused.headers["Location"]).get_data(as_text=True)
        assert "Still open before sign-off (1)" in page and "Corporate induction" in page
        assert db.session.get(Induction, induction.id).signed_off_at is None
        c1 = item(induction, "C1")
        manager.post_form(f"/inductions/items/{c1.id}/not-applicable", {"reason": "Done in a previous post"})
        assert "the induction can be signed off" in manager.get(f"/inductions/{induction.id}").get_data(as_text=True)
        signed = manager.post_form(f"/inductions/{induction.id}/sign-off")
        assert signed.status_code == 303
        page = manager.get(signed.headers["Location"]).get_data(as_text=True)
        assert "Completed on 2 December 2026, signed off by Tia Manager" in page and "Complete" in page
        assert "Sign off the induction" not in page and "Mark done" not in page and "Undo" not in page
        own = signed_in(app, starter)
        mine = own.get(f"/inductions/{induction.id}")
        assert mine.status_code == 200 and "Completed on 2 December 2026" in mine.get_data(as_text=True)
        b2 = item(induction, "B2")  # optional: never needed, and now never changed
        for client in (manager, own, signed_in(app, org["worker"])):
            for path in (f"/inductions/items/{b2.id}/done", f"/inductions/items/{c1.id}/undo",
                         f"/inductions/items/{item(induction, 'B6').id}/confirm",
                         f"/inductions/items/{b2.id}/not-applicable", f"/inductions/{induction.id}/review",
                         f"/inductions/{induction.id}/sign-off", f"/inductions/{induction.id}/plan",
                         f"/inductions/{induction.id}/cancel"):
                assert client.post_form(path, {"reason": "x", **REVIEW}).status_code == 403, path
        for path in (f"/inductions/items/{b2.id}/not-applicable", f"/inductions/{induction.id}/review"):
            assert manager.get(path).status_code == 403
    done = db.session.get(Induction, induction.id)
    assert done.signed_off_on == TODAY and done.signed_off_by_id == manager_person.id
    assert item(induction, "B2").done_on is None and item(induction, "C1").na_reason == "Done in a previous post"

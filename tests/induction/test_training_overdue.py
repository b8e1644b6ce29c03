"""Mandatory training still open after 6 weeks is flagged to the manager (issue 11 item 5, R-IND-10): on their
home page's "Waiting for you", for inductions in their reach not signed off; the flag goes once the item is
done, even though the home page is kept between visits."""

from __future__ import annotations

from datetime import timedelta

from teamops.dates import freeze
from teamops.extensions import db
from teamops.induction import checklist
from tests.induction.conftest import TODAY, item, signed_in

HEADING = "Mandatory training overdue in an induction"


def test_the_manager_sees_mandatory_training_overdue_until_it_is_done(app, org, starter, induction):
    c1 = item(induction, "C1")  # corporate induction e-learning: mandatory, within 6 weeks
    with freeze(TODAY):  # day 3 of the induction: nothing is overdue yet
        assert HEADING not in signed_in(app, org["team_manager"]).get("/").get_data(as_text=True)
    with freeze(c1.due_on):
        assert "Nico Fraser: Corporate induction" not in signed_in(app, org["team_manager"]).get("/").get_data(
            as_text=True)
    with freeze(c1.due_on + timedelta(days=1)):
        manager = signed_in(app, org["team_manager"])
        home = manager.get("/").get_data(as_text=True)
        assert HEADING in home and "Nico Fraser: Corporate induction" in home
        assert f"/inductions/{induction.id}#item-{c1.id}" in home
        # not someone out of reach, nor the starter themselves
        assert HEADING not in signed_in(app, org["south_manager"]).get("/").get_data(as_text=True)
        assert HEADING not in signed_in(app, starter).get("/").get_data(as_text=True)
        signed_in(app, starter).post_form(f"/inductions/items/{c1.id}/done")
        home = manager.get("/").get_data(as_text=True)
        assert "Nico Fraser: Corporate induction</a>" not in home
        assert "Nico Fraser: Introduction to local government" in home  # C2 is still open


def test_a_signed_off_induction_flags_nothing(app, org, induction):
    c1 = item(induction, "C1")
    with freeze(c1.due_on + timedelta(days=1)):
        for row in induction.items:
            if row.requirement != "optional" and not row.resolved:
                checklist.mark_not_applicable(row, org["team_manager"], "Done in a previous post")
        checklist.record_review(induction, org["team_manager"], c1.due_on, "All done")
        assert checklist.sign_off(induction, org["team_manager"]) == []
        db.session.commit()
        assert HEADING not in signed_in(app, org["team_manager"]).get("/").get_data(as_text=True)

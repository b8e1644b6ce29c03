"""Dated team membership (issue 9 item 6; CONTRACT.md "Scheduling rules": a case counts for the team its
worker belonged to at the month's end). A move does not rewrite the old team's past months."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from teamops.dashboards.figures import team_figures
from teamops.dates import freeze
from teamops.extensions import db
from teamops.imports.services import run_import
from teamops.org.models import Staff, TeamMembership
from tests import factories


def _memberships(person):
    return [(m.team_id, m.from_date, m.to_date) for m in db.session.scalars(
        select(TeamMembership).where(TeamMembership.staff_id == person.id).order_by(TeamMembership.from_date))]


def test_a_move_on_the_15th_leaves_last_months_figures_of_both_teams_unchanged(org):
    north, south = org["teams"]["north"], org["teams"]["south"]
    mover = factories.staff("worker", north, email="mover@example.org")
    with freeze(date(2026, 6, 1)):
        # At 31 May: one in timescale (supervised 20 May) and one overdue (never supervised since January).
        fresh = factories.case("MOV-1", "CIN", False, mover, date(2026, 4, 1))
        factories.case("MOV-2", "CIN", False, mover, date(2026, 1, 5))
        factories.record("case", date(2026, 5, 20), mover, org["team_manager"], [fresh])
        factories.case("STAY-1", "CIN", False, org["south_worker"], date(2026, 5, 1))
    with freeze(date(2026, 6, 10)):
        north_before = team_figures(north, date(2026, 6, 10)).last_month
        south_before = team_figures(south, date(2026, 6, 10)).last_month
    assert (north_before.cases_open, north_before.cases_in_timescale) == (2, 1)
    assert (south_before.cases_open, south_before.cases_in_timescale) == (1, 1)

    with freeze(date(2026, 6, 15)):
        mover.team = south
        db.session.commit()
        north_after = team_figures(north, date(2026, 6, 15))
        south_after = team_figures(south, date(2026, 6, 15))
    assert north_after.last_month == north_before and south_after.last_month == south_before
    # Today the mover's cases are the new team's, and the old team no longer lists them.
    assert south_after.now.cases_open == 3 and north_after.now.cases_open == 0
    assert "mover@example.org" in {row.staff.email for row in south_after.rows}
    assert "mover@example.org" not in {row.staff.email for row in north_after.rows}
    assert _memberships(mover) == [(north.id, date(2020, 1, 6), date(2026, 6, 15)),
                                   (south.id, date(2026, 6, 15), None)]
    with freeze(date(2026, 7, 2)):  # June's end: the mover was in the south team by then
        assert team_figures(south, date(2026, 7, 2)).last_month.cases_open == 3
        assert team_figures(north, date(2026, 7, 2)).last_month.cases_open == 0


def test_a_new_person_belongs_to_their_team_from_their_start_date(org):
    person = factories.staff("worker", org["teams"]["north"], start_date=date(2027, 2, 1))
    assert _memberships(person) == [(org["teams"]["north"].id, date(2027, 2, 1), None)]
    with freeze(date(2026, 12, 2)):  # moved before they start: they belong to the new team from the start
        person.team = org["teams"]["south"]
        db.session.commit()
    assert _memberships(person) == [(org["teams"]["south"].id, date(2027, 2, 1), None)]


def test_a_changed_team_in_a_staff_reimport_is_a_move_dated_on_the_import_day(org):
    """CONTRACT.md "CSV imports": staff are keyed by e-mail; a changed ``team`` is a move dated on the day of the
    import."""
    header = "email,name,team,job_role,employment_type,start_date\n"
    with freeze(date(2026, 3, 10)):
        report = run_import("staff", (header + "new.one@example.org,New One,Family Safeguarding North,"
                                      "Social worker,permanent,01/02/2026\n").encode())
        db.session.commit()
        assert report.created == 1
    with freeze(date(2026, 4, 15)):
        report = run_import("staff", (header + "new.one@example.org,New One,Family Safeguarding South,"
                                      "Social worker,permanent,01/02/2026\n").encode())
        db.session.commit()
        assert report.updated == 1
    person = db.session.scalar(select(Staff).where(Staff.email == "new.one@example.org"))
    assert _memberships(person) == [(org["teams"]["north"].id, date(2026, 2, 1), date(2026, 4, 15)),
                                    (org["teams"]["south"].id, date(2026, 4, 15), None)]

"""Issue 10 items 1-3: act where you see the need. "Book supervision" and "Write a record" from a worker's
drill-down and a case page, with the cases that need it chosen; the team dashboard says who is already in the
diary; the manager's home lists what waits for them."""

from __future__ import annotations

import re
from datetime import timedelta

from teamops.dates import today
from teamops.extensions import db
from tests import factories


def _overdue_case(org, ref="ACT-1"):
    return factories.case(ref, "CP", False, org["worker"], today() - timedelta(days=90))


def _href(page: str, text: str) -> str:
    found = re.search(r'href="([^"]+)"[^>]*>' + re.escape(text), page)
    assert found, f"no link {text!r}"
    return found.group(1).replace("&amp;", "&")


def test_book_and_write_from_the_drill_down_with_the_due_cases_chosen(as_role, org):
    overdue = _overdue_case(org)
    factories.case("ACT-2", "CP", False, org["worker"], today() - timedelta(days=3))  # not due yet
    manager = as_role("team_manager")
    page = manager.get(f"/dashboard/team/worker/{org['worker'].id}").get_data(as_text=True)
    book = _href(page, "Book supervision")
    assert f"worker_id={org['worker'].id}" in book and f"case_ids={overdue.id}" in book and "kind=case" in book
    form = manager.get(book).get_data(as_text=True)
    assert re.search(rf'value="{overdue.id}"[^>]*checked', form)
    assert not re.search(r'value="\d+"[^>]*checked[^>]*>\s*<label[^>]*>[^<]*ACT-2', form)
    write = manager.get(_href(page, "Write a record"))
    assert write.status_code == 200 and "ACT-1" in write.get_data(as_text=True)


def test_the_case_page_offers_the_same_and_a_worker_does_not_see_it(as_role, org):
    case = _overdue_case(org)
    page = as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"case_ids={case.id}" in _href(page, "Book supervision")
    written = as_role("team_manager").get(_href(page, "Write a record"))
    assert written.status_code == 200
    assert "Book supervision" not in as_role("worker").get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_team_dashboard_shows_who_is_already_in_the_diary(as_role, org):
    _overdue_case(org)
    extra = factories.staff("worker", org["teams"]["north"], name="Una Unbooked")
    factories.case("ACT-3", "CP", False, extra, today() - timedelta(days=90))
    session = today() + timedelta(days=3)
    factories.booking(org["worker"], org["team_manager"], factories.uk_time(session, 10))
    manager = as_role("team_manager")
    page = manager.get(f"/dashboard/team?team={org['teams']['north'].id}").get_data(as_text=True)
    assert "Next session booked" in page and session.strftime("%-d %b %Y") in page
    unbooked = manager.get(f"/dashboard/team?team={org['teams']['north'].id}&show=overdue_unbooked")
    text = unbooked.get_data(as_text=True)
    assert "Una Unbooked" in text and "Wren Worker" not in text


def test_the_managers_home_lists_what_waits_for_them(as_role, org):
    case = _overdue_case(org)
    factories.record("personal", today() - timedelta(days=1), org["worker"], org["team_manager"])  # a draft
    signed = factories.record("case", today() - timedelta(days=2), org["worker"], org["team_manager"], [case],
                              status="signed_off")
    late = factories.record("case", today() - timedelta(days=9), org["worker"], org["team_manager"],
                            [_overdue_case(org, "ACT-9")], status="signed_off")
    db.session.commit()
    page = as_role("team_manager").get("/").get_data(as_text=True)
    assert "Waiting for you" in page and "Drafts to finish and sign off (1)" in page
    assert "To put on the child&#39;s record (2)" in page or "To put on the child's record (2)" in page
    assert "5 days left of the 7" in page and "2 days late" in page
    assert f"/records/{signed.id}" in page and f"/records/{late.id}" in page
    nothing = as_role("south_manager").get("/").get_data(as_text=True)
    assert "Nothing is waiting for you" in nothing
